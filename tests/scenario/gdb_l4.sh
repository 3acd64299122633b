#!/usr/bin/env bash
# scripts/gdb/chacmsim.py in gdb's batch mode: the pretty printers show a
# program's thread ids, message tags, fpages, map and grant items decoded,
# l4-decode reads the kernel's raw words, and "info l4-threads" lists the
# L4 threads of a run (gdb_l4.c puts them into known states) with gdb's
# thread numbers, states, partners, timeouts and the CPU holder.
# Usage: gdb_l4.sh SOURCE_DIR CHACMSIM
set -u
src=$1 sim=$2
out=$(timeout 120 "$src/scripts/gdb-run" -batch -ex "break kern_sys_kdb_enter" -ex run \
      -ex "print gdb_me" -ex "print gdb_nil" -ex "print gdb_any" -ex "print gdb_anylocal" -ex "print gdb_local" \
      -ex "print gdb_tag" -ex "print gdb_pf_tag" -ex "print gdb_err_tag" \
      -ex "print gdb_fpage" -ex "print gdb_whole" -ex "print gdb_nilpage" -ex "print gdb_io" \
      -ex "print gdb_map" -ex "print gdb_grant" -ex "print 'gdb_l4.c'::tid" \
      -ex "l4-decode tid kern.root_thread->id" -ex "l4-decode tag 0xffffffffffe40000" \
      -ex "l4-decode fpage kern.root_space->utcb_area" -ex "l4-decode item 0x4008 0x1000c2" \
      -ex "info l4-threads" -ex "disable pretty-printer global chacmsim-l4;L4_MsgTag_t" -ex "print gdb_tag" \
      -ex continue -- "$sim" --preempt=off --root gdb_l4 2>&1)
fail() { echo "gdb_l4: $1"; echo "$out" | tail -40; exit 1; }
if grep -q "ptrace: Operation not permitted" <<<"$out"; then
  echo "gdb_l4: skipped: this environment forbids ptrace"
  exit 77
fi
grep -q "Python scripting is not supported" <<<"$out" && { echo "gdb_l4: skipped: this gdb has no Python"; exit 77; }
expect() {
  grep -qE -- "$1" <<<"$out" || fail "missing: $1"
}
expect 'hit Breakpoint 1, kern_sys_kdb_enter'
# pretty printers (gdb numbers the values $1, $2, ...)
expect '^\$1 = 22\.1 \(gdb_l4\.34\)$'
expect '^\$2 = nilthread$'
expect '^\$3 = anythread$'
expect '^\$4 = anylocalthread$'
expect '^\$5 = local 0x[0-9a-f]+00$'
expect '^\$6 = label 0x51, 2 untyped, 4 typed$'
expect '^\$7 = label 0xffffffffffe2 \(page fault, -w-\), 2 untyped, 0 typed$'
expect '^\$8 = label 0x0, 0 untyped, 0 typed, error propagated$'
expect '^\$9 = 0x200000, 2 MiB \(2\^21\), rw-$'
expect '^\$10 = complete address space, rwx$'
expect '^\$11 = nilpage$'
expect '^\$12 = I/O port 0x60, rw-$'
expect '^\$13 = map 0x10000, 4 KiB \(2\^12\), --- at send base 0x40000$'
expect '^\$14 = grant 0x3000, 4 KiB \(2\^12\), --- at send base 0x0$'
expect '^\$15 = \{23\.1 \(gdb_l4\.35\), 24\.1 \(gdb_l4\.36\), 25\.1 \(gdb_l4\.37\), 26\.1 \(gdb_l4\.38\), 27\.1 \(gdb_l4\.39\)\}$'
# l4-decode
expect '^22\.1 \(gdb_l4\.34\)$'
expect '^label 0xffffffffffe4 \(page fault, r--\), 0 untyped, 0 typed$'
expect '^0x[0-9a-f]+, [0-9]+ [KMG]iB \(2\^[0-9]+\), ---$'
expect '^map 0x100000, 4 KiB \(2\^12\), -w- at send base 0x4000$'
# info l4-threads: the holder, and each thread's state
expect '^\*  +[0-9]+  gdb_l4\.34 +22\.1 +100  ready$'
expect '^   +[0-9]+  gdb_l4\.35 +23\.1 +100  receiving from any, pager 22\.1$'
expect '^   +[0-9]+  gdb_l4\.36 +24\.1 +100  sending to 25\.1 \(gdb_l4\.37\), pager 22\.1$'
expect '^   +[0-9]+  gdb_l4\.37 +25\.1 +100  (receiving|waiting)[a-z0-9. ()_]*, timeout at [0-9]+ us, pager 22\.1$'
expect '^   +[0-9]+  gdb_l4\.38 +26\.1 +100  ready, halted, pager 22\.1$'
expect '^   +[0-9]+  gdb_l4\.39 +27\.1 +100  sending to 25\.1 \(gdb_l4\.37\), pager 22\.1$'
# a printer can be switched off: the union again
expect '^\$16 = \{raw = [0-9]+, X = \{u = 2, t = 4'
grep -q "exited normally" <<<"$out" || fail "the run did not end normally"
grep -qiE "Traceback|Python Exception" <<<"$out" && fail "a Python error"
echo "gdb_l4: pretty printers, l4-decode and info l4-threads are right"
