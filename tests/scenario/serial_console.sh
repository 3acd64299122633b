#!/usr/bin/env bash
# The default system headless from a file or pipe (scenario.serial_console):
# the shell is on the serial console, COM1, which the simulator connects
# to the run's standard input and output.  Checks: commands typed on
# stdin run and print; --stats counts every input byte received on COM1
# and the shell's output sent on it, and the far end hanging up at the
# end of the input; `chacmsim </dev/null | cat` (and the same with
# CI=true) boots, the shell sees the end of its input at once and the run
# ends with status 0; an input larger than the serial driver's buffer (4
# KiB) arrives whole (RTS flow control); a writer that waits 7 s before
# it types finds the shell answering (the console waits for the line in
# its own receive, so the booter's heartbeat never finds it hung, and the
# virtual clock does not race ahead meanwhile); with --serial none (nothing
# connected to COM1) the shell is on the kernel debugger's console as
# before, and COM1 carries nothing.
# Usage: serial_console.sh CHACMSIM BOOTLIST IMAGE
set -uo pipefail
sim=$1 lst=$2 hda=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "serial_console: FAIL: $*"; [ -f "$dir/out" ] && sed 's/^/  | /' "$dir/out"; exit 1; }
run() { "$sim" --timeout 60 --stats --hda "$hda" --snapshot "$@" "$lst"; }
com1() { sed -nE 's/^devices: com1 ([0-9]+) bytes sent, ([0-9]+) received(.*)$/\1 \2 \3/p' "$dir/out"; }

# 1. commands on stdin, output on stdout, both through COM1
printf 'echo on the serial line\nls /dev\nexit\n' >"$dir/in"
run <"$dir/in" >"$dir/out" 2>&1
status=$?
[ $status -eq 0 ] || fail "run 1 ended with status $status"
grep -q '^on the serial line$' "$dir/out" || fail "run 1: the echo's output is missing"
grep -q '^chacmOS:/ > ls /dev$' "$dir/out" || fail "run 1: the command line is not echoed"
grep -q 'com1' "$dir/out" || fail "run 1: ls /dev shows no com1"
read -r sent received rest <<<"$(com1)"
[ -n "${received:-}" ] || fail "run 1: --stats shows no COM1 line"
[ "$received" -eq "$(wc -c <"$dir/in")" ] || fail "run 1: COM1 received $received bytes, the input has $(wc -c <"$dir/in")"
[ "$sent" -ge 200 ] || fail "run 1: COM1 sent only $sent bytes (the shell's output is not on it)"
[ "$rest" = ", the far end hung up" ] || fail "run 1: no hangup at the end of the input"
echo "serial_console: commands through COM1: ok ($sent bytes sent, $received received)"

# 2. no input at all: the shell ends at once, the run ends with status 0
for env in "" "CI=true"; do
  env $env timeout 60 "$sim" --timeout 60 --stats --hda "$hda" --snapshot "$lst" </dev/null 2>&1 | cat >"$dir/out"
  status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || fail "</dev/null ${env:+($env) }ended with status $status"
  grep -q '^chacmOS:/ > $' "$dir/out" || fail "</dev/null ${env:+($env) }shows no prompt"
  grep -q '^booter: shell ended with status 0; halting$' "$dir/out" || fail "</dev/null: the shell did not end"
  read -r sent received rest <<<"$(com1)"
  [ "${received:-x}" = 0 ] && [ "$rest" = ", the far end hung up" ] || fail "</dev/null: COM1 line: $(com1)"
done
echo "serial_console: </dev/null | cat, also with CI=true: ok"

# 3. more than the driver's 4 KiB buffer: nothing is lost
for i in $(seq 1 500); do echo "echo line $i of 500"; done >"$dir/in"
echo exit >>"$dir/in"
run <"$dir/in" >"$dir/out" 2>&1 || fail "the long input's run failed"
[ "$(grep -c '^line [0-9]* of 500$' "$dir/out")" -eq 500 ] || fail "the long input: $(grep -c '^line [0-9]* of 500$' "$dir/out") of 500 lines ran"
read -r sent received rest <<<"$(com1)"
[ "$received" -eq "$(wc -c <"$dir/in")" ] || fail "the long input: COM1 received $received of $(wc -c <"$dir/in") bytes"
echo "serial_console: $(wc -c <"$dir/in") bytes of input: ok"

# 4. a slow writer: nothing for 7 s, then a command
(sleep 7; printf 'uptime\necho after the wait\n') | run >"$dir/out" 2>&1 || fail "the slow writer's run failed"
grep -q '^after the wait$' "$dir/out" || fail "the slow writer: the command after the wait did not run"
grep -q 'died\|restart' "$dir/out" && fail "the slow writer: a server was restarted meanwhile"
virt=$(sed -nE 's/^uptime: ([0-9.]+) s of virtual time.*/\1/p' "$dir/out")
awk -v v="${virt:-99}" 'BEGIN { exit !(v < 5) }' || fail "the slow writer: the virtual clock ran to ${virt:-?} s meanwhile"
echo "serial_console: a writer 7 s late: ok (virtual time at its command: $virt s)"

# 5. nothing connected to COM1: the kernel debugger's console, as before
printf 'echo on the kernel debugger\nexit\n' | run --serial none >"$dir/out" 2>&1 || fail "--serial none failed"
grep -q '^on the kernel debugger$' "$dir/out" || fail "--serial none: the shell does not answer"
read -r sent received rest <<<"$(com1)"
[ "${received:-x}" = 0 ] && [ -z "$rest" ] || fail "--serial none: COM1 line: $(com1)"
echo "serial_console: --serial none: the kernel debugger's console: ok"
echo "serial_console: ok"
