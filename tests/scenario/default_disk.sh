#!/usr/bin/env bash
# The default system's disk across runs (scenario.default_disk): a copy of
# the disk the build makes (hda-clean.img) as the ATA disk of
# boot/default.lst; a file written under /disk in one run (no sync: the
# halt writes it back) is there in the next, the partition is clean for
# e2fsck -fn after each run, and the host reads the file with debugfs.
# Usage: default_disk.sh CHACMSIM BOOTLIST CLEAN_IMAGE
set -uo pipefail
sim=$1 lst=$2 clean=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
PATH=/usr/sbin:/sbin:$PATH
img=$dir/hda.img
fs="$img?offset=1048576"
fail() { echo "default_disk: FAIL: $*"; [ -f "$dir/out" ] && sed 's/^/  | /' "$dir/out"; exit 1; }
cp "$clean" "$img" || fail "no clean image $clean"
run() {
  "$sim" --timeout 60 --preempt=off --hda "$img" "$lst" < <(printf '%b' "$1") >"$dir/out" 2>&1
}
clean_fs() {
  e2fsck -fn "$fs" >"$dir/fsck" 2>&1 || { cp "$dir/fsck" "$dir/out"; fail "e2fsck -fn after $1"; }
  debugfs -R stats "$fs" 2>/dev/null | grep -q '^Filesystem state: *clean$' || fail "not marked clean after $1"
}
run 'echo kept across runs > /disk/kept.txt\nmkdir /disk/dir\necho two >> /disk/dir/f\nexit\n'
grep -q "filesvr: /dev/hda1 mounted on disk" "$dir/out" || fail "run 1: /dev/hda1 not mounted on /disk"
clean_fs "run 1"
run 'cat /disk/kept.txt\ncat /disk/dir/f\necho three >> /disk/dir/f\nhalt\n'
grep -q "^kept across runs" "$dir/out" || fail "run 2: /disk/kept.txt is not there"
grep -q "^two" "$dir/out" || fail "run 2: /disk/dir/f is not there"
grep -q "mounted read-only" "$dir/out" && fail "run 2: the disk was not clean"
clean_fs "run 2 (halt)"
[ "$(debugfs -R 'cat dir/f' "$fs" 2>/dev/null)" = "$(printf 'two\nthree')" ] || fail "the host reads dir/f wrongly"
echo "default_disk: ok"
