#!/usr/bin/env bash
# fuzz.sanitize: a short fuzzing campaign on a simulator built with ASan and
# UBSan (CHACM_SANITIZE=ON).  That build is a tree of its own, BUILD/sanitize,
# configured once, with only the simulator, sigma0 and the fuzzer built;
# modules are never sanitized, so the campaign tests the kernel.
# Usage: sanitize.sh SOURCE_DIR BUILD_DIR [fuzz-kernel options]
set -euo pipefail
src=$1 dir=$2/sanitize
shift 2
log=$dir.log
if [ ! -f "$dir/build.ninja" ]; then
  if ! cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHACM_SANITIZE=ON \
       -DCHACM_IA32=OFF -DCHACM_VALGRIND_TESTS=OFF >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$dir/build.ninja"
    echo "fuzz.sanitize: configure failed" >&2
    exit 1
  fi
fi
# The host tools (the IDL compiler) run during the build: their leaks at
# exit are not what this test is about.
if ! ASAN_OPTIONS=detect_leaks=0 ninja -C "$dir" chacmsim sigma0 fuzz_kernel >"$log" 2>&1; then
  cat "$log" >&2
  echo "fuzz.sanitize: build failed" >&2
  exit 1
fi
# A report ends the run (UBSan too) with a status of its own.
export ASAN_OPTIONS=exitcode=86:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:exitcode=86:print_stacktrace=1
exec "$src/scripts/fuzz-kernel" --sim "$dir/sim/chacmsim" "$@"
