#!/usr/bin/env bash
# Makes a boot disk: an ext2 image (1 KiB blocks) of SIZE with the files of
# SRC and the given program files in /bin.  With --mbr the image is a
# partitioned disk instead: an MBR with one Linux partition (type 83) from
# sector 2048 to the end, the ext2 in it (what sfdisk and mke2fs make on a
# host; the ATA disk of the default system).  The result does not depend
# on the time of the build (fixed UUID, hash seed, times and disk id).
# Usage: mkdisk.sh [--mbr] OUT SRC SIZE [NAME=FILE...]  (SIZE as mke2fs takes it;
# with --mbr, in MiB: 16 or 16M)
set -euo pipefail
mbr=0
if [ "$1" = --mbr ]; then mbr=1; shift; fi
out=$1 src=$2 size=$3
shift 3
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$src"/. "$stage"/
mkdir -p "$stage/bin"
for p in "$@"; do cp "${p#*=}" "$stage/bin/${p%%=*}"; done
find "$stage" -exec touch -h -d @1700000000 {} +
export E2FSPROGS_FAKE_TIME=1700000000
PATH=/usr/sbin:/sbin:$PATH
rm -f "$out"
start=0 fs_size=$size
if [ $mbr -eq 1 ]; then
  size=${size%M}
  start=2048
  sectors=$((size * 2048 - start))
  fs_size=$((sectors / 2))k
  # CHS of an LBA on the 255-head, 63-sector geometry partitioning tools
  # use (FE FF FF beyond cylinder 1023), as three octal escapes
  chs() {
    local c=$(($1 / (255 * 63))) h=$((($1 / 63) % 255)) s=$(($1 % 63 + 1))
    [ $c -gt 1023 ] && { printf '\\376\\377\\377'; return; }
    printf '\\%03o\\%03o\\%03o' $h $((s | (c >> 8 & 3) << 6)) $((c & 255))
  }
  le32() { printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
  truncate -s $((size * 1024 * 1024)) "$out"
  # disk id at 440, the first partition entry at 446, the signature at 510
  printf '%b' "$(le32 0x4348434d)" | dd of="$out" bs=1 seek=440 conv=notrunc status=none
  printf '%b' "\\000$(chs $start)\\203$(chs $((start + sectors - 1)))$(le32 $start)$(le32 $sectors)" |
    dd of="$out" bs=1 seek=446 conv=notrunc status=none
  printf '\125\252' | dd of="$out" bs=1 seek=510 conv=notrunc status=none
fi
mke2fs -q -F -t ext2 -b 1024 -N 512 -L chacmos -U 4348434d-4f53-4469-736b-000000000001 \
       -E hash_seed=4348434d-4f53-4469-736b-000000000002,offset=$((start * 512)) -d "$stage" "$out" "$fs_size"
