#!/usr/bin/env bash
# Boots the default ChacmOS system on L4Ka::Pistachio in QEMU twice and
# checks what it does:
#  1. the console on the serial line (QEMU0001-QEMU0009): a machine
#     without a keyboard controller (-machine pc,i8042=off), so the console
#     keeps the kernel debugger's line, which is QEMU's stdio; the booter
#     starts every server, the shell prompts, and commands typed on the
#     serial line run, /bin/hello from the boot disk among them;
#  2. the console on the PC's screen and keyboard (QEMU0010-QEMU0015):
#     QEMU's VGA and i8042, keys typed through the QEMU monitor (sendkey),
#     the text screen read from physical 0xB8000 (xp): the console maps
#     the VGA text memory from sigma0, drives the CRTC and the i8042
#     through their ports (on a kernel without I/O fpages every thread may
#     use them; with I/O fpages sigma0 maps them) and reads the keys on
#     IRQ 1, which the booter gives it.
# Neither boot may enter the kernel debugger (QEMU0009).  Not part of
# scripts/test (it needs a Pistachio build and QEMU; see
# docs/cross-build.md); exit status 77 when Pistachio is not built or QEMU
# is missing.
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
"$root/scripts/mkboot-ia32" -o "$out" --kickstart "$kick" --kernel "$kernel" "$root/boot/default.lst" >/dev/null ||
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

# ---- 1. the serial line ----
log=$out/serial.log fifo=$out/serial.in
rm -f "$fifo" "$log" && mkfifo "$fifo"
nice -n 10 qemu-system-i386 -m 256 -cdrom "$out/chacmos.iso" -boot d -drive file="$out/hda.img",format=raw,if=ide,index=0,media=disk \
  -serial stdio -display none -no-reboot -machine pc,i8042=off < "$fifo" > "$log" 2> "$out/serial-qemu.log" &
qemu=$!
exec 3> "$fifo"
# Wait for each prompt, then type the next command: the console polls the
# kernel debugger's serial input.
prompts() { grep -o 'chacmOS:/ >' "$log" | wc -l; }
wait_prompts() {  # n: until n prompts were printed (or QEMU_BOOT_WAIT s)
  for _ in $(seq $((wait_s * 2))); do [ "$(prompts)" -ge "$1" ] && return 0; sleep 0.5; done
  return 1
}
n=1
if wait_prompts 1; then
  for c in 'ls /dev' 'cat /disk/etc/motd' 'hello' 'ls /bin'; do
    printf '%s\r' "$c" >&3
    n=$((n + 1))
    wait_prompts "$n" || break
  done
fi
exec 3>&-
stop_qemu
rm -f "$fifo"
clean "$log" > "$out/serial.txt"
expect QEMU0002 "L4Ka::Pistachio" "$out/serial.txt"
for s in memsvr namesvr console ramdisk filesvr shell; do expect QEMU0003 "booter: started $s" "$out/serial.txt"; done
expect QEMU0004 "filesvr: /dev/ramdisk mounted on disk" "$out/serial.txt"
expect QEMU0005 "chacmOS:/ >" "$out/serial.txt"
expect QEMU0006 "7 file(s)" "$out/serial.txt"
expect QEMU0007 "Welcome to ChacmOS" "$out/serial.txt"
expect QEMU0008 "hello: thread " "$out/serial.txt"
no_debugger "$out/serial.txt"
echo "--- the serial line (console on the kernel debugger's line):"
sed -n '/Launching kernel/,$p' "$out/serial.txt"

# ---- 2. the screen and the keyboard ----
log2=$out/screen-serial.log mon=$out/monitor
rm -f "$log2" "$mon.in" "$mon.out" "$mon.log" && mkfifo "$mon.in" "$mon.out"
nice -n 10 qemu-system-i386 -m 128 -cdrom "$out/chacmos.iso" -serial "file:$log2" -display none -no-reboot \
  -monitor "pipe:$mon" > "$out/screen-qemu.log" 2>&1 &
qemu=$!
exec 4> "$mon.in"
cat "$mon.out" > "$mon.log" &
reader=$!
# The text screen: the low bytes of the 80x25 cells at 0xB8000, a line each.
screen() {
  local at
  at=$(stat -c %s "$mon.log")
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
expect QEMU0012 "7 file(s)" "$out/screen.txt"
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
echo "qemu boot checks: $bad failed (in $out: serial.txt, screen-serial.txt, screen.txt)"
[ "$bad" -eq 0 ]
