/* The memory_object_control interface (ipc/idl/memory_object_control.idl):
 * what a memory manager calls memsvr, and vm_msync.  Each handler decodes
 * (the control name, the caller being the object's manager, page-aligned
 * ranges inside the object) before it acts. */
#include <stdio.h>
#include <string.h>

#include "mobj_impl.h"

/* The binding control names, if the caller's task manages it. */
static mobj_t *decode(L4_Word_t control, const chacm_srvenv_t *env)
{
    mobj_t *m = mobj_by_control(control);
    mtask_t *t = task_of_thread(env->caller);
    if (!m || !t || t != mobj_manager_task(m) || !m->obj)
        return NULL;
    return m;
}

static bool aligned(L4_Word_t x)
{
    return (x & (MS_PAGE - 1)) == 0;
}

/* [offset, offset + length) as pages of m's object: page aligned, not
 * empty, at most max bytes (0: any), inside the object. */
static kern_return_t pages_of(const mobj_t *m, L4_Word_t offset, L4_Word_t length, L4_Word_t max,
                              vm_offset_t *pg, vm_size_t *n)
{
    if (!aligned(offset) || !aligned(length) || length == 0 || offset + length < offset || (max && length > max))
        return KERN_INVALID_ARGUMENT;
    *pg = offset >> MS_PAGE_BITS;
    *n = length >> MS_PAGE_BITS;
    if (*pg >= m->obj->pages)
        return KERN_INVALID_ARGUMENT;
    if (*n > m->obj->pages - *pg)
        *n = m->obj->pages - *pg;
    return KERN_SUCCESS;
}

/* decode and pages_of together: the binding and the pages of a range,
 * or the error for the call. */
static kern_return_t decode_range(L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t max,
                                  const chacm_srvenv_t *env, mobj_t **m, vm_offset_t *pg, vm_size_t *n)
{
    *m = decode(control, env);
    return *m ? pages_of(*m, offset, length, max, pg, n) : KERN_INVALID_ARGUMENT;
}

static int do_entry(L4_Word_t object, L4_Word_t size, L4_Word_t max_prot, L4_ThreadId_t client, L4_Word_t *entry,
                    L4_Word_t *control, chacm_srvenv_t *env)
{
    mtask_t *mt = task_of_thread(env->caller), *ct = task_of_thread(client);
    if (!mt || !ct || size == 0 || round_page(size) < size || (max_prot & ~(L4_Word_t)VM_PROT_ALL))
        return KERN_INVALID_ARGUMENT;
    vm_size_t pages = round_page(size) >> MS_PAGE_BITS;
    mobj_t *m = NULL, *free = NULL;
    for (unsigned i = 0; i < MOBJ_MAX && !m; i++) {
        mobj_t *x = &mobjs[i];
        if (!x->used && !free)
            free = x;
        if (x->used && !x->dead && x->obj && x->object == object && x->mslot == mt->slot && x->mgen == mt->gen)
            m = x;
    }
    obj_t *o;
    if (m) {
        o = m->obj;
        obj_ref(o);                     /* the new entry's */
        if (pages > o->pages)
            o->pages = pages;
    } else {
        if (!free)
            return KERN_RESOURCE_SHORTAGE;
        if (!(o = obj_new(pages)))
            return KERN_RESOURCE_SHORTAGE;
        m = free;
        m->used = true;
        m->dead = false;
        m->obj = o;
        m->manager = env->caller;
        m->mslot = mt->slot;
        m->mgen = mt->gen;
        m->object = object;
        o->ext = m;
        o->shared = true;
        mobj_queue(m, MSG_INIT, 0, 0, 0, false, 0);
    }
    kern_return_t r = handle_new(ct, o, 0, pages, (vm_prot_t)max_prot, entry);
    if (r != KERN_SUCCESS) {
        obj_release(o);
        return r;
    }
    *control = mobj_control(m);
    return KERN_SUCCESS;
}

/* The frame behind address a of task t (read back from swap if it is
 * there; FRAME_NONE: zeros). */
static frame_t frame_at(mtask_t *t, vm_address_t a)
{
    map_entry_t *e = map_lookup(&t->map, a);
    obj_t *h;
    frame_t f = FRAME_NONE;
    if (e && e->object && obj_lookup(e->object, entry_pg(e, a), t, &f, &h) != KERN_SUCCESS)
        f = FRAME_NONE;
    return f;
}

/* Fills the absent pages [pg, pg + n) of m's object: copies of the
 * caller's pages at src (zeros where src is 0 or lacks a page). */
static kern_return_t fill(mobj_t *m, vm_offset_t pg, vm_size_t n, mtask_t *st, vm_address_t src, unsigned flags)
{
    obj_t *o = m->obj;
    mtask_t *mt = mobj_manager_task(m); /* the manager's quota bounds what it supplies */
    kern_return_t r = KERN_SUCCESS;
    for (vm_size_t i = 0; i < n; i++) {
        if (obj_resident(o, pg + i) != FRAME_NONE)
            continue;                   /* resident pages stay as they are */
        frame_t f, from = st ? frame_at(st, src + (i << MS_PAGE_BITS)) : FRAME_NONE;
        if ((r = task_charge_check(mt, 1)) != KERN_SUCCESS || (r = frame_alloc(mt, &f)) != KERN_SUCCESS)
            break;
        if (from != FRAME_NONE)
            memcpy(frame_ptr(f), frame_ptr(from), MS_PAGE);
        else
            memset(frame_ptr(f), 0, MS_PAGE);
        if (!obj_insert(o, pg + i, f)) {
            frame_free(f);
            r = KERN_RESOURCE_SHORTAGE;
            break;
        }
        obj_set_flags(o, pg + i, flags, 0);
    }
    mobj_wake(m, pg, pg + n, false);
    if (r == KERN_RESOURCE_SHORTAGE && mt && mt->max_pages && mt->pages >= mt->max_pages)
        mobj_fail(m, pg, pg + n, "the manager is over its quota");
    else if (r != KERN_SUCCESS)         /* frames come free as evicted pages are written back */
        mobj_reask(m, pg, pg + n);
    return r;
}

static int do_supply(L4_Word_t control, L4_Word_t offset, L4_Word_t data, L4_Word_t length, L4_Word_t lock,
                     bool precious, chacm_srvenv_t *env)
{
    (void)precious;                     /* every page of an external object returns when dirty */
    mobj_t *m;
    vm_offset_t pg;
    vm_size_t n;
    if ((lock & ~(L4_Word_t)VM_PROT_ALL) || !aligned(data))
        return KERN_INVALID_ARGUMENT;
    kern_return_t r = decode_range(control, offset, length, MEMORY_OBJECT_XFER_MAX, env, &m, &pg, &n);
    if (r != KERN_SUCCESS)
        return r;
    mtask_t *st = task_of_thread(env->caller);
    vm_address_t src = ms_addr_in(task_view_base(st, st), data);
    if ((r = map_check_range(&st->map, src, length, VM_PROT_READ, NULL)) != KERN_SUCCESS)
        return r;
    return fill(m, pg, n, st, src, (lock & VM_PROT_WRITE) ? PGF_WLOCK : 0);
}

static int do_unavailable(L4_Word_t control, L4_Word_t offset, L4_Word_t length, chacm_srvenv_t *env)
{
    mobj_t *m;
    vm_offset_t pg;
    vm_size_t n;
    kern_return_t r = decode_range(control, offset, length, 0, env, &m, &pg, &n);
    return r != KERN_SUCCESS ? r : fill(m, pg, n, NULL, 0, 0);
}

static int do_error(L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t error, chacm_srvenv_t *env)
{
    mobj_t *m;
    vm_offset_t pg;
    vm_size_t n;
    kern_return_t r = decode_range(control, offset, length, 0, env, &m, &pg, &n);
    if (r != KERN_SUCCESS)
        return r;
    char why[128];
    snprintf(why, sizeof why, "memory manager %lx reported error %#lx for object %#lx", m->manager.raw, error,
             m->object);
    mobj_fail(m, pg, pg + n, why);
    return KERN_SUCCESS;
}

static int do_lock_request(L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t should_return,
                           bool flush, L4_Word_t lock, chacm_srvenv_t *env)
{
    mobj_t *m;
    vm_offset_t pg;
    vm_size_t n;
    if (should_return > MEMORY_OBJECT_RETURN_ALL || (lock & ~(L4_Word_t)VM_PROT_ALL))
        return KERN_INVALID_ARGUMENT;
    kern_return_t r = decode_range(control, offset, length, 0, env, &m, &pg, &n);
    if (r != KERN_SUCCESS)
        return r;
    obj_t *o = m->obj;
    if (!mobj_return_range(m, o, pg, n, (unsigned)should_return, flush, 0, NULL))
        r = KERN_RESOURCE_SHORTAGE;
    if (flush)
        mobj_drop_range(o, pg, n);
    for (unsigned i = 0; i < o->npages; i++) {
        obj_page_t *p = &o->page[i];
        if (p->pg < pg || p->pg >= pg + n || p->frame == FRAME_NONE)
            continue;
        if (lock & VM_PROT_WRITE) {
            if (!(frame_flags(p->frame) & PGF_WLOCK))
                frame_write_protect(p->frame);
            frame_set_flags(p->frame, PGF_WLOCK, 0);
        } else {
            frame_set_flags(p->frame, 0, PGF_WLOCK);
        }
    }
    if (!(lock & VM_PROT_WRITE))
        mobj_wake(m, pg, pg + n, true);
    mobj_queue(m, MSG_LOCKED, offset, n << MS_PAGE_BITS, 0, false, 0);
    return r;
}

static int do_ready(L4_Word_t control, bool may_cache, chacm_srvenv_t *env)
{
    (void)may_cache;
    return decode(control, env) ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}

static int do_destroy(L4_Word_t control, L4_Word_t reason, chacm_srvenv_t *env)
{
    mobj_t *m = decode(control, env);
    if (!m || m->dead)
        return KERN_INVALID_ARGUMENT;
    obj_t *o = m->obj;
    mobj_return_range(m, o, 0, o->pages, MEMORY_OBJECT_RETURN_DIRTY, true, 0, NULL);
    mobj_drop_range(o, 0, o->pages);
    mobj_queue(m, MSG_TERMINATE, 0, 0, 0, false, 0);
    m->dead = true;
    char why[96];
    snprintf(why, sizeof why, "memory manager %lx destroyed the object (reason %#lx)", m->manager.raw, reason);
    mobj_fail(m, 0, ~(vm_offset_t)0, why);
    return KERN_SUCCESS;
}

void mobjcalls_fill(memsvr_ops_t *ops)
{
    ops->memory_object_control_memory_object_entry = do_entry;
    ops->memory_object_control_data_supply = do_supply;
    ops->memory_object_control_data_unavailable = do_unavailable;
    ops->memory_object_control_data_error = do_error;
    ops->memory_object_control_lock_request = do_lock_request;
    ops->memory_object_control_ready = do_ready;
    ops->memory_object_control_destroy = do_destroy;
}
