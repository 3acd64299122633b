#!/usr/bin/env bash
# Builds the chacm-idl fuzzer with clang/libFuzzer (ASan + UBSan) and runs it
# over tests/idl/corpus.  Usage: tests/idl/fuzz-idl.sh [SECONDS] [--merge]
# --merge minimizes the corpus in place afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
out=${FUZZ_BUILD:-$root/build-fuzz}
mkdir -p "$out"
src=$root/ipc/idlc
clang -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_GNU_SOURCE -I"$src" $(pkg-config --cflags glib-2.0) \
  "$src"/{ctx,lex,scope,parse,parse_type,parse_method,check,check_param,gen_common,gen_msg,gen_client,gen_server,gen_doc,fuzz}.c \
  $(pkg-config --libs glib-2.0) -o "$out/idl-fuzz"
work=$out/corpus
mkdir -p "$work"
cp -n "$root"/tests/idl/corpus/* "$work"/ 2>/dev/null || true
cd "$out"    # libFuzzer writes fuzz-0.log into the working directory
"$out/idl-fuzz" -jobs=1 -workers=1 -max_total_time="$secs" -max_len=4096 -timeout=10 \
  -dict="$root/tests/idl/fuzz/idl.dict" -artifact_prefix="$out/" "$work" "$root/ipc/idl"
if [ "${2:-}" = "--merge" ]; then
  rm -rf "$out/min" && mkdir -p "$out/min"
  "$out/idl-fuzz" -merge=1 -use_counters=0 -max_len=4096 "$out/min" "$work"   # edges only: a small corpus
  rm -f "$root"/tests/idl/corpus/*
  cp "$out"/min/* "$root/tests/idl/corpus/"
fi
