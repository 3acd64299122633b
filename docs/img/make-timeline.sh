#!/usr/bin/env bash
# Makes docs/img/timeline.svg: a trace of `cat /disk/README` in the default
# system, drawn by scripts/trace-timeline from the --trace-json export, the
# window from the shell's path lookup to its file.close.
# Usage: docs/img/make-timeline.sh [CHACMSIM]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=${1:-$root/build/sim/chacmsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'cat /disk/README\n' | "$sim" --preempt=off --timeout 60 --trace-json="$tmp/s.json" \
  "$root/boot/default.lst" >/dev/null
# the shell's calls: from its file.open to its first console.write after
# the file.read (filesvr reads the file's blocks from ramdisk meanwhile)
read -r t0 t1 < <(python3 - "$tmp/s.json" <<'PY'
import json, sys
ev = json.load(open(sys.argv[1]))
ev = ev["traceEvents"] if isinstance(ev, dict) else ev
shell = [p["pid"] for p in ev if p.get("ph") == "M" and p.get("name") == "process_name"
         and p["args"]["name"] == "shell"][0]
calls = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "call" and e["pid"] == shell]
op = next(i for i, e in enumerate(calls) if e["name"] == "call file.open")
end = next(e for e in calls[op:] if e["name"] == "call console.write")
print(calls[op]["ts"] - 1, end["ts"] + end["dur"] + 1)
PY
)
"$root/scripts/trace-timeline" "$tmp/s.json" "$root/docs/img/timeline.svg" --from "$t0" --to "$t1" \
  --tasks shell,filesvr,ramdisk,booter,console --width 1200
echo "docs/img/timeline.svg: virtual time $t0-$t1 us"
