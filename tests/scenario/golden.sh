#!/usr/bin/env bash
# Runs a boot list with scripted input and compares the transcript (stdout
# and stderr, then the exit status; control bytes shown as `cat -v` shows
# them) with a golden file.  The host addresses of instructions in the
# kernel's and memsvr's fault reports (`ip 0x7f...`) read `ip IP`, the virtual time of a
# deadlock report `T`.
# Usage: golden.sh CHACMSIM BOOTLIST INPUT GOLDEN [chacmsim options...]
# INPUT is text whose backslash escapes (\n, \r, \x03, \\) are expanded as
# printf %b does.  With CHACM_UPDATE_GOLDEN=1 the transcript is written to
# GOLDEN instead (review it before committing).  With CHACM_GOLDEN_HDA=IMAGE
# the run's ATA disk is IMAGE as a snapshot (--hda IMAGE --snapshot), so
# runs neither change IMAGE nor see each other's files.
set -uo pipefail
sim=$1 lst=$2 in=$3 golden=$4
shift 4
out=$(mktemp)
trap 'rm -f "$out" "$out.v"' EXIT
if [ -n "${CHACM_GOLDEN_HDA:-}" ]; then
  set -- --hda "$CHACM_GOLDEN_HDA" --snapshot "$@"
fi
text=$(cat "$in"; printf x)
text=${text%x}
# CHACM_GOLDEN_RUNNER: a command the simulator runs under (the memcheck
# variants: valgrind and its options), split at blanks
read -ra runner <<<"${CHACM_GOLDEN_RUNNER:-}"
printf '%b' "$text" | "${runner[@]}" "$sim" --timeout 60 "$@" "$lst" >"$out" 2>&1
echo "[exit $?]" >>"$out"
# host code addresses in kernel and memsvr reports differ from run to run; the virtual
# time of a deadlock report changes with any cost in the kernel
sed -E -e '/^(kernel|memsvr): /s/ip 0x[0-9a-f]+/ip IP/g' \
    -e 's/^(chacmsim: threads at virtual time) [0-9]+ us/\1 T us/' "$out" | cat -v >"$out.v"
if [ "${CHACM_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$out.v" "$golden"
  echo "golden: wrote $golden"
  exit 0
fi
if ! diff -u "$golden" "$out.v"; then
  echo "golden: the transcript of $(basename "$in") differs from $(basename "$golden")"
  exit 1
fi
