#!/usr/bin/env bash
# scripts/gdb-run: page faults do not stop gdb, a breakpoint in a module's
# source set before the run triggers once the module's task is booted, and
# a backtrace there ends cleanly at the program's _start.
# Usage: gdb_module.sh SOURCE_DIR CHACMSIM
set -u
src=$1 sim=$2
line=$(grep -n 'printf("hello: wrote' "$src/servers/hello/main.c" | cut -d: -f1)
out=$(timeout 120 "$src/scripts/gdb-run" -batch -ex "break hello/main.c:$line" -ex run -ex bt \
      -ex continue -- "$sim" "$src/tests/scenario/hello.lst" 2>&1)
fail() { echo "gdb_module: $1"; echo "$out" | tail -30; exit 1; }
if grep -q "ptrace: Operation not permitted" <<<"$out"; then
  echo "gdb_module: skipped: this environment forbids ptrace"
  exit 77
fi
grep -q "SIGSEGV" <<<"$out" && fail "gdb stopped at or reported a page fault"
grep -qE "hit Breakpoint 1, main \(\) at .*servers/hello/main.c:$line" <<<"$out" ||
  fail "the pending breakpoint in the module did not trigger"
last=$(grep -E '^#[0-9]+ ' <<<"$out" | tail -1)
grep -qE '^#[0-9]+ +(0x[0-9a-f]+ in )?_start \(\) at .*crt0.S' <<<"$last" ||
  fail "the backtrace does not end at _start (last frame: $last)"
grep -q "Backtrace stopped" <<<"$out" && fail "the unwinder stopped with a complaint"
grep -q "exited normally" <<<"$out" || fail "the run did not end normally after the breakpoint"
echo "gdb_module: breakpoint in a module hit, page faults silent, backtrace ends at _start"
