#!/bin/sh
# Checks that docs/interfaces/*.md equal what chacm-idl --doc generates from
# ipc/idl; with --update, rewrites them.  Usage: run-docs.sh CHACM_IDL [--update]
set -e
idlc=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for name in constants generic creator task memory file directory filesystem block pager vm console device irq timer registrant memory_object memory_object_control; do
  doc=$root/docs/interfaces/$name.md
  if [ "$2" = "--update" ]; then
    (cd "$root/ipc/idl" && "$idlc" --no-code --doc "$doc" "$name.idl")
    continue
  fi
  (cd "$root/ipc/idl" && "$idlc" --no-code --doc - "$name.idl") | diff -u "$doc" - || status=1
done
[ $status -eq 0 ] || echo "docs/interfaces is stale: run tests/idl/run-docs.sh <chacm-idl> --update"
exit $status
