#!/usr/bin/env bash
# Makes docs/img/trace-viewer.png: the --trace-json export of `cat
# /disk/README` in the default system, opened in the Trace Viewer that
# chrome://tracing is made of (catapult's tracing/, as a standalone page by
# its tracing/bin/trace2html), rendered by headless Chromium.  The page
# shows the window from the shell's file.open to its console.write of the
# text, with the IPC flow arrows on; the trace is cut to that window and to
# the tasks the command talks to (shell, filesvr, ata, console), as the
# SVG picture of make-timeline.sh is.
#   docs/img/make-trace-viewer.sh CATAPULT [CHACMSIM]
# CATAPULT: a checkout of https://github.com/catapult-project/catapult
# (only its tracing/, common/ and third_party/ are used); chromium and
# python3 must be installed.  Nothing of this runs in the test suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
catapult=${1:?usage: make-trace-viewer.sh CATAPULT [CHACMSIM]}
sim=${2:-$root/build/sim/chacmsim}
out="$root/docs/img/trace-viewer.png"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hda="$(dirname "$sim")/../boot/hda-clean.img"    # the build's clean disk
printf 'cat /disk/README\n' | "$sim" --preempt=off --timeout 60 --hda "$hda" --snapshot \
  --trace-json="$tmp/full.json" "$root/boot/default.lst" >/dev/null
# the window and the tasks; flows whose ends both stay
read -r t0 t1 < <(python3 - "$tmp/full.json" "$tmp/s.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
ev = doc["traceEvents"]
procs = {e["pid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
shell = next(p for p, n in procs.items() if n == "shell")
calls = [e for e in ev if e["ph"] == "X" and e.get("cat") == "call" and e["pid"] == shell]
op = next(i for i, e in enumerate(calls) if e["name"] == "call file.open")
end = next(e for e in calls[op:] if e["name"] == "call console.write")
t0, t1 = calls[op]["ts"] - 2, end["ts"] + end["dur"] + 2
keep = {p for p, n in procs.items() if n in ("shell", "filesvr", "ata", "console")}
def inside(e):
    return e["ph"] == "M" or t0 <= e["ts"] <= t1 or (e["ph"] == "X" and e["ts"] < t1 and e["ts"] + e["dur"] > t0)
ev = [e for e in ev if e["pid"] in keep and inside(e)]
ends = {}
for e in ev:
    if e["ph"] in "sf":
        ends.setdefault(e["id"], set()).add(e["ph"])
ev = [e for e in ev if e["ph"] not in "sf" or ends[e["id"]] == {"s", "f"}]
json.dump({"traceEvents": ev, "displayTimeUnit": "ns"}, open(sys.argv[2], "w"))
print(t0, t1)
PY
)
python3 "$catapult/tracing/bin/trace2html" "$tmp/s.json" --output "$tmp/s.html" --quiet \
  --title "cat /disk/README in ChacmOS (virtual time)"
# Headless Chromium renders the page once the import is done: the page's
# own import (a task chain with a progress dialog) is made synchronous,
# then the view is set to the window with the IPC arrows shown, and
# filesvr's file.read slice is selected (its arguments below the tracks).
python3 - "$tmp/s.html" "$t0" "$t1" <<'PY'
import sys
path, t0, t1 = sys.argv[1], float(sys.argv[2]) / 1000, float(sys.argv[3]) / 1000
html = open(path, encoding="utf-8").read()
old = "const p = i.importTracesWithProgressDialog(traces);"
assert html.count(old) == 1, "trace2html's page has changed"
html = html.replace(old, "i.importTraces(traces); const p = Promise.resolve();")
old = "g_timelineViewEl.viewTitle = document.title;"
assert html.count(old) == 1, "trace2html's page has changed"
html = html.replace(old, old + """
        g_timelineViewEl.selectedFlowEvents.add('ipc');
        setTimeout(function() {
          const tv = g_timelineViewEl.trackView_;
          const dt = new tr.ui.TimelineDisplayTransform();
          dt.set(tv.viewport.currentDisplayTransform);
          dt.xSetWorldBounds(%r, %r, tv.modelTrackContainer_.canvas.width);
          tv.viewport.setDisplayTransformImmediately(dt);
          const read = m.getAllThreads().map(t => t.sliceGroup.slices).flat()
              .find(s => s.title === 'file.read');
          if (read)
            g_timelineViewEl.brushingStateController.changeSelectionFromTimeline(
                new tr.model.EventSet([read]));
        }, 100);""" % (t0, t1))
open(path, "w", encoding="utf-8").write(html)
PY
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=1600,600 \
  --enable-logging=stderr --run-all-compositor-stages-before-draw --virtual-time-budget=30000 \
  --screenshot="$out" "file://$tmp/s.html" >"$tmp/chromium.log" 2>&1
grep -F 'CONSOLE' "$tmp/chromium.log" >&2 || true     # the page's errors, if any
echo "$out: virtual time $t0-$t1 us"
