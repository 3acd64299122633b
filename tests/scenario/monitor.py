#!/usr/bin/env python3
"""The kernel monitor over its Unix socket (docs/debugging.md): entered by
L4_KDB_Enter and by breakpoints (a thread's death, an IPC matching a
filter), its commands (threads, spaces, space, frame, mem, trace, waits,
breaks, step, continue) and clear errors for bad ones.
Usage: monitor.py CHACMSIM"""
import os, re, socket, subprocess, sys, tempfile, time

sim = sys.argv[1]
src = os.path.dirname(os.path.abspath(__file__))
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)

class Monitor:
    def __init__(self, args):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "kdb.sock")
        self.out = open(os.path.join(self.dir, "out.txt"), "w+")
        self.proc = subprocess.Popen([sim, "--timeout", "90", "--preempt=off", "--monitor", self.path] + args,
                                     stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(self.path):
                break
            time.sleep(0.05)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)
        self.sock.settimeout(60)
        self.buf = b""

    def reply(self):
        while b"\n.\n" not in self.buf and not self.buf.startswith(b".\n"):
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("monitor closed the socket")
            self.buf += data
        if self.buf.startswith(b".\n"):
            text, self.buf = b"", self.buf[2:]
        else:
            text, self.buf = self.buf.split(b"\n.\n", 1)
        return text.decode()

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self.reply()

    def output(self):
        self.out.seek(0)
        return self.out.read()

    def end(self):
        self.sock.close()
        status = self.proc.wait(timeout=60)
        return status

# 1. kdb_probe: L4_KDB_Enter, a death breakpoint, step, the commands
m = Monitor(["--trace=all", "--break", "death", "--root", "kdb_probe"])
banner = m.reply()
check("entered (L4_KDB_Enter: kdb_probe first)" in banner, "banner names the KDB entry: " + banner)
t = m.cmd("threads")
check(re.search(r"kdb_probe\.34 .* ready .*\(current\)", t), "threads shows the current main thread:\n" + t)
check(re.search(r"kdb_probe\.35 .* sending +send to kdb_probe\.34", t), "threads shows what the helper waits for:\n" + t)
check("prio" in t and "pager" in t, "threads has priority and pager columns")
sp = m.cmd("spaces")
check(re.search(r"^0 +kdb_probe ", sp, re.M), "spaces lists the task:\n" + sp)
check("pages mapped" in m.cmd("space kdb_probe"), "space TASK lists its pages")
check("no space" in m.cmd("space nosuchtask"), "space with a bad name says so")
addr = re.search(r"marker at (0x[0-9a-f]+)", m.output())
check(addr, "the probe printed its marker's address")
if addr:
    mem = m.cmd("mem kdb_probe %s 32" % addr.group(1))
    check("kdb-probe-marker" in mem, "mem shows the marker:\n" + mem)
check("not mapped" in m.cmd("mem kdb_probe 0x10 16"), "mem of an unmapped address says so")
check("usage: mem" in m.cmd("mem"), "mem without arguments gives its usage")
tr = m.cmd("trace 5 kind=ipc")
check(re.search(r"ipc +kdb_probe\.34 -> kdb_probe\.35 label 0x1234", tr), "trace shows the filtered IPC:\n" + tr)
check(all(" ipc " in l for l in tr.splitlines()), "trace kind=ipc shows only IPCs:\n" + tr)
check("unknown filter part" in m.cmd("trace colour=blue"), "a bad filter is refused")
check("wait-for graph" in m.cmd("waits"), "waits prints the wait-for graph")
fr = m.cmd("frame 0x1000")
check("frame 0x1000:" in fr and "sigma0" in fr, "frame shows the tree's root:\n" + fr)
check("no such frame" in m.cmd("frame 0xffffffffff000"), "frame past physical memory says so")
check("unknown command" in m.cmd("bogus"), "an unknown command is named")
check("1: death" in m.cmd("breaks"), "breaks lists the --break condition")
check("threads" in m.cmd("help"), "help lists the commands")
check("continuing" in m.cmd("continue"), "continue leaves the monitor")
b = m.reply()
check("breakpoint 1 'death'" in b and "kdb_probe.35 stopped" in b, "the death breakpoint is hit: " + b)
check("stepping" in m.cmd("step"), "step leaves for one event")
s = m.reply()
check("entered (step: " in s, "step stops at the next event: " + s)
check("deleted breakpoint 1" in m.cmd("delete 1"), "delete removes a breakpoint")
check("no breakpoint 7" in m.cmd("delete 7"), "delete of a missing breakpoint says so")
m.cmd("continue")
b = m.reply()
check("kdb_probe second" in b, "the second KDB entry enters again: " + b)
m.cmd("continue")
st = m.end()
check(st == 0 and "kdb_probe: done" in m.output(), "the run ends normally (status %s)" % st)

# 2. mappings with sigma0: an IPC breakpoint on a filter, then a space's
# pages and a frame's mapping tree
m = Monitor(["--break", "ipc task=proto_map label=0xffe2", os.path.join(src, "..", "proto", "map.lst")])
b = m.reply()
check("breakpoint 1 'ipc task=proto_map label=0xffe2'" in b and "[pagefault]" in b,
      "the IPC breakpoint stops at a page fault of proto_map: " + b)
check("breakpoint 2" in m.cmd("break death"), "break adds a breakpoint")
m.cmd("delete 1")
m.cmd("continue")
b = m.reply()
check("'death'" in b, "the death breakpoint stops later: " + b)
pages = m.cmd("space proto_map")
page = re.search(r"frame +(0x[0-9a-f]+) +[r-][w-][x-].* from sigma0", pages)
check(page, "proto_map holds pages from sigma0:\n" + pages[:2000])
if page:
    tree = m.cmd("frame " + page.group(1))
    check(re.search(r"^  sigma0 .*\n    proto_map 0x", tree, re.M), "the frame's tree: sigma0, then proto_map:\n" + tree)
m.cmd("delete 2")
m.cmd("continue")
st = m.end()
check(st == 0, "the map run ends normally (status %s)" % st)

print("monitor: %d checks failed" % len(failures))
sys.exit(1 if failures else 0)
