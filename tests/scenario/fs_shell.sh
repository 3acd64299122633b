#!/usr/bin/env bash
# scenario.fs_shell.CASE: ChacmOS's file system driven through the shell on
# ext2 images this script makes on the host (mke2fs -d, debugfs -w).  Each
# boot is the default system's disk path (ramdisk over the data module,
# filesvr disk=/dev/ramdisk, the shell reading fs/CASE*.in), the image saved
# back at the end (save=).  The transcripts of a case's boots, one after the
# other, are compared with fs/CASE.golden (CHACM_UPDATE_GOLDEN=1 writes it);
# then the host checks the saved images:
#   host2sim   files put in by mke2fs -d and debugfs -w are read in ChacmOS
#   sim2host   files made, appended, renamed, linked and removed by the shell
#              are what debugfs reads; e2fsck -fn clean
#   heavy      fs_heavy (from the image's /bin): many files, deep
#              directories, renames, unlinks, a file through triple-indirect
#              blocks and one cut back from there; e2fsck -fn clean, debugfs
#              finds every byte where it belongs
#   refuse     images with incompatible features filesvr does not support
#              (needs_recovery, extents, 64bit, meta_bg, inline_data) and a
#              garbage superblock: refused at the boot mount with a message
#              naming why, the image byte for byte the same (sha256)
#   rocompat   a read-only-compatible feature it does not support (huge_file)
#              and an image not cleanly unmounted: mounted read-only, reads
#              work, every write is refused, the image unchanged (sha256)
#   mmap       files mapped by vmedit (from the image's /bin): shared edits
#              through the mapping read back with cat, a private copy that
#              leaves the file alone, the unmap writing pages back, sync
#              taking what a live mapping wrote (read back at once), errors
#              for what cannot be mapped; after sync the host image has
#              the edits (debugfs) and e2fsck -fn is clean
#   corrupt    a directory block of garbage, a block number beyond the disk,
#              an inode of no known type: errors for what touches them, the
#              rest still served, nothing changed but the superblock's
#              mount bookkeeping
# Usage: fs_shell.sh CHACMSIM MODULE_DIR CASE
# CHACM_GOLDEN_RUNNER: a command to run the simulator under (memcheck).
set -euo pipefail
sim=$1 mods=$2 case=$3
here=$(cd "$(dirname "$0")" && pwd)
PATH=/usr/sbin:/sbin:$PATH
export E2FSPROGS_FAKE_TIME=1700000000
tmp=$(mktemp -d)
[ -n "${CHACM_KEEP_TMP:-}" ] && echo "fs_shell: files in $tmp" || trap 'rm -rf "$tmp"' EXIT
fail=0
nboot=0
bad() { echo "FAIL: $*"; fail=1; }

# mkimg NAME SRC SIZE [mke2fs options...]: an image of the files of SRC.
mkimg() {
  local name=$1 src=$2 size=$3
  shift 3
  find "$src" -exec touch -h -d @1700000000 {} +
  mke2fs -q -F -b 1024 -N 1024 -U 4348434d-4f53-4469-736b-0000000000f5 \
         -E hash_seed=4348434d-4f53-4469-736b-0000000000f6 "$@" -d "$src" "$tmp/$name" "$size" >/dev/null
}

# boot IMAGE INPUT: boots ChacmOS on IMAGE, typing INPUT into the shell;
# the image is saved as IMAGE.out, the transcript appended to the case's.
boot() {
  local img=$1 in=$2
  nboot=$((nboot + 1))
  cat > "$tmp/boot.lst" <<LST
title fs_shell $case
kernel chacmsim memory=128M
module sigma0
module booter
module memsvr
module namesvr
module console
module ramdisk /dev/ram0
module filesvr disk=/dev/ramdisk
module shell
module $tmp/$img save=$tmp/$img.out
LST
  CHACM_UPDATE_GOLDEN=1 "$here/golden.sh" "$sim" "$tmp/boot.lst" "$in" "$tmp/part" >/dev/null
  { echo "=== boot $nboot: $(basename "$in")"; cat "$tmp/part"; } >> "$tmp/transcript"
  [ -f "$tmp/$img.out" ] || bad "boot $nboot did not save its image"
}

clean() { e2fsck -fn "$1" > "$tmp/fsck" 2>&1 || { bad "e2fsck -fn $(basename "$1")"; cat "$tmp/fsck"; }; }
dcat() { debugfs -R "cat $2" "$1" 2>/dev/null; }
same() { [ "$(sha256sum < "$1")" = "$(sha256sum < "$2")" ] || bad "$3: the image changed"; }

case $case in
host2sim)
  mkdir -p "$tmp/src/docs/deep/er/still"
  printf 'put into the image on the host\nby mke2fs -d\n' > "$tmp/src/docs/readme.txt"
  echo "at the bottom" > "$tmp/src/docs/deep/er/still/bottom.txt"
  for i in $(seq 1 120); do echo "number $i" > "$tmp/src/docs/n$i"; done
  mkimg h.img "$tmp/src" 4M
  echo "written by debugfs -w" > "$tmp/note"
  debugfs -w -R "mkdir /dbg" "$tmp/h.img" >/dev/null 2>&1
  debugfs -w -R "write $tmp/note /dbg/note.txt" "$tmp/h.img" >/dev/null 2>&1
  debugfs -w -R "symlink /dbg/to-readme ../docs/readme.txt" "$tmp/h.img" >/dev/null 2>&1
  boot h.img "$here/fs/host2sim.in"
  clean "$tmp/h.img.out"
  ;;
sim2host)
  mkdir -p "$tmp/src"
  echo "made on the host, removed in ChacmOS" > "$tmp/src/host-old.txt"
  echo "made on the host, moved in ChacmOS" > "$tmp/src/host-keep.txt"
  mkimg s.img "$tmp/src" 4M
  boot s.img "$here/fs/sim2host.in"
  o=$tmp/s.img.out
  [ "$(dcat "$o" /made/a.txt)" = "$(printf 'hello from the shell\nsecond line')" ] || bad "made/a.txt"
  [ "$(dcat "$o" /made/c.txt)" = "inner" ] || bad "made/c.txt"
  [ "$(dcat "$o" /made/kept.txt)" = "made on the host, moved in ChacmOS" ] || bad "made/kept.txt"
  debugfs -R "stat /made/sl" "$o" 2>/dev/null | grep -q 'Fast link dest: "a.txt"' || bad "made/sl is no link to a.txt"
  debugfs -R "stat /host-old.txt" "$o" 2>&1 | grep -q "File not found" || bad "host-old.txt still there"
  debugfs -R "stat /host-keep.txt" "$o" 2>&1 | grep -q "File not found" || bad "host-keep.txt still there"
  [ "$(debugfs -R 'ls /made/sub' "$o" 2>/dev/null | tr -s ' \n' '\n\n' | grep -cv -e '^$' -e '^(' -e '^[0-9]*$' -e '^\.\.*$')" = 0 ] ||
    bad "made/sub is not empty"
  clean "$o"
  ;;
heavy)
  mkdir -p "$tmp/src/bin"
  cp "$mods/fs_heavy.so" "$tmp/src/bin/fs_heavy"
  mkimg y.img "$tmp/src" 16M -N 2048
  boot y.img "$here/fs/heavy.in"
  o=$tmp/y.img.out
  clean "$o"
  [ "$(debugfs -R 'ls -l /many' "$o" 2>/dev/null | awk '$1 != 0' | grep -c ' f[0-9][0-9][0-9] *$')" = 213 ] || bad "many/ has not 213 files"
  [ "$(debugfs -R 'ls -l /moved' "$o" 2>/dev/null | awk '$1 != 0' | grep -c ' r[0-9][0-9][0-9] *$')" = 53 ] || bad "moved/ has not 53 files"
  [ "$(dcat "$o" /many/f007)" = "$(printf 'file 7 of many\nfile 7 of many\nfile 7 of many\nfile 7 of many')" ] || bad "many/f007"
  [ "$(dcat "$o" /moved/r011)" = "$(printf 'file 11 of many\nfile 11 of many\nfile 11 of many\nfile 11 of many')" ] || bad "moved/r011"
  debugfs -R "stat /many/f009" "$o" 2>&1 | grep -q "File not found" || bad "many/f009 still there"
  [ "$(dcat "$o" /moved/subtree/d04/d05/d06/d07/d08/d09/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/d21/d22/d23/leaf)" = "depth 23" ] ||
    bad "the deepest leaf"
  debugfs -R "stat /d00/d01/d02/d03" "$o" 2>&1 | grep -q "File not found" || bad "d03 still under d02"
  awk 'BEGIN { for (k = 0; k < 76800; k++) printf "%015d\n", k }' > "$tmp/want"
  truncate -s $((66 << 20)) "$tmp/want"
  awk 'BEGIN { for (k = 0; k < 19200; k++) printf "%015d\n", 1000000 + k }' >> "$tmp/want"
  debugfs -R "dump /large $tmp/large" "$o" >/dev/null 2>&1
  cmp -s "$tmp/want" "$tmp/large" || bad "large differs from what fs_heavy wrote"
  debugfs -R "stat /large" "$o" 2>/dev/null | grep -q "TIND" || bad "large has no triple-indirect block"
  [ "$(debugfs -R 'stat /cut' "$o" 2>/dev/null | grep -o 'Size: [0-9]*' | head -1)" = "Size: 5000" ] || bad "cut's size"
  debugfs -R "stat /cut" "$o" 2>/dev/null | grep -q "IND" && bad "cut kept indirect blocks"
  ;;
mmap)
  mkdir -p "$tmp/src/bin"
  cp "$mods/vmedit.so" "$tmp/src/bin/vmedit"
  printf 'first line of notes\nsecond line\n' > "$tmp/src/notes.txt"
  awk 'BEGIN { for (k = 0; k < 1000; k++) printf "%09d\n", k }' > "$tmp/src/big.txt"
  mkimg m.img "$tmp/src" 4M
  boot m.img "$here/fs/mmap.in"
  o=$tmp/m.img.out
  [ "$(dcat "$o" /notes.txt)" = "$(printf 'FIRST LINE OF NOTES\nSecond LINE')" ] || bad "notes.txt: $(dcat "$o" /notes.txt)"
  awk 'BEGIN { for (k = 0; k < 1000; k++) printf "%09d\n", k }' > "$tmp/want"
  printf 'over the page edge' | dd of="$tmp/want" bs=1 seek=4090 conv=notrunc 2>/dev/null
  printf 'last' | dd of="$tmp/want" bs=1 seek=9996 conv=notrunc 2>/dev/null
  debugfs -R "dump /big.txt $tmp/big" "$o" >/dev/null 2>&1
  cmp -s "$tmp/want" "$tmp/big" || bad "big.txt differs from what vmedit wrote"
  clean "$o"
  ;;
refuse)
  mkdir -p "$tmp/src"
  echo "never read" > "$tmp/src/hello.txt"
  mkimg r1.img "$tmp/src" 4M -t ext3
  debugfs -w -R "feature needs_recovery" "$tmp/r1.img" >/dev/null 2>&1
  mkimg r2.img "$tmp/src" 4M -t ext2 -O extents
  mkimg r3.img "$tmp/src" 4M -t ext2
  debugfs -w -R "feature 64bit" "$tmp/r3.img" >/dev/null 2>&1
  mkimg r4.img "$tmp/src" 4M -t ext2 -O meta_bg,^resize_inode
  mkimg r5.img "$tmp/src" 4M -t ext2 -O inline_data
  mkimg r6.img "$tmp/src" 4M -t ext2
  printf '\x30\x00\x00\x00' | dd of="$tmp/r6.img" bs=1 seek=$((1024 + 24)) conv=notrunc 2>/dev/null  # s_log_block_size 48
  for i in 1 2 3 4 5 6; do
    cp "$tmp/r$i.img" "$tmp/r$i.orig"
    boot "r$i.img" "$here/fs/refuse.in"
    same "$tmp/r$i.orig" "$tmp/r$i.img" "r$i (the module's file)"
    same "$tmp/r$i.orig" "$tmp/r$i.img.out" "r$i (saved)"
  done
  ;;
rocompat)
  mkdir -p "$tmp/src/dir"
  echo "readable" > "$tmp/src/hello.txt"
  mkimg o1.img "$tmp/src" 4M -t ext2 -O huge_file
  mkimg o2.img "$tmp/src" 4M -t ext2
  debugfs -w -R "ssv state 0" "$tmp/o2.img" >/dev/null 2>&1
  for i in 1 2; do
    cp "$tmp/o$i.img" "$tmp/o$i.orig"
    boot "o$i.img" "$here/fs/rocompat.in"
    same "$tmp/o$i.orig" "$tmp/o$i.img.out" "o$i"
  done
  ;;
corrupt)
  mkdir -p "$tmp/src/bad-dir" "$tmp/src/fine"
  for i in $(seq 1 40); do echo "entry $i" > "$tmp/src/bad-dir/e$i"; done
  echo "still served" > "$tmp/src/fine/ok.txt"
  echo "points beyond the disk" > "$tmp/src/bad-file"
  echo "an inode of no known type" > "$tmp/src/bad-inode"
  mkimg c.img "$tmp/src" 4M -t ext2
  blk=$(debugfs -R "bmap /bad-dir 0" "$tmp/c.img" 2>/dev/null)
  head -c 1024 /dev/zero | tr '\0' '\377' | dd of="$tmp/c.img" bs=1024 seek="$blk" conv=notrunc 2>/dev/null
  debugfs -w -R "sif /bad-file block[0] 99999999" "$tmp/c.img" >/dev/null 2>&1
  debugfs -w -R "sif /bad-inode mode 0170644" "$tmp/c.img" >/dev/null 2>&1
  cp "$tmp/c.img" "$tmp/c.orig"
  boot c.img "$here/fs/corrupt.in"
  # only the primary superblock's bookkeeping (mount count, times, state) may differ
  # (cmp -l counts bytes from 1: the superblock is bytes 1025..2048)
  { cmp -l "$tmp/c.orig" "$tmp/c.img.out" || true; } | awk '$1 <= 1024 || $1 > 2048 { bad = 1 } END { exit bad }' ||
    bad "bytes outside the superblock changed"
  cmp -s "$tmp/c.orig" "$tmp/c.img.out" && bad "the mount did not even count itself"
  for f in c.orig c.img.out; do
    e2fsck -fn "$tmp/$f" 2>&1 | sed -e "s|$tmp/$f|IMAGE|g" -e '/^e2fsck [0-9]/d' > "$tmp/$f.fsck" || true
  done
  cmp -s "$tmp/c.orig.fsck" "$tmp/c.img.out.fsck" || bad "e2fsck finds other problems than before the run"
  grep -q "Filesystem still has errors" "$tmp/c.orig.fsck" || bad "e2fsck finds the corrupt image clean"
  ;;
*) echo "fs_shell.sh: no case $case"; exit 2 ;;
esac

golden=$here/fs/$case.golden
if [ "${CHACM_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$tmp/transcript" "$golden"
  echo "golden: wrote $golden"
elif ! diff -u "$golden" "$tmp/transcript"; then
  bad "the transcript differs from fs/$case.golden"
fi
[ $fail -eq 0 ] && echo "fs_shell $case ok"
exit $fail
