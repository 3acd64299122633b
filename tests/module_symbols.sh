#!/usr/bin/env bash
# Checks that every program module's only undefined symbols are the hosted
# kernel's entry points (__L4_hosted_*), so programs reach the system only
# through the L4 API.  Usage: module_symbols.sh MODULE_DIR
set -u
dir=$1
n=0; bad=0
for m in "$dir"/*.so; do
  [ -e "$m" ] || { echo "no modules in $dir"; exit 1; }
  n=$((n + 1))
  undef=$(nm -D --undefined-only --format=just-symbols "$m" | grep -v '^__L4_hosted_' || true)
  if [ -n "$undef" ]; then
    echo "$(basename "$m"): undefined symbols outside the L4 API: $(echo $undef)"
    bad=$((bad + 1))
  fi
done
echo "$n modules checked, $bad with foreign undefined symbols"
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
