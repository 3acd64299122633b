/* The monitor's view of memsvr: `regions TASK` lists the Mach regions
 * memsvr keeps for a task.  The monitor reads memsvr's memory and never
 * calls it (the system stands still while the monitor runs): memsvr
 * exports a debug view (ipc/debug/memsvr_debug.h) with the addresses of
 * its tables and the offsets of the fields, found by its symbol in
 * memsvr's module instance, so the simulator knows nothing of memsvr's
 * structures.  Every read goes through the mapping database or the
 * program image's segments and never faults. */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "kern.h"
#include "kern_mem.h"
#include "loader.h"
#include "memsvr_debug.h"
#include "monitor.h"

bool sim_monitor_peek(kern_space_t *s, L4_Word_t addr, void *buf, size_t len)
{
    unsigned char *to = buf;
    while (len) {
        L4_Word_t off = addr & (KERN_PAGE_SIZE - 1), n = KERN_PAGE_SIZE - off, frame;
        unsigned rights;
        if (n > len)
            n = len;
        if (kern_mdb_lookup(s, addr, &frame, &rights)) {
            const void *p = kern_phys_ptr(frame << KERN_PAGE_BITS | off);
            if (!p)
                return false;
            memcpy(to, p, n);
        } else if (!s->image || kern_image_reach(s->image, addr, n, false) != n ||
                   kern_host_read(to, (const void *)addr, n) != (ssize_t)n) {
            return false;
        }
        to += n;
        addr += n;
        len -= n;
    }
    return true;
}

static bool word(kern_space_t *s, L4_Word_t addr, L4_Word_t *w)
{
    return sim_monitor_peek(s, addr, w, sizeof *w);
}

static bool u32(kern_space_t *s, L4_Word_t addr, uint32_t *v)
{
    return sim_monitor_peek(s, addr, v, sizeof *v);
}

/* memsvr's space and its debug view; NULL with the reason in out. */
static kern_space_t *memsvr_view(memsvr_debug_t *d, GString *out)
{
    kern_space_t *ms = sim_monitor_space("memsvr");
    sim_module_t *m = ms ? loader_module_of_image(ms->image) : NULL;
    const void *sym = m ? dlsym(m->handle, MEMSVR_DEBUG_SYMBOL) : NULL;
    if (!ms || !m) {
        g_string_append(out, "no memsvr runs (see spaces)\n");
        return NULL;
    }
    if (!sym || kern_host_read(d, sym, sizeof *d) != (ssize_t)sizeof *d || d->magic != MEMSVR_DEBUG_MAGIC ||
        d->version != MEMSVR_DEBUG_VERSION) {
        g_string_append(out, "memsvr exports no debug view of this version (" MEMSVR_DEBUG_SYMBOL ")\n");
        return NULL;
    }
    return ms;
}

/* memsvr's task slot of space s (through its table of threads), or -1. */
static long slot_of(kern_space_t *ms, const memsvr_debug_t *d, kern_space_t *s)
{
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next) {
        if (t->space != s)
            continue;
        for (L4_Word_t i = 0; i < d->nthreads; i++) {
            L4_Word_t at = d->threads + i * d->thread_size, raw;
            uint32_t slot;
            if (!word(ms, at + d->th_raw, &raw) || !u32(ms, at + d->th_slot, &slot))
                return -1;
            if (raw == t->id && slot < d->ntasks)
                return slot;
        }
    }
    return -1;
}

static const char *inherit_name(uint32_t i)
{
    return i == 0 ? "share" : i == 1 ? "copy" : i == 2 ? "none" : "?";
}

static void prot(char *b, uint32_t p)
{
    b[0] = p & 1 ? 'r' : '-';
    b[1] = p & 2 ? 'w' : '-';
    b[2] = p & 4 ? 'x' : '-';
    b[3] = 0;
}

void sim_monitor_regions(const char *arg, GString *out)
{
    memsvr_debug_t d;
    kern_space_t *s = sim_monitor_space(arg), *ms;
    if (!s) {
        g_string_append_printf(out, "no space '%s' (see spaces)\n", arg);
        return;
    }
    if (!(ms = memsvr_view(&d, out)))
        return;
    long slot = slot_of(ms, &d, s);
    L4_Word_t task = d.tasks + (L4_Word_t)slot * d.task_size, pages = 0, head = task + d.t_map_head, e;
    unsigned char used = 0;
    if (slot < 0 || !sim_monitor_peek(ms, task + d.t_used, &used, 1) || !used) {
        g_string_append_printf(out, "memsvr keeps no task for %s (it pages its threads? see threads)\n", s->name);
        return;
    }
    word(ms, task + d.t_pages, &pages);
    g_string_append_printf(out, "regions of %s at memsvr (task slot %ld, %lu pages charged):\n", s->name, slot,
                           pages);
    g_string_append_printf(out, "  %-14s  %-14s  %10s  %-4s %-4s %-5s  %-10s  %-10s  %s\n", "start", "end",
                           "size", "cur", "max", "inh", "object", "offset", "");
    unsigned n = 0;
    if (!word(ms, head + d.e_next, &e))
        e = head;
    for (; e != head && n < 100000; n++) {
        L4_Word_t start, end, offset, object, next;
        uint32_t cur, max, inh, wired, id = 0;
        unsigned char cow = 0;
        if (!word(ms, e + d.e_start, &start) || !word(ms, e + d.e_end, &end) || !word(ms, e + d.e_offset, &offset) ||
            !word(ms, e + d.e_object, &object) || !word(ms, e + d.e_next, &next) || !u32(ms, e + d.e_cur, &cur) ||
            !u32(ms, e + d.e_max, &max) || !u32(ms, e + d.e_inherit, &inh) || !u32(ms, e + d.e_wired, &wired) ||
            !sim_monitor_peek(ms, e + d.e_needs_copy, &cow, 1) || (object && !u32(ms, object + d.o_id, &id))) {
            g_string_append_printf(out, "  (memsvr's region at %#lx cannot be read)\n", e);
            break;
        }
        char c[4], m[4], obj[24];
        prot(c, cur);
        prot(m, max);
        if (object)
            snprintf(obj, sizeof obj, "object %u", id);
        else
            snprintf(obj, sizeof obj, "zero-fill");
        g_string_append_printf(out, "  %#14lx  %#14lx  %9lluK  %-4s %-4s %-5s  %-10s  %#-10lx  %s%s\n",
                               s->base + start, s->base + end, (unsigned long long)(end - start) / 1024, c, m,
                               inherit_name(inh), obj, offset, cow ? "copy-on-write " : "",
                               wired ? "wired" : "");
        e = next;
    }
    g_string_append_printf(out, "%u regions\n", n);
}
