#!/usr/bin/env bash
# fi.campaign: a short fault campaign (scripts/fi-campaign) as part of the
# suite.  50 seeded runs of the ramdisk scenario under tests/fi/mixed.plan,
# through GNU parallel's remote-login path on this computer (--sshlogin :,
# as with --sshloginfile on several hosts): no simulator crash, no data
# lost, no broken invariant.  Then the job-list path (the list a Slurm
# array or another host runs): 4 jobs written with --jobs-file, run by bash
# one line at a time, summarised with --summary.  A plan that damages
# every disk write makes both runs of a campaign count as data lost.  And a failing seed's
# replay command gives the same run twice.
# Usage: campaign.sh ROOT BUILD
set -uo pipefail
root=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
camp="$root/scripts/fi-campaign"
status=0
"$camp" -n 50 --sshlogin : --build "$build" --out "$tmp/c50" > "$tmp/sum" 2>&1 || status=$?
cat "$tmp/sum"
[ $status -eq 0 ] || fail "the campaign ended with status $status"
grep -q '^fault campaign: 50 runs, [1-9][0-9]* faults injected' "$tmp/sum" || fail "not 50 runs with faults"
grep -Eq '^  simulator crash +0$' "$tmp/sum" || fail "simulator crashes"
grep -Eq '^  data lost +0$' "$tmp/sum" || fail "data lost"
grep -q '^invariants: frames unbalanced 0, orphaned mappings 0, e2fsck not clean 0$' "$tmp/sum" || fail "invariants"
# more than one outcome: the faults change what the runs do
[ "$(grep -Ec '^  [a-z ]+ +[1-9][0-9]*$' "$tmp/sum")" -ge 2 ] || fail "every run had the same outcome"

# a real loss counts: every disk write is corrupted on its way to the
# image, while fi_work reads its files back whole from filesvr's cache
printf 'disk corrupt dev=ramdisk op=write rate=1\n' > "$tmp/corrupt.plan"
status=0
"$camp" -n 2 --plan "$tmp/corrupt.plan" --build "$build" --out "$tmp/cl" > "$tmp/cl.sum" 2>&1 || status=$?
[ $status -eq 1 ] || fail "a campaign that lost data ended with status $status: $(cat "$tmp/cl.sum")"
grep -Eq '^  data lost +2$' "$tmp/cl.sum" || fail "damaged synced files not counted as lost: $(cat "$tmp/cl.sum")"
[ "$(grep -Ec '# [a-z]+, [1-9][0-9]* synced files not intact' "$tmp/cl.sum")" -eq 2 ] ||
  fail "the failing seeds do not say what was lost: $(cat "$tmp/cl.sum")"

"$camp" -n 4 --first 101 --build "$build" --out "$tmp/jl" --jobs-file "$tmp/jobs" > "$tmp/jl.out" 2>&1 ||
  fail "--jobs-file: $(cat "$tmp/jl.out")"
[ "$(wc -l < "$tmp/jobs")" -eq 4 ] || fail "the job list has not 4 lines"
while read -r line; do eval "$line" || fail "job failed: $line"; done < "$tmp/jobs"
"$camp" --summary "$tmp/jl" > "$tmp/jl.sum" 2>&1 || fail "--summary: $(cat "$tmp/jl.sum")"
grep -q '^fault campaign: 4 runs' "$tmp/jl.sum" || fail "the job list's summary: $(cat "$tmp/jl.sum")"

"$camp" --one 7 --build "$build" --show > "$tmp/r1" 2>&1
"$camp" --one 7 --build "$build" --show > "$tmp/r2" 2>&1
cmp -s "$tmp/r1" "$tmp/r2" || { diff "$tmp/r1" "$tmp/r2" | head; fail "seed 7 replays differently"; }
grep -q '^fi-campaign: 7 ' "$tmp/r1" || fail "--one --show gives no result line"
echo "campaign ok"
