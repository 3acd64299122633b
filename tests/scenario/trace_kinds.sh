#!/usr/bin/env bash
# The trace buffer (docs/debugging.md): every kind of kernel event is
# recorded (each by a run that causes it), the filters by kind, thread,
# task and label keep only what they name, the ring keeps the newest
# records, and bad trace options are refused with exit status 64.
# Usage: trace_kinds.sh CHACMSIM SOURCE_DIR
set -u
sim=$1; src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "trace_kinds: $*"; exit 1; }
# run NAME ARGS...: a run with its trace log in $dir/NAME.log
run() {
  local name=$1; shift
  "$sim" --timeout 120 --preempt=off --trace-log="$dir/$name.log" "$@" >"$dir/$name.out" 2>&1 ||
    { cat "$dir/$name.out"; fail "run $name ($*) failed"; }
}
kinds() { awk '!/^#/ { print $4 }' "$1" | sort -u | tr '\n' ' '; }
has_kind() { awk -v k="$2" '!/^#/ && $4 == k { n++ } END { exit n > 0 ? 0 : 1 }' "$1"; }

run map --trace=all "$src/tests/proto/map.lst"
run irq --trace=all --root proto_irq
run kdb --trace=all --root kdb_probe
for k in ipc ipcerr pf pfdone map grant unmap sched thread start death task taskdeath; do
  has_kind "$dir/map.log" "$k" || fail "no '$k' record in the map run (kinds: $(kinds "$dir/map.log"))"
done
has_kind "$dir/irq.log" irq || fail "no 'irq' record in the interrupt run"
grep -q ' irq .* delivered to ' "$dir/irq.log" || fail "no interrupt delivery recorded"
grep -q ' irq .* acknowledged by ' "$dir/irq.log" || fail "no interrupt acknowledgement recorded"
has_kind "$dir/kdb.log" kdb || fail "no 'kdb' record for L4_KDB_Enter"
grep -Eq ' ipc +kdb_probe\.[0-9]+ -> kdb_probe\.[0-9]+ label 0x1234 u 0 ' "$dir/kdb.log" ||
  fail "the probe's call (label 0x1234) is not in the trace"
grep -Eq ' pf +.* at 0x[0-9a-f]+ ip 0x[0-9a-f]+ [r-][w-][x-] to sigma0' "$dir/map.log" || fail "page faults lack address, ip or pager"
grep -Eq ' death +.* stopped' "$dir/kdb.log" || fail "the helper's death is not in the trace"
# times never go backwards, sequence numbers count up by one
awk '!/^#/ { if ($2 + 0 < t || ($1 != s + 1 && s)) bad = 1; t = $2 + 0; s = $1 } END { exit bad }' "$dir/map.log" ||
  fail "records out of order"

# filters
run ipconly --trace=ipc,pf "$src/tests/proto/map.lst"
[ "$(kinds "$dir/ipconly.log")" = "ipc pf " ] || fail "--trace=ipc,pf recorded: $(kinds "$dir/ipconly.log")"
main=$(awk '!/^#/ && $4 == "start" && $5 ~ /^kdb_probe\./ { sub(/.*\./, "", $5); print $5; exit }' "$dir/kdb.log")
[ -n "$main" ] || fail "no start record of kdb_probe"
run thr --trace=all --trace-thread="$main" --root kdb_probe
awk -v n="kdb_probe.$main" '!/^#/ && index($0, n) == 0 { bad = 1 } END { exit bad }' "$dir/thr.log" ||
  fail "--trace-thread=$main kept records of other threads"
[ "$(grep -vc '^#' "$dir/thr.log")" -gt 3 ] || fail "--trace-thread=$main kept (almost) nothing"
run task --trace=all --trace-task=sigma0 "$src/tests/proto/map.lst"
awk '!/^#/ && !/sigma0/ { bad = 1 } END { exit bad }' "$dir/task.log" || fail "--trace-task=sigma0 kept other tasks' records"
[ "$(grep -vc '^#' "$dir/task.log")" -gt 10 ] || fail "--trace-task=sigma0 kept (almost) nothing"
run label --trace=ipc --trace-label=0x1234 --root kdb_probe
[ "$(grep -vc '^#' "$dir/label.log")" -eq 1 ] || fail "--trace-label=0x1234: $(grep -vc '^#' "$dir/label.log") records, not 1"
# the ring keeps the newest records
run ring --trace=all --trace-size=16 "$src/tests/proto/map.lst"
[ "$(grep -vc '^#' "$dir/ring.log")" -eq 16 ] || fail "--trace-size=16 kept $(grep -vc '^#' "$dir/ring.log") records"
grep -Eq '^# chacmsim trace: [0-9]+ events recorded, [1-9][0-9]* overwritten' "$dir/ring.log" ||
  fail "the ring's header does not count the overwritten records"
last=$(awk '!/^#/ { s = $1 } END { print s }' "$dir/ring.log")
total=$(sed -nE 's/^# chacmsim trace: ([0-9]+) events.*/\1/p' "$dir/ring.log")
[ "$last" = "$total" ] || fail "the ring's last record is $last of $total"

# every switch and every delivery of a call/reply ping-pong is recorded,
# also those the untraced kernel makes on its fast path (bench_l4ipc rt8:
# 5 x 21000 calls, each a call and a reply, so two IPCs and two switches)
for k in sched ipc; do
  run "pp$k" --trace=$k --trace-size=64 --root "bench_l4ipc rt8"
  n=$(sed -nE 's/^# chacmsim trace: ([0-9]+) events.*/\1/p' "$dir/pp$k.log")
  [ "${n:-0}" -ge 210000 ] || fail "--trace=$k recorded ${n:-no} events of a 105000-call ping-pong, not 210000 or more"
done

# bad options
for bad in --trace=bogus --trace-thread=x --trace-thread=1,2,3,4,5,6,7,8,9 --trace-size=3 --trace-label=-1 \
           "--trace-task=" "--break=ipc"; do
  "$sim" --timeout 20 "$bad" --root kdb_probe >"$dir/bad.out" 2>&1
  st=$?
  [ $st -eq 64 ] || { cat "$dir/bad.out"; fail "$bad: exit status $st, not 64"; }
  grep -q '^chacmsim: ' "$dir/bad.out" || fail "$bad: no message"
done
echo "trace_kinds: every kind recorded ($(kinds "$dir/map.log")+ irq kdb); filters and ring as asked"
