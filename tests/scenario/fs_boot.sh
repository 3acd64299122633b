#!/usr/bin/env bash
# scenario.fs_boot: the default system's disk path end to end.  ChacmOS boots
# as boot/default.lst does (ramdisk over the data module, filesvr's boot
# mount disk=/dev/ramdisk) with a copy of the boot disk saved at the end
# (save=); fsboot_probe reads /etc/motd through the name space, writes
# probe.txt, syncs and unmounts.  On the host, debugfs reads probe.txt from
# the saved image and e2fsck -fn finds it clean; the module's own file is
# untouched.  Usage: fs_boot.sh CHACMSIM DISK_IMAGE
# CHACM_GOLDEN_RUNNER: a command to run the simulator under (memcheck).
set -euo pipefail
sim=$1 disk=$2
PATH=/usr/sbin:/sbin:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
cp "$disk" "$tmp/in.img"
cp "$disk" "$tmp/orig.img"
cat > "$tmp/boot.lst" <<LST
title fs_boot
kernel chacmsim memory=128M
module sigma0
module booter
module memsvr
module namesvr
module console
module ramdisk /dev/ram0
module filesvr disk=/dev/ramdisk
module fsboot_probe
module $tmp/in.img save=$tmp/out.img
LST
status=0
read -ra runner <<<"${CHACM_GOLDEN_RUNNER:-}"
"${runner[@]}" "$sim" --timeout 600 "$tmp/boot.lst" > "$tmp/log" 2>&1 || status=$?
grep -q "filesvr: /dev/ramdisk mounted on disk" "$tmp/log" || { echo "FAIL: no boot mount"; fail=1; }
grep -q "fsboot_probe: motd: Welcome to ChacmOS" "$tmp/log" || { echo "FAIL: motd not read"; fail=1; }
grep -q "fsboot_probe: done" "$tmp/log" || { echo "FAIL: fsboot_probe did not finish"; fail=1; }
[ $status -eq 0 ] || { echo "FAIL: the run ended with status $status"; fail=1; }
[ "$(debugfs -R 'cat /probe.txt' "$tmp/out.img" 2>/dev/null)" = "written by fsboot_probe through ramdisk" ] ||
  { echo "FAIL: probe.txt not in the saved image"; fail=1; }
e2fsck -fn "$tmp/out.img" > "$tmp/fsck" 2>&1 || { echo "FAIL: e2fsck -fn"; cat "$tmp/fsck"; fail=1; }
cmp -s "$tmp/in.img" "$tmp/orig.img" || { echo "FAIL: the module's own file changed"; fail=1; }
[ $fail -eq 0 ] && echo "fs boot ok" || cat "$tmp/log"
exit $fail
