#!/usr/bin/env bash
# fs.disk_image: the boot disk the build made is clean for e2fsck -fn, every
# file of the source tree reads back from it byte for byte (debugfs), and
# every program module that was built is in /bin.
# Usage: disk-image.sh IMAGE SRC MODULE_DIR PROGRAM...
set -euo pipefail
img=$1 src=$2 mods=$3
shift 3
PATH=/usr/sbin:/sbin:$PATH
fail=0
e2fsck -fn "$img" >/dev/null 2>&1 || { echo "FAIL: e2fsck -fn $img"; e2fsck -fn "$img"; fail=1; }
while IFS= read -r f; do
  rel=${f#"$src"/}
  if ! cmp -s "$f" <(debugfs -R "cat /$rel" "$img" 2>/dev/null); then
    echo "FAIL: /$rel differs from $f"
    fail=1
  fi
done < <(find "$src" -type f)
for p in "$@"; do
  [ -f "$mods/$p.so" ] || continue
  cmp -s "$mods/$p.so" <(debugfs -R "cat /bin/$p" "$img" 2>/dev/null) || { echo "FAIL: /bin/$p"; fail=1; }
done
[ $fail -eq 0 ] && echo "disk image ok"
exit $fail
