#!/usr/bin/env bash
# fs.disk_image: the boot disk the build made is clean for e2fsck -fn, every
# file of the source tree reads back from it byte for byte (debugfs), and
# every program module that was built is in /bin.
# With --mbr, IMAGE is a partitioned disk: sfdisk must list one Linux
# partition at sector 2048 up to the end, and the checks are on its ext2.
# Usage: disk-image.sh [--mbr] IMAGE SRC MODULE_DIR PROGRAM...
set -euo pipefail
mbr=0
if [ "$1" = --mbr ]; then mbr=1; shift; fi
img=$1 src=$2 mods=$3
shift 3
PATH=/usr/sbin:/sbin:$PATH
fail=0
if [ $mbr -eq 1 ]; then
  sectors=$(( $(stat -c %s "$img") / 512 ))
  want="2048 $((sectors - 1)) $((sectors - 2048)) 83"
  got=$(sfdisk -l -o Start,End,Sectors,Id "$img" 2>/dev/null | tail -1 | tr -s ' ' | sed 's/^ //')
  [ "$got" = "$want" ] || { echo "FAIL: sfdisk -l: '$got', not '$want'"; fail=1; }
  img="$img?offset=1048576"
fi
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
