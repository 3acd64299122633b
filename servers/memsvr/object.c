/* Memory objects: the pages behind map entries, with shadow chains for
 * copy-on-write, in the style of Mach's vm_object.
 *
 * An object holds resident pages (a sorted array of page index -> frame)
 * and may have a shadow: the object it was copied from.  A page that the
 * object lacks is looked up in the shadow (at page + shadow_pg), and so on
 * down the chain; a page found nowhere is zero-filled on demand.
 *
 * Invariants:
 *  1. refs counts map entries, handles and shadow children; an object
 *     with refs == 0 is freed with its pages, and releases its shadow.
 *  2. An object with shadow children, or referred to by an entry with
 *     needs_copy, is never written again (except that a page found
 *     nowhere may be added as zeros) and none of its frames is mapped
 *     writable: map_copy_cow write-protects the source when it sets
 *     needs_copy, and a write through such an entry first gives the entry
 *     a shadow (range.c).  Only an entry's own object is written.
 *  3. Collapse: an object whose only reference is its one child is merged
 *     into that child (pages the child lacks move up, the rest are freed,
 *     the child takes over the shadow).  So a chain holds only objects
 *     that something besides the chain still needs, and repeated copies
 *     whose sources go away keep the chain short.
 *  4. children == the number of objects on child_first's sibling list,
 *     each with shadow == this object.
 *  5. A page entry is resident (frame), in swap (slot), or both (clean,
 *     its swap copy still good); never neither.  Every resident frame's
 *     reverse map (frame_owner) names its object and page, so the clock
 *     (reclaim.c) can find the entry to evict.  A page in swap is still
 *     the object's page: lookups read it back (page_in) rather than go on
 *     down the chain.
 *  6. An external object (ext, mobj.c) has no shadow, is never collapsed,
 *     is never swapped, and a page it lacks is asked of its manager, never
 *     zero-filled here: obj_ext_missing tells the callers that would. */
#include <string.h>

#include "memsvr.h"

static L4_Word_t swapped;                 /* page entries with no frame, only a slot */

static unsigned next_id = 1;
static L4_Word_t live;

obj_t *obj_new(vm_size_t pages)
{
    obj_t *o = ms_zalloc(sizeof *o);
    if (!o)
        return NULL;
    o->refs = 1;
    o->id = next_id++;
    o->pages = pages;
    live++;
    return o;
}

L4_Word_t obj_live_count(void)
{
    return live;
}

void obj_ref(obj_t *o)
{
    o->refs++;
}

/* Index of the first page >= pg in o's array. */
static unsigned lower_bound(const obj_t *o, vm_offset_t pg)
{
    unsigned lo = 0, hi = o->npages;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (o->page[mid].pg < pg)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

obj_page_t *obj_page_at(obj_t *o, vm_offset_t pg)
{
    unsigned i = lower_bound(o, pg);
    return i < o->npages && o->page[i].pg == pg ? &o->page[i] : NULL;
}

bool obj_has(obj_t *o, vm_offset_t pg)
{
    return obj_page_at(o, pg) != NULL;
}

frame_t obj_resident(obj_t *o, vm_offset_t pg)
{
    obj_page_t *p = obj_page_at(o, pg);
    return p ? p->frame : FRAME_NONE;
}

L4_Word_t obj_swapped_count(void)
{
    return swapped;
}

void obj_note_swapped(int delta)
{
    swapped += (L4_Word_t)(long)delta;
}

unsigned obj_own_count(obj_t *o, vm_offset_t pg, vm_size_t n)
{
    return lower_bound(o, pg + n) - lower_bound(o, pg);
}

/* Reads p (in swap) back into a new frame charged to t.  frame_alloc may
 * evict other pages, never a busy one, and changes entries only in
 * place, so p stays valid. */
static kern_return_t page_in(obj_t *o, obj_page_t *p, mtask_t *t)
{
    frame_t f;
    kern_return_t r = task_charge_check(t, 1);
    if (r == KERN_SUCCESS)
        r = frame_alloc(t, &f);
    if (r != KERN_SUCCESS)
        return r;
    if ((r = swap_read(p->slot, f)) != KERN_SUCCESS) {
        frame_free(f);
        return r;
    }
    p->frame = f;
    swapped--;
    frame_set_owner(f, o, p->pg);
    frame_set_flags(f, 0, FRAME_DIRTY);    /* the slot keeps a good copy */
    ms_pageins++;
    if (t)
        t->pageins++;
    reclaim_note_pagein(t);
    return KERN_SUCCESS;
}

kern_return_t obj_get(obj_t *o, vm_offset_t pg, mtask_t *t, frame_t *f)
{
    obj_page_t *p = obj_page_at(o, pg);
    *f = FRAME_NONE;
    if (!p)
        return KERN_SUCCESS;
    if (p->frame == FRAME_NONE) {
        kern_return_t r = page_in(o, p, t);
        if (r != KERN_SUCCESS)
            return r;
    }
    *f = p->frame;
    frame_busy(*f);
    return KERN_SUCCESS;
}

kern_return_t obj_lookup(obj_t *o, vm_offset_t pg, mtask_t *t, frame_t *f, obj_t **holder)
{
    *holder = NULL;
    *f = FRAME_NONE;
    for (; o; o = o->shadow) {
        if (pg >= o->pages)
            break;
        if (obj_has(o, pg)) {
            *holder = o;
            return obj_get(o, pg, t, f);
        }
        pg += o->shadow_pg;
    }
    return KERN_SUCCESS;
}

bool obj_insert(obj_t *o, vm_offset_t pg, frame_t f)
{
    unsigned i = lower_bound(o, pg);
    if (i < o->npages && o->page[i].pg == pg) {
        obj_page_t *p = &o->page[i];
        if (p->frame == FRAME_NONE)
            swapped--;
        if (p->slot != SLOT_NONE)
            swap_free(p->slot);
        p->frame = f;
        p->slot = SLOT_NONE;
        frame_set_owner(f, o, pg);
        return true;
    }
    if (o->npages == o->cap) {
        unsigned cap = o->cap ? o->cap * 2 : 16;
        obj_page_t *p = ms_realloc(o->page, cap * sizeof *p);
        if (!p)
            return false;
        o->page = p;
        o->cap = cap;
    }
    memmove(&o->page[i + 1], &o->page[i], (o->npages - i) * sizeof o->page[0]);
    o->page[i].pg = pg;
    o->page[i].frame = f;
    o->page[i].slot = SLOT_NONE;
    o->npages++;
    frame_set_owner(f, o, pg);
    return true;
}

frame_t obj_remove(obj_t *o, vm_offset_t pg)
{
    unsigned i = lower_bound(o, pg);
    if (i >= o->npages || o->page[i].pg != pg)
        return FRAME_NONE;
    obj_page_t p = o->page[i];
    memmove(&o->page[i], &o->page[i + 1], (o->npages - i - 1) * sizeof o->page[0]);
    o->npages--;
    if (p.slot != SLOT_NONE)
        swap_free(p.slot);
    if (p.frame == FRAME_NONE)
        swapped--;
    else
        frame_set_owner(p.frame, NULL, 0);
    return p.frame;
}

unsigned obj_flags(obj_t *o, vm_offset_t pg)
{
    frame_t f = obj_resident(o, pg);
    return f == FRAME_NONE ? 0 : frame_flags(f) & (PGF_DIRTY | PGF_WLOCK);
}

void obj_set_flags(obj_t *o, vm_offset_t pg, unsigned set, unsigned clear)
{
    frame_t f = obj_resident(o, pg);
    if (f != FRAME_NONE)
        frame_set_flags(f, set & (PGF_DIRTY | PGF_WLOCK), clear & (PGF_DIRTY | PGF_WLOCK));
}

obj_t *obj_ext_missing(obj_t *o, vm_offset_t pg, vm_offset_t *xpg)
{
    for (; o; o = o->shadow) {
        if (pg >= o->pages)
            return NULL;
        if (obj_has(o, pg))
            return NULL;
        if (o->ext) {
            *xpg = pg;
            return o;
        }
        pg += o->shadow_pg;
    }
    return NULL;
}

static void child_link(obj_t *parent, obj_t *c)
{
    c->sib_prev = NULL;
    c->sib_next = parent->child_first;
    if (parent->child_first)
        parent->child_first->sib_prev = c;
    parent->child_first = c;
    parent->children++;
}

static void child_unlink(obj_t *parent, obj_t *c)
{
    if (c->sib_prev)
        c->sib_prev->sib_next = c->sib_next;
    else
        parent->child_first = c->sib_next;
    if (c->sib_next)
        c->sib_next->sib_prev = c->sib_prev;
    c->sib_next = c->sib_prev = NULL;
    parent->children--;
}

obj_t *obj_shadow(obj_t *o, vm_offset_t pg, vm_size_t pages)
{
    obj_t *c = obj_new(pages);
    if (!c)
        return NULL;
    obj_ref(o);
    c->shadow = o;
    c->shadow_pg = pg;
    child_link(o, c);
    return c;
}

/* Frees what p holds: its frame and its swap slot. */
static void page_drop(obj_page_t *p)
{
    if (p->frame != FRAME_NONE)
        frame_free(p->frame);
    else
        swapped--;
    if (p->slot != SLOT_NONE)
        swap_free(p->slot);
}

static void free_pages(obj_t *o)
{
    for (unsigned i = 0; i < o->npages; i++)
        page_drop(&o->page[i]);
    ms_free(o->page);
    o->page = NULL;
    o->npages = o->cap = 0;
}

/* Merges parent p (referenced only by its one child c) into c. */
static void collapse(obj_t *p, obj_t *c)
{
    unsigned n = 0, i = 0, j = 0;
    vm_offset_t lo = c->shadow_pg, hi = c->shadow_pg + c->pages;
    unsigned cap = c->npages + obj_own_count(p, lo, c->pages);
    obj_page_t *m = cap ? ms_alloc(cap * sizeof *m) : NULL;
    if (cap && !m)
        return;                         /* no memory: the chain stays as it is */
    while (i < c->npages || j < p->npages) {
        if (j < p->npages && (p->page[j].pg < lo || p->page[j].pg >= hi)) {
            page_drop(&p->page[j++]);
            continue;
        }
        vm_offset_t pj = j < p->npages ? p->page[j].pg - lo : ~(vm_offset_t)0;
        if (i < c->npages && c->page[i].pg <= pj) {
            if (c->page[i].pg == pj)
                page_drop(&p->page[j++]);          /* hidden by the child's copy */
            m[n++] = c->page[i++];
        } else {
            m[n] = p->page[j++];
            m[n++].pg = pj;
        }
    }
    for (unsigned k = 0; k < n; k++)
        if (m[k].frame != FRAME_NONE)
            frame_set_owner(m[k].frame, c, m[k].pg);
    ms_free(c->page);
    c->page = m;
    c->npages = c->cap = n;
    ms_free(p->page);
    p->page = NULL;
    p->npages = 0;
    child_unlink(p, c);
    c->shadow = p->shadow;
    c->shadow_pg += p->shadow_pg;
    if (p->shadow) {
        child_unlink(p->shadow, p);
        child_link(p->shadow, c);       /* p's reference of its shadow passes to c */
    }
    live--;
    ms_free(p);
}

/* Collapses o into its only child when nothing else refers to o. */
static void try_collapse(obj_t *o)
{
    if (o->refs == 1 && o->children == 1 && !o->ext)
        collapse(o, o->child_first);
}

void obj_release(obj_t *o)
{
    while (o) {
        if (--o->refs > 0) {
            try_collapse(o);
            return;
        }
        obj_t *s = o->shadow;
        if (o->ext)
            mobj_object_gone(o);
        free_pages(o);
        if (s)
            child_unlink(s, o);
        live--;
        ms_free(o);
        o = s;
    }
}

void obj_walk_own(obj_t *o, vm_offset_t pg, vm_size_t n, void (*fn)(frame_t f))
{
    unsigned end = lower_bound(o, pg + n);
    for (unsigned i = lower_bound(o, pg); i < end; i++)
        if (o->page[i].frame != FRAME_NONE)
            fn(o->page[i].frame);
}

void obj_walk_chain(obj_t *o, vm_offset_t pg, vm_size_t n, void (*fn)(frame_t f))
{
    for (; o; o = o->shadow) {
        obj_walk_own(o, pg, n, fn);
        pg += o->shadow_pg;
    }
}

/* Pages of [pg, pg + n) that o's chain holds, resident or in swap. */
unsigned obj_count_chain(obj_t *o, vm_offset_t pg, vm_size_t n)
{
    unsigned count = 0;
    for (vm_size_t i = 0; i < n; i++) {
        vm_offset_t q = pg + i;
        for (obj_t *c = o; c && q < c->pages; q += c->shadow_pg, c = c->shadow)
            if (obj_has(c, q)) {
                count++;
                break;
            }
    }
    return count;
}

unsigned obj_depth(const obj_t *o)
{
    unsigned d = 0;
    for (; o; o = o->shadow)
        d++;
    return d;
}
