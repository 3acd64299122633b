/* The trace buffer (kern_trace.h): the ring, its filter, the names of
 * traced threads and spaces, and the watch points of the monitor.
 *
 * Invariants:
 *  1. kern_trace_ctl.mask is the union of the recorded kinds (while recording)
 *     and the watched kinds; a hook whose bit is clear records nothing.
 *  2. ring[(head - count + i) % size], i < count, are the records oldest
 *     first; seq numbers every event that passed the filter.
 *  3. Only the holder of the CPU calls kern_trace_rec (hooks run in kernel
 *     code), so the ring and the name tables need no lock. */
#include <stdlib.h>
#include <string.h>

#include "kern.h"
#include "kern_trace.h"
#include "kern_inject.h"

kern_trace_ctl_t kern_trace_ctl;
_Static_assert(sizeof(kern_trace_ctl_t) == 64, "the trace mask has a cache line of its own");

void (*kern_trace_watcher)(const kern_trace_rec_t *r);
void (*kern_monitor_hook)(const char *why);
static _Atomic int monitor_wanted;

void kern_monitor_request(void)
{
    atomic_store(&monitor_wanted, 1);
    kern_post_event();
}

void kern_monitor_poll(void)
{
    if (atomic_load_explicit(&monitor_wanted, memory_order_relaxed) && atomic_exchange(&monitor_wanted, 0) &&
        kern_monitor_hook)
        kern_monitor_hook("asked for");
}

static kern_trace_rec_t *ring;
static size_t ring_size, head, count;
static uint64_t seq, dropped;
static uint64_t hash = 0xcbf29ce484222325ULL;      /* FNV-1a */

static void hash_word(uint64_t w)
{
    for (int i = 0; i < 8; i++) {
        hash ^= (w >> (8 * i)) & 0xff;
        hash *= 0x100000001b3ULL;
    }
}

static void hash_rec(const kern_trace_rec_t *r)
{
    hash_word(r->kind);
    hash_word(r->time);
    hash_word(r->a);
    hash_word(r->b);
    hash_word(r->err);
    if (r->kind == KT_IPC)
        hash_word(r->w[0]);
    else if (r->kind == KT_PF || r->kind == KT_PF_DONE || r->kind == KT_IPC_ERR || r->kind == KT_TASK_NEW ||
             r->kind == KT_TASK_DEAD)
        hash_word(r->w[0]);
}

uint64_t kern_trace_hash(void)
{
    return hash;
}
static bool recording;
static uint32_t watched;
static kern_trace_filter_t filter;

typedef struct {
    L4_Word_t id;
    char name[32];
} tname_t;
static tname_t *tnames;
static size_t ntnames, tnames_cap;
static char (*snames)[24];
static size_t nsnames;

static const char *const kind_names[KT_NKINDS] = {
    [KT_IPC] = "ipc",       [KT_IPC_ERR] = "ipcerr",    [KT_PF] = "pf",
    [KT_PF_DONE] = "pfdone", [KT_MAP] = "map",          [KT_GRANT] = "grant",
    [KT_UNMAP] = "unmap",   [KT_SCHED] = "sched",       [KT_IRQ] = "irq",
    [KT_THREAD_NEW] = "thread", [KT_THREAD_START] = "start", [KT_THREAD_DEAD] = "death",
    [KT_TASK_NEW] = "task", [KT_TASK_DEAD] = "taskdeath", [KT_KDB] = "kdb",
    [KT_INJECT] = "inject",
};

const char *kern_trace_kind_name(unsigned kind)
{
    return kind < KT_NKINDS ? kind_names[kind] : "?";
}

bool kern_trace_parse_kinds(const char *s, uint32_t *kinds, const char **bad)
{
    static char badbuf[32];
    uint32_t k = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        bool found = false;
        if (n == 3 && !strncmp(s, "all", 3)) {
            k |= KT_ALL;
            found = true;
        }
        for (unsigned i = 0; i < KT_NKINDS && !found; i++)
            if (strlen(kind_names[i]) == n && !strncmp(s, kind_names[i], n)) {
                k |= 1u << i;
                found = true;
            }
        if (!found && n) {
            snprintf(badbuf, sizeof badbuf, "%.*s", (int)(n < 31 ? n : 31), s);
            if (bad)
                *bad = badbuf;
            return false;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    *kinds = k;
    return true;
}

void kern_trace_update_mask(void)
{
    /* while recording, thread events are always looked at: they keep the
     * names of threads that may be gone by the time of an export */
    uint32_t names = 1u << KT_THREAD_NEW | 1u << KT_THREAD_START | 1u << KT_THREAD_DEAD;
    /* a fault plan's bit sends every IPC through inject.c */
    uint32_t inject = kern_inject_on ? 1u << KT_INJECT : 0;
    __atomic_store_n(&kern_trace_ctl.mask, (recording ? filter.kinds | names : 0) | watched | inject,
                     __ATOMIC_RELAXED);
}

bool kern_trace_start(unsigned size, const kern_trace_filter_t *f)
{
    if (size == 0)
        size = ring_size ? (unsigned)ring_size : 65536;
    if (size != ring_size) {
        kern_trace_rec_t *r = calloc(size, sizeof *r);
        if (!r)
            return false;
        free(ring);
        ring = r;
        ring_size = size;
        head = count = 0;
    }
    filter = *f;
    recording = true;
    kern_trace_update_mask();
    return true;
}

void kern_trace_stop(void)
{
    recording = false;
    kern_trace_update_mask();
}

bool kern_trace_recording(void)
{
    return recording;
}

void kern_trace_watch(uint32_t kinds)
{
    watched = kinds;
    kern_trace_update_mask();
}

uint64_t kern_trace_count(void)
{
    return seq;
}

uint64_t kern_trace_dropped(void)
{
    return dropped;
}

kern_trace_rec_t *kern_trace_snapshot(size_t *n)
{
    kern_trace_rec_t *out = malloc((count ? count : 1) * sizeof *out);
    if (!out) {
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < count; i++)
        out[i] = ring[(head + ring_size - count + i) % ring_size];
    *n = count;
    return out;
}

/* ---- names ---- */

void kern_trace_space_named(const kern_space_t *s)
{
    if (!s)
        return;
    if (s->serial >= nsnames) {
        size_t n = nsnames ? nsnames : 64;
        while (n <= s->serial)
            n *= 2;
        char (*p)[24] = realloc(snames, n * sizeof *snames);
        if (!p)
            return;
        memset(p + nsnames, 0, (n - nsnames) * sizeof *p);
        snames = p;
        nsnames = n;
    }
    snprintf(snames[s->serial], sizeof snames[0], "%s", s->name);
}

/* Remembers t's name (and its space's) as it is now. */
void kern_trace_name(kern_thread_t *t)
{
    if (!t)
        return;
    kern_trace_space_named(t->space);
    for (size_t i = ntnames; i-- > 0;)
        if (tnames[i].id == t->id) {
            snprintf(tnames[i].name, sizeof tnames[i].name, "%s", t->name);
            return;
        }
    if (ntnames == tnames_cap) {
        size_t n = tnames_cap ? tnames_cap * 2 : 256;
        tname_t *p = realloc(tnames, n * sizeof *p);
        if (!p)
            return;
        tnames = p;
        tnames_cap = n;
    }
    tnames[ntnames].id = t->id;
    snprintf(tnames[ntnames].name, sizeof tnames[0].name, "%s", t->name);
    ntnames++;
}

const char *kern_trace_thread_name(L4_Word_t id)
{
    for (size_t i = ntnames; i-- > 0;)
        if (tnames[i].id == id)
            return tnames[i].name;
    L4_Word_t no = kw_thread_no(id);
    kern_thread_t *t = no < KERN_MAX_THREADS && kern.threads ? kern.threads[no] : NULL;
    return t && t->id == id ? t->name : NULL;
}

const char *kern_trace_space_name(uint32_t serial)
{
    if (serial < nsnames && snames[serial][0])
        return snames[serial];
    return NULL;
}

/* ---- recording ---- */

static bool thread_in(const kern_trace_filter_t *f, L4_Word_t id)
{
    for (unsigned i = 0; i < f->nthreads; i++)
        if (id && kw_thread_no(id) == f->threads[i])
            return true;
    return false;
}

static bool space_is(uint32_t serial, const char *task)
{
    const char *n = kern_trace_space_name(serial);
    return n && !strcmp(n, task);
}

bool kern_trace_match(const kern_trace_filter_t *f, const kern_trace_rec_t *r)
{
    if (!((f->kinds >> r->kind) & 1))
        return false;
    if (f->nthreads && !thread_in(f, r->a) && !thread_in(f, r->b))
        return false;
    if (f->task[0] && !space_is(r->space_a, f->task) && !space_is(r->space_b, f->task))
        return false;
    if (f->has_label && r->kind == KT_IPC && kw_tag_label(r->w[0]) != f->label)
        return false;
    return true;
}

void kern_trace_rec(unsigned kind, kern_thread_t *a, kern_thread_t *b, unsigned err, L4_Word_t w0, L4_Word_t w1,
                    L4_Word_t w2, L4_Word_t w3)
{
    kern_trace_rec_t r = {
        .time = kern_now, .kind = (uint16_t)kind, .err = (uint16_t)err,
        .space_a = a && a->space ? a->space->serial : ~0u,
        .space_b = b && b->space ? b->space->serial : ~0u,
        .a = a ? a->id : 0, .b = b ? b->id : 0,
        .w = { w0, w1, w2, w3 },
    };
    if (kind == KT_IPC)
        for (unsigned i = kw_tag_u(w0) + 1; i < 4; i++)
            r.w[i] = 0;
    if (a && (kind == KT_THREAD_NEW || kind == KT_THREAD_START || kind == KT_THREAD_DEAD))
        kern_trace_name(a);
    if (a)
        kern_trace_space_named(a->space);       /* for filters by task, and exports */
    if (b)
        kern_trace_space_named(b->space);
    if (recording && kern_trace_match(&filter, &r)) {
        r.seq = ++seq;
        hash_rec(&r);
        if (count == ring_size)
            dropped++;
        else
            count++;
        ring[head] = r;
        head = (head + 1) % ring_size;
    }
    if (((watched >> kind) & 1) && kern_trace_watcher)
        kern_trace_watcher(&r);
}

/* ---- text ---- */

static const char *tname(L4_Word_t id, char *buf, size_t size)
{
    const char *n = kern_trace_thread_name(id);
    if (!id)
        return "-";
    if (n)
        return n;
    snprintf(buf, size, "%lx.%lx", kw_thread_no(id), kw_version(id));
    return buf;
}

void kern_trace_format(const kern_trace_rec_t *r, char *buf, size_t size)
{
    char an[40], bn[40];
    const char *a = tname(r->a, an, sizeof an), *b = tname(r->b, bn, sizeof bn);
    int n = snprintf(buf, size, "%8llu %12.3f us %-7s ", (unsigned long long)r->seq, r->time / 1000.0,
                     kern_trace_kind_name(r->kind));
    if (n < 0 || (size_t)n >= size)
        return;
    buf += n;
    size -= (size_t)n;
    const L4_Word_t *w = r->w;
    switch (r->kind) {
    case KT_IPC:
        snprintf(buf, size, "%s -> %s label %#lx u %u t %u words %#lx %#lx %#lx%s", a, b, kw_tag_label(w[0]),
                 kw_tag_u(w[0]), kw_tag_t(w[0]), w[1], w[2], w[3], r->err ? " (failed)" : "");
        break;
    case KT_IPC_ERR: {
        static const char *const codes[] = { "ok", "timeout", "no partner", "cancelled", "overflow",
                                             "xfer timeout", "xfer timeout", "aborted" };
        snprintf(buf, size, "%s %s phase: %s (offset %lu)", a, (w[0] & 1) ? "receive" : "send", codes[(w[0] >> 1) & 7],
                 w[0] >> 4);
        break;
    }
    case KT_PF:
        snprintf(buf, size, "%s at %#lx ip %#lx %c%c%c to %s", a, w[0], w[1], (w[2] & 4) ? 'r' : '-',
                 (w[2] & 2) ? 'w' : '-', (w[2] & 1) ? 'x' : '-', b);
        break;
    case KT_PF_DONE:
        snprintf(buf, size, "%s at %#lx %s", a, w[0], r->err ? "failed" : "resolved");
        break;
    case KT_MAP:
    case KT_GRANT:
        snprintf(buf, size, "%s -> %s %#lx -> %#lx size %#lx rights %lx", a, b, w[0], w[1], w[2], w[3]);
        break;
    case KT_UNMAP:
        snprintf(buf, size, "%s fpage %#lx%s access %lx", a, w[0], w[1] ? " flush" : "", w[2]);
        break;
    case KT_SCHED:
        snprintf(buf, size, "%s -> %s", a, b);
        break;
    case KT_IRQ:
        snprintf(buf, size, "irq %lu %s %s", w[0],
                 w[1] == 2 ? "acknowledged by" : w[1] ? "delivered to" : "raised for", b);
        break;
    case KT_THREAD_NEW:
        snprintf(buf, size, "%s created by %s", a, b);
        break;
    case KT_THREAD_START:
        snprintf(buf, size, "%s at ip %#lx sp %#lx", a, w[0], w[1]);
        break;
    case KT_THREAD_DEAD:
        snprintf(buf, size, "%s %s", a, w[0] ? "deleted" : "stopped");
        break;
    case KT_TASK_NEW:
    case KT_TASK_DEAD: {
        const char *sn = kern_trace_space_name((uint32_t)w[0]);
        snprintf(buf, size, "space %lu (%s)%s%s", w[0], sn ? sn : "?", r->kind == KT_TASK_NEW ? " by " : "",
                 r->kind == KT_TASK_NEW ? a : "");
        break;
    }
    case KT_KDB:
        snprintf(buf, size, "%s", a);
        break;
    case KT_INJECT:
        kern_inject_format(r, a, b, buf, size);
        break;
    default:
        snprintf(buf, size, "%s %s %#lx %#lx", a, b, w[0], w[1]);
        break;
    }
}
