/* The vm interface (ipc/idl/vm.idl): Mach's VM calls.  Each handler first
 * decodes (the target task, the caller's right to it, addresses into the
 * task's canonical form) and checks everything the call depends on, then
 * acts; a call that fails has changed nothing (the map module keeps the
 * same rule for its part). */
#include <string.h>

#include "memsvr.h"

/* The task a call names and the base its addresses are relative to. */
typedef struct {
    mtask_t *t;                         /* the target */
    mtask_t *self;                      /* the caller's own task, or NULL */
    L4_Word_t base;
} call_t;

/* Does [addr, addr + size) wrap past the top of the address space, as the
 * caller gave it (before memsvr makes it window-relative)? */
static bool wraps(L4_Word_t addr, L4_Word_t size)
{
    return addr + size < addr || round_page(addr + size) < addr + size;
}

/* Decodes the target task; false when the caller does not hold it.  Tops
 * up the map entries' pool as well; when memsvr has no room for more, the
 * map refuses what needs entries it lacks (KERN_RESOURCE_SHORTAGE), and
 * calls that need none, such as freeing whole regions, still work. */
static bool decode(chacm_srvenv_t *env, L4_Word_t task, call_t *c)
{
    c->t = task_named(env->caller, task);
    c->self = task_of_thread(env->caller);
    c->base = task_view_base(c->self, c->t);
    ms_pool_reserve();
    reclaim_safe_point();
    return c->t != NULL;
}

static int do_allocate(L4_Word_t task, L4_Word_t *address, L4_Word_t size, bool anywhere,
                       chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    if ((!anywhere && wraps(*address, size)) || round_page(size) < size)
        return KERN_INVALID_ARGUMENT;
    vm_address_t a = ms_addr_in(c.base, *address);
    kern_return_t r = map_allocate(&c.t->map, &a, size, anywhere);
    if (r == KERN_SUCCESS)
        *address = ms_addr_out(c.base, a);
    return r;
}

static int do_deallocate(L4_Word_t task, L4_Word_t address, L4_Word_t size, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    if (wraps(address, size))
        return KERN_INVALID_ARGUMENT;
    vm_address_t start, end;
    unsigned sent = 0;
    if (range_round(ms_addr_in(c.base, address), size, &start, &end)) {
        range_unwire(c.t, start, end);  /* Mach: deallocating unwires */
        mobj_sync_range(c.t, start, end, false, 0, &sent);  /* a mapped file's changes go back first */
    }
    return map_deallocate(&c.t->map, ms_addr_in(c.base, address), size);
}

static int do_msync(L4_Word_t task, L4_Word_t address, L4_Word_t size, L4_Word_t flags, chacm_srvenv_t *env)
{
    call_t c;
    vm_address_t s, e;
    const L4_Word_t known = VM_SYNC_ASYNCHRONOUS | VM_SYNC_SYNCHRONOUS | VM_SYNC_INVALIDATE;
    if (!decode(env, task, &c) || (flags & ~known) ||
        (flags & (VM_SYNC_ASYNCHRONOUS | VM_SYNC_SYNCHRONOUS)) == (VM_SYNC_ASYNCHRONOUS | VM_SYNC_SYNCHRONOUS) ||
        wraps(address, size) || !range_round(ms_addr_in(c.base, address), size, &s, &e))
        return KERN_INVALID_ARGUMENT;
    kern_return_t r = map_check_range(&c.t->map, s, e - s, 0, NULL);
    if (r != KERN_SUCCESS || s == e)
        return r;
    unsigned id = (flags & VM_SYNC_ASYNCHRONOUS) ? 0 : mobj_sync_begin(env->caller), sent = 0;
    r = mobj_sync_range(c.t, s, e, (flags & VM_SYNC_INVALIDATE) != 0, id, &sent);
    if (id && !mobj_sync_end(id, &r))
        chacm_srv_defer(env);           /* answered once the managers took the pages */
    return r;
}

static int do_protect(L4_Word_t task, L4_Word_t address, L4_Word_t size, bool set_max, L4_Word_t prot,
                      chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    if (prot & ~(L4_Word_t)VM_PROT_ALL || wraps(address, size))
        return KERN_INVALID_ARGUMENT;
    return map_protect(&c.t->map, ms_addr_in(c.base, address), size, set_max, (vm_prot_t)prot);
}

static int do_inherit(L4_Word_t task, L4_Word_t address, L4_Word_t size, L4_Word_t inh, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    if (inh > VM_INHERIT_NONE || wraps(address, size))
        return KERN_INVALID_ARGUMENT;
    return map_inherit(&c.t->map, ms_addr_in(c.base, address), size, (vm_inherit_t)inh);
}

/* The object, offset and protections a vm_map of a named entry gives. */
static kern_return_t named_object(call_t *c, L4_Word_t name, L4_Word_t offset, L4_Word_t size, bool copy,
                                  L4_Word_t cur, obj_t **o, vm_offset_t *off)
{
    obj_t *h;
    vm_offset_t pg;
    vm_size_t pages;
    vm_prot_t perm;
    mtask_t *holder = c->self ? c->self : c->t;
    if (!handle_get(holder, name, &h, &pg, &pages, &perm))
        return KERN_INVALID_ARGUMENT;
    if ((offset & (MS_PAGE - 1)) || offset + size < offset || round_page(offset + size) < offset + size ||
        round_page(offset + size) > pages << MS_PAGE_BITS)
        return KERN_INVALID_ARGUMENT;
    if (!copy && (cur & ~(L4_Word_t)perm))
        return KERN_PROTECTION_FAILURE;
    if (!copy) {
        obj_ref(h);
        *o = h;
        *off = (pg << MS_PAGE_BITS) + offset;
        return KERN_SUCCESS;
    }
    kern_return_t r = KERN_SUCCESS;
    if (obj_chain_external(h)) {        /* a private copy of a mapped file: a shadow (range.c) */
        *o = obj_shadow(h, pg + (offset >> MS_PAGE_BITS), round_page(size) >> MS_PAGE_BITS);
        r = *o ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
    } else {
        *o = obj_copy_resident(h, pg + (offset >> MS_PAGE_BITS), round_page(size) >> MS_PAGE_BITS, c->t, &r);
    }
    *off = 0;
    return r;
}

static int do_map(L4_Word_t task, L4_Word_t *address, L4_Word_t size, L4_Word_t mask, bool anywhere,
                  L4_Word_t object, L4_Word_t offset, bool copy, L4_Word_t cur, L4_Word_t max,
                  L4_Word_t inh, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    if (size == 0 || (cur | max) & ~(L4_Word_t)VM_PROT_ALL || (cur & ~max) || inh > VM_INHERIT_NONE ||
        round_page(size) < size || (!anywhere && wraps(*address, size)))
        return KERN_INVALID_ARGUMENT;
    obj_t *o = NULL;
    vm_offset_t off = 0;
    if (object != MEMORY_OBJECT_NULL) {
        kern_return_t r = named_object(&c, object, offset, size, copy, cur, &o, &off);
        if (r != KERN_SUCCESS)
            return r;
    } else if (offset & (MS_PAGE - 1)) {
        return KERN_INVALID_ARGUMENT;
    }
    vm_address_t a = ms_addr_in(c.base, *address);
    kern_return_t r = map_enter(&c.t->map, &a, size, mask, anywhere, o, o ? off : offset, false,
                                (vm_prot_t)cur, (vm_prot_t)max, (vm_inherit_t)inh, NULL);
    if (r != KERN_SUCCESS) {
        if (o)
            obj_release(o);
        return r;
    }
    *address = ms_addr_out(c.base, a);
    return KERN_SUCCESS;
}

static int do_unmap(L4_Word_t task, L4_Word_t address, L4_Word_t size, chacm_srvenv_t *env)
{
    call_t c;
    vm_address_t s, e;
    if (!decode(env, task, &c) || wraps(address, size))
        return KERN_INVALID_ARGUMENT;
    if (!range_round(ms_addr_in(c.base, address), size, &s, &e))
        return KERN_INVALID_ARGUMENT;
    range_unmap(c.t, s, e);
    return KERN_SUCCESS;
}

static int do_remap(L4_Word_t task, L4_Word_t *address, L4_Word_t size, L4_Word_t mask, L4_Word_t flags,
                    L4_Word_t src_task, L4_Word_t src_address, bool copy, L4_Word_t *cur, L4_Word_t *max,
                    L4_Word_t inh, chacm_srvenv_t *env)
{
    call_t c, s;
    if (!decode(env, task, &c) || !decode(env, src_task, &s))
        return KERN_INVALID_ARGUMENT;
    if (flags & ~(L4_Word_t)VM_FLAGS_ANYWHERE || wraps(src_address, size) ||
        (!(flags & VM_FLAGS_ANYWHERE) && wraps(*address, size)))
        return KERN_INVALID_ARGUMENT;
    vm_address_t a = ms_addr_in(c.base, *address), sa = ms_addr_in(s.base, src_address);
    vm_prot_t pc = 0, pm = 0;
    if (!copy)
        range_mark_shared(s.t, trunc_page(sa), round_page(sa + size), false);
    kern_return_t r = map_remap(&c.t->map, &a, size, mask, flags & VM_FLAGS_ANYWHERE, &s.t->map,
                                sa, copy, (vm_inherit_t)inh, &pc, &pm);
    if (r != KERN_SUCCESS)
        return r;
    *address = ms_addr_out(c.base, a);
    *cur = (L4_Word_t)pc;
    *max = (L4_Word_t)pm;
    return KERN_SUCCESS;
}

static int do_region(L4_Word_t task, L4_Word_t *address, L4_Word_t *size, L4_Word_t *prot, L4_Word_t *max,
                     L4_Word_t *inh, bool *shared, L4_Word_t *name, L4_Word_t *offset, chacm_srvenv_t *env)
{
    call_t c;
    map_entry_t *e;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    vm_address_t a = ms_addr_in(c.base, *address);
    kern_return_t r = map_region(&c.t->map, &a, &e);
    if (r != KERN_SUCCESS)
        return r;
    *address = ms_addr_out(c.base, e->start);
    *size = e->end - e->start;
    *prot = (L4_Word_t)e->cur;
    *max = (L4_Word_t)e->max;
    *inh = e->inherit;
    *shared = e->object && ((obj_t *)e->object)->shared;
    *name = MACH_PORT_NULL;
    *offset = e->offset;
    return KERN_SUCCESS;
}

static int do_read(L4_Word_t task, L4_Word_t address, L4_Word_t size, L4_Word_t *data, L4_Word_t *count,
                   chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c) || !c.self || wraps(address, size))
        return KERN_INVALID_ARGUMENT;
    vm_address_t src = ms_addr_in(c.base, address);
    kern_return_t r = map_check_range(&c.t->map, src, size, VM_PROT_READ, NULL);
    if (r != KERN_SUCCESS || size == 0) {
        *data = 0;
        *count = 0;
        return r;
    }
    vm_address_t a = 0;
    vm_prot_t pc, pm;
    r = map_remap(&c.self->map, &a, size, 0, true, &c.t->map, src, true, VM_INHERIT_COPY, &pc, &pm);
    if (r != KERN_SUCCESS)
        return r;
    L4_Word_t self_base = task_view_base(c.self, c.self);
    *data = ms_addr_out(self_base, a + (src & (MS_PAGE - 1)));
    *count = size;
    return KERN_SUCCESS;
}

/* [src, src + size) of st over [dst, ...) of dt, pages rounded, copy-on-
 * write; the source must be readable and the destination writable. */
static kern_return_t overwrite(mtask_t *st, vm_address_t src, mtask_t *dt, vm_address_t dst, vm_size_t size)
{
    vm_address_t s0, s1;
    if (src + size < src || dst + size < dst || !range_round(src, size, &s0, &s1))
        return KERN_INVALID_ARGUMENT;
    if (size == 0)
        return KERN_SUCCESS;
    vm_address_t d0 = trunc_page(dst);
    kern_return_t r = map_check_range(&st->map, s0, s1 - s0, VM_PROT_READ, NULL);
    if (r == KERN_SUCCESS)
        r = map_check_range(&dt->map, d0, s1 - s0, VM_PROT_WRITE, NULL);
    if (r != KERN_SUCCESS)
        return r;
    return range_overwrite(st, s0, dt, d0, s1 - s0);
}

static int do_write(L4_Word_t task, L4_Word_t address, L4_Word_t data, L4_Word_t count, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c) || !c.self || wraps(address, count) || wraps(data, count))
        return KERN_INVALID_ARGUMENT;
    L4_Word_t self_base = task_view_base(c.self, c.self);
    return overwrite(c.self, ms_addr_in(self_base, data), c.t, ms_addr_in(c.base, address), count);
}

static int do_write_bytes(L4_Word_t task, L4_Word_t address, int size, const char *data, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c) || size < 0 || size > VM_WRITE_BYTES_MAX || wraps(address, (L4_Word_t)size))
        return KERN_INVALID_ARGUMENT;
    vm_address_t a = ms_addr_in(c.base, address);
    kern_return_t r = map_check_range(&c.t->map, a, (vm_size_t)size, VM_PROT_WRITE, NULL);
    if (r != KERN_SUCCESS || size == 0)
        return r;
    return range_write_bytes(c.t, a, data, (vm_size_t)size);
}

static int do_copy(L4_Word_t task, L4_Word_t source, L4_Word_t size, L4_Word_t dest, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c) || wraps(source, size) || wraps(dest, size))
        return KERN_INVALID_ARGUMENT;
    return overwrite(c.t, ms_addr_in(c.base, source), c.t, ms_addr_in(c.base, dest), size);
}

static int do_statistics(L4_Word_t task, vm_stats *s, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    memset(s, 0, sizeof *s);
    s->pagesize = MS_PAGE;
    s->free_count = frames_free_count();
    s->active_count = frames_in_use();
    s->wire_count = frames_meta();
    s->zero_fill_count = ms_zero_fill;
    s->faults = ms_faults;
    s->cow_faults = ms_cow_faults;
    s->task_pages = c.t->pages;
    s->task_faults = c.t->faults;
    s->task_zero_fill = c.t->zero_fill;
    s->task_cow_faults = c.t->cow_faults;
    s->task_max_pages = c.t->max_pages;
    s->pageins = ms_pageins;
    s->pageouts = ms_pageouts;
    s->reactivations = ms_reactivations;
    s->thrashing = ms_thrashing;
    s->thrash_events = ms_thrash_events;
    s->task_pageins = c.t->pageins;
    s->task_pageouts = c.t->pageouts;
    s->task_swapped = range_swapped(c.t);
    return KERN_SUCCESS;
}

static int do_make_entry(L4_Word_t task, L4_Word_t *size, L4_Word_t offset, L4_Word_t perm, L4_Word_t *object,
                         chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    mtask_t *holder = c.self ? c.self : c.t;
    vm_prot_t prot = (vm_prot_t)(perm & ~(L4_Word_t)MAP_MEM_NAMED_CREATE);
    if (prot & ~VM_PROT_ALL || *size == 0 || round_page(*size) < *size)
        return KERN_INVALID_ARGUMENT;
    vm_size_t pages = round_page(*size) >> MS_PAGE_BITS;
    if (perm & MAP_MEM_NAMED_CREATE) {
        obj_t *o = obj_new(pages);
        if (!o)
            return KERN_RESOURCE_SHORTAGE;
        kern_return_t r = handle_new(holder, o, 0, pages, prot, object);
        if (r != KERN_SUCCESS)
            obj_release(o);
        else
            *size = pages << MS_PAGE_BITS;
        return r;
    }
    vm_address_t s, e;
    if (wraps(offset, *size) || !range_round(ms_addr_in(c.base, offset), *size, &s, &e))
        return KERN_INVALID_ARGUMENT;
    map_entry_t *me = map_lookup(&c.t->map, s);
    if (!me || me->end < e)
        return KERN_INVALID_ADDRESS;    /* one region must hold the range */
    if (prot & ~me->max)
        return KERN_PROTECTION_FAILURE;
    kern_return_t r = entry_materialize(me);
    if (r != KERN_SUCCESS)
        return r;
    obj_t *o = me->object;
    obj_ref(o);
    r = handle_new(holder, o, entry_pg(me, s), (e - s) >> MS_PAGE_BITS, prot, object);
    if (r != KERN_SUCCESS) {
        obj_release(o);
        return r;
    }
    *size = e - s;
    return KERN_SUCCESS;
}

static int do_entry_give(L4_Word_t task, L4_Word_t object, bool move, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c) || !c.self)
        return KERN_INVALID_ARGUMENT;
    return handle_give(c.self, object, c.t, move);
}

static int do_entry_release(L4_Word_t task, L4_Word_t object, chacm_srvenv_t *env)
{
    call_t c;
    if (!decode(env, task, &c))
        return KERN_INVALID_ARGUMENT;
    return handle_drop(c.t, object);
}

void vmcalls_fill(memsvr_ops_t *ops)
{
    ops->vm_vm_allocate = do_allocate;
    ops->vm_vm_deallocate = do_deallocate;
    ops->vm_vm_protect = do_protect;
    ops->vm_vm_inherit = do_inherit;
    ops->vm_vm_map = do_map;
    ops->vm_vm_unmap = do_unmap;
    ops->vm_vm_remap = do_remap;
    ops->vm_vm_region = do_region;
    ops->vm_vm_read = do_read;
    ops->vm_vm_write = do_write;
    ops->vm_vm_write_bytes = do_write_bytes;
    ops->vm_vm_msync = do_msync;
    ops->vm_vm_copy = do_copy;
    ops->vm_vm_statistics = do_statistics;
    ops->vm_mach_make_memory_entry = do_make_entry;
    ops->vm_memory_entry_give = do_entry_give;
    ops->vm_memory_entry_release = do_entry_release;
}
