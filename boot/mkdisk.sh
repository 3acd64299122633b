#!/usr/bin/env bash
# Makes the boot disk: an ext2 image (1 KiB blocks) of SIZE with the files of
# SRC and the given program files in /bin.  The result does not depend on the
# time of the build (fixed UUID, hash seed and times).
# Usage: mkdisk.sh OUT SRC SIZE [NAME=FILE...]
set -euo pipefail
out=$1 src=$2 size=$3
shift 3
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$src"/. "$stage"/
mkdir -p "$stage/bin"
for p in "$@"; do cp "${p#*=}" "$stage/bin/${p%%=*}"; done
find "$stage" -exec touch -h -d @1700000000 {} +
export E2FSPROGS_FAKE_TIME=1700000000
PATH=/usr/sbin:/sbin:$PATH
rm -f "$out"
mke2fs -q -F -t ext2 -b 1024 -N 512 -L chacmos -U 4348434d-4f53-4469-736b-000000000001 \
       -E hash_seed=4348434d-4f53-4469-736b-000000000002 -d "$stage" "$out" "$size"
