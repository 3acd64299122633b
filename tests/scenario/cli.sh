#!/usr/bin/env bash
# Bad command lines and boot lists get a clear message and a distinct exit
# status; the ends of a run (deadlock, time limits) are reported likewise.
# Usage: cli.sh CHACMSIM
set -u
sim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
expect() {  # expect STATUS PATTERN ARGS...
  local want=$1 pat=$2; shift 2
  local out status
  out=$("$sim" "$@" 2>&1); status=$?
  if [ "$status" -ne "$want" ] || ! grep -qE -- "$pat" <<<"$out"; then
    echo "FAIL: chacmsim $*: status $status (want $want), output:"; echo "$out" | head -5
    failures=$((failures + 1))
  else
    echo "ok: chacmsim $* -> $status"
  fi
}
printf 'module hello\nmodule no_such_program\n' >"$tmp/missing.lst"
printf 'kernel chacmsim\nbogus line\n' >"$tmp/bogus.lst"
printf 'data\n' >"$tmp/data.bin"
printf 'module %s\n' "$tmp/data.bin" >"$tmp/dataroot.lst"
expect 64 "Unknown option" --no-such-option
expect 64 "window-size must be a power of two" --window-size 3 --root hello
expect 64 "cpu 4096" --cpu 4096 --root hello
expect 64 "not both" --root hello "$tmp/missing.lst"
expect 65 "No such file" "$tmp/absent.lst"
expect 65 "bogus.lst:2: unknown keyword 'bogus'" "$tmp/bogus.lst"
expect 66 "line 2: module 'no_such_program' is neither" "$tmp/missing.lst"
expect 65 "root task .* must be a program module" "$tmp/dataroot.lst"
expect 0 "hello: thread 22.1" --root hello
expect 0 "hello: wrote 42 to a page my pager gave me"
expect 3 "deadlock: every thread is blocked" --root idle_probe
expect 124 "real-time limit of 1 s" --hold --timeout 1 --root idle_probe
expect 2 "virtual time limit of 1 ms" --max-time 1 --root det_mix
expect 4 "root task's main thread stopped: unhandled read page fault at 0x8" --root crash_root
echo "$failures failed"
[ "$failures" -eq 0 ]
