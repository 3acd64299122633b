#!/usr/bin/env bash
# Record and replay (--record, --replay; docs/debugging.md): for 20 seeds,
# a typed shell session and the determinism workload (det_mix, whose
# schedule depends on the seed) are recorded and replayed twice each; the
# trace hashes and transcripts of the replays equal the recorded run's,
# and the seeds give different schedules.  Bad records and a --seed that
# contradicts the record are refused (status 64).
# Usage: replay.sh CHACMSIM SHELL_BOOTLIST
set -u
sim=$1; lst=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "replay: $*"; exit 1; }
printf 'echo replay test\nls /\nmkdir /tmp/r\ncd /tmp/r\necho a > f\ncat f\npwd\nexit\n' >"$dir/input"
hash_of() { sed -nE 's/^chacmsim: trace hash ([0-9a-f]+) .*/\1/p' "$1"; }
declare -A seen=()
for seed in $(seq 1 20); do
  for w in shell mix; do
    if [ $w = shell ]; then target=("$lst"); else target=(--root det_mix); fi
    rec=$dir/$w.$seed.rec
    "$sim" --timeout 60 --preempt=off --seed "$seed" --trace-hash --record "$rec" "${target[@]}" \
      <"$dir/input" >"$dir/r0" 2>&1 || { cat "$dir/r0"; fail "seed $seed $w: the recorded run failed"; }
    h0=$(hash_of "$dir/r0")
    [ -n "$h0" ] || fail "seed $seed $w: no trace hash"
    for k in 1 2; do
      "$sim" --timeout 60 --preempt=off --trace-hash --replay "$rec" "${target[@]}" </dev/null >"$dir/r$k" 2>&1 ||
        { cat "$dir/r$k"; fail "seed $seed $w: replay $k failed"; }
      [ "$(hash_of "$dir/r$k")" = "$h0" ] || fail "seed $seed $w: replay $k has hash $(hash_of "$dir/r$k"), not $h0"
      cmp -s "$dir/r0" "$dir/r$k" || { diff "$dir/r0" "$dir/r$k" | head; fail "seed $seed $w: replay $k's transcript differs"; }
    done
    [ $w = mix ] && seen[$h0]=1
  done
done
[ "${#seen[@]}" -ge 10 ] || fail "20 seeds of det_mix gave only ${#seen[@]} different trace hashes"
# the shell's transcript shows the typed session
"$sim" --timeout 60 --preempt=off --replay "$dir/shell.1.rec" "$lst" </dev/null 2>&1 | grep -q '^replay test$' ||
  fail "the replayed shell session does not echo its input"
# bad records
echo "not a record" >"$dir/bad"
"$sim" --timeout 20 --replay "$dir/bad" --root det_mix >"$dir/o" 2>&1; st=$?
[ $st -eq 64 ] && grep -q 'not a record' "$dir/o" || fail "a file that is no record: status $st"
"$sim" --timeout 20 --seed 7 --replay "$dir/mix.1.rec" --root det_mix >"$dir/o" 2>&1; st=$?
[ $st -eq 64 ] && grep -q 'recorded with --seed 1' "$dir/o" || fail "a contradicting --seed: status $st"
"$sim" --timeout 20 --replay "$dir/missing" --root det_mix >"$dir/o" 2>&1; st=$?
[ $st -eq 64 ] || fail "a missing record: status $st"
"$sim" --timeout 20 --record "$dir/x" --replay "$dir/mix.1.rec" --root det_mix >"$dir/o" 2>&1; st=$?
[ $st -eq 64 ] || fail "--record with --replay: status $st"
echo "replay: 20 seeds x 2 workloads recorded and replayed twice each, same hashes; ${#seen[@]} different schedules"
