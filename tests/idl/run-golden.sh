#!/bin/sh
# Compiles a good IDL file and compares every output (client header, server
# header, dispatch source, Markdown) with the committed golden copies.
# Usage: run-golden.sh CHACM_IDL FILE.idl GOLDEN_DIR [--update]
set -e
idlc=$1; idl=$2; golden=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
base=$(basename "$idl" .idl)
(cd "$(dirname "$idl")" && "$idlc" -I "$root/ipc/idl" -o "$out" --doc "$out/$base.md" "$base.idl")
if [ "$4" = "--update" ]; then
  mkdir -p "$golden" && cp "$out"/* "$golden"/ && exit 0
fi
diff -ru "$golden" "$out"
