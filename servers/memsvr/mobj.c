/* Objects of external memory managers: memsvr's side of the external
 * pager protocol (ipc/idl/memory_object.idl, memory_object_control.idl),
 * after Mach's.  memsvr's anonymous memory is the default manager and
 * never appears here: an object with ext == NULL is zero-filled (or
 * swapped) by memsvr itself.
 *
 * A binding (mobj_t) ties an object (obj_t, ext set) to its manager (a
 * thread of a task memsvr pages) and the manager's name for it; its
 * control name is (generation << 16) | (slot + 1) | MOBJ_TAG.
 *
 * memsvr never waits for a manager.  Messages to managers go through one
 * queue, sent from the server loop's poll hook with a zero timeout
 * (never to the thread memsvr is about to answer, which waits for that
 * answer): one the manager is not receiving stays queued, in order per
 * manager, and is sent again every RETRY_US.  So a manager must not wait
 * in a deferred call to memsvr (a fault on its own object, a vm_msync of
 * it) while memsvr may send it messages.  A thread that faults on a page its object lacks waits as a
 * deferred page fault (a waiter) until data_supply, data_unavailable or
 * data_error covers the page, or its deadline passes
 * (MEMORY_OBJECT_TIMEOUT_MS): then it gets KERN_MEMORY_ERROR (its
 * exception handler, else its task ends with a message naming the
 * manager).  Nothing else waits: every other task goes on meanwhile.
 *
 * Invariants:
 *  1. A used binding with obj != NULL is that object's ext, and obj->ext
 *     points back; obj is never collapsed or given a shadow.
 *  2. A waiter names a used binding; the binding's object lacks the page
 *     (or has it write-locked, for an unlock waiter) while the waiter is
 *     there: every call that adds or unlocks pages wakes the waiters of
 *     the pages it covers.
 *  3. Pages leave memsvr for a manager only as data_return regions of the
 *     manager's own address space: a returned frame is either copied (the
 *     page stays resident, write-protected, clean) or moved (it leaves
 *     the object). */
#include <stdio.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/message.h>

#include "memsvr.h"
#include "mobj_impl.h"

struct ms_missing ms_missing;
mobj_t mobjs[MOBJ_MAX];
static waiter_t waits[WAIT_MAX];
static outmsg_t *out_head, *out_tail;
static L4_Word_t next_retry, retry_us = RETRY_US;
static sync_t syncs[SYNC_MAX];

void mobj_init(void)
{
    memset(mobjs, 0, sizeof mobjs);
    memset(waits, 0, sizeof waits);
}

L4_Word_t mobj_now(void)
{
    return (L4_Word_t)L4_SystemClock().raw;
}

L4_Word_t mobj_control(const mobj_t *m)
{
    return MOBJ_TAG | ((L4_Word_t)m->gen << 16) | (L4_Word_t)(m - mobjs + 1);
}

mobj_t *mobj_by_control(L4_Word_t c)
{
    unsigned i = (unsigned)(c & 0xffff) - 1;
    if ((c & ~(L4_Word_t)0x7fffffff) != 0 || !(c & MOBJ_TAG) || i >= MOBJ_MAX || !mobjs[i].used ||
        mobjs[i].gen != ((c >> 16) & 0x3fff))
        return NULL;
    return &mobjs[i];
}

mtask_t *mobj_manager_task(const mobj_t *m)
{
    mtask_t *t = task_by_slot(m->mslot);
    return t && t->used && t->alive && t->gen == m->mgen ? t : NULL;
}

/* ---- the queue of messages to managers ---- */

static void sync_done(unsigned id, kern_return_t r);
static void reask_due(L4_Word_t now);
static vm_prot_t access_of(unsigned rwx);

/* data_return's pages become a region of the manager's address space
 * (here, outside every map call: the manager's map may be the one a call
 * was changing when the pages left); false when that cannot be now. */
static bool place(outmsg_t *q, bool *gone)
{
    mtask_t *mt = task_by_slot(q->mslot);
    vm_address_t a = 0;
    *gone = !mt || !mt->used || !mt->alive || mt->gen != q->mgen;
    if (*gone || !ms_pool_reserve() ||
        map_enter(&mt->map, &a, q->length, 0, true, q->data, 0, false, VM_PROT_DEFAULT, VM_PROT_ALL,
                  VM_INHERIT_COPY, NULL) != KERN_SUCCESS)
        return false;
    q->data = NULL;                     /* the map holds it now; the manager deallocates it */
    q->arg = ms_addr_out(task_view_base(mt, mt), a);
    return true;
}

/* Sends one message with a zero timeout; the IDL error, or CHACM_IDL_OK
 * (an error reads as "not receiving now" when the pages of a data_return
 * find no room yet, and as "no such partner" when the manager ended). */
static L4_Word_t deliver(outmsg_t *q, L4_Word_t *ipc_error)
{
    chacm_env_t env = { .snd_timeout = L4_ZeroTime };
    bool gone;
    if (q->kind == MSG_RETURN && q->data && !place(q, &gone)) {
        *ipc_error = gone ? 2 << 1 : 1 << 1;
        return CHACM_IDL_EIPC;
    }
    switch (q->kind) {
    case MSG_INIT: memory_object_init(q->to, q->object, q->control, MS_PAGE, &env); break;
    case MSG_REQUEST:
        memory_object_data_request(q->to, q->object, q->control, q->offset, q->length, q->arg, &env);
        break;
    case MSG_UNLOCK:
        memory_object_data_unlock(q->to, q->object, q->control, q->offset, q->length, q->arg, &env);
        break;
    case MSG_RETURN:
        memory_object_data_return(q->to, q->object, q->control, q->offset, q->arg, q->length, q->dirty, &env);
        break;
    case MSG_LOCKED: memory_object_lock_completed(q->to, q->object, q->control, q->offset, q->length, &env); break;
    default: memory_object_terminate(q->to, q->object, q->control, &env); break;
    }
    *ipc_error = env.ipc_error;
    return env.error;
}

/* A message leaves the queue (sent or dropped). */
static void discard(outmsg_t *q, kern_return_t r)
{
    if (q->data) {
        printf("memsvr: %lu pages for memory manager %lx at %#lx of object %#lx are lost: it is gone\n",
               q->length >> MS_PAGE_BITS, q->to.raw, q->offset, q->object);
        obj_release(q->data);
    }
    if (q->sync_id)
        sync_done(q->sync_id, r);
    ms_free(q);
}

static bool blocked(const L4_ThreadId_t *dead, unsigned n, L4_ThreadId_t to)
{
    for (unsigned i = 0; i < n; i++)
        if (L4_IsThreadEqual(dead[i], to))
            return true;
    return false;
}

/* Sends what the queue holds, in order per manager: a manager that does
 * not receive now keeps its later messages queued too; one that no
 * longer exists loses them (its objects are dead). */
static void flush(L4_ThreadId_t reply_to)
{
    L4_ThreadId_t busy[8] = { reply_to };
    unsigned nbusy = 1;
    outmsg_t **pp = &out_head;
    bool progress = false;
    while (*pp) {
        outmsg_t *q = *pp;
        if (blocked(busy, nbusy, q->to)) {
            pp = &q->next;
            continue;
        }
        L4_Word_t ipc_error = 0, err = deliver(q, &ipc_error);
        unsigned code = (unsigned)(ipc_error >> 1) & 7;
        if (err == CHACM_IDL_EIPC && code == 1) {      /* not receiving now: later */
            if (nbusy == sizeof busy / sizeof busy[0])
                break;                  /* the rest waits for the next round */
            busy[nbusy++] = q->to;
            pp = &q->next;
            continue;
        }
        if (err != CHACM_IDL_OK)
            printf("memsvr: memory manager %lx does not take messages (IPC error %#lx): message dropped\n",
                   q->to.raw, ipc_error);
        *pp = q->next;
        progress = true;
        discard(q, err == CHACM_IDL_OK ? KERN_SUCCESS : KERN_MEMORY_ERROR);
    }
    out_tail = NULL;
    for (outmsg_t *q = out_head; q; q = q->next)
        out_tail = q;
    /* a manager that stays busy is asked less and less often (to 100 ms) */
    retry_us = progress || !out_head ? RETRY_US : (retry_us < 100000 ? retry_us * 2 : retry_us);
    next_retry = mobj_now() + retry_us;
}

bool mobj_queue(const mobj_t *m, unsigned kind, L4_Word_t offset, L4_Word_t length, L4_Word_t arg, bool dirty,
                unsigned sync_id)
{
    return mobj_queue_data(m, kind, offset, length, arg, NULL, dirty, sync_id);
}

bool mobj_queue_data(const mobj_t *m, unsigned kind, L4_Word_t offset, L4_Word_t length, L4_Word_t arg,
                     obj_t *data, bool dirty, unsigned sync_id)
{
    outmsg_t *q = ms_zalloc(sizeof *q);
    if (!q)
        return false;
    *q = (outmsg_t){ .kind = kind, .to = m->manager, .object = m->object, .control = mobj_control(m),
                     .offset = offset, .length = length, .arg = arg, .data = data, .mslot = m->mslot,
                     .mgen = m->mgen, .dirty = dirty, .sync_id = sync_id };
    if (sync_id)
        syncs[sync_id - 1].pending++;
    if (out_tail)
        out_tail->next = q;
    else
        out_head = q;
    out_tail = q;
    next_retry = 0;                     /* sent by the next poll, after the reply to the caller */
    retry_us = RETRY_US;
    return true;
}

/* ---- vm_msync's deferred replies ---- */

unsigned mobj_sync_begin(L4_ThreadId_t caller)
{
    for (unsigned i = 0; i < SYNC_MAX; i++)
        if (!syncs[i].used) {
            syncs[i] = (sync_t){ .used = true, .caller = caller, .pending = 1, .result = KERN_SUCCESS };
            return i + 1;
        }
    return 0;
}

static void sync_done(unsigned id, kern_return_t r)
{
    sync_t *s = &syncs[id - 1];
    if (r != KERN_SUCCESS)
        s->result = r;
    if (--s->pending)
        return;
    s->used = false;
    if (s->deferred)
        vm_vm_msync_reply(s->caller, s->result);
}

bool mobj_sync_end(unsigned id, kern_return_t *r)
{
    sync_t *s = &syncs[id - 1];
    if (*r != KERN_SUCCESS)
        s->result = *r;
    if (s->pending == 1) {
        *r = s->result;
        s->used = false;
        return true;
    }
    s->pending--;
    s->deferred = true;
    return false;
}

/* ---- waiting faults ---- */

static vm_prot_t access_of(unsigned rwx)
{
    return ((rwx & L4_Readable) ? VM_PROT_READ : 0) | ((rwx & L4_Writable) ? VM_PROT_WRITE : 0) |
           ((rwx & L4_eXecutable) ? VM_PROT_EXECUTE : 0);
}

/* Whether a request for page pg (or its unlock) is out already. */
static bool asked(const mobj_t *m, vm_offset_t pg, bool unlock)
{
    for (unsigned i = 0; i < WAIT_MAX; i++)
        if (waits[i].used && waits[i].m == m && waits[i].pg == pg && waits[i].unlock == unlock)
            return true;
    return false;
}

const char *mobj_wait(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx)
{
    obj_t *o = ms_missing.o;
    mobj_t *m = o->ext;
    vm_offset_t pg = ms_missing.pg;
    bool unlock = ms_missing.unlock;
    if (m->dead)
        return "the object was destroyed or its manager is gone";
    unsigned w;
    for (w = 0; w < WAIT_MAX && waits[w].used; w++)
        ;
    if (w == WAIT_MAX)
        return "memsvr has too many faults waiting for memory managers";
    if (!asked(m, pg, unlock)) {
        unsigned n = 1;
        while (!unlock && n < CLUSTER_PAGES && pg + n < o->pages && obj_resident(o, pg + n) == FRAME_NONE)
            n++;
        if (!mobj_queue(m, unlock ? MSG_UNLOCK : MSG_REQUEST, pg << MS_PAGE_BITS, (L4_Word_t)n << MS_PAGE_BITS,
                        access_of(rwx), false, 0))
            return "memsvr is out of memory for the request";
    }
    waits[w] = (waiter_t){ .used = true, .slot = t->slot, .gen = t->gen, .th = th, .addr = addr, .ip = ip,
                           .rwx = rwx, .m = m, .pg = pg, .unlock = unlock,
                           .deadline = mobj_now() + (L4_Word_t)MEMORY_OBJECT_TIMEOUT_MS * 1000 };
    return NULL;
}

static mtask_t *waiter_task(const waiter_t *w)
{
    mtask_t *t = task_by_slot(w->slot);
    return t && t->used && t->alive && t->gen == w->gen ? t : NULL;
}

/* Takes one waiter of m for a page in [first, last) (an unlock waiter,
 * with unlock_only) off the table into *out; false when there is none.
 * Callers loop, since serving one may add or remove others. */
static bool take_waiter(const mobj_t *m, vm_offset_t first, vm_offset_t last, bool unlock_only, waiter_t *out)
{
    for (unsigned i = 0; i < WAIT_MAX; i++) {
        waiter_t *w = &waits[i];
        if (w->used && w->m == m && w->pg >= first && w->pg < last && (!unlock_only || w->unlock)) {
            *out = *w;
            w->used = false;
            return true;
        }
    }
    return false;
}

void mobj_wake(const mobj_t *m, vm_offset_t first, vm_offset_t last, bool unlock_only)
{
    /* a retried fault that waits again is a new waiter of a page still
     * missing, which this range no longer lacks: at most one round each */
    waiter_t w;
    unsigned rounds = WAIT_MAX;
    while (rounds-- && take_waiter(m, first, last, unlock_only, &w)) {
        mtask_t *t = waiter_task(&w);
        if (t)
            pager_retry(t, w.th, w.addr, w.ip, w.rwx);
    }
}

void mobj_fail(const mobj_t *m, vm_offset_t first, vm_offset_t last, const char *why)
{
    waiter_t w;
    while (take_waiter(m, first, last, false, &w)) {
        mtask_t *t = waiter_task(&w);
        if (t)
            pager_fail(t, w.th, w.addr, w.ip, w.rwx, KERN_MEMORY_ERROR, why);
    }
}

/* Fails the waiters whose deadline passed; the earliest deadline left. */
static L4_Word_t expire(L4_Word_t now)
{
    L4_Word_t next = ~(L4_Word_t)0;
    for (unsigned i = 0; i < WAIT_MAX; i++) {
        waiter_t *w = &waits[i];
        if (!w->used)
            continue;
        if (w->deadline > now) {
            if (w->deadline < next)
                next = w->deadline;
            continue;
        }
        waiter_t x = *w;
        w->used = false;
        char why[128];
        snprintf(why, sizeof why, "memory manager %lx did not answer for object %#lx within %d ms", x.m->manager.raw,
                 x.m->object, MEMORY_OBJECT_TIMEOUT_MS);
        printf("memsvr: %s (page %#lx)\n", why, (L4_Word_t)x.pg << MS_PAGE_BITS);
        mtask_t *t = waiter_task(&x);
        if (t)
            pager_fail(t, x.th, x.addr, x.ip, x.rwx, KERN_MEMORY_ERROR, why);
    }
    return next;
}

L4_Time_t mobj_poll(void *user, L4_ThreadId_t reply_to)
{
    (void)user;
    bool waiting = false;
    for (unsigned i = 0; i < WAIT_MAX && !waiting; i++)
        waiting = waits[i].used;
    if (!out_head && !waiting)
        return L4_Never;
    L4_Word_t now = mobj_now(), next = ~(L4_Word_t)0;
    bool work = (out_head && now >= next_retry);
    for (unsigned i = 0; i < WAIT_MAX && !work; i++)
        work = waits[i].used && (waits[i].deadline <= now || (waits[i].reask && waits[i].reask <= now));
    if (work) {
        /* the reply of the request just served is in the MRs: keep it */
        L4_Word_t mr[64];
        L4_StoreMRs(0, 64, mr);
        reask_due(now);
        if (out_head && now >= next_retry)
            flush(reply_to);
        next = expire(now);
        L4_LoadMRs(0, 64, mr);
    } else {
        for (unsigned i = 0; i < WAIT_MAX; i++)
            if (waits[i].used && waits[i].deadline < next)
                next = waits[i].deadline;
    }
    for (unsigned i = 0; i < WAIT_MAX; i++)
        if (waits[i].used && waits[i].reask && waits[i].reask < next)
            next = waits[i].reask > now ? waits[i].reask : now + 1;
    if (out_head && next_retry < next)
        next = next_retry;
    if (next == ~(L4_Word_t)0)
        return L4_Never;
    return L4_TimePeriod(next > now ? next - now : 1);
}

/* ---- pages going back to managers ---- */

bool mobj_return_run(mobj_t *m, obj_t *o, vm_offset_t pg, unsigned n, bool move, bool dirty, unsigned sync_id)
{
    mtask_t *mt = mobj_manager_task(m);
    if (!mt || m->dead)
        return false;
    obj_t *r = obj_new(n);
    if (!r)
        return false;
    for (unsigned i = 0; i < n; i++) {
        frame_t f = obj_resident(o, pg + i), c;
        if (f == FRAME_NONE)
            continue;
        if (move) {
            frame_unmap(f);
            obj_remove(o, pg + i);
            frame_set_flags(f, 0, PGF_DIRTY | PGF_WLOCK);  /* anonymous memory of the manager's now */
            if (!obj_insert(r, i, f)) {
                if (obj_insert(o, pg + i, f))
                    obj_set_flags(o, pg + i, dirty ? PGF_DIRTY : 0, 0);
                else
                    frame_free(f);
                goto fail;
            }
            continue;
        }
        frame_busy(f);                  /* frame_alloc may evict: never this one */
        if (task_charge_check(mt, 1) != KERN_SUCCESS || frame_alloc(mt, &c) != KERN_SUCCESS)
            goto fail;
        memcpy(frame_ptr(c), frame_ptr(f), MS_PAGE);
        if (!obj_insert(r, i, c)) {
            frame_free(c);
            goto fail;
        }
    }
    if (!mobj_queue_data(m, MSG_RETURN, pg << MS_PAGE_BITS, (L4_Word_t)n << MS_PAGE_BITS, 0, r, dirty, sync_id))
        goto fail;
    return true;
fail:
    if (move)                           /* the frames moved so far go back */
        for (unsigned i = 0; i < n; i++) {
            frame_t f = obj_remove(r, i);
            if (f != FRAME_NONE && obj_insert(o, pg + i, f))
                obj_set_flags(o, pg + i, dirty ? PGF_DIRTY : 0, 0);
            else if (f != FRAME_NONE)
                frame_free(f);
        }
    obj_release(r);
    return false;
}

/* Returns the pages [pg, pg + n) of o that want (should_return:
 * MEMORY_OBJECT_RETURN_*) in runs; moved (flush) or copied and cleaned.
 * false when a run could not be returned (the pages stay as they were). */
bool mobj_return_range(mobj_t *m, obj_t *o, vm_offset_t pg, vm_size_t n, unsigned want, bool flush,
                       unsigned sync_id, unsigned *sent)
{
    vm_offset_t run = 0;
    unsigned len = 0;
    bool dirty = false, ok = true;
    for (vm_size_t i = 0; i <= n; i++) {
        vm_offset_t p = pg + i;
        bool take = false;
        if (i < n && obj_resident(o, p) != FRAME_NONE) {
            unsigned fl = obj_flags(o, p);
            take = want == MEMORY_OBJECT_RETURN_ALL || (want == MEMORY_OBJECT_RETURN_DIRTY && (fl & PGF_DIRTY));
        }
        if (take && len && len < CLUSTER_PAGES) {
            dirty |= (obj_flags(o, p) & PGF_DIRTY) != 0;
            len++;
            continue;
        }
        if (len) {
            if (!flush)
                for (unsigned k = 0; k < len; k++) {
                    frame_write_protect(obj_resident(o, run + k));
                    obj_set_flags(o, run + k, 0, PGF_DIRTY);
                }
            if (mobj_return_run(m, o, run, len, flush, dirty, sync_id)) {
                if (sent)
                    ++*sent;
            } else {
                ok = false;
                if (!flush && dirty)        /* still to be written */
                    for (unsigned k = 0; k < len; k++)
                        obj_set_flags(o, run + k, PGF_DIRTY, 0);
            }
            len = 0;
        }
        if (take) {
            run = p;
            len = 1;
            dirty = (obj_flags(o, p) & PGF_DIRTY) != 0;
        }
    }
    return ok;
}

/* Drops the resident pages [pg, pg + n) of o. */
void mobj_drop_range(obj_t *o, vm_offset_t pg, vm_size_t n)
{
    for (vm_size_t i = 0; i < n && o->npages; i++) {
        frame_t f = obj_remove(o, pg + i);
        if (f != FRAME_NONE)
            frame_free(f);
    }
}

void mobj_object_gone(obj_t *o)
{
    mobj_t *m = o->ext;
    if (!m->dead && mobj_manager_task(m)) {
        if (!mobj_return_range(m, o, 0, o->pages, MEMORY_OBJECT_RETURN_DIRTY, true, 0, NULL))
            printf("memsvr: modified pages of object %#lx of memory manager %lx are lost: no memory to return them\n",
                   m->object, m->manager.raw);
        mobj_queue(m, MSG_TERMINATE, 0, 0, 0, false, 0);
    }
    mobj_fail(m, 0, ~(vm_offset_t)0, "the object ended");
    o->ext = NULL;
    m->obj = NULL;
    m->used = false;
    m->gen = (uint16_t)((m->gen + 1) & 0x3fff);
}

int mobj_page_out(obj_t *o, vm_offset_t pg)
{
    mobj_t *m = o->ext;
    frame_t f = obj_resident(o, pg);
    if (!m || f == FRAME_NONE)
        return 0;
    if (obj_flags(o, pg) & PGF_DIRTY)
        return mobj_return_run(m, o, pg, 1, true, true, 0) ? 2 : 0;
    obj_remove(o, pg);
    frame_free(f);
    return 1;
}

void mobj_reask(const mobj_t *m, vm_offset_t first, vm_offset_t last)
{
    L4_Word_t at = mobj_now() + REASK_US;
    for (unsigned i = 0; i < WAIT_MAX; i++)
        if (waits[i].used && waits[i].m == m && waits[i].pg >= first && waits[i].pg < last)
            waits[i].reask = at;
}

/* Asks again for the pages of waiters whose reask time came. */
static void reask_due(L4_Word_t now)
{
    for (unsigned i = 0; i < WAIT_MAX; i++) {
        waiter_t *w = &waits[i];
        if (!w->used || !w->reask || w->reask > now)
            continue;
        w->reask = 0;
        if (!w->m->dead && w->m->obj && obj_resident(w->m->obj, w->pg) == FRAME_NONE)
            mobj_queue(w->m, MSG_REQUEST, w->pg << MS_PAGE_BITS, MS_PAGE, access_of(w->rwx), false, 0);
    }
}

kern_return_t mobj_sync_range(mtask_t *t, vm_address_t start, vm_address_t end, bool invalidate, unsigned sync_id,
                              unsigned *sent)
{
    kern_return_t r = KERN_SUCCESS;
    for (map_entry_t *e = map_lookup_at_or_above(&t->map, start); e && e->start < end; e = map_next(&t->map, e)) {
        obj_t *o = e->object;
        if (!o || !o->ext || e->needs_copy)
            continue;
        vm_address_t s = e->start > start ? e->start : start, u = e->end < end ? e->end : end;
        vm_offset_t pg = entry_pg(e, s);
        vm_size_t n = (u - s) >> MS_PAGE_BITS;
        if (!mobj_return_range(o->ext, o, pg, n, MEMORY_OBJECT_RETURN_DIRTY, invalidate, sync_id, sent))
            r = KERN_RESOURCE_SHORTAGE;
        if (invalidate)
            mobj_drop_range(o, pg, n);
    }
    return r;
}

void mobj_task_gone(const mtask_t *t)
{
    for (unsigned i = 0; i < MOBJ_MAX; i++) {
        mobj_t *m = &mobjs[i];
        if (m->used && m->mslot == t->slot && m->mgen == t->gen && !m->dead) {
            m->dead = true;
            mobj_fail(m, 0, ~(vm_offset_t)0, "the object's memory manager ended");
        }
    }
    outmsg_t **pp = &out_head;
    while (*pp) {
        outmsg_t *q = *pp;
        mobj_t *m = mobj_by_control(q->control);
        if (m && m->dead) {
            *pp = q->next;
            discard(q, KERN_MEMORY_ERROR);
        } else {
            pp = &q->next;
        }
    }
    out_tail = NULL;
    for (outmsg_t *q = out_head; q; q = q->next)
        out_tail = q;
}
