/* Address spaces as windows: each space owns a size-aligned range of the
 * host's address space, reserved inaccessible; a guest virtual address is
 * the host address.  The kernel places each space's KIP copy and UTCBs
 * inside its window.  A window is handed out again once its space is gone.
 * Addresses a privileged thread names for another space (KIP area, UTCB
 * area, UTCB location) are taken at the same offset in that space's window
 * when they lie in the caller's own window, so a creator may pass the
 * layout of its own window; any other address outside the target's window
 * is an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <l4/hosted/vregs.h>
#include "kern.h"
#include "kern_trace.h"
#include "kern_mem.h"
#include "kern_iso.h"

/* The lowest window not in use, marked used; -1 if none is left. */
static long take_window(void)
{
    for (unsigned w = 0; w < kern.max_windows; w++) {
        if (kern.window_used[w / 8] & (1u << (w % 8)))
            continue;
        kern.window_used[w / 8] |= (uint8_t)(1u << (w % 8));
        return w;
    }
    return -1;
}

static void put_window(L4_Word_t base)
{
    unsigned w = (unsigned)((base - kern.window_base) / kern.window_size);
    kern.window_used[w / 8] &= (uint8_t)~(1u << (w % 8));
}

/* Reserves window w in the host the first time it is used; windows below
 * next_window stay reserved when their space goes away. */
static bool reserve_window(unsigned w, L4_Word_t base)
{
    if (w < kern.next_window)
        return true;
    void *p = mmap((void *)base, kern.window_size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    if ((L4_Word_t)p != base) {
        munmap(p, kern.window_size);
        return false;
    }
    kern.next_window = w + 1;
    return true;
}

kern_space_t *kern_space_create(void)
{
    kern_space_t *s = calloc(1, sizeof *s);
    long w = s ? take_window() : -1;
    if (w < 0) {
        free(s);
        return NULL;
    }
    L4_Word_t base = kern.window_base + (L4_Word_t)w * kern.window_size;
    if (!reserve_window((unsigned)w, base)) {
        put_window(base);
        free(s);
        return NULL;
    }
    s->serial = kern.nspaces++;
    s->base = base;
    s->size = kern.window_size;
    snprintf(s->name, sizeof s->name, "space%u", s->serial);
    s->pkey = kern_iso_key_take(s, 0);
    kern_iso_tag(s->pkey, base, kern.window_size, PROT_NONE);
    kern_mdb_space_init(s);
    if (KTRACE_ON(KT_TASK_NEW)) {
        kern_trace_space_named(s);
        kern_trace_rec(KT_TASK_NEW, kern_self, NULL, 0, s->serial, 0, 0, 0);
    }
    return s;
}

static bool in_window(const kern_space_t *s, L4_Word_t addr)
{
    return s && addr >= s->base && addr - s->base < s->size;
}

/* The address in s's window that addr names for s, in *out: addr itself if
 * it lies in s's window, else the same offset in s's window if it lies in
 * the calling thread's window (see the file comment).  False if neither. */
bool kern_space_reloc(const kern_space_t *s, L4_Word_t addr, L4_Word_t *out)
{
    const kern_space_t *caller = kern_self ? kern_self->space : NULL;
    if (in_window(s, addr))
        *out = addr;
    else if (in_window(caller, addr))
        *out = s->base + (addr - caller->base);
    else
        return false;
    return true;
}

static bool fpage_in_window(kern_space_t *s, L4_Word_t base, L4_Word_t size)
{
    return size && base >= s->base && base - s->base < s->size && size <= s->size - (base - s->base);
}

/* Sets the KIP and UTCB areas (fpages, relocated into s's window).  Returns
 * 0 or an X.2 error code (6 UtcbArea, 7 KipArea). */
int kern_space_set_areas(kern_space_t *s, L4_Word_t kip_area, L4_Word_t utcb_area)
{
    L4_Word_t kbase, ksize = kw_fpage_size(kip_area);
    L4_Word_t ubase, usize = kw_fpage_size(utcb_area);
    /* Pistachio's order: the UTCB area first; a KIP area that overlaps
     * the UTCB area is a bad KIP area. */
    if (kw_fpage_is_nil(utcb_area) || usize < KERN_PAGE_SIZE || !kern_space_reloc(s, kw_fpage_base(utcb_area), &ubase) ||
        !fpage_in_window(s, ubase, usize))
        return 6;
    if (kw_fpage_is_nil(kip_area) || ksize < (1UL << KERN_KIP_SIZE_LOG2) ||
        !kern_space_reloc(s, kw_fpage_base(kip_area), &kbase) || !fpage_in_window(s, kbase, ksize))
        return 7;
    if (kbase < ubase + usize && ubase < kbase + ksize)
        return 7;
    void *k = mmap((void *)kbase, KERN_PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (k == MAP_FAILED)
        return 8;
    s->kip_area = kw_fpage(kbase, kw_fpage_s(kip_area), 0);
    s->utcb_area = kw_fpage(ubase, kw_fpage_s(utcb_area), 0);
    s->kip = k;
    kern_kip_fill_space(s);
    mprotect(k, KERN_PAGE_SIZE, PROT_READ);
    kern_iso_tag(s->pkey, (uintptr_t)k, KERN_PAGE_SIZE, PROT_READ);
    free(s->utcb_pages);
    s->utcb_pages = calloc(usize / KERN_PAGE_SIZE / 8 + 1, 1);
    return s->utcb_pages ? 0 : 8;
}

/* Moves s's memory to protection key `key`: installed frames, the KIP
 * copy and the UTCB pages (the reservation's key does not matter). */
void kern_space_retag(kern_space_t *s, int key)
{
    s->pkey = key;
    kern_mdb_space_retag(s, key);
    if (s->kip)
        kern_iso_tag(key, (uintptr_t)s->kip, KERN_PAGE_SIZE, PROT_READ);
    if (!s->utcb_area || !s->utcb_pages)
        return;
    L4_Word_t base = kw_fpage_base(s->utcb_area), pages = kw_fpage_size(s->utcb_area) / KERN_PAGE_SIZE;
    for (L4_Word_t p = 0; p < pages; p++)
        if (s->utcb_pages[p / 8] & (1u << (p % 8)))
            kern_iso_tag(key, base + p * KERN_PAGE_SIZE, KERN_PAGE_SIZE, PROT_READ | PROT_WRITE);
}

/* Is location (already relocated) a valid UTCB block address in s? */
bool kern_space_utcb_valid(kern_space_t *s, L4_Word_t location)
{
    if (!s->utcb_area)
        return false;
    L4_Word_t base = kw_fpage_base(s->utcb_area), size = kw_fpage_size(s->utcb_area);
    if (location < base || location - base > size - KERN_UTCB_SIZE)
        return false;
    if (location & (KERN_UTCB_SIZE - 1))
        return false;
    for (kern_thread_t *t = s->threads; t; t = t->space_next)
        if (t->utcb && t->utcb_location == location)
            return false;
    return true;
}

/* Backs the UTCB block at location with memory; returns its MR0 pointer. */
L4_Word_t *kern_space_utcb_map(kern_space_t *s, L4_Word_t location)
{
    L4_Word_t base = kw_fpage_base(s->utcb_area);
    L4_Word_t page = (location - base) / KERN_PAGE_SIZE;
    if (!(s->utcb_pages[page / 8] & (1u << (page % 8)))) {
        void *p = mmap((void *)(location & ~(KERN_PAGE_SIZE - 1)), KERN_PAGE_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        kern_iso_tag(s->pkey, (uintptr_t)p, KERN_PAGE_SIZE, PROT_READ | PROT_WRITE);
        s->utcb_pages[page / 8] |= 1u << (page % 8);
    }
    return (L4_Word_t *)(location + __L4_HOSTED_UTCB_MR0_OFFSET);
}

/* The last thread of s is gone: drop the window's contents (its frames,
 * KIP copy and UTCBs; the range stays reserved, inaccessible) and hand the
 * window out again to the next new space. */
void kern_space_release(kern_space_t *s)
{
    if (KTRACE_ON(KT_TASK_DEAD)) {
        kern_trace_space_named(s);
        kern_trace_rec(KT_TASK_DEAD, NULL, NULL, 0, s->serial, 0, 0, 0);
    }
    kern_mdb_space_release(s);
    kern_io_space_release(s);
    if (mmap((void *)s->base, s->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) ==
        MAP_FAILED)
        kern_panic("cannot clear the window of %s", s->name);
    put_window(s->base);
    kern_iso_key_put(s->pkey, s);
    free(s->utcb_pages);
    free(s);
}
