/* The hooks the address map calls for the objects of its entries (map.h's
 * map_ops), and operations over a task's range that need both the map and
 * the objects: revoking mappings, making an entry's object, copies.
 *
 * Copy-on-write is Mach's symmetric scheme: a copy makes source and copy
 * refer to the same object with needs_copy set (map_copy_cow), and the
 * first write through either entry gives it a shadow of its own
 * (pager.c).  That is right only while nothing writes the object
 * directly, so an object that may be mapped by several maps or named by a
 * handle (obj->shared) is copied at once instead, resident page by page
 * (copy_hook). */
#include <string.h>

#include "memsvr.h"

static map_t *quiet;                    /* a scratch map no task sees: nothing to unmap */

static obj_t *entry_obj(const map_entry_t *e)
{
    return (obj_t *)e->object;
}

vm_offset_t entry_pg(const map_entry_t *e, vm_address_t addr)
{
    return (e->offset + (addr - e->start)) >> MS_PAGE_BITS;
}

static void hook_ref(map_t *m, void *o)
{
    (void)m;
    obj_ref(o);
}

static void hook_release(map_t *m, void *o)
{
    (void)m;
    obj_release(o);
}

/* Revokes rights from every mapping of the frames behind [start, end) of
 * m.  Frames are revoked in every task that maps them: L4 lets memsvr
 * revoke only what derives from its own mapping of a frame, so other
 * tasks sharing the frame lose it too and fault it in again. */
static void hook_flush(map_t *m, vm_address_t start, vm_address_t end, vm_prot_t rights)
{
    if (m == quiet)
        return;
    void (*fn)(frame_t) = (rights & (VM_PROT_READ | VM_PROT_EXECUTE)) ? frame_unmap : frame_write_protect;
    for (map_entry_t *e = map_lookup_at_or_above(m, start); e && e->start < end; e = map_next(m, e)) {
        if (!e->object)
            continue;
        vm_address_t s = e->start > start ? e->start : start;
        vm_address_t t = e->end < end ? e->end : end;
        obj_walk_chain(entry_obj(e), entry_pg(e, s), (t - s) >> MS_PAGE_BITS, fn);
    }
}

kern_return_t entry_materialize(map_entry_t *e)
{
    vm_size_t pages = (e->end - e->start) >> MS_PAGE_BITS;
    if (!e->object) {
        obj_t *o = obj_new(pages);
        if (!o)
            return KERN_RESOURCE_SHORTAGE;
        e->object = o;
        e->offset = 0;
    } else if (e->needs_copy) {
        obj_t *o = entry_obj(e);
        if (o->refs > 1 || o->children) {
            obj_t *s = obj_shadow(o, e->offset >> MS_PAGE_BITS, pages);
            if (!s)
                return KERN_RESOURCE_SHORTAGE;
            e->object = s;
            e->offset = 0;
            obj_release(o);
        }
    }
    e->needs_copy = false;
    return KERN_SUCCESS;
}

/* Before sharing, the entry gets an object of its own, and that object is
 * from now on treated as shared. */
static kern_return_t hook_materialize(map_t *m, map_entry_t *e)
{
    (void)m;
    kern_return_t r = entry_materialize(e);
    if (r == KERN_SUCCESS)
        entry_obj(e)->shared = true;
    return r;
}

/* A new object with copies of the frames resident in o's chain for pages
 * [pg, pg + pages), charged to t; NULL when frames or memory run out. */
obj_t *obj_copy_resident(obj_t *o, vm_offset_t pg, vm_size_t pages, mtask_t *t, kern_return_t *err)
{
    obj_t *c = obj_new(pages);
    *err = KERN_RESOURCE_SHORTAGE;
    if (!c)
        return NULL;
    for (vm_size_t i = 0; o && i < pages; i++) {
        obj_t *h;
        frame_t src, f;
        if ((*err = obj_lookup(o, pg + i, t, &src, &h)) != KERN_SUCCESS) {
            obj_release(c);
            return NULL;
        }
        if (src == FRAME_NONE)
            continue;
        if ((*err = task_charge_check(t, 1)) != KERN_SUCCESS || (*err = frame_alloc(t, &f)) != KERN_SUCCESS) {
            obj_release(c);
            return NULL;
        }
        memcpy(frame_ptr(f), frame_ptr(src), MS_PAGE);
        if (!obj_insert(c, i, f)) {
            frame_free(f);
            obj_release(c);
            *err = KERN_RESOURCE_SHORTAGE;
            return NULL;
        }
    }
    *err = KERN_SUCCESS;
    return c;
}

bool obj_chain_external(const obj_t *o)
{
    for (; o; o = o->shadow)
        if (o->ext)
            return true;
    return false;
}

static kern_return_t hook_copy(map_t *sm, map_entry_t *src, map_t *dm, map_entry_t *dst)
{
    obj_t *o = entry_obj(src);
    if (!o || !o->shared)
        return map_copy_cow(sm, src, dm, dst);
    if (obj_chain_external(o)) {
        /* pages a manager holds are not resident to copy: the copy sees
         * through a shadow (later writes of the shared object show in
         * pages the copy has not written, as with a private file mapping) */
        obj_t *c = obj_shadow(o, src->offset >> MS_PAGE_BITS, (src->end - src->start) >> MS_PAGE_BITS);
        if (!c)
            return KERN_RESOURCE_SHORTAGE;
        dst->object = c;
        dst->offset = 0;
        dst->needs_copy = false;
        return KERN_SUCCESS;
    }
    kern_return_t r;
    obj_t *c = obj_copy_resident(o, src->offset >> MS_PAGE_BITS, (src->end - src->start) >> MS_PAGE_BITS,
                                 dm->ctx, &r);
    if (!c)
        return r;
    dst->object = c;
    dst->offset = 0;
    dst->needs_copy = false;
    return KERN_SUCCESS;
}

const map_ops_t ms_map_ops = {
    .ref = hook_ref,
    .release = hook_release,
    .flush = hook_flush,
    .materialize = hook_materialize,
    .copy = hook_copy,
};

void range_mark_shared(mtask_t *t, vm_address_t start, vm_address_t end, bool inherit_only)
{
    for (map_entry_t *e = map_lookup_at_or_above(&t->map, start); e && e->start < end;
         e = map_next(&t->map, e))
        if (e->object && !e->needs_copy && (!inherit_only || e->inherit == VM_INHERIT_SHARE))
            entry_obj(e)->shared = true;
}

void range_unmap(mtask_t *t, vm_address_t start, vm_address_t end)
{
    hook_flush(&t->map, start, end, VM_PROT_ALL);
}

unsigned range_resident(mtask_t *t, vm_address_t start, vm_address_t end)
{
    unsigned n = 0;
    for (map_entry_t *e = map_lookup_at_or_above(&t->map, start); e && e->start < end;
         e = map_next(&t->map, e)) {
        if (!e->object)
            continue;
        vm_address_t s = e->start > start ? e->start : start;
        vm_address_t u = e->end < end ? e->end : end;
        n += obj_count_chain(entry_obj(e), entry_pg(e, s), (u - s) >> MS_PAGE_BITS);
    }
    return n;
}

/* ---- overwriting copies (vm_copy, vm_write) ---- */

/* A frame t may write at addr of entry e, made by copy-on-write or zero
 * fill as a write fault would; other tasks' views are unaffected.  A page
 * copied from the chain is revoked wherever it is mapped, so that whoever
 * sees it through e's object faults the new one in; except when e alone
 * sees through that object and the caller maps the new frame at addr
 * itself (a fault reply, which replaces t's old mapping there). */
/* The write waits for page pg of external object o (ms_missing). */
static kern_return_t wait_for(obj_t *o, vm_offset_t pg, bool unlock)
{
    ms_missing.o = o;
    ms_missing.pg = pg;
    ms_missing.unlock = unlock;
    return MS_KERN_WAIT;
}

/* Calls other than faults cannot wait for a manager: they fail instead. */
static kern_return_t no_wait(kern_return_t r)
{
    return r == MS_KERN_WAIT ? KERN_MEMORY_FAILURE : r;
}

kern_return_t range_write_frame(mtask_t *t, map_entry_t *e, vm_address_t addr, frame_t *out, bool *cow,
                                bool replaced)
{
    kern_return_t r = entry_materialize(e);
    if (r != KERN_SUCCESS)
        return r;
    obj_t *o = entry_obj(e), *h;
    vm_offset_t pg = entry_pg(e, addr);
    frame_t f, src = FRAME_NONE;
    *cow = false;
    if ((r = obj_get(o, pg, t, &f)) != KERN_SUCCESS)
        return r;
    if (f != FRAME_NONE) {
        if (o->ext && (obj_flags(o, pg) & PGF_WLOCK))
            return wait_for(o, pg, true);
        if (o->ext)
            obj_set_flags(o, pg, PGF_DIRTY, 0);
        frame_dirty(f);                 /* written now: its swap copy goes */
        *out = f;
        return KERN_SUCCESS;
    }
    if (o->ext)
        return wait_for(o, pg, false);
    vm_offset_t xpg;
    obj_t *x = o->shadow ? obj_ext_missing(o->shadow, pg + o->shadow_pg, &xpg) : NULL;
    if (x)
        return wait_for(x, xpg, false);
    if (o->shadow && (r = obj_lookup(o->shadow, pg + o->shadow_pg, t, &src, &h)) != KERN_SUCCESS)
        return r;
    if ((r = task_charge_check(t, 1)) != KERN_SUCCESS || (r = frame_alloc(t, &f)) != KERN_SUCCESS)
        return r;
    if (src != FRAME_NONE) {
        memcpy(frame_ptr(f), frame_ptr(src), MS_PAGE);
        *cow = true;
    } else {
        memset(frame_ptr(f), 0, MS_PAGE);
    }
    if (!obj_insert(o, pg, f)) {
        frame_free(f);
        return KERN_RESOURCE_SHORTAGE;
    }
    if (src != FRAME_NONE && (!replaced || o->refs > 1 || o->shared))
        frame_unmap(src);
    *out = f;
    return KERN_SUCCESS;
}

kern_return_t range_read_frame(mtask_t *t, map_entry_t *e, vm_address_t addr, frame_t *out, obj_t **holder)
{
    kern_return_t r;
    if (!e->object && (r = entry_materialize(e)) != KERN_SUCCESS)
        return r;
    obj_t *o = entry_obj(e);
    vm_offset_t pg = entry_pg(e, addr);
    frame_t f;
    if ((r = obj_lookup(o, pg, t, &f, holder)) != KERN_SUCCESS)
        return r;
    vm_offset_t xpg;
    obj_t *x = f == FRAME_NONE ? obj_ext_missing(o, pg, &xpg) : NULL;
    if (x)
        return wait_for(x, xpg, false);
    if (f == FRAME_NONE) {
        if ((r = task_charge_check(t, 1)) != KERN_SUCCESS || (r = frame_alloc(t, &f)) != KERN_SUCCESS)
            return r;
        memset(frame_ptr(f), 0, MS_PAGE);
        if (!obj_insert(o, pg, f)) {
            frame_free(f);
            return KERN_RESOURCE_SHORTAGE;
        }
        *holder = o;
        ms_zero_fill++;
        t->zero_fill++;
    }
    *out = f;
    return KERN_SUCCESS;
}

L4_Word_t range_swapped(mtask_t *t)
{
    L4_Word_t n = 0;
    for (map_entry_t *e = map_first(&t->map); e; e = map_next(&t->map, e)) {
        obj_t *o = entry_obj(e);
        for (vm_address_t a = e->start; o && a < e->end; a += MS_PAGE) {
            obj_page_t *p = obj_page_at(o, entry_pg(e, a));
            n += p && p->frame == FRAME_NONE;
        }
    }
    return n;
}

kern_return_t range_write_bytes(mtask_t *t, vm_address_t addr, const char *data, vm_size_t n)
{
    while (n) {
        vm_address_t pg = trunc_page(addr);
        map_entry_t *e = map_lookup(&t->map, addr);
        frame_t f;
        bool cow;
        if (!e)
            return KERN_INVALID_ADDRESS;
        kern_return_t r = range_write_frame(t, e, pg, &f, &cow, false);
        if (r != KERN_SUCCESS)
            return no_wait(r);
        vm_size_t k = MS_PAGE - (addr - pg);
        if (k > n)
            k = n;
        memcpy((char *)frame_ptr(f) + (addr - pg), data, k);
        addr += k;
        data += k;
        n -= k;
    }
    return KERN_SUCCESS;
}

/* Splits dt's entries at the boundaries the snapshot's entries give. */
static kern_return_t clip_like(map_t *snap, vm_address_t a, map_t *dm, vm_address_t d0)
{
    for (map_entry_t *e = map_first(snap); e; e = map_next(snap, e)) {
        kern_return_t r = map_clip(dm, d0 + (e->start - a), d0 + (e->end - a));
        if (r != KERN_SUCCESS)
            return r;
    }
    return KERN_SUCCESS;
}

/* Writes snapshot entry e's pages (e starts at ds in dm's terms) into
 * entry d of dt, page by page, as write faults would: for a destination
 * others share, whose object must stay the one they see. */
static kern_return_t write_through(mtask_t *dt, map_entry_t *d, vm_address_t ds, const map_entry_t *e)
{
    for (vm_address_t a = d->start; a < d->end; a += MS_PAGE) {
        obj_t *h;
        frame_t from = FRAME_NONE, to;
        bool cow;
        kern_return_t r = e->object ? obj_lookup(entry_obj(e), entry_pg(e, e->start + (a - ds)), dt, &from, &h)
                                    : KERN_SUCCESS;
        if (r == KERN_SUCCESS)
            r = range_write_frame(dt, d, a, &to, &cow, false);
        if (r != KERN_SUCCESS)
            return no_wait(r);
        if (from == FRAME_NONE)
            memset(frame_ptr(to), 0, MS_PAGE);
        else if (from != to)
            memcpy(frame_ptr(to), frame_ptr(from), MS_PAGE);
    }
    return KERN_SUCCESS;
}

/* Gives the entries of [ds, ds + (e->end - e->start)) of dt snapshot entry
 * e's memory, keeping their protections and inheritance; shared
 * destinations are written through instead. */
static kern_return_t take_over(mtask_t *dt, vm_address_t ds, const map_entry_t *e)
{
    map_t *dm = &dt->map;
    vm_address_t de = ds + (e->end - e->start);
    for (map_entry_t *d = map_lookup(dm, ds); d && d->start < de; d = map_next(dm, d)) {
        void *old = d->object;
        if (old && ((obj_t *)old)->shared && !d->needs_copy) {
            kern_return_t r = write_through(dt, d, ds, e);
            if (r != KERN_SUCCESS)
                return r;
            continue;
        }
        hook_flush(dm, d->start, d->end, VM_PROT_ALL);
        d->object = e->object;
        if (e->object)
            obj_ref(e->object);
        d->offset = e->offset + (d->start - ds);
        d->needs_copy = e->object && e->needs_copy;
        if (old)
            obj_release(old);
    }
    return KERN_SUCCESS;
}

kern_return_t range_overwrite(mtask_t *st, vm_address_t s0, mtask_t *dt, vm_address_t d0, vm_size_t len)
{
    map_t snap;
    vm_address_t a = 0;
    vm_prot_t cur, max;
    map_init(&snap, dt->map.min, dt->map.max, &ms_map_ops, dt->map.pool, dt);
    quiet = &snap;
    kern_return_t r = map_remap(&snap, &a, len, 0, true, &st->map, s0, true, VM_INHERIT_COPY, &cur, &max);
    if (r == KERN_SUCCESS)
        r = clip_like(&snap, a, &dt->map, d0);
    for (map_entry_t *e = map_first(&snap); r == KERN_SUCCESS && e; e = map_next(&snap, e))
        r = take_over(dt, d0 + (e->start - a), e);
    map_destroy(&snap);
    quiet = NULL;
    return r;
}

bool range_round(vm_address_t addr, vm_size_t size, vm_address_t *start, vm_address_t *end)
{
    vm_address_t e = addr + size;
    if (e < addr || (size && round_page(e) < e))
        return false;
    *start = trunc_page(addr);
    *end = size ? round_page(e) : *start;
    return true;
}
