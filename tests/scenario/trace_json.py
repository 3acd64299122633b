#!/usr/bin/env python3
"""The Chrome trace-event export (--trace-json, docs/debugging.md) of a
ChacmOS boot with the tester: valid JSON that a JSON parser loads, one
process per task and one thread per L4 thread (named), every IPC a flow
arrow from the sender's track to the receiver's, page faults and server
calls as slices named through the IDL (interface.method).
Usage: trace_json.py CHACMSIM BOOTLIST"""
import collections, json, os, subprocess, sys, tempfile

sim, bootlist = sys.argv[1], sys.argv[2]
d = tempfile.mkdtemp()
path = os.path.join(d, "trace.json")
r = subprocess.run([sim, "--timeout", "120", "--preempt=off", "--trace-json", path, bootlist],
                   stdin=subprocess.DEVNULL, capture_output=True, text=True)
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)

check(r.returncode == 0, "the run ends with status 0, not %d:\n%s" % (r.returncode, r.stderr[-2000:]))
with open(path) as f:
    doc = json.load(f)                      # raises on invalid JSON
events = doc["traceEvents"]
procs = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
for task in ("sigma0", "booter", "memsvr", "namesvr", "console", "filesvr", "tester"):
    check(task in procs.values(), "a process (track group) for task %s: %s" % (task, sorted(procs.values())))
for (pid, tid), name in threads.items():
    check(name.startswith(procs.get(pid, "?") + ".") and name.endswith(".%d" % tid),
          "thread %s sits in its task's process (pid %d: %s) with its thread number" % (name, pid, procs.get(pid)))
# every event is on a named track, with a time
for e in events:
    if e["ph"] != "M":
        check((e["pid"], e["tid"]) in threads, "event on an unnamed track: %s" % e)
        check(isinstance(e["ts"], (int, float)) and e["ts"] >= 0, "event without a time: %s" % e)
# flows: each id starts once and finishes once, on different tracks
starts = {e["id"]: e for e in events if e["ph"] == "s"}
ends = {e["id"]: e for e in events if e["ph"] == "f"}
check(len(starts) > 50, "IPC flow arrows: %d" % len(starts))
check(set(starts) == set(ends), "every flow arrow that starts also ends")
cross = [i for i in starts if i in ends and starts[i]["pid"] != ends[i]["pid"]]
check(len(cross) > 20, "arrows between tasks: %d" % len(cross))
tester_to_server = [i for i in cross if procs[starts[i]["pid"]] == "tester"]
check(tester_to_server, "arrows from the tester to a server")
# slices named through the IDL
server = collections.Counter(e["name"] for e in events if e.get("cat") == "server")
for name in ("generic.implements", "vm_task.task_start", "console.write", "directory.resolve", "pagefault"):
    check(server[name] > 0, "a server-side slice %s (have: %s)" % (name, server.most_common(12)))
check(all(not n.startswith("label ") for n in server if n != "pagefault"),
      "server slices are named, not numbered: %s" % [n for n in server if n.startswith("label ")])
calls = [e for e in events if e.get("cat") == "call" and e["name"] == "call console.write"]
check(calls and all(procs[e["pid"]] != "console" for e in calls), "client-side call slices of console.write")
faults = [e for e in events if e.get("cat") == "pagefault"]
check(faults and all(e["name"].startswith("pagefault 0x") and "address" in e["args"] for e in faults),
      "page-fault slices with their address")
check(all(e["dur"] >= 0 for e in events if e["ph"] == "X"), "slices have a duration")
print("trace_json: %d events, %d tasks, %d threads, %d arrows; %d checks failed" %
      (len(events), len(procs), len(threads), len(starts), len(failures)))
sys.exit(1 if failures else 0)
