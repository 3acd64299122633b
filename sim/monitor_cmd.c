/* The monitor's commands and breakpoints.  Each command reads kernel state
 * (the monitor runs while its host thread holds the CPU) and appends text
 * to the reply; none changes the system. */
#include <stdlib.h>
#include <string.h>

#include "kern.h"
#include "kern_mem.h"
#include "monitor.h"
#include "simtrace.h"

/* ---- breakpoints ---- */

typedef enum { BRK_IPC, BRK_FAULT, BRK_DEATH } brk_kind_t;
typedef struct {
    brk_kind_t kind;
    kern_trace_filter_t filter;     /* BRK_IPC */
    L4_Word_t addr;                 /* BRK_FAULT */
    bool any;                       /* BRK_DEATH: any thread */
    L4_Word_t thread;               /* BRK_DEATH: thread number */
    char *text;
    unsigned no;                    /* its number, never reused */
} brk_t;
static GPtrArray *breaks;
static unsigned last_no;

static void brk_free(gpointer p)
{
    brk_t *b = p;
    g_free(b->text);
    g_free(b);
}

gboolean sim_monitor_add_break(const char *cond, GString *out)
{
    if (!breaks)
        breaks = g_ptr_array_new_with_free_func(brk_free);
    gchar **w = g_strsplit_set(cond, " \t", 2);
    brk_t b = { 0 };
    gboolean ok = TRUE;
    const char *rest = w[0] && w[1] ? g_strstrip(w[1]) : "";
    if (!w[0] || !*w[0]) {
        g_string_append(out, "give ipc [FILTER], fault ADDR or death [THREAD]\n");
        ok = FALSE;
    } else if (!strcmp(w[0], "ipc")) {
        GError *err = NULL;
        b.kind = BRK_IPC;
        ok = sim_trace_parse_filter(rest, &b.filter, &err);
        if (ok)
            b.filter.kinds = 1u << KT_IPC;
        else {
            g_string_append_printf(out, "%s\n", err->message);
            g_error_free(err);
        }
    } else if (!strcmp(w[0], "fault")) {
        b.kind = BRK_FAULT;
        ok = sim_trace_parse_word(rest, &b.addr);
        if (!ok)
            g_string_append_printf(out, "fault needs an address, not '%s'\n", rest);
    } else if (!strcmp(w[0], "death")) {
        b.kind = BRK_DEATH;
        b.any = !*rest;
        ok = b.any || sim_trace_parse_word(rest, &b.thread);
        if (!ok)
            g_string_append_printf(out, "death takes a thread number, not '%s'\n", rest);
    } else {
        g_string_append_printf(out, "unknown breakpoint '%s': give ipc [FILTER], fault ADDR or death [THREAD]\n",
                               w[0]);
        ok = FALSE;
    }
    if (ok) {
        brk_t *n = g_new(brk_t, 1);
        *n = b;
        n->text = g_strdup(cond);
        n->no = ++last_no;
        g_ptr_array_add(breaks, n);
    }
    g_strfreev(w);
    return ok;
}

uint32_t sim_monitor_break_kinds(void)
{
    uint32_t k = 0;
    for (guint i = 0; breaks && i < breaks->len; i++) {
        brk_t *b = g_ptr_array_index(breaks, i);
        k |= b->kind == BRK_IPC ? 1u << KT_IPC : b->kind == BRK_FAULT ? 1u << KT_PF : 1u << KT_THREAD_DEAD;
    }
    return k;
}

gboolean sim_monitor_hits(const kern_trace_rec_t *r, char *why, size_t size)
{
    for (guint i = 0; breaks && i < breaks->len; i++) {
        brk_t *b = g_ptr_array_index(breaks, i);
        bool hit = (b->kind == BRK_IPC && kern_trace_match(&b->filter, r)) ||
                   (b->kind == BRK_FAULT && r->kind == KT_PF && (r->w[0] >> 12) == (b->addr >> 12)) ||
                   (b->kind == BRK_DEATH && r->kind == KT_THREAD_DEAD &&
                    (b->any || kw_thread_no(r->a) == b->thread));
        if (hit) {
            char line[256];
            sim_trace_line(r, line, sizeof line);
            snprintf(why, size, "breakpoint %u '%s': %s", b->no, b->text, line);
            return TRUE;
        }
    }
    return FALSE;
}

/* ---- commands ---- */

static const char *state_name(const kern_thread_t *t)
{
    static const char *const names[] = { "free", "inactive", "ready", "sending", "receiving",
                                         "waiting", "dead", "locked" };
    if (t->awaiting_start)
        return "awaiting start";
    return t->state <= TS_LOCKED ? names[t->state] : "?";
}

static const char *name_of(L4_Word_t id, char *buf, size_t size)
{
    if (id == KW_NILTHREAD)
        return "nil";
    if (id == KW_ANYTHREAD)
        return "any";
    if (id == KW_ANYLOCALTHREAD)
        return "any local";
    kern_thread_t *t = kern_thread_lookup(id, NULL);
    if (t)
        return t->name;
    snprintf(buf, size, "%lx.%lx", kw_thread_no(id), kw_version(id));
    return buf;
}

static void cmd_threads(GString *out)
{
    char b1[40], b2[40];
    g_string_append_printf(out, "%-22s %-10s %4s %-15s %-24s %s\n", "thread", "id", "prio", "state", "waits for",
                           "pager");
    for (unsigned i = 0; i < KERN_MAX_THREADS; i++) {
        kern_thread_t *t = kern.threads[i];
        if (!t || (t->is_irq && !t->irq_handler))
            continue;
        char id[24], waits[64] = "-";
        snprintf(id, sizeof id, "%lx.%lx", kw_thread_no(t->id), kw_version(t->id));
        if (t->is_irq) {
            g_string_append_printf(out, "%-22s %-10s %4s %-15s %-24s handler %s\n", t->name, id, "-",
                                   t->irq_pending ? "pending" : t->irq_in_service ? "in service" : "idle", "-",
                                   name_of(t->irq_handler, b1, sizeof b1));
            continue;
        }
        if (t->state == TS_SENDING)
            snprintf(waits, sizeof waits, "send to %s", name_of(t->snd_to, b1, sizeof b1));
        else if (t->state == TS_RECEIVING)
            snprintf(waits, sizeof waits, "receive from %s", name_of(t->rcv_from, b1, sizeof b1));
        else if (t->state == TS_LOCKED)
            snprintf(waits, sizeof waits, "transfer (page fault)");
        if (t->on_tq && (t->state == TS_SENDING || t->state == TS_RECEIVING))
            snprintf(waits + strlen(waits), sizeof waits - strlen(waits), " until %llu us",
                     (unsigned long long)(t->wakeup / 1000));
        L4_Word_t pager = t->utcb ? kern_thread_pager(t) : t->pager_init;
        g_string_append_printf(out, "%-22s %-10s %4u %-15s %-24s %s%s%s\n", t->name, id, t->prio, state_name(t),
                               waits, name_of(pager, b2, sizeof b2), t->halted ? " (halted)" : "",
                               t == kern_self ? " (current)" : "");
    }
}

/* Every space that has a thread, in serial order. */
static GPtrArray *all_spaces(void)
{
    GPtrArray *a = g_ptr_array_new();
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next)
        if (t->space && !g_ptr_array_find(a, t->space, NULL))
            g_ptr_array_add(a, t->space);
    for (guint i = 1; i < a->len; i++)
        for (guint k = i; k > 0; k--) {
            kern_space_t *x = a->pdata[k - 1], *y = a->pdata[k];
            if (x->serial < y->serial)
                break;
            a->pdata[k - 1] = y;
            a->pdata[k] = x;
        }
    return a;
}

kern_space_t *sim_monitor_space(const char *s)
{
    GPtrArray *a = all_spaces();
    kern_space_t *found = NULL;
    L4_Word_t n;
    bool num = sim_trace_parse_word(s, &n);
    for (guint i = 0; i < a->len && !found; i++) {
        kern_space_t *x = a->pdata[i];
        if (!strcmp(x->name, s) || (num && x->serial == n))
            found = x;
    }
    g_ptr_array_unref(a);
    return found;
}

typedef struct {
    GString *out;
    unsigned count;
} visit_t;

static void show_mapping(void *arg, const kern_mdb_view_t *v)
{
    visit_t *m = arg;
    m->count++;
    g_string_append_printf(m->out, "  %#14lx  frame %#10lx  %c%c%c%s  from %s", v->vaddr,
                           v->frame << KERN_PAGE_BITS, (v->rights & 4) ? 'r' : '-', (v->rights & 2) ? 'w' : '-',
                           (v->rights & 1) ? 'x' : '-', v->installed ? " installed" : "          ",
                           v->parent_space ? v->parent_space->name : "sigma0 (physical)");
    if (v->parent_space)
        g_string_append_printf(m->out, " %#lx", v->parent_vaddr);
    g_string_append_c(m->out, '\n');
}

static void cmd_spaces(GString *out)
{
    GPtrArray *a = all_spaces();
    g_string_append_printf(out, "%-6s %-22s %-32s %7s %s\n", "space", "name", "window", "threads", "");
    for (guint i = 0; i < a->len; i++) {
        kern_space_t *s = a->pdata[i];
        char win[40];
        snprintf(win, sizeof win, "%#lx-%#lx", s->base, s->base + s->size);
        g_string_append_printf(out, "%-6u %-22s %-32s %7u %s%s\n", s->serial, s->name, win, s->nthreads,
                               s->privileged ? "privileged" : "", kern_mdb_is_sigma0(s) ? " sigma0" : "");
    }
    g_ptr_array_unref(a);
}

static void cmd_space(const char *arg, GString *out)
{
    kern_space_t *s = sim_monitor_space(arg);
    if (!s) {
        g_string_append_printf(out, "no space '%s' (see spaces)\n", arg);
        return;
    }
    g_string_append_printf(out, "space %u (%s): window %#lx-%#lx, %u threads\n", s->serial, s->name, s->base,
                           s->base + s->size, s->nthreads);
    if (kern_mdb_is_sigma0(s)) {
        g_string_append(out, "  sigma0 holds all of physical memory (see frame ADDR)\n");
        return;
    }
    visit_t m = { out, 0 };
    kern_mdb_each_mapping(s, show_mapping, &m);
    g_string_append_printf(out, "%u pages mapped\n", m.count);
}

static void show_tree_node(void *arg, const kern_mdb_view_t *v)
{
    visit_t *m = arg;
    m->count++;
    g_string_append_printf(m->out, "%*s%s %#lx %c%c%c%s\n", 2 + 2 * (int)v->depth, "",
                           v->space ? v->space->name : "sigma0", v->vaddr, (v->rights & 4) ? 'r' : '-',
                           (v->rights & 2) ? 'w' : '-', (v->rights & 1) ? 'x' : '-',
                           v->installed ? " installed" : "");
}

static void cmd_frame(const char *arg, GString *out)
{
    L4_Word_t pa;
    if (!sim_trace_parse_word(arg, &pa)) {
        g_string_append(out, "frame needs a physical address\n");
        return;
    }
    visit_t m = { out, 0 };
    g_string_append_printf(out, "frame %#lx:\n", pa & ~(KERN_PAGE_SIZE - 1));
    if (!kern_mdb_frame_tree(pa >> KERN_PAGE_BITS, show_tree_node, &m))
        g_string_append_printf(out, "no such frame: physical memory ends at %#lx\n", kern_phys.size);
}

/* mem TASK ADDR [LEN]: through the mapping database and physical memory,
 * so that it never faults and changes no access bits. */
static void cmd_mem(gchar **argv, GString *out)
{
    kern_space_t *s = argv[1] ? sim_monitor_space(argv[1]) : NULL;
    L4_Word_t addr, len = 64;
    if (!s || !argv[2] || !sim_trace_parse_word(argv[2], &addr) || (argv[3] && !sim_trace_parse_word(argv[3], &len))) {
        g_string_append(out, "usage: mem TASK ADDR [LEN] (TASK a space's name or number; see spaces)\n");
        return;
    }
    if (len > 4096)
        len = 4096;
    for (L4_Word_t off = 0; off < len; off += 16) {
        L4_Word_t a = addr + off, frame;
        unsigned rights;
        g_string_append_printf(out, "%#14lx:", a);
        if (!kern_mdb_lookup(s, a, &frame, &rights)) {
            /* outside the window: the program image's segments */
            unsigned char b[16];
            L4_Word_t want = len - off < 16 ? len - off : 16;
            L4_Word_t got = s->image ? kern_image_reach(s->image, a, want, false) : 0;
            if (!got || kern_host_read(b, (const void *)a, got) != (ssize_t)got) {
                g_string_append(out, " (not mapped)\n");
                continue;
            }
            char text[17] = { 0 };
            for (L4_Word_t i = 0; i < got; i++) {
                g_string_append_printf(out, " %02x", b[i]);
                text[i] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
            }
            g_string_append_printf(out, "  %s\n", text);
            continue;
        }
        char ascii[17] = { 0 };
        for (unsigned i = 0; i < 16 && off + i < len; i++) {
            L4_Word_t b = a + i, f2;
            unsigned r2;
            if (((b ^ a) >> KERN_PAGE_BITS) && !kern_mdb_lookup(s, b, &f2, &r2)) {
                g_string_append(out, " ..");
                ascii[i] = ' ';
                continue;
            }
            if ((b ^ a) >> KERN_PAGE_BITS)
                frame = f2;
            const unsigned char *p = kern_phys_ptr((frame << KERN_PAGE_BITS) | (b & (KERN_PAGE_SIZE - 1)));
            unsigned c = p ? *p : 0;
            g_string_append_printf(out, " %02x", c);
            ascii[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
        }
        g_string_append_printf(out, "  %s\n", ascii);
    }
}

static void cmd_trace(const char *rest, GString *out)
{
    size_t last = 20;
    const char *filter = rest;
    char *end;
    unsigned long n = strtoul(rest, &end, 10);
    if (end != rest && (*end == 0 || *end == ' ')) {
        last = n;
        filter = end;
    }
    kern_trace_filter_t f;
    GError *err = NULL;
    if (!sim_trace_parse_filter(filter, &f, &err)) {
        g_string_append_printf(out, "%s\n", err->message);
        g_error_free(err);
        return;
    }
    if (!kern_trace_recording() && !kern_trace_count()) {
        g_string_append(out, "the trace is off (trace on [KINDS] starts it, or --trace)\n");
        return;
    }
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m)
        return;
    sim_trace_write_text(m, &f, last);
    fclose(m);
    g_string_append(out, buf);
    free(buf);
}

static void cmd_trace_onoff(gchar **argv, GString *out)
{
    if (!strcmp(argv[1], "off")) {
        kern_trace_stop();
        g_string_append(out, "trace off\n");
        return;
    }
    kern_trace_filter_t f = { .kinds = KT_ALL };
    const char *bad = NULL;
    if (argv[2] && !kern_trace_parse_kinds(argv[2], &f.kinds, &bad)) {
        g_string_append_printf(out, "unknown trace kind '%s'\n", bad);
        return;
    }
    if (!kern_trace_start(0, &f))
        g_string_append(out, "out of memory for the trace ring\n");
    else
        g_string_append(out, "trace on\n");
}

static const char help[] =
    "threads                  every thread: state, what it waits for, pager, priority\n"
    "spaces                   address spaces (tasks)\n"
    "space TASK               the pages TASK holds (name or number)\n"
    "frame ADDR               the mapping tree of the physical frame at ADDR\n"
    "mem TASK ADDR [LEN]      memory of TASK at guest address ADDR (hex dump)\n"
    "regions TASK             memsvr's regions of TASK (its Mach VM map)\n"
    "trace [N] [FILTER]       the last N (20) trace records; FILTER: kind=K,.. thread=N,.. task=NAME label=L\n"
    "trace on [KINDS] | off   start or stop recording\n"
    "waits                    the wait-for graph of blocked IPCs\n"
    "break COND               enter on: ipc [FILTER] | fault ADDR | death [THREAD]\n"
    "breaks, delete N         list breakpoints, delete one\n"
    "step                     run until the next kernel event\n"
    "continue                 leave the monitor\n";

int sim_monitor_command(const char *line, GString *out)
{
    gchar **argv = g_strsplit_set(line, " \t", -1);
    /* drop empty words */
    int n = 0;
    for (int i = 0; argv[i]; i++) {
        if (*argv[i])
            argv[n++] = argv[i];
        else
            g_free(argv[i]);
    }
    argv[n] = NULL;
    const char *cmd = n ? argv[0] : "";
    const char *rest = line;        /* the line after the command word */
    while (*rest == ' ' || *rest == '\t')
        rest++;
    while (*rest && *rest != ' ' && *rest != '\t')
        rest++;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    int r = MON_STAY;
    if (!*cmd || !strcmp(cmd, "stop")) {
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        g_string_append(out, help);
    } else if (!strcmp(cmd, "threads") || !strcmp(cmd, "t")) {
        cmd_threads(out);
    } else if (!strcmp(cmd, "spaces")) {
        cmd_spaces(out);
    } else if (!strcmp(cmd, "space") && n >= 2) {
        cmd_space(argv[1], out);
    } else if (!strcmp(cmd, "frame") && n >= 2) {
        cmd_frame(argv[1], out);
    } else if (!strcmp(cmd, "mem")) {
        cmd_mem(argv, out);
    } else if (!strcmp(cmd, "regions") && n >= 2) {
        sim_monitor_regions(argv[1], out);
    } else if (!strcmp(cmd, "trace") && n >= 2 && (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
        cmd_trace_onoff(argv, out);
    } else if (!strcmp(cmd, "trace")) {
        cmd_trace(rest, out);
    } else if (!strcmp(cmd, "waits")) {
        char *buf = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&buf, &size);
        if (m) {
            kern_dump_waits(m, true);
            fclose(m);
            g_string_append(out, buf);
            free(buf);
        }
    } else if (!strcmp(cmd, "break") && n >= 2) {
        if (sim_monitor_add_break(rest, out)) {
            g_string_append_printf(out, "breakpoint %u: %s\n", last_no, rest);
            kern_trace_watch(sim_monitor_break_kinds());
        }
    } else if (!strcmp(cmd, "breaks")) {
        for (guint i = 0; breaks && i < breaks->len; i++)
            g_string_append_printf(out, "%u: %s\n", ((brk_t *)g_ptr_array_index(breaks, i))->no,
                                   ((brk_t *)g_ptr_array_index(breaks, i))->text);
    } else if (!strcmp(cmd, "delete") && n >= 2) {
        L4_Word_t k;
        guint at = 0;
        bool found = sim_trace_parse_word(argv[1], &k) && breaks;
        for (at = 0; found && at < breaks->len && ((brk_t *)g_ptr_array_index(breaks, at))->no != k; at++)
            ;
        if (!found || at == breaks->len)
            g_string_append_printf(out, "no breakpoint %s\n", argv[1]);
        else {
            g_ptr_array_remove_index(breaks, at);
            kern_trace_watch(sim_monitor_break_kinds());
            g_string_append_printf(out, "deleted breakpoint %lu\n", k);
        }
    } else if (!strcmp(cmd, "step") || !strcmp(cmd, "s")) {
        r = MON_STEP;
    } else if (!strcmp(cmd, "continue") || !strcmp(cmd, "c")) {
        r = MON_CONTINUE;
    } else {
        g_string_append_printf(out, "unknown command or missing argument: %s (help lists the commands)\n", line);
    }
    g_strfreev(argv);
    return r;
}
