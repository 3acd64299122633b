#!/usr/bin/env bash
# The default system's disk, hda.img, keeps what a user writes to it
# across runs and builds: when it does not exist it is a copy of the
# build's fresh disk (CLEAN, made by mkdisk.sh --mbr); when it does, only
# the programs in /bin of its first partition are replaced by the ones
# just built (debugfs), and everything else on it is left as it is.
# Usage: hdimage.sh IMAGE CLEAN [NAME=FILE...]
set -euo pipefail
img=$1 clean=$2
shift 2
PATH=/usr/sbin:/sbin:$PATH
if [ ! -f "$img" ]; then
  cp "$clean" "$img"
  exit 0
fi
# the first partition's start sector, little endian at byte 454 of the MBR
start=$(od -An -tu4 -j454 -N4 "$img" | tr -d ' ')
sig=$(od -An -tx1 -j510 -N2 "$img" | tr -d ' ')
if [ "$sig" != 55aa ] || [ -z "$start" ] || [ "$start" -eq 0 ]; then
  echo "hdimage: $img has no partition table; left as it is (remove it to get a fresh disk)" >&2
  exit 0
fi
fs="$img?offset=$((start * 512))"
if ! debugfs -R stats "$fs" >/dev/null 2>&1; then
  echo "hdimage: $img: no ext2 in its first partition; left as it is (remove it to get a fresh disk)" >&2
  exit 0
fi
cmds=$(mktemp)
trap 'rm -f "$cmds"' EXIT
echo "mkdir /bin" >"$cmds"
for p in "$@"; do
  printf 'rm /bin/%s\nwrite %s /bin/%s\n' "${p%%=*}" "${p#*=}" "${p%%=*}" >>"$cmds"
done
debugfs -w -f "$cmds" "$fs" >/dev/null 2>&1 || { echo "hdimage: debugfs could not update /bin of $img" >&2; exit 1; }
touch "$img"
