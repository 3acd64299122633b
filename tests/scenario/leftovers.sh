#!/usr/bin/env bash
# Module instances leave nothing behind: runs that end by SIGINT, SIGTERM,
# --timeout or normally leave no file in the temporary directory (and
# none in /tmp named after chacmsim).  Usage: leftovers.sh CHACMSIM
set -u
sim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check WHAT: nothing may be in $tmp
  local left
  left=$(ls -A "$tmp")
  if [ -n "$left" ]; then
    echo "FAIL: $1 left: $left"
    failures=$((failures + 1))
    rm -rf "${tmp:?}"/*
  else
    echo "ok: $1 left nothing"
  fi
}
killed() {  # killed SIGNAL: a run that holds (an idle system) ends by SIGNAL
  # (a background job of a script starts with SIGINT ignored: undo that)
  TMPDIR=$tmp env --default-signal=INT "$sim" --hold --root idle_probe >/dev/null 2>&1 &
  local pid=$!
  sleep 0.5
  kill -"$1" "$pid"
  wait "$pid"
  check "a run ended by SIG$1 (status $?)"
}
killed INT
killed TERM
TMPDIR=$tmp "$sim" --hold --timeout 1 --root idle_probe >/dev/null 2>&1
check "a run ended by --timeout (status $?)"
TMPDIR=$tmp "$sim" --root hello >/dev/null 2>&1
check "a run that ends normally (status $?)"
[ "$failures" -eq 0 ] && echo "leftovers: no module copies left on any exit path"
[ "$failures" -eq 0 ]
