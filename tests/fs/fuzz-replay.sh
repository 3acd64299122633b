#!/usr/bin/env bash
# fs.fuzz: unpacks the fuzzer's base images, replays every kept case of the
# corpus, then runs a short seeded campaign.  Usage: fuzz-replay.sh FUZZER CORPUS
set -euo pipefail
fuzzer=$1 corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for b in "$corpus"/base-*.img.gz; do gzip -dc "$b" > "$tmp/$(basename "$b" .gz)"; done
cases=("$corpus"/*.case)
"$fuzzer" "$tmp"/base-*.img --replay "${cases[@]}"
"$fuzzer" "$tmp"/base-*.img --seeds 1 400
