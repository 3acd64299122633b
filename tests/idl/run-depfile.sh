#!/bin/sh
# Compiles dialect.idl with --depfile and checks that the depfile names the
# C header dialect.idl imports, so that the build reruns the compiler when
# that header changes.
# Usage: run-depfile.sh CHACM_IDL
set -e
idlc=$1
dir=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$idlc" -I "$dir/../../ipc/idl" -o "$out" --depfile "$out/dialect.d" --dep-target dialect_client.h \
  "$dir/dialect.idl"
grep -q '^dialect_client.h:' "$out/dialect.d" || { echo "no target line:"; cat "$out/dialect.d"; exit 1; }
grep -q "$dir/dialect_types.h" "$out/dialect.d" || { echo "imported header missing:"; cat "$out/dialect.d"; exit 1; }
