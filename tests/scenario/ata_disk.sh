#!/usr/bin/env bash
# The ATA disk end to end (scenario.ata.persist): a host image partitioned
# with sfdisk (one Linux partition at sector 2048) and an ext2 made with
# mke2fs in it; ChacmOS boots with it as --hda, the ata driver publishes
# /dev/hda and /dev/hda1, filesvr mounts /dev/hda1 on /hd.  A file written
# in one run is there in the next, e2fsck -fn finds the partition clean,
# and a file put there by the host (debugfs) reads back in ChacmOS.  Then
# the driver's client cases (ataprobe.c, ATA0001...) run on the same image
# (PROBELIST), and the driver without a disk says so.
# With CHACM_GOLDEN_RUNNER (the memcheck variant: valgrind and its
# options) every run of the simulator is under it, and an error it reports
# (status 99) fails the test.
# Usage: ata_disk.sh CHACMSIM BOOTLIST PROBELIST
set -uo pipefail
sim=$1 lst=$2 probe=$3
read -ra runner <<<"${CHACM_GOLDEN_RUNNER:-}"
limit=60
[ ${#runner[@]} -gt 0 ] && limit=600
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
img=$dir/disk.img part=$dir/part.img
fail() { echo "ata_disk: FAIL: $*"; [ -f "$dir/out" ] && sed 's/^/  | /' "$dir/out"; exit 1; }
command -v sfdisk >/dev/null || fail "sfdisk is missing (scripts/deps --test installs fdisk)"
truncate -s 16M "$img"
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$img" >/dev/null || fail "sfdisk"
start=2048
sectors=$(sfdisk -l -o Sectors "$img" | tail -1 | tr -d ' ')
truncate -s $((sectors * 512)) "$part"
mke2fs -q -t ext2 -b 1024 -F "$part" >/dev/null || fail "mke2fs"
echo "from the host" > "$dir/host.txt"
debugfs -w -R "write $dir/host.txt host.txt" "$part" >/dev/null 2>&1 || fail "debugfs"
dd if="$part" of="$img" bs=512 seek=$start conv=notrunc status=none
# chacmsim ARGS... (under the runner); its status, 99 failing the test
sim_run() {
  "${runner[@]}" "$sim" --timeout $limit --preempt=off "$@"
  local status=$?
  [ $status -eq 99 ] && fail "memcheck reports errors (chacmsim $*)"
  return $status
}
run() {
  sim_run --hda "$img" "$lst" < <(printf '%b' "$1") >"$dir/out" 2>&1
}
run 'cat /hd/host.txt\necho written in run one > /hd/note.txt\nmkdir /hd/d\necho more >> /hd/d/x\nsync\nexit\n'
grep -q "ata: hda: CHACMSIM ATA DISK, 32768 sectors (16 MiB), 1 partition" "$dir/out" || fail "run 1: no disk message"
grep -q "filesvr: /dev/hda1 mounted on hd" "$dir/out" || fail "run 1: /dev/hda1 not mounted"
grep -q "^from the host" "$dir/out" || fail "run 1: the host's file does not read back"
run 'cat /hd/note.txt\ncat /hd/d/x\nls /dev\nexit\n'
grep -q "^written in run one" "$dir/out" || fail "run 2: the file of run 1 is not there"
grep -q "^more" "$dir/out" || fail "run 2: /hd/d/x is not there"
grep -q "hda1" "$dir/out" || fail "run 2: /dev lists no hda1"
dd if="$img" of="$part" bs=512 skip=$start count="$sectors" status=none
e2fsck -fn "$part" >"$dir/out" 2>&1 || fail "e2fsck -fn reports problems"
debugfs -R "cat note.txt" "$part" 2>/dev/null | grep -q "^written in run one" || fail "the host does not read note.txt"
sim_run --hda "$img" "$probe" >"$dir/out" 2>&1
grep -q "^ataprobe: 0 failed" "$dir/out" || fail "ataprobe"
grep "^ok ATA" "$dir/out"
sim_run "$probe" >"$dir/out" 2>&1
grep -q "ata: no disk on the primary channel (no drive)" "$dir/out" || fail "no message without a disk"
sim_run --hda "$dir/none.img" "$probe" >"$dir/out" 2>&1
[ $? -eq 66 ] && grep -q "disk image .*none.img: No such file" "$dir/out" || fail "a missing image is not refused"
echo "ata_disk: ok"
