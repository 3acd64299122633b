/* Address spaces as windows: each space owns a size-aligned range of the
 * host's address space, reserved inaccessible; a guest virtual address is
 * the host address.  The kernel places each space's KIP copy and UTCBs
 * inside its window.  Addresses a privileged thread names for another
 * space (KIP area, UTCB area, UTCB location) are taken relative to that
 * space's window, so a creator may pass the layout of its own window. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <l4/hosted/vregs.h>
#include "kern.h"
#include "kern_mem.h"

kern_space_t *kern_space_create(void)
{
    kern_space_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    L4_Word_t base = kern.window_base + (L4_Word_t)kern.next_window * kern.window_size;
    void *p = mmap((void *)base, kern.window_size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || (L4_Word_t)p != base) {
        if (p != MAP_FAILED)
            munmap(p, kern.window_size);
        free(s);
        return NULL;
    }
    kern.next_window++;
    s->serial = kern.nspaces++;
    s->base = base;
    s->size = kern.window_size;
    snprintf(s->name, sizeof s->name, "space%u", s->serial);
    kern_mdb_space_init(s);
    return s;
}

/* The address in s's window that addr names (addr taken modulo the window
 * size, see the file comment). */
L4_Word_t kern_space_reloc(kern_space_t *s, L4_Word_t addr)
{
    return s->base + (addr & (s->size - 1));
}

static bool fpage_in_window(kern_space_t *s, L4_Word_t base, L4_Word_t size)
{
    return size && base >= s->base && base - s->base < s->size && size <= s->size - (base - s->base);
}

/* Sets the KIP and UTCB areas (fpages, relocated into s's window).  Returns
 * 0 or an X.2 error code (6 UtcbArea, 7 KipArea). */
int kern_space_set_areas(kern_space_t *s, L4_Word_t kip_area, L4_Word_t utcb_area)
{
    L4_Word_t kbase = kern_space_reloc(s, kw_fpage_base(kip_area));
    L4_Word_t ksize = kw_fpage_size(kip_area);
    L4_Word_t ubase = kern_space_reloc(s, kw_fpage_base(utcb_area));
    L4_Word_t usize = kw_fpage_size(utcb_area);
    /* Pistachio's order: the UTCB area first; a KIP area that overlaps
     * the UTCB area is a bad KIP area. */
    if (kw_fpage_is_nil(utcb_area) || usize < KERN_PAGE_SIZE || !fpage_in_window(s, ubase, usize))
        return 6;
    if (kw_fpage_is_nil(kip_area) || ksize < (1UL << KERN_KIP_SIZE_LOG2) || !fpage_in_window(s, kbase, ksize))
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
    free(s->utcb_pages);
    s->utcb_pages = calloc(usize / KERN_PAGE_SIZE / 8 + 1, 1);
    return s->utcb_pages ? 0 : 8;
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
        s->utcb_pages[page / 8] |= 1u << (page % 8);
    }
    return (L4_Word_t *)(location + __L4_HOSTED_UTCB_MR0_OFFSET);
}

/* The last thread of s is gone: drop the window's contents (the range
 * stays reserved and is not handed out again). */
void kern_space_release(kern_space_t *s)
{
    kern_mdb_space_release(s);
    mmap((void *)s->base, s->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    free(s->utcb_pages);
    free(s);
}
