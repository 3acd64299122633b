#!/usr/bin/env bash
# The serial driver and the timer service (scenario.devices): devprobe's
# cases with COM1 on a file, which must then hold what it wrote, and on
# the run's standard output (the default); then
# COM1 on stdio, where three typed bytes reach a reader waiting on
# /dev/com1.  With CHACM_GOLDEN_RUNNER (the memcheck variant) the runs
# are under it and an error it reports (status 99) fails the test.
# Usage: devices.sh CHACMSIM BOOTLIST
set -uo pipefail
sim=$1 lst=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "devices: FAIL: $*"; sed 's/^/  | /' "$dir/out"; exit 1; }
read -ra runner <<<"${CHACM_GOLDEN_RUNNER:-}"
limit=60
[ ${#runner[@]} -gt 0 ] && limit=600
sim_run() {
  "${runner[@]}" "$sim" --timeout $limit --preempt=off "$@"
  local status=$?
  [ $status -eq 99 ] && fail "memcheck reports errors (chacmsim $*)"
  return $status
}
sim_run --serial "$dir/com1" "$lst" >"$dir/out" 2>&1
grep -q "^devprobe: 0 failed" "$dir/out" || fail "devprobe"
grep "^ok DRV" "$dir/out"
printf 'hello from devprobe over com1\n9600!\n' | cmp -s - "$dir/com1" || { cp "$dir/com1" "$dir/out"; fail "com1's file"; }
# without --serial the line's sent bytes are on the run's standard output
sim_run "$lst" >"$dir/out" 2>/dev/null
grep -q "^devprobe: 0 failed" "$dir/out" || fail "devprobe without --serial"
grep -q "^hello from devprobe over com1$" "$dir/out" || fail "COM1's bytes are not on stdout without --serial"
sed 's/^module devprobe$/module devprobe read/' "$lst" >"$dir/read.lst"
sed -i "s|^module |module |" "$dir/read.lst"
sim_run --serial stdio "$dir/read.lst" < <(printf 'xyz') >"$dir/out" 2>&1
grep -q "^devprobe: read 'xyz'" "$dir/out" || fail "no bytes from stdin on com1"
echo "devices: ok"
