#!/usr/bin/env python3
"""The kernel monitor over its Unix socket (docs/debugging.md): entered by
L4_KDB_Enter (also the shell's kd) and by breakpoints (a thread's death,
an IPC matching a filter, a page fault at an address), its commands
(threads, spaces, space, frame, mem, regions, trace, trace on and off,
waits, break, breaks, delete, step, continue) and clear errors for bad
ones.
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
    def __init__(self, args, stdin=None):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "kdb.sock")
        self.out = open(os.path.join(self.dir, "out.txt"), "w+")
        self.proc = subprocess.Popen([sim, "--timeout", "90", "--preempt=off", "--monitor", self.path] + args,
                                     stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        if stdin is not None:
            self.proc.stdin.write(stdin.encode())
            self.proc.stdin.close()
        for _ in range(200):
            if os.path.exists(self.path):
                break
            time.sleep(0.05)
        for _ in range(200):    # the path exists a moment before the simulator listens
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(self.path)
                break
            except ConnectionRefusedError:
                self.sock.close()
                time.sleep(0.05)
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

# 3. ChacmOS: the shell's kd enters the monitor; memsvr's regions of the
# shell, and of sh_prog stopped (an IPC breakpoint) as it sends task::exit
# after making six one-page regions, every other one read-only
boot = os.path.join(src, "..", "..", "boot", "default.lst")
m = Monitor(["--break", "ipc task=sh_prog label=0x10a", boot], stdin="kd\nsh_prog regions 6\necho $?\n")
b = m.reply()
check("entered (L4_KDB_Enter: shell: kd)" in b, "the shell's kd enters the monitor: " + b)
r = m.cmd("regions shell")
rows = re.findall(r"^  +0x[0-9a-f]+ +0x[0-9a-f]+ +\d+K +[r-][w-][x-] +[r-][w-][x-] +(?:share|copy|none) ", r, re.M)
count = re.search(r"^(\d+) regions$", r, re.M)
# (the shell keeps everything in its program image: memsvr holds no region of it)
check(r.startswith("regions of shell at memsvr (task slot ") and count and int(count.group(1)) == len(rows),
      "regions lists the shell's regions and counts them:\n" + r)
check("no space 'nosuchtask'" in m.cmd("regions nosuchtask"), "regions of a bad name says so")
check("memsvr keeps no task for memsvr" in m.cmd("regions memsvr"), "memsvr, paged by sigma0, has no regions")
check("unknown command or missing argument" in m.cmd("regions"), "regions without a task is refused")
check("regions TASK" in m.cmd("help"), "help lists regions")
m.cmd("continue")
b = m.reply()
check("breakpoint 1 'ipc task=sh_prog label=0x10a'" in b and "[task.exit]" in b,
      "the breakpoint stops sh_prog's task::exit: " + b)
r = m.cmd("regions sh_prog")
ro = re.findall(r"^ +0x[0-9a-f]+ +0x[0-9a-f]+ +4K +r-- ", r, re.M)
rw = re.findall(r"^ +0x[0-9a-f]+ +0x[0-9a-f]+ +4K +rw- ", r, re.M)
check(len(ro) == 3 and len(rw) == 3 and "\n6 regions" in r and "6 pages charged" in r,
      "sh_prog's six one-page regions, every other read-only:\n" + r)
m.cmd("delete 1")
m.cmd("continue")
st = m.end()
check(st == 0 and "shell: " not in m.output().split("sh_prog regions 6", 1)[-1].split("echo", 1)[0],
      "the shell's run ends normally (status %s):\n%s" % (st, m.output()[-1500:]))

# 4. a fault breakpoint (at the address of a page fault that a traced run
# of the same list shows) and tracing switched on and off from the monitor
mapl = os.path.join(src, "..", "proto", "map.lst")
r = subprocess.run([sim, "--timeout", "90", "--preempt=off", "--trace=pf", "--trace-log=-", mapl],
                   stdin=subprocess.DEVNULL, capture_output=True, text=True)
pf = re.search(r" pf +(proto_map\.\d+) at (0x[0-9a-f]+) .* to sigma0", r.stdout + r.stderr)
check(pf, "a traced run of map.lst shows a page fault of proto_map to sigma0")
if pf:
    m = Monitor(["--break", "fault " + pf.group(2), mapl])
    b = m.reply()
    check("breakpoint 1 'fault %s'" % pf.group(2) in b and pf.group(1) in b,
          "the fault breakpoint stops at %s's fault on %s: %s" % (pf.group(1), pf.group(2), b))
    check(" ipc " not in m.cmd("trace 5"), "without --trace nothing is recorded")
    check("unknown trace kind 'bogus'" in m.cmd("trace on bogus"), "trace on with a bad kind is refused")
    check("trace on" in m.cmd("trace on ipc"), "trace on starts recording")
    m.cmd("delete 1")
    check("breakpoint 2" in m.cmd("break death"), "break death adds a breakpoint")
    m.cmd("continue")
    b = m.reply()
    check("'death'" in b, "the death breakpoint stops later: " + b)
    t = m.cmd("trace 5")
    lines = [l for l in t.splitlines() if l.strip()]
    check(lines and all(" ipc " in l for l in lines) and re.search(r" ipc +proto_map\.\d+ -> ", t),
          "since trace on, proto_map's IPCs are recorded, and only IPCs:\n" + t)
    check("trace off" in m.cmd("trace off"), "trace off stops recording")
    last = lines[-1].split()[0] if lines else ""
    m.cmd("continue")
    b = m.reply()
    t = m.cmd("trace 1")
    check("'death'" in b and last and t.split()[0] == last,
          "after trace off nothing more is recorded (last record %s, now %s)" % (last, t.split()[:1]))
    m.cmd("delete 2")
    m.cmd("continue")
    st = m.end()
    check(st == 0, "the map run with a fault breakpoint ends normally (status %s)" % st)

print("monitor: %d checks failed" % len(failures))
sys.exit(1 if failures else 0)
