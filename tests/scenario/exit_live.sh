#!/usr/bin/env bash
# The run ends with the root task's result when its main returns while
# other threads are live (calling, replying, sleeping, blocked, yielding,
# page-faulting, creating and deleting threads, aborting IPCs, in two
# tasks; with preemption by host CPU time, one computing too):
# BOOTS boots, JOBS at once so that the host's CPUs are contended.  Any other
# status (a crash at exit is 139) or message fails.
# Usage: exit_live.sh CHACMSIM [BOOTS] [JOBS]
set -u
sim=$1 boots=${2:-24} jobs=${3:-4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
one() {
  local i=$1 preempt=off spin=
  [ $((i % 2)) -eq 0 ] && preempt=on spin=spin
  "$sim" --timeout 60 --preempt=$preempt --root "exit_live $((i % 7 * 30)) $spin" >"$tmp/$i.out" 2>&1
  echo "$i $?" >>"$tmp/status"
}
for ((i = 0; i < boots; i++)); do
  one "$i" &
  [ $((i % jobs)) -eq $((jobs - 1)) ] && wait
done
wait
bad=0
while read -r i status; do
  if [ "$status" -ne 7 ] || [ -s "$tmp/$i.out" ]; then
    echo "exit_live: boot $i ended with status $status: $(head -c 300 "$tmp/$i.out")"
    bad=$((bad + 1))
  fi
done <"$tmp/status"
ran=$(wc -l <"$tmp/status")
echo "exit_live: $ran boots, $bad bad"
[ "$ran" -eq "$boots" ] && [ "$bad" -eq 0 ]
