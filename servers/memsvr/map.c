/* memsvr: the per-task address map (map.h): a sorted, doubly linked list of
 * entries around a sentinel, with a lookup hint, and Mach's rules for each
 * VM call.  Every call checks all its arguments and reserves the entries it
 * may need before it changes anything, so a failed call changes nothing. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map.h"
#include "map_impl.h"

/* ---- pool ---- */

void map_pool_init(map_pool_t *p)
{
    p->free = NULL;
    p->nfree = 0;
    p->ntotal = 0;
}

size_t map_pool_add(map_pool_t *p, void *mem, size_t bytes)
{
    uintptr_t a = (uintptr_t)mem, end = a + bytes;
    size_t n = 0;

    if (mem == NULL || end < a)
        return 0;
    a = (a + _Alignof(map_entry_t) - 1) & ~(uintptr_t)(_Alignof(map_entry_t) - 1);
    while (a < end && end - a >= sizeof(map_entry_t)) {
        map_entry_t *e = (map_entry_t *)a;
        e->next = p->free;
        p->free = e;
        a += sizeof(map_entry_t);
        n++;
    }
    p->nfree += n;
    p->ntotal += n;
    return n;
}

bool mapi_pool_has(const map_t *m, size_t n)
{
    return m->pool->nfree >= n;
}

/* Callers have checked pool_has first. */
map_entry_t *mapi_entry_get(map_t *m)
{
    map_entry_t *e = m->pool->free;

    m->pool->free = e->next;
    m->pool->nfree--;
    e->object = NULL;
    e->offset = 0;
    e->wired = 0;
    e->needs_copy = false;
    e->prev = e->next = NULL;
    return e;
}

void mapi_entry_put(map_t *m, map_entry_t *e)
{
    e->next = m->pool->free;
    m->pool->free = e;
    m->pool->nfree++;
}

/* ---- list ---- */

static map_entry_t *head(map_t *m)
{
    return &m->head;
}

void mapi_link_after(map_t *m, map_entry_t *prev, map_entry_t *e)
{
    e->prev = prev;
    e->next = prev->next;
    prev->next->prev = e;
    prev->next = e;
    m->nentries++;
    m->size += e->end - e->start;
}

void mapi_unlink_entry(map_t *m, map_entry_t *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    if (m->hint == e)
        m->hint = e->prev;
    m->nentries--;
    m->size -= e->end - e->start;
}

/* The entry containing addr, or NULL with *prev the last entry below addr
 * (the sentinel when there is none). */
map_entry_t *mapi_find(map_t *m, vm_address_t addr, map_entry_t **prev)
{
    map_entry_t *h = head(m), *e = h->next;

    if (m->hint != h && m->hint->start <= addr)
        e = m->hint;
    while (e != h && e->end <= addr)
        e = e->next;
    if (e != h && e->start <= addr) {
        m->hint = e;
        *prev = e->prev;
        return e;
    }
    *prev = e->prev;
    return NULL;
}

/* Splits e at `at` (strictly inside it); the new upper half follows e.
 * Needs one free entry. */
static void clip_at(map_t *m, map_entry_t *e, vm_address_t at)
{
    map_entry_t *n = mapi_entry_get(m);

    *n = *e;
    n->start = at;
    n->offset = e->offset + (at - e->start);
    m->size -= e->end - at;
    e->end = at;
    mapi_link_after(m, e, n);
    if (n->object != NULL)
        m->ops->ref(m, n->object);
}

/* Clips at start and end; returns the first entry at or above start (the
 * sentinel when none).  Needs mapi_clip_need(m, start, end) free entries. */
map_entry_t *mapi_clip_range(map_t *m, vm_address_t start, vm_address_t end)
{
    map_entry_t *prev, *first = mapi_find(m, start, &prev), *e;

    if (first == NULL)
        first = prev->next;
    else if (first->start < start) {
        clip_at(m, first, start);
        first = first->next;
    }
    for (e = first; e != head(m) && e->start < end; e = e->next)
        if (e->end > end)
            clip_at(m, e, end);
    return first;
}

size_t mapi_clip_need(map_t *m, vm_address_t start, vm_address_t end)
{
    map_entry_t *prev, *a = mapi_find(m, start, &prev), *b = mapi_find(m, end - 1, &prev);
    size_t n = 0;

    if (a != NULL && a->start < start)
        n++;
    if (b != NULL && b->end > end)
        n++;
    return n;
}

/* ---- argument rules ---- */

/* [trunc(addr), round(addr+size)); INVALID_ARGUMENT when it wraps. */
kern_return_t mapi_range_of(vm_address_t addr, vm_size_t size, vm_address_t *start,
                              vm_address_t *end)
{
    vm_address_t last;

    if (size > ~(vm_address_t)0 - addr)
        return KERN_INVALID_ARGUMENT;
    last = addr + size;
    if (round_page(last) < last)
        return KERN_INVALID_ARGUMENT;
    *start = trunc_page(addr);
    *end = round_page(last);
    return KERN_SUCCESS;
}

static bool prot_ok(vm_prot_t p)
{
    return (p & ~VM_PROT_ALL) == 0;
}

bool mapi_inherit_ok(vm_inherit_t i)
{
    return i == VM_INHERIT_SHARE || i == VM_INHERIT_COPY || i == VM_INHERIT_NONE;
}

/* Rounds x up to satisfy (x & mask) == 0; false when that wraps. */
static bool align_up(vm_address_t *x, vm_address_t mask)
{
    if (*x > ~(vm_address_t)0 - mask)
        return false;
    *x = (*x + mask) & ~mask;
    return true;
}

/* First fit of len bytes at or above lower with (addr & mask) == 0.  On
 * success *prev is the entry the new one goes after. */
static kern_return_t find_space(map_t *m, vm_address_t lower, vm_size_t len, vm_address_t mask,
                                vm_address_t *addr, map_entry_t **prev)
{
    map_entry_t *h = head(m), *e = h->next;
    vm_address_t start = lower < m->min ? m->min : lower;

    mask |= PAGE_MASK;
    if (!align_up(&start, mask))
        return KERN_NO_SPACE;
    for (;;) {
        while (e != h && e->end <= start)
            e = e->next;
        if (start >= m->max || len > m->max - start)
            return KERN_NO_SPACE;
        if (e == h || start + len <= e->start) {
            *addr = start;
            *prev = e->prev;
            return KERN_SUCCESS;
        }
        start = e->end;
        if (!align_up(&start, mask))
            return KERN_NO_SPACE;
    }
}

/* Fixed placement of [start, start+len): inside the map, no overlap. */
static kern_return_t fixed_space(map_t *m, vm_address_t start, vm_size_t len, map_entry_t **prev)
{
    map_entry_t *e;

    if (start < m->min || start >= m->max || len > m->max - start)
        return KERN_INVALID_ADDRESS;
    e = mapi_find(m, start, prev);
    if (e != NULL || ((*prev)->next != head(m) && (*prev)->next->start < start + len))
        return KERN_NO_SPACE;
    return KERN_SUCCESS;
}

/* Where a new region of len bytes goes: anywhere at or above lower, or
 * fixed at lower. */
kern_return_t mapi_place(map_t *m, vm_address_t lower, vm_size_t len, vm_address_t mask,
                           bool anywhere, vm_address_t *addr, map_entry_t **prev)
{
    if (anywhere)
        return find_space(m, lower, len, mask, addr, prev);
    if ((lower & mask) != 0)
        return KERN_NO_SPACE; /* GNU Mach and XNU agree */
    *addr = lower;
    return fixed_space(m, lower, len, prev);
}

/* ---- life ---- */

void map_init(map_t *m, vm_address_t min, vm_address_t max, const map_ops_t *ops,
              map_pool_t *pool, void *ctx)
{
    m->min = min;
    m->max = max;
    m->head.start = m->head.end = 0;
    m->head.prev = m->head.next = &m->head;
    m->head.object = NULL;
    m->hint = &m->head;
    m->nentries = 0;
    m->size = 0;
    m->ops = ops;
    m->pool = pool;
    m->ctx = ctx;
}

/* Takes e out of the map: its mappings go, its reference is released. */
void mapi_remove_entry(map_t *m, map_entry_t *e)
{
    m->ops->flush(m, e->start, e->end, VM_PROT_ALL);
    mapi_unlink_entry(m, e);
    if (e->object != NULL)
        m->ops->release(m, e->object);
    mapi_entry_put(m, e);
}

void map_destroy(map_t *m)
{
    while (m->head.next != &m->head)
        mapi_remove_entry(m, m->head.next);
}

/* ---- the VM calls ---- */

/* Makes the entry [start, start+len) after prev. */
map_entry_t *mapi_new_entry(map_t *m, map_entry_t *prev, vm_address_t start, vm_size_t len,
                              vm_prot_t cur, vm_prot_t max, vm_inherit_t inherit)
{
    map_entry_t *e = mapi_entry_get(m);

    e->start = start;
    e->end = start + len;
    e->cur = cur;
    e->max = max;
    e->inherit = inherit;
    mapi_link_after(m, prev, e);
    return e;
}

/* The length of a new region of size bytes; INVALID_ARGUMENT on wrap. */
static kern_return_t region_len(vm_size_t size, vm_size_t *len)
{
    if (round_page(size) < size)
        return KERN_INVALID_ARGUMENT;
    *len = round_page(size);
    return KERN_SUCCESS;
}

/* map_enter's work, with anywhere searching at or above lower. */
static kern_return_t enter(map_t *m, vm_address_t lower, vm_address_t *addr, vm_size_t size,
                           vm_address_t mask, bool anywhere, vm_prot_t cur, vm_prot_t max,
                           vm_inherit_t inherit, map_entry_t **out)
{
    vm_address_t start;
    vm_size_t len;
    map_entry_t *prev;
    kern_return_t kr;

    if (size == 0 || !prot_ok(cur) || !prot_ok(max) || (cur & ~max) != 0 || !mapi_inherit_ok(inherit))
        return KERN_INVALID_ARGUMENT;
    if ((kr = region_len(size, &len)) != KERN_SUCCESS)
        return kr;
    if (!anywhere && len > ~(vm_address_t)0 - lower)
        return KERN_INVALID_ARGUMENT; /* like every wrapping range (docs/vm.md) */
    if (!mapi_pool_has(m, 1))
        return KERN_RESOURCE_SHORTAGE;
    if ((kr = mapi_place(m, lower, len, mask, anywhere, &start, &prev)) != KERN_SUCCESS)
        return kr;
    *out = mapi_new_entry(m, prev, start, len, cur, max, inherit);
    *addr = start;
    return KERN_SUCCESS;
}

kern_return_t map_allocate(map_t *m, vm_address_t *addr, vm_size_t size, bool anywhere)
{
    map_entry_t *e;

    if (size == 0) {
        *addr = 0;
        return KERN_SUCCESS;
    }
    return enter(m, anywhere ? m->min : trunc_page(*addr), addr, size, 0, anywhere,
                 VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT, &e);
}

kern_return_t map_enter(map_t *m, vm_address_t *addr, vm_size_t size, vm_address_t mask,
                        bool anywhere, void *object, vm_offset_t offset, bool needs_copy,
                        vm_prot_t cur, vm_prot_t max, vm_inherit_t inherit, map_entry_t **out)
{
    map_entry_t *e;
    kern_return_t kr;

    if (!page_aligned(offset))
        return KERN_INVALID_ARGUMENT;
    kr = enter(m, trunc_page(*addr), addr, size, mask, anywhere, cur, max, inherit, &e);
    if (kr != KERN_SUCCESS)
        return kr;
    e->object = object;
    e->offset = offset;
    e->needs_copy = needs_copy;
    if (out != NULL)
        *out = e;
    return KERN_SUCCESS;
}

kern_return_t map_deallocate(map_t *m, vm_address_t addr, vm_size_t size)
{
    vm_address_t start, end;
    map_entry_t *e, *next;
    kern_return_t kr;

    if (size == 0)
        return KERN_SUCCESS;
    if ((kr = mapi_range_of(addr, size, &start, &end)) != KERN_SUCCESS)
        return kr;
    if (start < m->min)
        start = m->min;
    if (end > m->max)
        end = m->max;
    if (start >= end)
        return KERN_SUCCESS;
    if (!mapi_pool_has(m, mapi_clip_need(m, start, end)))
        return KERN_RESOURCE_SHORTAGE;
    for (e = mapi_clip_range(m, start, end); e != head(m) && e->start < end; e = next) {
        next = e->next;
        mapi_remove_entry(m, e);
    }
    return KERN_SUCCESS;
}

/* Walks [start, end) in order: INVALID_ADDRESS at the first hole, or
 * PROTECTION_FAILURE at the first entry refused by bad(e, arg). */
static kern_return_t walk_check(map_t *m, vm_address_t start, vm_address_t end,
                                bool (*bad)(const map_entry_t *, int), int arg)
{
    map_entry_t *prev, *e = mapi_find(m, start, &prev);
    vm_address_t at = start;

    if (e == NULL)
        return KERN_INVALID_ADDRESS;
    for (; e != head(m) && e->start < end; e = e->next) {
        if (e->start > at)
            return KERN_INVALID_ADDRESS;
        if (bad != NULL && bad(e, arg))
            return KERN_PROTECTION_FAILURE;
        at = e->end;
    }
    return at < end ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

static bool above_max(const map_entry_t *e, int prot)
{
    return (prot & ~e->max) != 0;
}

static bool lacks(const map_entry_t *e, int need)
{
    return (need & ~e->cur) != 0;
}

kern_return_t map_protect(map_t *m, vm_address_t addr, vm_size_t size, bool set_max,
                          vm_prot_t prot)
{
    vm_address_t start, end;
    map_entry_t *e;
    kern_return_t kr;

    if (!prot_ok(prot))
        return KERN_INVALID_ARGUMENT;
    if (size == 0)
        return KERN_SUCCESS;
    if ((kr = mapi_range_of(addr, size, &start, &end)) != KERN_SUCCESS ||
        (kr = walk_check(m, start, end, above_max, prot)) != KERN_SUCCESS)
        return kr;
    if (!mapi_pool_has(m, mapi_clip_need(m, start, end)))
        return KERN_RESOURCE_SHORTAGE;
    for (e = mapi_clip_range(m, start, end); e != head(m) && e->start < end; e = e->next) {
        vm_prot_t cur = set_max ? (e->cur & prot) : prot, lost = e->cur & ~cur;

        if (set_max)
            e->max = prot;
        e->cur = cur;
        if (lost != 0)
            m->ops->flush(m, e->start, e->end, lost);
    }
    return KERN_SUCCESS;
}

kern_return_t map_inherit(map_t *m, vm_address_t addr, vm_size_t size, vm_inherit_t inherit)
{
    vm_address_t start, end;
    map_entry_t *e;
    kern_return_t kr;

    if (!mapi_inherit_ok(inherit))
        return KERN_INVALID_ARGUMENT;
    if (size == 0)
        return KERN_SUCCESS;
    if ((kr = mapi_range_of(addr, size, &start, &end)) != KERN_SUCCESS)
        return kr;
    if (!mapi_pool_has(m, mapi_clip_need(m, start, end)))
        return KERN_RESOURCE_SHORTAGE;
    for (e = mapi_clip_range(m, start, end); e != head(m) && e->start < end; e = e->next)
        e->inherit = inherit;
    return KERN_SUCCESS;
}

kern_return_t map_region(map_t *m, vm_address_t *addr, map_entry_t **out)
{
    map_entry_t *e = map_lookup_at_or_above(m, *addr);

    if (e == NULL)
        return KERN_NO_SPACE;
    *addr = e->start;
    *out = e;
    return KERN_SUCCESS;
}

/* ---- lookup and walks ---- */

map_entry_t *map_lookup(map_t *m, vm_address_t addr)
{
    map_entry_t *prev;

    return mapi_find(m, addr, &prev);
}

map_entry_t *map_lookup_at_or_above(map_t *m, vm_address_t addr)
{
    map_entry_t *prev, *e = mapi_find(m, addr, &prev);

    if (e == NULL)
        e = prev->next;
    return e == head(m) ? NULL : e;
}

map_entry_t *map_first(map_t *m)
{
    return m->head.next == head(m) ? NULL : m->head.next;
}

map_entry_t *map_next(map_t *m, map_entry_t *e)
{
    return e->next == head(m) ? NULL : e->next;
}

kern_return_t map_check_range(map_t *m, vm_address_t addr, vm_size_t size, vm_prot_t need,
                              map_entry_t **first)
{
    vm_address_t start, end;
    kern_return_t kr;

    if (first != NULL)
        *first = NULL;
    if (!prot_ok(need))
        return KERN_INVALID_ARGUMENT;
    if (size == 0)
        return KERN_SUCCESS;
    if ((kr = mapi_range_of(addr, size, &start, &end)) != KERN_SUCCESS ||
        (kr = walk_check(m, start, end, lacks, need)) != KERN_SUCCESS)
        return kr;
    if (first != NULL)
        *first = map_lookup(m, start);
    return KERN_SUCCESS;
}

kern_return_t map_clip(map_t *m, vm_address_t start, vm_address_t end)
{
    if (!page_aligned(start) || !page_aligned(end) || end < start)
        return KERN_INVALID_ARGUMENT;
    if (start < end && !mapi_pool_has(m, mapi_clip_need(m, start, end)))
        return KERN_RESOURCE_SHORTAGE;
    if (start < end)
        (void)mapi_clip_range(m, start, end);
    return KERN_SUCCESS;
}

static bool unwired(const map_entry_t *e, int unused)
{
    (void)unused;
    return e->wired == 0;
}

kern_return_t map_wire(map_t *m, vm_address_t addr, vm_size_t size, int delta)
{
    vm_address_t start, end;
    map_entry_t *e;
    kern_return_t kr;

    if (delta != 1 && delta != -1)
        return KERN_INVALID_ARGUMENT;
    if (size == 0)
        return KERN_SUCCESS;
    if ((kr = mapi_range_of(addr, size, &start, &end)) != KERN_SUCCESS ||
        (kr = walk_check(m, start, end, delta < 0 ? unwired : NULL, 0)) != KERN_SUCCESS)
        return kr == KERN_PROTECTION_FAILURE ? KERN_INVALID_ARGUMENT : kr;
    if (!mapi_pool_has(m, mapi_clip_need(m, start, end)))
        return KERN_RESOURCE_SHORTAGE;
    for (e = mapi_clip_range(m, start, end); e != head(m) && e->start < end; e = e->next)
        e->wired += (unsigned)delta;
    return KERN_SUCCESS;
}

/* ---- checks ---- */

int map_check_invariants(const map_t *m)
{
    const map_entry_t *h = &m->head, *e;
    vm_address_t last = m->min;
    vm_size_t size = 0;
    size_t n = 0;

    for (e = h->next; e != h; e = e->next) {
        if (e->next->prev != e || e->start < last)
            return 1;
        if (e->start >= e->end || !page_aligned(e->start) || !page_aligned(e->end) ||
            e->end > m->max)
            return 2;
        if (!prot_ok(e->max) || (e->cur & ~e->max) != 0 || !mapi_inherit_ok(e->inherit))
            return 3;
        last = e->end;
        size += e->end - e->start;
        n++;
    }
    return size != m->size || n != m->nentries ? 5 : 0;
}
