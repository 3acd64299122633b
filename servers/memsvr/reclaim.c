/* Page replacement: one clock over every frame memsvr holds, whatever
 * task's, driven by the referenced and written bits L4_Unmap reports.
 *
 * The hand walks the pool in frame order.  At each frame in use that
 * holds an object page (the reverse map), is not wired and not busy:
 *   - it asks the kernel for the frame's access bits (an Unmap of no
 *     rights, which also resets them); written: the page is dirty;
 *   - referenced: the page was used since the hand last passed, it stays
 *     (a reactivation);
 *   - not referenced: it is evicted.  A full Unmap takes it from every
 *     task (and reports a write since the query); a clean page whose swap
 *     slot still holds it is dropped, any other is written to swap first
 *     first; then the frame is free.
 * A page that cannot go (swap full, the device fails) stays resident.
 *
 * When: memsvr is one thread, so the reclaimer runs in its loop: between
 * requests (reclaim_safe_point) while the free frames are below the low
 * water mark, up to the high water mark; and directly in frame_alloc when
 * no frame is free at all, or a group is at its share (partitioned
 * pagers: the hand then skips other groups' frames).
 *
 * Invariants:
 *  1. A busy frame (looked up by the request being served) is never
 *     evicted: the caller may still copy from it or map it.
 *  2. A wired frame is never evicted.
 *  3. A page leaves memory only with a good copy in its swap slot:
 *     eviction never loses data.
 *  4. Thrashing: over each window of THRASH_WINDOW faults, thrashing is
 *     on when at least half of them read a page back from swap, off again
 *     when fewer than an eighth did. */
#include <stdio.h>
#include <string.h>
#include <l4/space.h>

#include "memsvr.h"

#define BUSY_MAX        32              /* frames one request may hold busy */
#define THRASH_WINDOW   256
#define LOW_MIN         32              /* at least: a fault-ahead run and a copy */

L4_Word_t ms_pageins, ms_pageouts, ms_reactivations, ms_thrashing, ms_thrash_events;
static L4_Word_t reclaims, scanned;
static frame_t hand[VM_GROUPS + 1];      /* the global clock's, then each group pager's */
static frame_t busy[BUSY_MAX];
static unsigned nbusy;
static L4_Word_t win_faults, win_pageins;
static L4_Word_t share[VM_GROUPS];

void frame_busy(frame_t f)
{
    if (frame_flags(f) & FRAME_BUSY)
        return;
    if (nbusy == BUSY_MAX) {            /* the oldest is done with: it may go again */
        frame_set_flags(busy[0], 0, FRAME_BUSY);
        memmove(busy, busy + 1, (BUSY_MAX - 1) * sizeof busy[0]);
        nbusy--;
    }
    busy[nbusy++] = f;
    frame_set_flags(f, FRAME_BUSY, 0);
}

/* The swap copy of f's page no longer matches (memsvr or a task wrote
 * it): the slot goes, the page must be written out again. */
void frame_dirty(frame_t f)
{
    vm_offset_t pg;
    obj_t *o = frame_owner(f, &pg);
    frame_set_flags(f, FRAME_DIRTY, 0);
    obj_page_t *p = o ? obj_page_at(o, pg) : NULL;
    if (p && p->slot != SLOT_NONE) {
        swap_free(p->slot);
        p->slot = SLOT_NONE;
    }
}

static L4_Word_t low_water(void)
{
    L4_Word_t total = frames_in_use() + frames_free_count(), low = total / 32;
    return low < LOW_MIN ? LOW_MIN : low;
}

/* Moves the page in f out of memory; false when it has to stay. */
static bool evict(frame_t f, obj_t *o, vm_offset_t pg)
{
    obj_page_t *p = obj_page_at(o, pg);
    slot_t fresh = SLOT_NONE;
    if (!p || p->frame != f)
        return false;                   /* the reverse map is stale: never guess */
    /* a page without a swap copy needs a slot: none, and it stays mapped */
    if (p->slot == SLOT_NONE && !swap_alloc(&fresh))
        return false;
    if (frame_access(f, L4_FullyAccessible) & L4_Writable)
        frame_dirty(f);
    bool dirty = (frame_flags(f) & FRAME_DIRTY) || p->slot == SLOT_NONE;
    if (dirty) {
        slot_t s = p->slot != SLOT_NONE ? p->slot : fresh;
        if (s == SLOT_NONE && !swap_alloc(&s))
            return false;               /* its old copy went just now (frame_dirty) */
        if (swap_write(s, f) != KERN_SUCCESS) {
            if (s != p->slot)
                swap_free(s);
            return false;
        }
        if (fresh != SLOT_NONE && fresh != s)
            swap_free(fresh);
        p->slot = s;
        ms_pageouts++;
        mtask_t *t = frame_task(f);
        if (t)
            t->pageouts++;
    } else if (fresh != SLOT_NONE) {
        swap_free(fresh);
    }
    /* the entry keeps the page, in swap */
    p->frame = FRAME_NONE;
    obj_note_swapped(1);
    return true;
}

L4_Word_t reclaim(L4_Word_t want, unsigned g)
{
    frame_t n = frames_extent();
    L4_Word_t freed = 0;
    if (!n || !want)
        return 0;
    reclaims++;
    /* two full turns: the first may only clear referenced bits */
    frame_t *h = &hand[g < VM_GROUPS ? g : VM_GROUPS];
    for (frame_t steps = 0; steps < 2 * n && freed < want; steps++) {
        frame_t f = *h < n ? *h : 0;
        *h = f + 1 < n ? f + 1 : 0;
        vm_offset_t pg;
        obj_t *o;
        if (frame_is_free(f) || !(o = frame_owner(f, &pg)) || frame_wired(f) ||
            (frame_flags(f) & FRAME_BUSY) || (g < VM_GROUPS && frame_group(f) != g))
            continue;
        if (o->ext) {                   /* a memory manager's page: back to it, never to swap */
            if (frame_access(f, 0) & (L4_Readable | L4_Writable | L4_eXecutable)) {
                ms_reactivations++;
                continue;
            }
            if (mobj_page_out(o, pg) == 1)  /* dropped; a dirty one moves to its manager, */
                freed++;                        /* which frees it once written */
            continue;
        }
        if (!swap_enabled())
            continue;
        scanned++;
        unsigned bits = frame_access(f, 0);
        if (bits & L4_Writable)
            frame_dirty(f);
        if (bits & (L4_Readable | L4_Writable | L4_eXecutable)) {
            ms_reactivations++;
            continue;
        }
        if (!evict(f, o, pg))
            continue;
        frame_free(f);
        freed++;
    }
    return freed;
}

void reclaim_safe_point(void)
{
    while (nbusy)
        frame_set_flags(busy[--nbusy], 0, FRAME_BUSY);
    L4_Word_t avail = frames_available(), low = low_water();
    if (swap_enabled() && avail < low)
        reclaim(2 * low - avail, VM_GROUPS);
}

void reclaim_note_fault(void)
{
    if (++win_faults < THRASH_WINDOW)
        return;
    if (!ms_thrashing && win_pageins * 2 >= win_faults) {
        ms_thrashing = 1;
        ms_thrash_events++;
        printf("memsvr: thrashing: %lu of the last %lu faults read pages back from swap\n", win_pageins,
               win_faults);
    } else if (ms_thrashing && win_pageins * 8 < win_faults) {
        ms_thrashing = 0;
        printf("memsvr: thrashing over\n");
    }
    win_faults = win_pageins = 0;
}

void reclaim_note_pagein(mtask_t *t)
{
    (void)t;
    win_pageins++;
}

void reclaim_get_info(vm_swap_info *info)
{
    L4_Word_t low = low_water();
    info->pageins = ms_pageins;
    info->pageouts = ms_pageouts;
    info->low_water = low;
    info->high_water = 2 * low;
    info->reclaims = reclaims;
    info->scanned = scanned;
    info->thrashing = ms_thrashing;
    info->thrash_events = ms_thrash_events;
}

L4_Word_t group_share(unsigned g)
{
    return g < VM_GROUPS ? share[g] : 0;
}

void group_set_share(unsigned g, L4_Word_t frames)
{
    if (g < VM_GROUPS)
        share[g] = frames;
}
