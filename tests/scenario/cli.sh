#!/usr/bin/env bash
# Bad command lines and boot lists get a clear message and a distinct exit
# status; the ends of a run (deadlock, time limits) are reported likewise;
# and the rough edges a first user meets (help, sizes, module files, the
# build's output, test selection) stay smooth.
# Usage: cli.sh CHACMSIM SOURCE_DIR BUILD_DIR
set -u
sim=$1 src=$2 build=$3
# the options' own defaults, also in scripts/test's second run (isolation off)
unset CHACM_ISOLATION
mods=$build/modules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
report() {  # report OK WHAT OUTPUT
  if [ "$1" -eq 1 ]; then
    echo "ok: $2"
  else
    echo "FAIL: $2, output:"; echo "$3" | head -8
    failures=$((failures + 1))
  fi
}
expect() {  # expect STATUS PATTERN ARGS...: chacmsim ARGS exits STATUS, output matches PATTERN
  local want=$1 pat=$2; shift 2
  local out status
  out=$("$sim" "$@" 2>&1); status=$?
  [ "$status" -eq "$want" ] && grep -qE -- "$pat" <<<"$out"
  report $((! $?)) "chacmsim $* -> $status (want $want)" "$out"
}
lst() {  # lst NAME LINE...: writes a boot list $tmp/NAME.lst
  local name=$1; shift
  printf '%s\n' "$@" >"$tmp/$name.lst"
}
lst missing 'module hello' 'module no_such_program'
lst bogus 'kernel chacmsim' 'bogus line'
printf 'data\n' >"$tmp/data.bin"
lst dataroot "module $tmp/data.bin"
expect 64 "Unknown option" --no-such-option
expect 64 "window-size must be a power of two" --window-size 3 --root hello
expect 64 "cpu 4096" --cpu 4096 --root hello
expect 64 "preempt must be on, off or auto, not 'sometimes'" --preempt=sometimes --root hello
expect 64 "isolation must be on, strict, off or auto, not 'maybe'" --isolation=maybe --root hello
CHACM_NO_PKU=1 expect 64 "isolation=on: this host has no memory protection keys" --isolation=on --root hello
CHACM_NO_PKU=1 expect 64 "isolation=strict: this host has no memory protection keys" --isolation=strict --root hello
CHACM_NO_PKU=1 expect 0 "isolation: off .this host has no memory protection keys" --stats --root hello
expect 0 "isolation: off .--isolation=off" --isolation=off --stats --root hello
CHACM_ISOLATION=off expect 0 "isolation: off .--isolation=off or CHACM_ISOLATION=off" --stats --root hello
CHACM_ISOLATION=maybe expect 64 "CHACM_ISOLATION must be on, strict, off or auto, not 'maybe'" --root hello
CHACM_ISOLATION=maybe expect 0 "isolation: off" --isolation=off --stats --root hello
if grep -qw ospke /proc/cpuinfo; then
  expect 0 "isolation: on, 12 protection keys" --isolation=on --stats --root hello
  expect 0 "isolation: strict, 12 protection keys" --isolation=strict --stats --root hello
fi
expect 64 "not both" --root hello "$tmp/missing.lst"
expect 65 "No such file" "$tmp/absent.lst"
expect 65 "bogus.lst:2: unknown keyword 'bogus'" "$tmp/bogus.lst"
expect 65 "root task .* must be a program module" "$tmp/dataroot.lst"
expect 0 "hello: thread 22.1" --root hello
expect 0 "booter: started namesvr"
expect 0 "chacmOS:/ > "
expect 3 "deadlock: every thread is blocked" --root idle_probe
expect 124 "real-time limit of 1 s" --hold --timeout 1 --root idle_probe
# the report at the real-time limit reads the clock of the running thread,
# not the one of the last handoff (1 s of SystemClock calls is far more than
# 1000 kernel entries of 1 us)
expect 124 "threads at virtual time [0-9]{4,} us" --timeout 1 --root busy_kernel
expect 2 "virtual time limit of 1 ms" --max-time 1 --root det_mix
expect 4 "root task's main thread stopped: unhandled read page fault at 0x8" --root crash_root

# A truncated or foreign module file is refused before it is loaded.
head -c 3000 "$mods/hello.so" >"$tmp/hello_cut.so"
expect 66 "hello_cut.so: .*past the end of the file" -m "$tmp" --root hello_cut
cp "$mods/hello.so" "$tmp/hello_i386.so"
printf '\003' | dd of="$tmp/hello_i386.so" bs=1 seek=18 conv=notrunc status=none   # e_machine = EM_386
expect 66 "hello_i386.so: an ELF file for another machine" -m "$tmp" --root hello_i386
cp "$mods/hello.so" "$tmp/hello_rel.so"
printf '\001' | dd of="$tmp/hello_rel.so" bs=1 seek=16 conv=notrunc status=none    # e_type = ET_REL
expect 66 "hello_rel.so: not a program module" -m "$tmp" --root hello_rel
cp "$tmp/data.bin" "$tmp/not_elf.so"
expect 66 "not_elf.so: not an ELF file" -m "$tmp" --root not_elf
# Programs get their command line: lib_cmdline(), argc and argv.
expect 0 "args_root: argc 3: \[args_root\] \[one\] \[two\]; cmdline 'args_root one two'" --root "args_root one two"
# A boot list with only sigma0 has no root task.
expect 65 "no root task" --root sigma0
lst onlysigma0 'kernel chacmsim' 'module sigma0'
expect 65 "onlysigma0.lst: no root task" "$tmp/onlysigma0.lst"
# An unknown test ID is an error, not "0 passed".
expect 64 "proto_ipc: no test NOSUCH" --root "proto_ipc NOSUCH"
# Sizes: every bad value named, with the boot list's file and line.
for v in 512K 1023K 0 99999999999999999999G 8T banana 12MB; do
  lst mem 'title sizes' "kernel chacmsim memory=$v" 'module hello'
  expect 65 "mem.lst:2: memory=$v" "$tmp/mem.lst"
done
lst mem 'kernel chacmsim memory=64M' 'module sigma0' 'module hello'
expect 0 "hello: wrote 42" "$tmp/mem.lst"
lst spc 'kernel chacmsim spaces=1x' 'module hello'
expect 65 "spc.lst:1: spaces=1x: a count is a number" "$tmp/spc.lst"
expect 64 "--memory" --memory 0 --root hello
expect 64 "--memory" --memory 5000 --root hello
# The kernel line names this kernel and only options it knows.
lst notus 'kernel notchacmsim' 'module hello'
expect 65 "notus.lst:1: kernel 'notchacmsim'" "$tmp/notus.lst"
lst kopt 'kernel chacmsim fast=yes' 'module hello'
expect 65 "kopt.lst:1: unknown kernel option 'fast=yes'" "$tmp/kopt.lst"
# Zero and negative values are refused, not taken as "no limit" or "any".
for o in --max-time=0 --timeout=0 --max-time=-5 --cpu=-1 --spin=-1 --seed=-1 --timeslice=0; do
  expect 64 "${o%%=*}" "$o" --root hello
done
# Module errors name the boot list; an empty --root is named as such.
expect 66 "missing.lst:2: module 'no_such_program' is neither" "$tmp/missing.lst"
expect 64 "--root needs a program module" --root ''
expect 64 "--root needs a program module" --root '  '
# -m adds to the module path: the default modules are still found.
expect 0 "hello: thread 22.1" -m "$tmp" --root hello
# --help: no "[OPTION?]", no line over 100 columns, -m explained; --version.
out=$("$sim" --help 2>&1); status=$?
[ $status -eq 0 ] && ! grep -qF '[OPTION?]' <<<"$out" && awk 'length > 100 { exit 1 }' <<<"$out" &&
  grep -q -- '--version' <<<"$out" && grep -q 'before the default' <<<"$out"
report $((! $?)) "chacmsim --help: usage line, width, --version, -m" "$out"
expect 0 "^chacmsim [0-9]+\.[0-9]+" --version
# Valgrind without the option chacmsim needs gets a hint.
if command -v valgrind >/dev/null; then
  out=$(valgrind --quiet "$sim" --root hello 2>&1)
  grep -q 'px-default=allregs-at-mem-access.*scripts/valgrind' <<<"$out"
  report $((! $?)) "chacmsim under plain valgrind prints the hint" "$out"
  out=$(valgrind --quiet --px-default=allregs-at-mem-access "$sim" --root hello 2>&1)
  ! grep -q 'px-default' <<<"$out" && grep -q 'hello: thread 22.1' <<<"$out"
  report $((! $?)) "chacmsim under valgrind with the option prints no hint" "$out"
  # Valgrind has no protection keys (its CPUID hides PKU, pkey_alloc
  # fails, RDPKRU and WRPKRU are illegal instructions): isolation is off
  # there, and asking for it is an error (docs/kernel.md, "Valgrind").
  vg="valgrind --quiet --px-default=allregs-at-mem-access"
  out=$($vg "$sim" --stats --root hello 2>&1)
  grep -q 'isolation: off (under Valgrind' <<<"$out" && grep -q 'hello: thread 22.1' <<<"$out"
  report $((! $?)) "chacmsim under valgrind runs without protection keys and says so" "$out"
  out=$($vg "$sim" --isolation=on --root hello 2>&1)
  [ $? -eq 64 ] && grep -q 'isolation=on: under Valgrind' <<<"$out"
  report $((! $?)) "chacmsim --isolation=on under valgrind -> 64" "$out"
  out=$("$src/scripts/valgrind" --error-exitcode=99 -- "$sim" --hda "$build/boot/hda-clean.img" --snapshot "$src/boot/default.lst" 2>&1)
  [ $? -eq 0 ] && ! grep -q 'px-default' <<<"$out" && grep -q 'chacmOS:/ > ' <<<"$out"
  report $((! $?)) "scripts/valgrind boots the default system under memcheck" "$out"
fi

# The build is quiet: nothing but errors (and a progress line on a terminal).
out=$("$src/scripts/build" "$build" 2>&1)
[ -z "$out" ]
report $((! $?)) "scripts/build on a built tree prints nothing" "$out"
# A new servers/NAME/ directory is found without touching servers/CMakeLists.txt.
grep -q 'servers/\*' "$build/CMakeFiles/VerifyGlobs.cmake" 2>/dev/null
report $((! $?)) "the servers/ glob is re-checked at build time (CONFIGURE_DEPENDS)" ""
# The README's test selection works: -R IPC runs IPC cases, -R IPC0003 one case.
out=$(cd "$build" && ctest -N -R IPC 2>&1)
n=$(grep -c 'Test *#' <<<"$out")
[ "$n" -gt 1 ]
report $((! $?)) "ctest -R IPC selects $n tests" "$out"
out=$(cd "$build" && ctest -N -R 'IPC0003$' 2>&1)
[ "$(grep -c 'Test *#' <<<"$out")" -eq 1 ]
report $((! $?)) "ctest -R IPC0003 selects one case" "$out"
# Every CTest label is explained in the README.
labels=$(cd "$build" && ctest --print-labels 2>/dev/null | sed -n 's/^  //p')
missing=""
for l in $labels; do grep -q "\`$l\`" "$src/README.md" || missing="$missing $l"; done
[ -n "$labels" ] && [ -z "$missing" ]
report $((! $?)) "README names every label (missing:$missing)" "$labels"
# scripts/bench prints ratios with three significant digits.
mkdir -p "$tmp/bench/tests/bench"
printf '#!/bin/sh\necho "bench futex_rt 700 us"\n' >"$tmp/bench/tests/bench/bench_baseline"
printf '#!/bin/sh\necho "bench ipc_rt_8 1.5 us"\n' >"$tmp/bench/tests/bench/bench_fake"
chmod +x "$tmp/bench/tests/bench/"*
out=$("$src/scripts/bench" --no-build "$tmp/bench" 2>&1)
grep -q '^ratio ipc_rt_vs_futex 0.00214$' <<<"$out"
report $((! $?)) "scripts/bench: ratio with three significant digits" "$out"

echo "$failures failed"
[ "$failures" -eq 0 ]
