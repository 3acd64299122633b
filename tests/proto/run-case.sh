#!/usr/bin/env bash
# Runs one protocol test case (CTest's test named by its ID, e.g. IPC0003):
# its area's module as the root task with the ID as the only argument,
# booted from the area's boot list when it has one.
# Host preemption is off (--preempt=off), as in the area runs.  Arguments
# after the ID that start with -- are further chacmsim options (an area of
# CHACM_KEY_AREAS passes --isolation=on); chacmsim's status 64 (an option
# this host cannot give) is passed on, so that CTest skips the case.
# Usage: run-case.sh CHACMSIM MODULE ID [BOOTLIST] [--OPTION ...]
set -u
sim=$1 module=$2 id=$3
shift 3
list=
opts=()
for a in "$@"; do
  case $a in --*) opts+=("$a") ;; *) list=$a ;; esac
done
if [ -n "$list" ]; then
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  sed -E "s/^([[:space:]]*module[[:space:]]+$module)([[:space:]].*)?$/\1 $id/" "$list" >"$tmp"
  out=$("$sim" --timeout 120 --preempt=off "${opts[@]}" "$tmp" 2>&1); status=$?
else
  out=$("$sim" --timeout 120 --preempt=off "${opts[@]}" --root "$module $id" 2>&1); status=$?
fi
printf '%s\n' "$out"
[ "$status" -eq 64 ] && exit 64
[ "$status" -eq 0 ] && grep -q "^ok $id " <<<"$out"
