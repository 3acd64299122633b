#!/usr/bin/env bash
# The real-time limit stops the simulated CPU before the report and the
# teardown: whatever the root task keeps doing (entering the kernel and
# printing, creating and deleting threads, computing without entering the
# kernel), nothing it prints comes after the report, the report lists only
# threads as they are, and the run ends with status 124.  And a deadlock's
# report names the state of a thread locked in a string transfer.
# Usage: end_busy.sh CHACMSIM
set -u
sim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
check() {
  local mode=$1 i=$2 out=$tmp/$1.$2.out status
  "$sim" --timeout 1 --preempt=off --root "end_busy $mode" >"$out" 2>&1
  status=$?
  # what follows the limit's line: the report, and nothing else
  local after
  after=$(sed -n '/^chacmsim: real-time limit of 1 s reached$/,$p' "$out" | tail -n +2)
  local why=
  if [ "$status" -ne 124 ]; then
    why="status $status"
  elif ! grep -q '^chacmsim: real-time limit of 1 s reached$' "$out"; then
    why="no real-time limit message"
  elif ! head -1 <<<"$after" | grep -qE '^chacmsim: threads at virtual time [0-9]+ us:$'; then
    why="the report does not follow the limit's line"
  elif tail -n +2 <<<"$after" | grep -vqE '^  end_busy\.[0-9]+ +[0-9a-f]+\.[0-9a-f]+ prio +[0-9]+ [a-z ]+$'; then
    why="after the report: $(tail -n +2 <<<"$after" | grep -vE '^  end_busy\.[0-9]+ +[0-9a-f]+\.[0-9a-f]+ prio +[0-9]+ [a-z ]+$' | head -3)"
  fi
  if [ -n "$why" ]; then
    echo "end_busy: $mode run $i: $why"
    tail -5 "$out"
    bad=$((bad + 1))
  fi
}
for i in 1 2 3 4; do check print "$i"; done
for i in 1 2; do check threads "$i"; done
check compute 1
out=$("$sim" --timeout 10 --root "end_busy locked" 2>&1)
status=$?
if [ "$status" -ne 3 ] || ! grep -qE '^  end_busy\.34 +22\.1 prio 100 locked in a string transfer$' <<<"$out"; then
  echo "end_busy: locked: status $status, the deadlock report does not show the locked sender:"
  echo "$out"
  bad=$((bad + 1))
fi
printf 'kernel chacmsim\nmodule sigma0\nmodule end_busy load\nmodule image_probe.img\n' >"$tmp/load.lst"
out=$("$sim" --timeout 60 "$tmp/load.lst" 2>&1)
status=$?
if [ "$status" -ne 0 ] || ! grep -qE '^end_busy: load [0-9]+ refused with error 8$' <<<"$out" ||
   ! grep -q "LoadImage of 'end_busy_image' refused: .*table of program segments is full" <<<"$out"; then
  echo "end_busy: load: status $status:"
  echo "$out" | tail -5
  bad=$((bad + 1))
fi
echo "end_busy: $bad bad runs of 9"
[ "$bad" -eq 0 ]
