#!/usr/bin/env bash
# Checks scripts/mkboot-ia32: the GRUB configuration it makes from the
# default boot list (kickstart, kernel, then the list's modules in order),
# clear errors for bad boot lists, and, where grub-mkrescue is installed,
# an ISO from stand-in kickstart and kernel files.
# Usage: mkboot_check.sh SOURCE_DIR IA32_PROGRAMS_DIR WORK_DIR DATA_DIR
# (DATA_DIR: where the build put disk.img, the default list's data module)
set -u
src=$1 programs=$2 work=$3 data=$4
mk=$src/scripts/mkboot-ia32
bad=0
fail() { echo "FAIL $1"; bad=$((bad + 1)); }
rm -rf "$work" && mkdir -p "$work"

"$mk" -o "$work/out" --programs "$programs" --data "$data" "$src/boot/default.lst" > "$work/log" 2>&1 ||
  fail "MKBOOT0001 default.lst: exit $? ($(cat "$work/log"))"
cfg=$work/out/grub.cfg
want="multiboot --quirk-modules-after-kernel /boot/chacmos/kickstart decode-all=on
module /boot/chacmos/ia32-kernel ia32-kernel
module /boot/chacmos/sigma0 sigma0
module /boot/chacmos/booter booter
module /boot/chacmos/memsvr memsvr
module /boot/chacmos/namesvr namesvr
module /boot/chacmos/console console line=com1
module /boot/chacmos/timer timer
module /boot/chacmos/serial serial
module /boot/chacmos/ata ata
module /boot/chacmos/filesvr filesvr disk=/dev/hda1
module /boot/chacmos/shell shell"
got=$(grep -E '^ *(multiboot|module) ' "$cfg" 2>/dev/null | sed 's/^ *//')
[ "$got" = "$want" ] || fail "MKBOOT0002 grub.cfg entries: got '$got'"
objcopy --strip-debug "$programs/booter" "$work/booter.stripped" 2>/dev/null
cmp -s "$work/booter.stripped" "$work/out/iso/boot/chacmos/booter" ||
  fail "MKBOOT0003 booter (without debug information) not in the ISO tree"
# the QEMU disk is the build's hda.img with the ia32 programs in /bin
img="$work/out/hda.img?offset=1048576"
magic=$(PATH=/usr/sbin:/sbin:$PATH debugfs -R "cat /bin/hello" "$img" 2>/dev/null | head -c 5 | od -An -c | tr -d ' ')
[ "$magic" = '177ELF001' ] || fail "MKBOOT0005 /bin/hello of the ATA disk hda.img is not an ELF32 file ('$magic')"
grep -q "ATA disk with the ia32 programs: hello" "$work/log" || fail "MKBOOT0006 no note of the ia32 ATA disk"
# a boot list with the disk as a data module: the ISO's disk.img gets them
printf 'title d\nkernel chacmsim\nmodule sigma0\nmodule booter\nmodule memsvr\nmodule namesvr\nmodule ramdisk /dev/ram0\nmodule filesvr disk=/dev/ramdisk\nmodule shell\nmodule disk.img\n' >"$work/data.lst"
"$mk" -o "$work/dout" --programs "$programs" --data "$data" "$work/data.lst" > "$work/dlog" 2>&1 ||
  fail "MKBOOT0007 a data-module list: exit $? ($(cat "$work/dlog"))"
magic=$(PATH=/usr/sbin:/sbin:$PATH debugfs -R "cat /bin/hello" "$work/dout/iso/boot/chacmos/disk.img" 2>/dev/null | head -c 5 | od -An -c | tr -d ' ')
[ "$magic" = '177ELF001' ] || fail "MKBOOT0008 /bin/hello of the ISO's disk.img is not an ELF32 file ('$magic')"
grep -q "no ISO" "$work/log" || fail "MKBOOT0004 no note that the ISO needs Pistachio"

expect_error() {    # id status pattern boot-list-text
  printf '%b' "$4" > "$work/bad.lst"
  "$mk" -o "$work/bad" --programs "$programs" "$work/bad.lst" > "$work/err" 2>&1
  st=$?
  [ "$st" -eq "$2" ] && grep -q "$3" "$work/err" || fail "$1: exit $st, '$(cat "$work/err")'"
}
expect_error MKBOOT0010 65 "module 'nosuch'" 'kernel chacmsim\nmodule sigma0\nmodule nosuch\n'
expect_error MKBOOT0011 65 "no 'kernel' line" 'module sigma0\n'
expect_error MKBOOT0012 65 "unknown keyword 'modul'" 'kernel chacmsim\nmodul sigma0\n'
expect_error MKBOOT0013 65 "give --sigma0" 'kernel chacmsim\nmodule hello\n'
expect_error MKBOOT0014 65 "no 'module' line" 'kernel chacmsim\n'
expect_error MKBOOT0015 65 "above the 48 MiB" 'kernel chacmsim memory=48M\nmodule sigma0\nmodule booter\nmodule shell\n'

if command -v grub-mkrescue >/dev/null && command -v xorriso >/dev/null; then
  printf 'stand-in' > "$work/kickstart"; printf 'stand-in' > "$work/ia32-kernel"
  "$mk" -o "$work/iso" --programs "$programs" --kickstart "$work/kickstart" --kernel "$work/ia32-kernel" \
    "$src/boot/default.lst" > "$work/isolog" 2>&1 || fail "MKBOOT0020 ISO: $(cat "$work/isolog")"
  [ -s "$work/iso/chacmos.iso" ] || fail "MKBOOT0021 no ISO written"
  grep -q "qemu-system-i386 -m 256 -cdrom $work/iso/chacmos.iso -boot d -drive file=$work/iso/hda.img,format=raw,if=ide,index=0,media=disk -serial stdio -display none -no-reboot -machine pc,i8042=off" "$work/isolog" ||
    fail "MKBOOT0022 qemu command: $(cat "$work/isolog")"
else
  echo "grub-mkrescue or xorriso missing: the ISO cases (MKBOOT0020..) were not run"
fi
echo "mkboot checks: $bad failed"
[ "$bad" -eq 0 ]
