#!/usr/bin/env bash
# Boots the default ChacmOS system (the PC: timer, serial and ata drivers,
# filesvr on the ATA disk's /dev/hda1) on L4Ka::Pistachio in QEMU three
# times and checks what it does:
#  1. the console on the serial line (QEMU0001-QEMU0009, QEMU0016-QEMU0018):
#     a machine without a keyboard controller (-machine pc,i8042=off), so
#     console 1 is the serial line COM1 through the serial driver
#     (console line=com1), QEMU's stdio, where the kernel debugger writes
#     too; the booter starts every server, ata finds QEMU's IDE disk and
#     filesvr mounts its ext2 partition, the shell prompts, and commands
#     typed on the serial line run, /bin/hello from the disk among them; a
#     file written under /disk is on the disk image after halt, which
#     e2fsck finds clean;
#  2. the same on the same disk image again: the file is there (QEMU0019);
#  3. the console on the PC's screen and keyboard (QEMU0010-QEMU0015):
#     QEMU's VGA and i8042, keys typed through the QEMU monitor (sendkey),
#     the text screen read from physical 0xB8000 (xp): the console maps
#     the VGA text memory from sigma0, drives the CRTC and the i8042
#     through their ports (on a kernel without I/O fpages every thread may
#     use them; with I/O fpages sigma0 maps them) and reads the keys on
#     IRQ 1, which the booter gives it.
# No boot may enter the kernel debugger (QEMU0009).  Not part of scripts/test (it
# needs a Pistachio build and QEMU; see docs/cross-build.md); exit status
# 77 when Pistachio is not built or QEMU is missing.
# Usage: tests/ia32/qemu_boot.sh [PISTACHIO_BUILD_DIR]   (../pistachio-build
#        or $CHACM_PISTACHIO; it holds kernel/x86-kernel and user/...)
#        QEMU_BOOT_WAIT: seconds to wait for each prompt (180)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
pb=${1:-${CHACM_PISTACHIO:-$root/../pistachio-build}}
kick=$pb/user/util/kickstart/kickstart kernel=$pb/kernel/x86-kernel
wait_s=${QEMU_BOOT_WAIT:-180}
if [ ! -f "$kick" ] || [ ! -f "$kernel" ]; then
  echo "qemu_boot: no Pistachio build in $pb (kernel/x86-kernel, user/util/kickstart/kickstart): skipped"
  exit 77
fi
command -v qemu-system-i386 >/dev/null || { echo "qemu_boot: qemu-system-i386 missing (scripts/deps --boot-ia32): skipped"; exit 77; }
out=$root/build/boot-ia32
mkdir -p "$out"
"$root/scripts/mkboot-ia32" -o "$out" --kickstart "$kick" --kernel "$kernel" "$root/boot/default.lst" > "$out/mkboot.txt" ||
  { echo "FAIL QEMU0001 mkboot-ia32"; exit 1; }
if grep -qs '^#define CONFIG_X86_IO_FLEXPAGES 1' "$pb/kernel/config/config.h"; then
  echo "qemu_boot: $kernel has I/O flexpages: sigma0 maps the drivers' ports"
else
  echo "qemu_boot: $kernel has no I/O flexpages: every thread may use every port (IOPL 3)"
fi
bad=0
qemu=
trap '[ -n "$qemu" ] && kill "$qemu" 2>/dev/null' EXIT
expect() {  # id text file
  grep -qF -- "$2" "$3" || { echo "FAIL $1: no '$2' in $(basename "$3")"; bad=$((bad + 1)); }
}
clean() { tr -d '\r' < "$1" | sed 's/\x1b\[[0-9;]*[a-zA-Z]//g'; }
stop_qemu() { kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null; qemu=; }
no_debugger() {  # file: the kernel debugger was not entered, no program failed
  grep -q "KD# " "$1" && { echo "FAIL QEMU0009: the kernel debugger was entered: $(grep -m1 'KD# ' "$1")"; bad=$((bad + 1)); }
  grep -q "failed to start\|not loaded\|stopped by a fault" "$1" && { echo "FAIL QEMU0009: a program failed"; bad=$((bad + 1)); }
}

# ---- 1. and 2. the serial line ----
PATH=$PATH:/usr/sbin:/sbin
img=$out/hda.img fs="$out/hda.img?offset=1048576"     # the partition starts at 1 MiB (boot/mkdisk.sh --mbr)
qemu_pc() {  # QEMU's PC with the ISO and the ATA disk; more options follow
  exec nice -n 10 qemu-system-i386 -m "$mem" -cdrom "$out/chacmos.iso" -boot d \
    -drive file="$img",format=raw,if=ide,index=0,media=disk -serial "$@"
}
mem=$(sed -n 's/.*qemu-system-i386 -m \([0-9]*\) .*/\1/p' "$out/mkboot.txt" | head -1)
# serial_boot NAME COMMAND...: boots with the console on the serial line,
# types each command after a prompt; the transcript in NAME.txt.  After a
# `halt` it waits until the disk is clean (the booter had it written back).
serial_boot() {
  local name=$1 log=$out/$1.log fifo=$out/$1.in n=1 c=
  shift
  rm -f "$fifo" "$log" && mkfifo "$fifo"
  qemu_pc stdio -display none -no-reboot -machine pc,i8042=off \
    < "$fifo" > "$log" 2> "$out/$name-qemu.log" &
  qemu=$!
  exec 3> "$fifo"
  if wait_prompts "$log" 1; then
    for c in "$@"; do
      printf '%s\r' "$c" >&3
      n=$((n + 1))
      [ "$c" = halt ] && break
      wait_prompts "$log" "$n" || break
    done
  fi
  if [ "$c" = halt ]; then
    for _ in $(seq "$wait_s"); do
      grep -q "halt: the system stops" "$log" && disk_clean && break
      sleep 1
    done
  fi
  exec 3>&-
  stop_qemu
  rm -f "$fifo"
  clean "$log" > "$out/$name.txt"
}
# Wait for each prompt, then type the next command: the console polls the
# kernel debugger's serial input.
prompts() { grep -o 'chacmOS:/ >' "$1" | wc -l; }
wait_prompts() {  # log n: until n prompts were printed (or QEMU_BOOT_WAIT s)
  for _ in $(seq $((wait_s * 2))); do [ "$(prompts "$1")" -ge "$2" ] && return 0; sleep 0.5; done
  return 1
}
disk_clean() { e2fsck -fn "$fs" >/dev/null 2>&1 && debugfs -R stats "$fs" 2>/dev/null | grep -q '^Filesystem state: *clean$'; }
# what a command printed: the lines after its prompt up to the next prompt
output_of() {  # command file
  awk -v c="chacmOS:/ > $1" 'index($0, "chacmOS:/ >") == 1 { on = ($0 == c); next } on' "$2"
}
token="kept by qemu_boot $$ $(date +%s)"
serial_boot serial 'ls /dev' 'cat /disk/etc/motd' 'hello' 'ls /bin' "echo $token > /disk/qemu_kept.txt" \
  'cat /disk/qemu_kept.txt' 'halt'
t=$out/serial.txt
expect QEMU0002 "L4Ka::Pistachio" "$t"
for s in memsvr namesvr console timer serial ata filesvr shell; do expect QEMU0003 "booter: started $s" "$t"; done
expect QEMU0004 "ata: hda: QEMU HARDDISK" "$t"
expect QEMU0004 "filesvr: /dev/hda1 mounted on disk" "$t"
grep -q "mounted read-only" "$t" && { echo "FAIL QEMU0004: the disk was mounted read-only"; bad=$((bad + 1)); }
expect QEMU0005 "chacmOS:/ >" "$t"
for d in hda hda1 com1 timer; do
  output_of 'ls /dev' "$t" | tr -s ' ' '\n' | grep -qx "$d" || { echo "FAIL QEMU0006: ls /dev does not list $d"; bad=$((bad + 1)); }
done
output_of 'cat /disk/etc/motd' "$t" | grep -q "Welcome to ChacmOS" || { echo "FAIL QEMU0007: cat /disk/etc/motd"; bad=$((bad + 1)); }
expect QEMU0008 "hello: thread " "$t"
output_of 'ls /bin' "$t" | grep -q "hello" || { echo "FAIL QEMU0008: ls /bin does not list hello"; bad=$((bad + 1)); }
output_of 'cat /disk/qemu_kept.txt' "$t" | grep -qxF "$token" || { echo "FAIL QEMU0016: the file just written does not read back"; bad=$((bad + 1)); }
expect QEMU0017 "halt: the system stops" "$t"
disk_clean || { echo "FAIL QEMU0017: the disk is not clean for e2fsck after halt"; bad=$((bad + 1)); }
[ "$(debugfs -R 'cat qemu_kept.txt' "$fs" 2>/dev/null)" = "$token" ] ||
  { echo "FAIL QEMU0018: the host does not read qemu_kept.txt from the disk image"; bad=$((bad + 1)); }
no_debugger "$t"
echo "--- the serial line (console on the kernel debugger's line):"
sed -n '/Launching kernel/,$p' "$t"

serial_boot serial2 'cat /disk/qemu_kept.txt'
t=$out/serial2.txt
expect QEMU0019 "filesvr: /dev/hda1 mounted on disk" "$t"
output_of 'cat /disk/qemu_kept.txt' "$t" | grep -qxF "$token" ||
  { echo "FAIL QEMU0019: the file written in the first boot is not there in the second"; bad=$((bad + 1)); }
grep -q "mounted read-only" "$t" && { echo "FAIL QEMU0019: the disk was not clean in the second boot"; bad=$((bad + 1)); }
no_debugger "$t"
echo "--- the second boot, same disk:"
sed -n '/booter: started shell/,$p' "$t"

# ---- 3. the screen and the keyboard ----
log2=$out/screen-serial.log mon=$out/monitor
rm -f "$log2" "$mon.in" "$mon.out" "$mon.log" && mkfifo "$mon.in" "$mon.out"
qemu_pc "file:$log2" -display none -no-reboot \
  -monitor "pipe:$mon" > "$out/screen-qemu.log" 2>&1 &
qemu=$!
exec 4> "$mon.in"
cat "$mon.out" > "$mon.log" &
reader=$!
# The text screen: the low bytes of the 80x25 cells at 0xB8000, a line each.
screen() {
  local at
  at=$(stat -c %s "$mon.log" 2>/dev/null || echo 0)
  echo "xp /2000hx 0xb8000" >&4
  sleep 2
  tail -c +$((at + 1)) "$mon.log" | tr -d '\r' | grep -E '^[0-9a-f]+: ' | awk '
    function hex(c) { return index("0123456789abcdef", c) - 1 }
    { for (i = 2; i <= NF; i++) {
        v = hex(substr($i, 5, 1)) * 16 + hex(substr($i, 6, 1))
        line = line ((v >= 32 && v < 127) ? sprintf("%c", v) : " ")
        if (++n % 80 == 0) { sub(/ +$/, "", line); print line; line = "" } } }'
}
wait_screen() {  # text count: until the screen shows text count times (or QEMU_BOOT_WAIT s)
  for _ in $(seq $((wait_s / 3))); do
    [ "$(screen | grep -cF -- "$1")" -ge "$2" ] && return 0
    sleep 1
  done
  return 1
}
type_keys() {  # text: each character as a key press, then Enter
  local s=$1 c k i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      ' ') k=spc ;; /) k=slash ;; .) k=dot ;; -) k=minus ;;
      *) k=$c ;;
    esac
    echo "sendkey $k" >&4
    sleep 0.2
  done
  echo "sendkey ret" >&4
}
n=1
if wait_screen 'chacmOS:/ >' 1; then
  for c in 'ls /dev' 'cat /disk/etc/motd' 'hello'; do
    type_keys "$c"
    n=$((n + 1))
    wait_screen 'chacmOS:/ >' "$n" || break
  done
fi
screen > "$out/screen.txt"
exec 4>&-
stop_qemu
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
rm -f "$mon.in" "$mon.out"
clean "$log2" > "$out/screen-serial.txt"
expect QEMU0010 "booter: started shell" "$out/screen-serial.txt"
expect QEMU0011 "chacmOS:/ > ls /dev" "$out/screen.txt"
expect QEMU0012 "hda1" "$out/screen.txt"
expect QEMU0013 "Welcome to ChacmOS" "$out/screen.txt"
# hello prints without attaching to the console: its line is the kernel
# debugger's (the serial line) unless it does
cat "$out/screen.txt" "$out/screen-serial.txt" | grep -q "hello: thread " ||
  { echo "FAIL QEMU0015: hello typed on the keyboard did not run"; bad=$((bad + 1)); }
grep -q "ChacmOS shell" "$out/screen-serial.txt" &&
  { echo "FAIL QEMU0014: the shell also wrote to the serial line: the console did not take the keyboard"; bad=$((bad + 1)); }
no_debugger "$out/screen-serial.txt"
echo "--- the serial line (console on the screen):"
sed -n '/Launching kernel/,$p' "$out/screen-serial.txt"
echo "--- the screen:"
sed '/^$/d' "$out/screen.txt"
echo "qemu boot checks: $bad failed (in $out: serial.txt, serial2.txt, screen-serial.txt, screen.txt)"
[ "$bad" -eq 0 ]
