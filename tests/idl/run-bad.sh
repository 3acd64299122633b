#!/bin/sh
# Runs chacm-idl on one malformed IDL file and compares its first diagnostic
# with the "// expect: ..." comment on the file's first line.  The compiler
# must fail with status 1 (not crash, not succeed).
# Usage: run-bad.sh CHACM_IDL FILE.idl
idlc=$1
file=$2
cd "$(dirname "$file")" || exit 2
name=$(basename "$file")
expect=$(head -n 1 "$name" | sed -n 's|^// expect: ||p')
[ -n "$expect" ] || { echo "$name: no '// expect:' line"; exit 2; }
out=$("$idlc" --check "$name" 2>&1 >/dev/null)
rc=$?
got=$(printf '%s\n' "$out" | head -n 1)
if [ "$rc" -ne 1 ]; then
  echo "$name: exit status $rc (want 1)"; printf '%s\n' "$out"; exit 1
fi
if [ "$got" != "$expect" ]; then
  printf 'expected: %s\n     got: %s\n' "$expect" "$got"; exit 1
fi
