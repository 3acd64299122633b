#!/usr/bin/env bash
# scenario.modsave: a data module whose boot-list line says save=PATH is
# written to PATH when the run ends, with what the system wrote into it; the
# module's own file and modules without save= stay as they were; a path that
# cannot be written gets a message.  Usage: modsave.sh CHACMSIM
set -euo pipefail
sim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
head -c 4096 /dev/zero | tr '\0' x > "$tmp/data.bin"
cp "$tmp/data.bin" "$tmp/orig.bin"
printf 'module modsave_root\nmodule %s save=%s\n' "$tmp/data.bin" "$tmp/out.bin" > "$tmp/save.lst"
"$sim" --isolation=off --timeout 30 "$tmp/save.lst" > "$tmp/log" 2>&1 || { cat "$tmp/log"; fail=1; }
if [ "$(head -c 5 "$tmp/out.bin" 2>/dev/null)" != SAVED ] || [ "$(tail -c 1 "$tmp/out.bin")" != '!' ] ||
   [ "$(stat -c %s "$tmp/out.bin")" != 4096 ]; then
  echo "FAIL: out.bin does not hold the module as the program left it"; fail=1
fi
cmp -s "$tmp/data.bin" "$tmp/orig.bin" || { echo "FAIL: the module's own file changed"; fail=1; }
printf 'module modsave_root\nmodule %s\n' "$tmp/data.bin" > "$tmp/nosave.lst"
"$sim" --isolation=off --timeout 30 "$tmp/nosave.lst" > "$tmp/log" 2>&1 || { cat "$tmp/log"; fail=1; }
[ "$(ls "$tmp")" = "$(printf 'data.bin\nlog\nnosave.lst\norig.bin\nout.bin\nsave.lst')" ] ||
  { echo "FAIL: a run without save= wrote a file"; ls "$tmp"; fail=1; }
printf 'module modsave_root\nmodule %s save=%s/no/such/dir/x\n' "$tmp/data.bin" "$tmp" > "$tmp/bad.lst"
"$sim" --isolation=off --timeout 30 "$tmp/bad.lst" > "$tmp/log" 2>&1 || true
grep -q "chacmsim: cannot save a data module: .*no/such/dir/x" "$tmp/log" ||
  { echo "FAIL: no message for a path that cannot be written"; cat "$tmp/log"; fail=1; }
[ $fail -eq 0 ] && echo "modsave ok"
exit $fail
