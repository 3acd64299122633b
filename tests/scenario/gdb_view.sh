#!/usr/bin/env bash
# gdb sees the simulator as a kernel debugger would: each L4 thread is a host
# thread named task.thread, and a backtrace from inside a system call runs
# through the kernel entry into the program's own frames.
# Usage: gdb_view.sh CHACMSIM
set -u
out=$(timeout 120 gdb -batch -nx -ex "set pagination off" -ex "break kern_sys_kdb_print_string" \
      -ex run -ex bt -ex "info threads" --args "$1" --root hello 2>&1)
fail() { echo "gdb_view: $1"; echo "$out" | tail -30; exit 1; }
if grep -q "ptrace: Operation not permitted" <<<"$out"; then
  echo "gdb_view: skipped: this environment forbids ptrace (a container without CAP_SYS_PTRACE)"
  exit 77
fi
grep -q 'Thread [0-9]* "hello.34" hit Breakpoint' <<<"$out" || fail "the L4 thread is not named hello.34"
grep -q 'in __L4_hosted_KDB_PrintString ()' <<<"$out" || fail "no kernel entry frame in the backtrace"
grep -qE 'in main \(\) at .*servers/hello/main.c' <<<"$out" || fail "the backtrace does not reach the program's main"
grep -qE 'in _start \(\) at .*crt0.S' <<<"$out" || fail "the backtrace does not reach _start"
echo "gdb_view: thread names and backtraces across the kernel entry are right"
