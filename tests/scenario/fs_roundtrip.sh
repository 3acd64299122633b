#!/usr/bin/env bash
# scenario.fs_roundtrip: files put into an ext2 image on the host (mke2fs -d)
# are read in the simulator through filesvr; files filesvr writes there are
# read on the host with debugfs from the image the run saved (save=), which
# e2fsck -fn finds clean.  fsrt_root serves the image from the module's
# memory, so the run is --isolation=off.  Usage: fs_roundtrip.sh CHACMSIM
set -euo pipefail
sim=$1
PATH=/usr/sbin:/sbin:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir -p "$tmp/src/sub"
echo "made on the host" > "$tmp/src/host.txt"
echo "remove me" > "$tmp/src/gone.txt"
head -c 200000 /dev/urandom > "$tmp/src/sub/big.bin"
mke2fs -q -F -t ext2 -b 1024 -d "$tmp/src" "$tmp/in.img" 4M >/dev/null
cp "$tmp/in.img" "$tmp/orig.img"
printf 'module sigma0\nmodule fsrt_root\nmodule filesvr\nmodule %s save=%s\n' "$tmp/in.img" "$tmp/out.img" > "$tmp/rt.lst"
if ! "$sim" --isolation=off --timeout 60 "$tmp/rt.lst" > "$tmp/log" 2>&1; then
  echo "FAIL: the run"; cat "$tmp/log"; exit 1
fi
sum=$(od -An -v -tu1 "$tmp/src/sub/big.bin" | awk '{ for (i = 1; i <= NF; i++) s = (s * 31 + $i) % 4294967296 } END { printf "%x", s }')
grep -q "host.txt says: made on the host" "$tmp/log" || { echo "FAIL: host.txt not read"; fail=1; }
grep -q "disk/sub/big.bin: 200000 bytes, sum $sum\$" "$tmp/log" || { echo "FAIL: big.bin read back wrong"; fail=1; }
grep -q "fsrt_root: done" "$tmp/log" || { echo "FAIL: fsrt_root did not finish"; fail=1; }
[ "$(debugfs -R 'cat /from-sim.txt' "$tmp/out.img" 2>/dev/null)" = "written in the simulator through filesvr" ] ||
  { echo "FAIL: from-sim.txt"; fail=1; }
[ "$(debugfs -R 'cat /simdir/moved.txt' "$tmp/out.img" 2>/dev/null)" = "made on the host" ] || { echo "FAIL: moved.txt"; fail=1; }
[ "$(debugfs -R 'ls /simdir' "$tmp/out.img" 2>/dev/null | grep -o 'f[0-9][0-9]' | sort -u | wc -l)" = 50 ] ||
  { echo "FAIL: simdir"; fail=1; }
[ "$(debugfs -R 'cat /simdir/f07' "$tmp/out.img" 2>/dev/null)" = f07 ] || { echo "FAIL: f07"; fail=1; }
debugfs -R 'stat /gone.txt' "$tmp/out.img" 2>&1 | grep -q "File not found" || { echo "FAIL: gone.txt still there"; fail=1; }
debugfs -R 'dump /simdir/pattern.bin '"$tmp/pattern.bin" "$tmp/out.img" >/dev/null 2>&1
awk 'BEGIN { for (i = 0; i < 307200; i++) printf "%d\n", (i * 7 + int(i / 1024)) % 256 }' > "$tmp/want"
od -An -v -tu1 "$tmp/pattern.bin" 2>/dev/null | tr -s ' ' '\n' | sed '/^$/d' > "$tmp/got" || true
cmp -s "$tmp/want" "$tmp/got" || { echo "FAIL: pattern.bin differs from what filesvr was given"; fail=1; }
e2fsck -fn "$tmp/out.img" > "$tmp/fsck" 2>&1 || { echo "FAIL: e2fsck -fn"; cat "$tmp/fsck"; fail=1; }
cmp -s "$tmp/in.img" "$tmp/orig.img" || { echo "FAIL: the module's own file changed"; fail=1; }
[ $fail -eq 0 ] && echo "fs round trip ok"
exit $fail
