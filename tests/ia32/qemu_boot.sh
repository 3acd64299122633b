#!/usr/bin/env bash
# Boots the default ChacmOS system on L4Ka::Pistachio in QEMU and checks the
# serial line: the booter starts every server, the shell prompts, and
# commands typed on the serial line (the console reads the kernel
# debugger's input) run, including /bin/hello from the boot disk.  Not
# part of scripts/test (it needs a Pistachio build and QEMU; see
# docs/cross-build.md); exit status 77 when Pistachio is not built or QEMU
# is missing.
# Usage: tests/ia32/qemu_boot.sh [PISTACHIO_BUILD_DIR]   (/work/pistachio-build
#        or $CHACM_PISTACHIO; it holds kernel/x86-kernel and user/...)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
pb=${1:-${CHACM_PISTACHIO:-$root/../pistachio-build}}
kick=$pb/user/util/kickstart/kickstart kernel=$pb/kernel/x86-kernel
if [ ! -f "$kick" ] || [ ! -f "$kernel" ]; then
  echo "qemu_boot: no Pistachio build in $pb (kernel/x86-kernel, user/util/kickstart/kickstart): skipped"
  exit 77
fi
command -v qemu-system-i386 >/dev/null || { echo "qemu_boot: qemu-system-i386 missing (scripts/deps --boot-ia32): skipped"; exit 77; }
out=$root/build/boot-ia32
"$root/scripts/mkboot-ia32" -o "$out" --kickstart "$kick" --kernel "$kernel" "$root/boot/default.lst" >/dev/null ||
  { echo "FAIL QEMU0001 mkboot-ia32"; exit 1; }
log=$out/serial.log fifo=$out/serial.in
rm -f "$fifo" "$log" && mkfifo "$fifo"
nice -n 10 qemu-system-i386 -m 128 -cdrom "$out/chacmos.iso" -serial stdio -display none -no-reboot \
  < "$fifo" > "$log" 2>&1 &
qemu=$!
exec 3> "$fifo"
# Wait for the prompt (up to 3 min on a loaded machine), then type one
# command after another, each once the last prompt is back: the console
# polls the kernel debugger's serial input.
prompts() { grep -o 'chacmOS:/ >' "$log" | wc -l; }
wait_prompts() {  # n: until n prompts were printed (or 3 min)
  for _ in $(seq 360); do [ "$(prompts)" -ge "$1" ] && return 0; sleep 0.5; done
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
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
rm -f "$fifo"
clean=$(tr -d '\r' < "$log" | sed 's/\x1b\[[0-9;]*[a-zA-Z]//g')
bad=0
expect() {  # id text
  grep -qF -- "$2" <<<"$clean" || { echo "FAIL $1: no '$2' on the serial line"; bad=$((bad + 1)); }
}
expect QEMU0002 "L4Ka::Pistachio"
for s in memsvr namesvr console ramdisk filesvr shell; do expect QEMU0003 "booter: started $s"; done
expect QEMU0004 "filesvr: /dev/ramdisk mounted on disk"
expect QEMU0005 "chacmOS:/ >"
expect QEMU0006 "7 file(s)"
expect QEMU0007 "Welcome to ChacmOS"
expect QEMU0008 "hello: thread "
grep -q "failed to start\|not loaded\|stopped by a fault" <<<"$clean" && { echo "FAIL QEMU0009: a program failed"; bad=$((bad + 1)); }
sed -n '/Launching kernel/,$p' <<<"$clean"
echo "qemu boot checks: $bad failed (serial line in $log)"
[ "$bad" -eq 0 ]
