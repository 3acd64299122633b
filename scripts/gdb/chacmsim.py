# gdb support for chacmsim, in gdb's Python API: pretty printers for the
# L4 X.2 types of programs (thread ids, message tags, fpages, map and grant
# items), "l4-decode" for the raw words the hosted kernel keeps, and
# "info l4-threads", which lists the kernel's L4 threads with their state.
# scripts/gdb-run loads it; in a gdb of your own:
#   source scripts/gdb/chacmsim.gdb
#   source scripts/gdb/chacmsim.py
# Field positions come from the debug information (L4_MsgTag_t's X.label,
# ...), so the printers read ia32 programs as well as hosted ones.
import gdb
import gdb.printing

# ---- decoding raw words ----

# Kernel protocol labels (the tag label's top bits, a negative number):
# X.2's and Pistachio's x86 ones.
PROTOCOLS = {
    -1: "interrupt",
    -2: "page fault",
    -3: "preemption",
    -4: "system exception",
    -5: "exception",
    -6: "sigma0 request",
    -8: "I/O fault",
}


def _bits(typ):
    return typ.strip_typedefs().sizeof * 8


def _rights(rwx):
    return ("r" if rwx & 4 else "-") + ("w" if rwx & 2 else "-") + ("x" if rwx & 1 else "-")


def _size(log2):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if log2 >= shift:
            return "%d %s" % (1 << (log2 - shift), unit)
    return "%d B" % (1 << log2)


def decode_tid(raw, bits=64, names=True):
    """A thread id word as the kernel's messages write it: 22.1 (its
    L4 thread's name when the simulator's thread table knows it)."""
    mask = (1 << bits) - 1
    raw &= mask
    if raw == 0:
        return "nilthread"
    if raw == mask:
        return "anythread"
    if raw == mask & ~0x3F:
        return "anylocalthread"
    if raw & 0x3F == 0:
        return "local 0x%x" % raw
    vbits = 32 if bits == 64 else 14
    no, version = raw >> vbits, raw & ((1 << vbits) - 1)
    text = "%x.%x" % (no, version)
    name = _kernel_thread_name(raw, no) if names else None
    return "%s (%s)" % (text, name) if name else text


def decode_tag(raw, bits=64):
    """A message tag (MR0): label, untyped and typed words, flags."""
    label = raw >> 16
    lbits = bits - 16
    u, t, flags = raw & 0x3F, (raw >> 6) & 0x3F, (raw >> 12) & 0xF
    text = "label 0x%x" % label
    top = label >> 4
    if top >= 1 << (lbits - 5):             # negative: a kernel protocol
        proto = PROTOCOLS.get(top - (1 << (lbits - 4)))
        if proto:
            text += " (%s%s)" % (proto, ", " + _rights(label & 7) if proto in ("page fault", "I/O fault") else "")
    text += ", %d untyped, %d typed" % (u, t)
    names = [n for bit, n in ((8, "error"), (4, "xcpu"), (2, "redirected"), (1, "propagated")) if flags & bit]
    if names:
        text += ", " + " ".join(names)
    return text


def decode_fpage(raw, bits=64):
    """An fpage: nil, the complete address space, I/O ports, or a base,
    a size and rights."""
    raw &= (1 << bits) - 1
    rwx, s = raw & 7, (raw >> 4) & 0x3F
    if raw & ~0xF == 0:
        return "nilpage"
    if s == 1 and raw >> 10 == 0:
        return "complete address space, %s" % _rights(rwx)
    if s == 2:                              # Pistachio's x86 I/O fpage
        log2, port = (raw >> 10) & 0x3F, (raw >> 16) & 0xFFFF
        last = port + (1 << log2) - 1
        return "I/O ports 0x%x-0x%x, %s" % (port, last, _rights(rwx)) if log2 else "I/O port 0x%x, %s" % (port, _rights(rwx))
    if s < 10 or s >= bits:
        return "invalid fpage 0x%x (size 2^%d)" % (raw, s)
    base = raw & ~0x3FF & ~((1 << s) - 1)
    return "0x%x, %s (2^%d), %s" % (base, _size(s), s, _rights(rwx))


def decode_item(w0, w1, bits=64):
    """A map or grant item (two words)."""
    kind = {4: "map", 5: "grant"}.get((w0 >> 1) & 7)
    if not kind:
        return "not a map or grant item: 0x%x 0x%x" % (w0, w1)
    text = "%s %s at send base 0x%x" % (kind, decode_fpage(w1, bits), w0 & ~0x3FF & ((1 << bits) - 1))
    return text + (", more items follow" if w0 & 1 else "")


# ---- the simulator's thread table (only in chacmsim itself) ----

def _kern():
    try:
        return gdb.parse_and_eval("kern")
    except gdb.error:
        return None


def _kernel_thread_name(raw, no):
    """The name of the L4 thread raw (number no) in the kernel's table, or
    None (no simulator, no such thread, unreadable)."""
    try:
        kern = _kern()
        if kern is None or int(kern["threads"]) == 0 or no >= (1 << 18):
            return None
        t = kern["threads"][no]
        if int(t) == 0 or int(t["id"]) != raw:
            return None
        return t["name"].string()
    except (gdb.error, gdb.MemoryError, RuntimeError):
        return None


# ---- pretty printers ----

class _Printer:
    def __init__(self, val):
        self.val = val
        self.bits = _bits(val.type)


class ThreadIdPrinter(_Printer):
    def to_string(self):
        return decode_tid(int(self.val["raw"]), self.bits)


class MsgTagPrinter(_Printer):
    def to_string(self):
        return decode_tag(int(self.val["raw"]), self.bits)


class FpagePrinter(_Printer):
    def to_string(self):
        return decode_fpage(int(self.val["raw"]), self.bits)


class ItemPrinter(_Printer):
    def __init__(self, val):
        super().__init__(val)
        self.bits //= 2                 # two words

    def to_string(self):
        raw = self.val["raw"]
        return decode_item(int(raw[0]), int(raw[1]), self.bits)


TYPES = {
    "L4_ThreadId_t": ThreadIdPrinter,
    "L4_GthreadId_t": ThreadIdPrinter,
    "L4_LthreadId_t": ThreadIdPrinter,
    "L4_MsgTag_t": MsgTagPrinter,
    "L4_Fpage_t": FpagePrinter,
    "L4_MapItem_t": ItemPrinter,
    "L4_GrantItem_t": ItemPrinter,
}


class L4Printers(gdb.printing.PrettyPrinter):
    """Finds the printer of a value by its typedef name (the X.2 types are
    typedefs of anonymous unions), through const and further typedefs."""

    def __init__(self):
        super().__init__("chacmsim-l4", [gdb.printing.SubPrettyPrinter(n) for n in sorted(TYPES)])

    def __call__(self, val):
        if not self.enabled:
            return None
        typ = val.type.unqualified()
        while True:
            printer = TYPES.get(typ.name) if typ.name else None
            if printer:
                sub = next(s for s in self.subprinters if s.name == typ.name)
                return printer(val) if sub.enabled else None
            if typ.code != gdb.TYPE_CODE_TYPEDEF:
                return None
            typ = typ.target().unqualified()


# ---- commands ----

class L4Decode(gdb.Command):
    """Decode raw L4 words as the pretty printers would.
Usage: l4-decode tid|tag|fpage WORD
       l4-decode item WORD0 WORD1
The hosted kernel keeps ids, tags and fpages as plain words (kern_thread_t's
id, snd_to, rcv_from, ...): l4-decode tid t->snd_to."""

    def __init__(self):
        super().__init__("l4-decode", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        kinds = {"tid": 1, "tag": 1, "fpage": 1, "item": 2}
        if not argv or argv[0] not in kinds or len(argv) != 1 + kinds[argv[0]]:
            raise gdb.GdbError("usage: l4-decode tid|tag|fpage WORD, or l4-decode item WORD0 WORD1")
        vals = [gdb.parse_and_eval(a) for a in argv[1:]]
        words = [int(v.cast(gdb.lookup_type("unsigned long"))) if v.type.code != gdb.TYPE_CODE_INT else int(v)
                 for v in vals]
        bits = 64
        try:
            bits = gdb.lookup_type("L4_Word_t").sizeof * 8
        except gdb.error:
            pass
        words = [w & ((1 << bits) - 1) for w in words]
        if argv[0] == "tid":
            out = decode_tid(words[0], bits)
        elif argv[0] == "tag":
            out = decode_tag(words[0], bits)
        elif argv[0] == "fpage":
            out = decode_fpage(words[0], bits)
        else:
            out = decode_item(words[0], words[1], bits)
        gdb.write(out + "\n")


def _host_threads():
    """gdb's thread number of each host thread, by its pthread_t."""
    nums = {}
    inf = gdb.selected_inferior()
    if inf is None or inf.pid == 0:
        return nums
    for th in inf.threads():
        try:
            handle = th.handle()
        except (gdb.error, RuntimeError, AttributeError):
            continue
        if handle:
            nums[int.from_bytes(bytes(handle), "little")] = th.num
    return nums


def _state(t):
    if bool(t["awaiting_start"]):
        return "awaiting start"
    name = str(t["state"])
    words = {
        "TS_FREE": "free", "TS_INACTIVE": "inactive", "TS_READY": "ready", "TS_SENDING": "sending",
        "TS_RECEIVING": "receiving", "TS_WAITING": "waiting", "TS_DEAD": "dead",
        "TS_LOCKED": "locked in a string transfer",
    }
    return words.get(name, name)


def _what(t, state):
    """What a blocked thread waits for."""
    if state == "sending":
        return "to " + decode_tid(int(t["snd_to"]))
    if state == "receiving":
        return "from " + {(1 << 64) - 1: "any", ((1 << 64) - 1) & ~0x3F: "any local"}.get(
            int(t["rcv_from"]), decode_tid(int(t["rcv_from"])))
    return ""


class InfoL4Threads(gdb.Command):
    """List the L4 threads of the hosted kernel with their state.
Usage: info l4-threads [all]
One line per L4 thread: the gdb thread of its host thread (for "thread N"),
name, id, priority, state, what it waits for, timeout, pager, and a '*'
for the holder of the simulated CPU.  "all" lists the interrupt threads too."""

    def __init__(self):
        super().__init__("info l4-threads", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        kern = _kern()
        if kern is None:
            raise gdb.GdbError("info l4-threads: no chacmsim here (no symbol 'kern')")
        show_irq = arg.strip() == "all"
        hosts = _host_threads()
        turn = int(kern["cpu"]["turn"])
        gdb.write("%-1s %4s  %-20s %-10s %4s  %s\n" % ("", "gdb", "name", "id", "prio", "state"))
        t = kern["all_threads"]
        rows = []
        count = 0
        while int(t) != 0 and count < (1 << 18):
            count += 1
            if show_irq or not bool(t["is_irq"]):
                rows.append(t)
            t = t["all_next"]
        for t in sorted(rows, key=lambda t: int(t["id"])):
            state = _state(t)
            what = _what(t, state)
            if what:
                state += " " + what
            extra = []
            if bool(t["halted"]):
                extra.append("halted")
            if bool(t["on_tq"]):
                extra.append("timeout at %d us" % (int(t["wakeup"]) // 1000))
            if int(t["utcb"]) != 0:
                pager = int(t["utcb"][-12])
            else:
                pager = int(t["pager_init"])
            if pager and not bool(t["is_irq"]):
                extra.append("pager " + decode_tid(pager, names=False))
            host = hosts.get(int(t["host"])) if bool(t["host_started"]) else None
            gdb.write("%-1s %4s  %-20s %-10s %4d  %s%s\n" % (
                "*" if int(t) == turn else "", host if host is not None else "-", t["name"].string(),
                decode_tid(int(t["id"]), names=False), int(t["prio"]), state,
                ", " + ", ".join(extra) if extra else ""))


gdb.printing.register_pretty_printer(None, L4Printers(), replace=True)
L4Decode()
InfoL4Threads()
