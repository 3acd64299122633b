#!/usr/bin/env bash
# The IPC fast path (docs/kernel.md, "Calls and replies: the fast path") is
# taken, and refused where the long way must decide, in a run of the IPC
# protocol tests, which all pass either way.  --stats reports the counts.
# Usage: fastpath.sh CHACMSIM
set -u
sim=$1
out=$("$sim" --timeout 60 --stats --root proto_ipc 2>&1)
status=$?
echo "$out" | tail -2
[ $status -eq 0 ] || { echo "fastpath: proto_ipc ended with status $status"; exit 1; }
echo "$out" | grep -q '^[0-9]* passed, 0 failed$' || { echo "fastpath: protocol tests failed"; exit 1; }
line=$(echo "$out" | grep '^chacmsim: statistics: ')
[ -n "$line" ] || { echo "fastpath: no statistics line"; exit 1; }
read -r ipc pushed refused <<<"$(echo "$line" |
  sed -E 's/.*: ([0-9]+) IPCs, ([0-9]+) of them pushed[^,]*, ([0-9]+) pushes refused.*/\1 \2 \3/')"
echo "fastpath: $ipc IPCs, $pushed pushed, $refused refused"
[ "$pushed" -gt 0 ] || { echo "fastpath: no IPC took the fast path"; exit 1; }
[ "$refused" -gt 0 ] || { echo "fastpath: no push was refused"; exit 1; }
[ "$pushed" -gt "$refused" ] || { echo "fastpath: more refused than taken"; exit 1; }
[ "$ipc" -gt "$pushed" ] || { echo "fastpath: every IPC counted as pushed"; exit 1; }
