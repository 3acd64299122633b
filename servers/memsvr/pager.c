/* The pager: every page fault of every task memsvr pages.
 *
 * Fault path (the kernel's page-fault IPC: label -2<<4 | rwx, MR1 address,
 * MR2 IP, the kernelmsg(idl4::pagefault) method of pager.idl):
 *   1. the thread's task (unknown threads are logged and never answered);
 *   2. the entry at the address, and the access against its current
 *      protection; a violation goes to the task's exception handler (the
 *      thread waits, pending, for task_resume_fault) or ends the task;
 *   3. the page: a write makes it the entry's own (a shadow for a
 *      needs_copy entry, then copy-on-write from the chain or zero fill);
 *      a read maps whatever the chain holds, read-only unless it is the
 *      entry's own page, and zero-fills a page found nowhere;
 *   4. the reply maps the frame with the entry's rights (never write for a
 *      page the entry does not own).
 *
 * Fault-ahead: a fault on the page right after the task's previous fault
 * (a sequential touch), at a 64-page (else 16-page) boundary of a region
 * whose next 64 (16) pages are all untouched zero-fill memory, takes a run
 * of that many frames, contiguous and aligned in memsvr's pool, and maps
 * them with one fpage: after the first 64 pages of a region, one fault per
 * 64 pages for sequential first touches; one page otherwise. */
#include <stdio.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/message.h>

#include "memsvr.h"

L4_Word_t ms_faults, ms_zero_fill, ms_cow_faults;

static L4_Word_t l4_rights(vm_prot_t p)
{
    return ((p & VM_PROT_READ) ? L4_Readable : 0) | ((p & VM_PROT_WRITE) ? L4_Writable : 0) |
           ((p & VM_PROT_EXECUTE) ? L4_eXecutable : 0);
}

static vm_prot_t vm_access(unsigned rwx)
{
    return ((rwx & L4_Readable) ? VM_PROT_READ : 0) | ((rwx & L4_Writable) ? VM_PROT_WRITE : 0) |
           ((rwx & L4_eXecutable) ? VM_PROT_EXECUTE : 0);
}

/* The access a fault of rwx needs from an entry granting cur.  A kernel
 * that cannot tell a read from an instruction fetch reports both (rx:
 * Pistachio on ia32, whose pages have no execute bit), so such a fault
 * needs only what cur grants of the two. */
static vm_prot_t needed(unsigned rwx, vm_prot_t cur)
{
    const vm_prot_t rx = VM_PROT_READ | VM_PROT_EXECUTE;
    vm_prot_t need = vm_access(rwx);
    if ((need & rx) == rx && (cur & rx))
        need = (need & ~rx) | (cur & rx);
    return need;
}

/* Whether the 2^log2-page block at a (aligned to its size) lies in e and
 * is untouched zero-fill memory of e's object o. */
static bool block_fresh(const map_entry_t *e, obj_t *o, vm_address_t a, unsigned log2)
{
    vm_address_t size = (vm_address_t)1 << (log2 + MS_PAGE_BITS);
    return !(a & (size - 1)) && a + size <= e->end && a + size > a &&
           !obj_own_count(o, entry_pg(e, a), 1u << log2);
}

/* A run of fresh zero-filled frames for the block at a: 64 pages where a
 * 64-page block starts, else 16 where a 16-page one does; false (the
 * caller then serves one page) for anything but a sequential first touch
 * of untouched zero-fill memory. */
static bool fault_ahead(mtask_t *t, map_entry_t *e, vm_address_t a, L4_MapItem_t *item, L4_Word_t real)
{
    vm_offset_t page = a >> MS_PAGE_BITS;
    if (page != t->last_fault_pg + 1 || (a & ((MS_RUN_PAGES << MS_PAGE_BITS) - 1)) || e->needs_copy)
        return false;
    if (!e->object && entry_materialize(e) != KERN_SUCCESS)
        return false;
    obj_t *o = e->object;
    if (o->shadow || o->ext)
        return false;
    unsigned log2 = block_fresh(e, o, a, MS_CHUNK_LOG2) ? MS_CHUNK_LOG2 : MS_RUN_LOG2;
    frame_t f;
    if (log2 == MS_CHUNK_LOG2 &&
        (task_charge_check(t, MS_CHUNK_PAGES) || !frame_alloc_run(t, MS_CHUNK_LOG2, &f)))
        log2 = MS_RUN_LOG2;
    if (log2 == MS_RUN_LOG2 && (!block_fresh(e, o, a, MS_RUN_LOG2) || task_charge_check(t, MS_RUN_PAGES) ||
                                !frame_alloc_run(t, MS_RUN_LOG2, &f)))
        return false;
    unsigned n = 1u << log2;
    vm_offset_t pg = entry_pg(e, a);
    memset(frame_ptr(f), 0, (size_t)n << MS_PAGE_BITS);
    for (unsigned i = 0; i < n; i++)
        if (!obj_insert(o, pg + i, f + i)) {
            for (unsigned j = i; j < n; j++)
                frame_free(f + j);      /* the pages inserted stay with the object */
            return false;
        }
    ms_zero_fill += n;
    t->zero_fill += n;
    t->last_fault_pg = page + n - 1;
    *item = L4_MapItem(L4_FpageAddRights(frame_fpage(f, log2), l4_rights(e->cur)),
                       real & ~(((L4_Word_t)n << MS_PAGE_BITS) - 1));
    return true;
}

/* Resolves a fault at canonical address a; the map item in *item. */
static kern_return_t resolve(mtask_t *t, vm_address_t a, L4_Word_t real, unsigned rwx, L4_MapItem_t *item)
{
    map_entry_t *e = map_lookup(&t->map, a);
    if (!e)
        return KERN_INVALID_ADDRESS;
    if (needed(rwx, e->cur) & ~e->cur)
        return KERN_PROTECTION_FAILURE;
    ms_faults++;
    t->faults++;
    if (fault_ahead(t, e, a, item, real))
        return KERN_SUCCESS;
    frame_t f;
    vm_prot_t rights = e->cur;
    kern_return_t r;
    if (rwx & L4_Writable) {
        bool cow;
        obj_t *o = e->object;
        bool fresh = !o || !obj_has(o, entry_pg(e, a));
        if ((r = range_write_frame(t, e, a, &f, &cow, true)) != KERN_SUCCESS)
            return r;
        if (cow) {
            ms_cow_faults++;
            t->cow_faults++;
        } else if (fresh) {
            ms_zero_fill++;
            t->zero_fill++;
        }
    } else {
        obj_t *h;
        if ((r = range_read_frame(t, e, a, &f, &h)) != KERN_SUCCESS)
            return r;
        if (h != e->object || e->needs_copy)
            rights &= ~VM_PROT_WRITE;
        /* an external page is mapped writable only once written: the
         * write fault marks it dirty (range_write_frame) */
        if (h == e->object && h->ext && (obj_flags(h, entry_pg(e, a)) & (PGF_DIRTY | PGF_WLOCK)) != PGF_DIRTY)
            rights &= ~VM_PROT_WRITE;
    }
    t->last_fault_pg = a >> MS_PAGE_BITS;
    *item = L4_MapItem(L4_FpageAddRights(frame_fpage(f, 0), l4_rights(rights)), real & ~(MS_PAGE - 1));
    return KERN_SUCCESS;
}

static const char *access_name(unsigned rwx)
{
    return (rwx & L4_Writable) ? "write" : (rwx & L4_eXecutable) ? "execute" : "read";
}

static const char *code_name(kern_return_t r)
{
    switch (r) {
    case KERN_INVALID_ADDRESS: return "no region there (KERN_INVALID_ADDRESS)";
    case KERN_PROTECTION_FAILURE: return "the region does not allow it (KERN_PROTECTION_FAILURE)";
    case KERN_RESOURCE_SHORTAGE: return "out of memory or over its quota (KERN_RESOURCE_SHORTAGE)";
    case KERN_FAILURE: return "the swap device failed (KERN_FAILURE)";
    case KERN_MEMORY_ERROR: return "its memory manager did not supply the page (KERN_MEMORY_ERROR)";
    default: return "failure";
    }
}

static bool add_pending(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx)
{
    for (unsigned i = 0; i < MS_PENDING; i++)
        if (L4_IsNilThread(t->pending[i].thread)) {
            t->pending[i] = (pending_t){ th, addr, ip, rwx };
            return true;
        }
    return false;
}

/* The fault cannot be served: tell the handler, or end the task. */
static void violation(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx,
                      kern_return_t code, const char *detail)
{
    if (!L4_IsNilThread(t->exc_handler) && add_pending(t, th, addr, ip, rwx)) {
        chacm_env_t env = { .snd_timeout = L4_ZeroTime };
        vm_exc_exception_raise(t->exc_handler, task_handle(t), th, (L4_Word_t)code, addr, ip, rwx, &env);
        if (env.error == CHACM_IDL_OK)
            return;
        printf("memsvr: exception handler %lx of task %#lx does not wait\n", t->exc_handler.raw,
               task_handle(t));
    }
    char why[240];
    snprintf(why, sizeof why, "thread %lx: %s at %#lx (ip %#lx): %s%s%s", th.raw, access_name(rwx), addr, ip,
             code_name(code), detail ? ": " : "", detail ? detail : "");
    task_end(t, why);
}

/* Serves one fault: true with the map item in *item, false when the
 * thread waits (for its handler) or its task ended. */
static bool serve(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx, L4_MapItem_t *item)
{
    kern_return_t r = resolve(t, ms_addr_in(task_view_base(t, t), addr), addr, rwx, item);
    if (r == KERN_SUCCESS)
        return true;
    if (r == MS_KERN_WAIT) {
        const char *why = mobj_wait(t, th, addr, ip, rwx);
        if (why)
            violation(t, th, addr, ip, rwx, KERN_MEMORY_ERROR, why);
        return false;
    }
    violation(t, th, addr, ip, rwx, r, NULL);
    return false;
}

void pager_retry(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx)
{
    L4_MapItem_t item;
    if (serve(t, th, addr, ip, rwx, &item))
        pager_pagefault_reply(th, item);
}

void pager_fail(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx,
                kern_return_t code, const char *why)
{
    violation(t, th, addr, ip, rwx, code, why);
}

void pager_fault(L4_Word_t addr, L4_Word_t ip, L4_MapItem_t *page, chacm_srvenv_t *env)
{
    mtask_t *t = task_of_thread(env->caller);
    if (!t) {
        printf("memsvr: page fault at %#lx from %lx, a thread of no task, not answered\n", addr,
               env->caller.raw);
        chacm_srv_defer(env);
        return;
    }
    task_learn_base(t, addr);
    reclaim_safe_point();
    reclaim_note_fault();
    if (!serve(t, env->caller, addr, ip, (unsigned)(L4_Label(env->tag) & 7), page))
        chacm_srv_defer(env);
}

kern_return_t pager_resume(mtask_t *t, L4_ThreadId_t th)
{
    for (unsigned i = 0; i < MS_PENDING; i++) {
        pending_t p = t->pending[i];
        L4_MapItem_t item;
        if (!L4_IsThreadEqual(p.thread, th))
            continue;
        t->pending[i].thread = L4_nilthread;
        if (serve(t, th, p.addr, p.ip, p.access, &item))
            pager_pagefault_reply(th, item);
        return KERN_SUCCESS;
    }
    return KERN_INVALID_ARGUMENT;
}
