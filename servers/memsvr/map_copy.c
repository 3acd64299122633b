/* memsvr: the map calls that build entries of one map from another's:
 * vm_remap (map_remap), task creation by inheritance (map_fork) and the
 * default symmetric copy-on-write (map_copy_cow).  See map.h. */
#include <stdbool.h>
#include <stddef.h>

#include "map.h"
#include "map_impl.h"

kern_return_t map_copy_cow(map_t *src_map, map_entry_t *src, map_t *dst_map, map_entry_t *dst)
{
    if (src->object == NULL)
        return KERN_SUCCESS;
    dst->object = src->object;
    dst->offset = src->offset;
    dst->needs_copy = true;
    dst_map->ops->ref(dst_map, dst->object);
    if (!src->needs_copy) {
        src->needs_copy = true;
        src_map->ops->flush(src_map, src->start, src->end, VM_PROT_WRITE);
    }
    return KERN_SUCCESS;
}

static kern_return_t copy_entry(map_t *src_map, map_entry_t *src, map_t *dst_map,
                                map_entry_t *dst)
{
    if (src_map->ops->copy != NULL)
        return src_map->ops->copy(src_map, src, dst_map, dst);
    return map_copy_cow(src_map, src, dst_map, dst);
}

static bool needs_object(const map_entry_t *e)
{
    return e->object == NULL || e->needs_copy;
}

/* dst shares src's object (materialized first when it has none of its own). */
static kern_return_t share_entry(map_t *src_map, map_entry_t *src, map_t *dst_map,
                                 map_entry_t *dst)
{
    kern_return_t kr;

    if (needs_object(src)) {
        if (src_map->ops->materialize == NULL)
            return KERN_FAILURE;
        if ((kr = src_map->ops->materialize(src_map, src)) != KERN_SUCCESS)
            return kr;
    }
    dst->object = src->object;
    dst->offset = src->offset;
    if (dst->object != NULL)
        dst_map->ops->ref(dst_map, dst->object);
    return KERN_SUCCESS;
}

/* Checks that [start, end) of m has no hole; counts its entries and
 * intersects their protections. */
static kern_return_t source_walk(map_t *m, vm_address_t start, vm_address_t end, size_t *count,
                                 vm_prot_t *cur, vm_prot_t *max)
{
    map_entry_t *prev, *e = mapi_find(m, start, &prev);
    vm_address_t at = start;

    *count = 0;
    *cur = *max = VM_PROT_ALL;
    if (e == NULL)
        return KERN_INVALID_ADDRESS;
    for (; e != &m->head && e->start < end; e = e->next) {
        if (e->start > at)
            return KERN_INVALID_ADDRESS;
        *cur &= e->cur;
        *max &= e->max;
        ++*count;
        at = e->end;
    }
    return at < end ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

/* Removes the entries [start, end) of m that a failed call had made. */
static void undo_range(map_t *m, vm_address_t start, vm_address_t end)
{
    map_entry_t *prev, *e = mapi_find(m, start, &prev), *next;

    for (e = e != NULL ? e : prev->next; e != &m->head && e->start < end; e = next) {
        next = e->next;
        mapi_remove_entry(m, e);
    }
}

static bool pools_have(map_t *dst, size_t ndst, map_t *src, size_t nsrc)
{
    if (dst->pool == src->pool)
        return mapi_pool_has(dst, ndst + nsrc);
    return mapi_pool_has(dst, ndst) && mapi_pool_has(src, nsrc);
}

kern_return_t map_remap(map_t *dst, vm_address_t *addr, vm_size_t size, vm_address_t mask,
                        bool anywhere, map_t *src, vm_address_t src_addr, bool copy,
                        vm_inherit_t inherit, vm_prot_t *cur, vm_prot_t *max)
{
    vm_address_t start, end, to, lower = trunc_page(*addr);
    vm_prot_t c, x;
    size_t k;
    map_entry_t *e, *p;
    kern_return_t kr;

    if (size == 0 || !mapi_inherit_ok(inherit))
        return KERN_INVALID_ARGUMENT;
    if ((kr = mapi_range_of(src_addr, size, &start, &end)) != KERN_SUCCESS ||
        (kr = source_walk(src, start, end, &k, &c, &x)) != KERN_SUCCESS)
        return kr;
    if (!anywhere && end - start > ~(vm_address_t)0 - lower)
        return KERN_INVALID_ARGUMENT;
    if (!copy && src->ops->materialize == NULL)
        return KERN_FAILURE;
    if (!pools_have(dst, k, src, mapi_clip_need(src, start, end)))
        return KERN_RESOURCE_SHORTAGE;
    if ((kr = mapi_place(dst, lower, end - start, mask, anywhere, &to, &p)) != KERN_SUCCESS)
        return kr;
    e = mapi_clip_range(src, start, end);
    (void)mapi_find(dst, to, &p); /* clipping may have split the entry before the gap */
    for (; e != &src->head && e->start < end; e = e->next) {
        map_entry_t *n = mapi_new_entry(dst, p, to + (e->start - start), e->end - e->start,
                                        e->cur, e->max, inherit);

        kr = copy ? copy_entry(src, e, dst, n) : share_entry(src, e, dst, n);
        if (kr != KERN_SUCCESS) {
            undo_range(dst, to, to + (end - start));
            return kr;
        }
        p = n;
    }
    *addr = to;
    *cur = c;
    *max = x;
    return KERN_SUCCESS;
}

kern_return_t map_fork(map_t *parent, map_t *child)
{
    map_entry_t *e, *p = &child->head;
    size_t k = 0;
    kern_return_t kr;

    if (child->nentries != 0 || child == parent)
        return KERN_INVALID_ARGUMENT;
    for (e = parent->head.next; e != &parent->head; e = e->next) {
        if (e->inherit == VM_INHERIT_NONE)
            continue;
        if (e->start < child->min || e->end > child->max)
            return KERN_INVALID_ADDRESS;
        if (e->inherit == VM_INHERIT_SHARE && needs_object(e) && parent->ops->materialize == NULL)
            return KERN_FAILURE;
        k++;
    }
    if (!mapi_pool_has(child, k))
        return KERN_RESOURCE_SHORTAGE;
    for (e = parent->head.next; e != &parent->head; e = e->next) {
        map_entry_t *n;

        if (e->inherit == VM_INHERIT_NONE)
            continue;
        n = mapi_new_entry(child, p, e->start, e->end - e->start, e->cur, e->max, e->inherit);
        kr = e->inherit == VM_INHERIT_SHARE ? share_entry(parent, e, child, n)
                                            : copy_entry(parent, e, child, n);
        if (kr != KERN_SUCCESS)
            return kr;
        p = n;
    }
    return KERN_SUCCESS;
}
