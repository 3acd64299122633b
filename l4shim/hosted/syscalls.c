/* The thread, scheduling and space system calls: ThreadControl,
 * ExchangeRegisters, Schedule, ThreadSwitch, SystemClock, SpaceControl,
 * ProcessorControl, MemoryControl, KernelInterface, Unmap. */
#include <string.h>

#include <l4/hosted/vregs.h>
#include "kern.h"
#include "kern_mem.h"

enum { ERR_OK, ERR_NO_PRIVILEGE, ERR_INVALID_THREAD, ERR_INVALID_SPACE, ERR_INVALID_SCHEDULER,
       ERR_INVALID_PARAM, ERR_UTCB_AREA, ERR_KIP_AREA, ERR_NO_MEM };

/* ExchangeRegisters control bits. */
#define XR_H 0x001      /* halt value */
#define XR_R 0x002      /* cancel receive */
#define XR_S 0x004      /* cancel send */
#define XR_SP 0x008
#define XR_IP 0x010
#define XR_FLAGS 0x020
#define XR_UDH 0x040
#define XR_PAGER 0x080
#define XR_HALT 0x100   /* the H bit is valid */
#define XR_DELIVER 0x200

/* Schedule results. */
enum { SR_ERROR, SR_DEAD, SR_INACTIVE, SR_RUNNING, SR_PENDING_SEND, SR_SENDING, SR_WAITING, SR_RECEIVING };

static L4_Word_t fail(unsigned err)
{
    kern_self->utcb[__L4_TCR_ERROR_CODE] = err;
    return 0;
}

static bool privileged(void)
{
    return kern_self->space && kern_self->space->privileged;
}

L4_Word_t kern_thread_pager(kern_thread_t *t)
{
    return t->utcb ? t->utcb[__L4_TCR_PAGER] : t->pager_init;
}

static void set_pager(kern_thread_t *t, L4_Word_t pager)
{
    if (t->utcb)
        t->utcb[__L4_TCR_PAGER] = pager;
    else
        t->pager_init = pager;
}

/* An inactive thread with a UTCB and a pager waits for its start message. */
static void maybe_activate(kern_thread_t *t)
{
    if (t->state == TS_INACTIVE && !t->started && t->utcb && kern_thread_pager(t))
        t->awaiting_start = true;
}

static int give_utcb(kern_thread_t *t, L4_Word_t utcb)
{
    if (utcb == ~0UL)
        return ERR_OK;
    if (t->utcb)
        return ERR_UTCB_AREA;
    L4_Word_t loc;
    if (!kern_space_reloc(t->space, utcb, &loc) || !kern_space_utcb_valid(t->space, loc))
        return ERR_UTCB_AREA;
    if (kern_thread_place_utcb(t, loc))
        return ERR_NO_MEM;
    t->utcb[__L4_TCR_PAGER] = t->pager_init;
    return ERR_OK;
}

static L4_Word_t control_irq(kern_thread_t *irq, L4_Word_t space, L4_Word_t pager)
{
    if (space != irq->id)
        return fail(ERR_INVALID_SPACE);
    if (pager == irq->id) {
        irq->irq_handler = 0;
        kern_irq_detach(irq);   /* a queued raise must not reach the old handler */
        return 1;
    }
    if (pager != KW_NILTHREAD) {
        kern_thread_t *h = kern_thread_lookup(pager, kern_self);
        if (!h || h->is_irq)
            return fail(ERR_INVALID_THREAD);
        if (irq->irq_handler != h->id)
            kern_irq_detach(irq);
        irq->irq_handler = h->id;
    }
    return 1;
}

static L4_Word_t create_thread(L4_Word_t dest, L4_Word_t space, L4_Word_t sched, L4_Word_t pager,
                               L4_Word_t utcb)
{
    kern_space_t *sp;
    if (sched == KW_NILTHREAD)
        return fail(ERR_INVALID_THREAD);    /* Pistachio's first check at creation */
    if (space == dest) {
        sp = NULL;
    } else {
        kern_thread_t *st = kern_thread_lookup(space, kern_self);
        if (!st || st->is_irq || !st->space)
            return fail(ERR_INVALID_SPACE);
        sp = st->space;
    }
    kern_thread_t *sc = kern_thread_lookup(sched, kern_self);
    if (!sc && sched != dest)
        return fail(ERR_INVALID_SCHEDULER);
    /* A pager makes the new thread active at once; that needs a space
     * SpaceControl has initialised (not a new one) and a UTCB in it.
     * Checked in Pistachio's order: InvalidSpace, then UtcbArea. */
    if (pager != KW_NILTHREAD) {
        if (!sp || !sp->utcb_area)
            return fail(ERR_INVALID_SPACE);
        if (utcb == ~0UL)
            return fail(ERR_UTCB_AREA);
    }
    if (utcb != ~0UL && (!sp || !sp->utcb_area))
        return fail(ERR_UTCB_AREA);
    if (!sp && !(sp = kern_space_create()))
        return fail(ERR_NO_MEM);
    kern_thread_t *t = kern_thread_create(dest, sp);
    if (!t)
        return fail(ERR_NO_MEM);
    t->scheduler = sc ? sc->id : dest;
    t->prio = kern_self->prio;
    int err = give_utcb(t, utcb);
    if (err) {
        kern_thread_delete(t);
        return fail(err);
    }
    if (pager != KW_NILTHREAD)
        set_pager(t, pager);
    maybe_activate(t);
    return 1;
}

/* Moves t, which has not run, into space to (Pistachio's migration): an
 * activated t keeps its UTCB's offset in the window, which must be a free
 * UTCB slot of the initialised space to.  Returns 0 or an X.2 error code.
 * A thread that has run cannot move: its registers and stack hold host
 * addresses of its old window (docs/kernel.md deviation 26). */
static int migrate_thread(kern_thread_t *t, kern_space_t *to)
{
    kern_space_t *from = t->space;
    if (t->host_started || t == kern_self)
        return ERR_INVALID_SPACE;
    L4_Word_t loc = 0;
    if (t->utcb) {
        loc = to->base + (t->utcb_location - from->base);
        if (!to->utcb_area || !kern_space_utcb_valid(to, loc))
            return ERR_UTCB_AREA;
    }
    L4_Word_t saved[KERN_UTCB_SIZE / sizeof(L4_Word_t)];
    L4_Word_t *block = t->utcb ? (L4_Word_t *)((char *)t->utcb - __L4_HOSTED_UTCB_MR0_OFFSET) : NULL;
    if (block)
        memcpy(saved, block, sizeof saved);
    kern_thread_t **pp = &from->threads;
    while (*pp != t)
        pp = &(*pp)->space_next;
    *pp = t->space_next;
    t->space = to;
    t->space_next = to->threads;
    to->threads = t;
    to->nthreads++;
    snprintf(t->name, sizeof t->name, "%.20s.%lu", to->name, kw_thread_no(t->id) & 0x3ffff);
    if (block) {
        if (kern_thread_place_utcb(t, loc))
            kern_panic("UTCB slot %#lx of %s vanished", loc, to->name);
        memcpy((char *)t->utcb - __L4_HOSTED_UTCB_MR0_OFFSET, saved, sizeof saved);
    }
    if (--from->nthreads == 0)
        kern_space_release(from);
    return ERR_OK;
}

static L4_Word_t modify_thread(kern_thread_t *t, L4_Word_t space, L4_Word_t sched, L4_Word_t pager,
                               L4_Word_t utcb)
{
    if (space != t->id) {
        kern_thread_t *st = kern_thread_lookup(space, kern_self);
        if (!st || st->is_irq || !st->space)
            return fail(ERR_INVALID_SPACE);
        if (st->space != t->space) {
            int err = migrate_thread(t, st->space);
            if (err)
                return fail(err);
        }
    }
    if (sched != KW_NILTHREAD) {
        kern_thread_t *sc = kern_thread_lookup(sched, kern_self);
        if (!sc)
            return fail(ERR_INVALID_SCHEDULER);
        t->scheduler = sc->id;
    }
    int err = give_utcb(t, utcb);
    if (err)
        return fail(err);
    if (pager != KW_NILTHREAD)
        set_pager(t, pager);
    maybe_activate(t);
    return 1;
}

L4_Word_t kern_sys_thread_control(L4_Word_t dest, L4_Word_t space, L4_Word_t sched, L4_Word_t pager,
                                  L4_Word_t utcb);
L4_Word_t kern_sys_thread_control(L4_Word_t dest, L4_Word_t space, L4_Word_t sched, L4_Word_t pager,
                                  L4_Word_t utcb)
{
    kern_entry();
    if (!privileged())
        return fail(ERR_NO_PRIVILEGE);
    L4_Word_t no = kw_thread_no(dest);
    if (!kw_is_global(dest) || dest == KW_ANYTHREAD || no >= KERN_MAX_THREADS)
        return fail(ERR_INVALID_THREAD);
    kern_thread_t *t = kern.threads[no];
    if (no < KERN_NIRQ)
        return t && t->id == dest ? control_irq(t, space, pager) : fail(ERR_INVALID_THREAD);
    if (no < KERN_USER_BASE)
        return fail(ERR_INVALID_THREAD);
    if (space == KW_NILTHREAD) {
        if (!t || t->id != dest || t == kern_self)
            return fail(ERR_INVALID_THREAD);    /* no thread deletes itself (Pistachio) */
        kern_thread_delete(t);
        return 1;
    }
    if (!t)
        return create_thread(dest, space, sched, pager, utcb);
    if (t->id != dest)
        return fail(ERR_INVALID_THREAD);
    return modify_thread(t, space, sched, pager, utcb);
}

/* ---- ExchangeRegisters ---- */

/* The guest SP and IP of a thread that is inside the kernel or not started. */
void kern_guest_sp_ip(kern_thread_t *t, L4_Word_t *sp, L4_Word_t *ip)
{
    if (kern_fault_regs(t, sp, ip))
        return;
    if (t->preempted) {
        *sp = t->preempt_sp;
        *ip = t->preempt_ip;
        return;
    }
    if (!t->host_started || !t->kstack || t->redirect) {
        *sp = t->start_sp;
        *ip = t->start_ip;
        return;
    }
    L4_Word_t gsp = *(L4_Word_t *)(t->kstack - 8);
    L4_Word_t ret = 0;
    kern_copy_from_guest(&ret, (void *)gsp, sizeof ret);
    *sp = gsp + 8;
    *ip = ret;
}

static L4_Word_t old_control(kern_thread_t *t)
{
    L4_Word_t c = 0;
    if (t->halted)
        c |= XR_H;
    if (t->state == TS_RECEIVING || t->awaiting_start)
        c |= XR_R;
    if (t->state == TS_SENDING)
        c |= XR_S;
    return c;
}

static void exreg_apply(kern_thread_t *t, L4_Word_t c, const L4_Word_t *in)
{
    if ((c & (XR_S | XR_R)) && t->xfer)
        kern_ipc_xfer_abort(t);         /* a transfer waiting for a page fault */
    if (c & (XR_S | XR_R))
        kern_ipc_cancel(t, c & XR_S, c & XR_R, t != kern_self);
    if (c & XR_FLAGS)
        t->flags = in[3];
    if (c & XR_UDH)
        t->utcb[__L4_TCR_USER_DEFINED_HANDLE] = in[4];
    if (c & XR_PAGER)
        t->utcb[__L4_TCR_PAGER] = in[5];
    if (c & (XR_SP | XR_IP)) {
        L4_Word_t sp, ip;
        kern_guest_sp_ip(t, &sp, &ip);
        t->start_sp = (c & XR_SP) ? in[1] : sp;
        t->start_ip = (c & XR_IP) ? in[2] : ip;
        if (t->host_started)
            t->redirect = true;
    }
    if ((c & XR_R) && t->awaiting_start) {
        /* Cancelling the receive of the start message starts the thread
         * at its SP and IP, as on Pistachio (which aborts that receive and
         * returns to the thread's user frame). */
        t->awaiting_start = false;
        kern_thread_start(t, t->start_ip, t->start_sp);
    }
    if (c & XR_HALT) {
        if (c & XR_H) {
            t->halted = true;
            kern_rq_remove(t);
        } else {
            t->halted = false;
            bool startable = !t->started && t->utcb && (t->start_ip || (c & XR_IP));
            if (startable) {
                t->awaiting_start = false;
                kern_thread_start(t, t->start_ip, t->start_sp);
            } else if (t->state == TS_READY && t != kern_self) {
                kern_rq_add(t, false);
            }
        }
    }
}

L4_Word_t kern_sys_exchange_registers(L4_Word_t dest, L4_Word_t *regs);
L4_Word_t kern_sys_exchange_registers(L4_Word_t dest, L4_Word_t *regs)
{
    kern_entry();
    kern_thread_t *self = kern_self;
    L4_Word_t in[6], out[6];
    if (kern_copy_from_guest(in, regs, sizeof in) != sizeof in)
        return fail(ERR_INVALID_PARAM);
    kern_thread_t *t = kern_thread_lookup(dest, self);
    /* As Pistachio (without its build options pagerexregs and ctrlxfer):
     * only an activated thread of the caller's own address space */
    bool activated = t && (t->started || t->awaiting_start || t->state != TS_INACTIVE);
    if (!t || t->is_irq || t->state == TS_FREE || !t->utcb || !activated || t->space != self->space) {
        self->utcb[__L4_TCR_ERROR_CODE] = ERR_INVALID_THREAD;
        return KW_NILTHREAD;
    }
    L4_Word_t c = in[0];
    out[0] = old_control(t);
    kern_guest_sp_ip(t, &out[1], &out[2]);
    out[3] = t->flags;
    out[4] = t->utcb[__L4_TCR_USER_DEFINED_HANDLE];
    out[5] = t->utcb[__L4_TCR_PAGER];
    exreg_apply(t, c, in);
    kern_copy_to_guest(regs, out, sizeof out);
    L4_Word_t result = kw_is_local(dest) ? t->id : t->utcb_location;
    if (t == self) {
        if (self->halted)
            kern_block();
        if (self->redirect) {
            self->redirect = false;
            siglongjmp(self->base, 2);
        }
    }
    return result;
}

/* ---- scheduling ---- */

static L4_Word_t sched_state(kern_thread_t *t)
{
    if (t->is_irq) {
        /* Pistachio's interrupt thread: halted while idle, polling while
         * its interrupt waits for the handler, waiting for the
         * acknowledgement while in service */
        return t->irq_in_service ? SR_WAITING : t->irq_pending ? SR_PENDING_SEND : SR_INACTIVE;
    }
    switch (t->state) {
    case TS_DEAD: return SR_DEAD;
    case TS_INACTIVE: return t->awaiting_start ? SR_WAITING : SR_INACTIVE;
    /* a halted thread is stopped: "inactive", as in Pistachio */
    case TS_READY: return t->halted ? SR_INACTIVE : SR_RUNNING;
    case TS_SENDING: return SR_PENDING_SEND;
    case TS_RECEIVING: return SR_WAITING;
    default: return SR_ERROR;
    }
}

/* The 16-bit period encoding closest to ns nanoseconds. */
static L4_Word_t period_of(uint64_t ns)
{
    uint64_t us = ns / 1000;
    unsigned e = 0;
    while (us > 1023) {
        us >>= 1;
        e++;
    }
    if (us == 0)
        return KW_TIME_ZERO;
    return (L4_Word_t)(e << 10) | us;
}

kern_pair_t kern_sys_schedule(L4_Word_t dest, L4_Word_t time, L4_Word_t proc, L4_Word_t prio,
                              L4_Word_t preempt);
kern_pair_t kern_sys_schedule(L4_Word_t dest, L4_Word_t time, L4_Word_t proc, L4_Word_t prio,
                              L4_Word_t preempt)
{
    (void)preempt;
    kern_entry();
    kern_thread_t *self = kern_self;
    kern_thread_t *t = kern_thread_lookup(dest, self);
    if (!t || (t->is_irq && !t->irq_handler))
        return (kern_pair_t){ fail(ERR_INVALID_THREAD), 0 };
    if (t->scheduler != self->id && !privileged())
        return (kern_pair_t){ fail(ERR_NO_PRIVILEGE), 0 };
    if (prio != ~0UL && prio > 0xff)
        return (kern_pair_t){ fail(ERR_INVALID_PARAM), 0 };
    /* above the caller's own priority only from a privileged space (Pistachio) */
    if (prio != ~0UL && prio > self->prio && !privileged())
        return (kern_pair_t){ fail(ERR_NO_PRIVILEGE), 0 };
    if (proc != ~0UL && (proc & 0xffff) != 0)
        return (kern_pair_t){ fail(ERR_INVALID_PARAM), 0 };
    /* both results as they were before the change (Pistachio) */
    L4_Word_t old_state = sched_state(t);
    L4_Word_t old_time = (period_of(t->timeslice) << 16) | KW_TIME_NEVER;
    if (time != ~0UL && (time & 0xffffffffUL) != 0xffffffffUL) {
        L4_Word_t ts = (time >> 16) & 0xffff;
        if (ts != 0xffff) {
            uint64_t us = kw_time_is_never(ts) ? 0 : kw_time_period_us(ts);
            if (us > 0) {
                t->timeslice = us * 1000;
                t->ts_left = kern_fresh_slice(t);
            }
        }
    }
    if (prio != ~0UL && t->prio != prio) {
        bool queued = t->on_rq;
        kern_rq_remove(t);
        t->prio = (uint8_t)prio;
        if (queued)
            kern_rq_add(t, false);
        /* a lowered current thread yields to a now higher ready thread */
        kern_thread_t *best = kern_rq_highest();
        if (best && best->prio > self->prio) {
            kern_rq_add(self, true);
            kern_switch_to(best);
        }
    }
    return (kern_pair_t){ old_state, old_time };
}

void kern_sys_thread_switch(L4_Word_t dest);
void kern_sys_thread_switch(L4_Word_t dest)
{
    kern_entry();
    kern_thread_t *self = kern_self;
    if (dest != KW_NILTHREAD) {
        kern_thread_t *t = kern_thread_lookup(dest, self);
        if (t == self)
            return;     /* switching to oneself returns at once (Pistachio) */
        if (t && t->state == TS_READY && !t->halted && t->host_started) {
            kern_rq_add(self, true);
            kern_switch_to(t);
            return;
        }
    }
    self->ts_left = kern_fresh_slice(self);
    kern_rq_add(self, false);
    kern_block();
}

L4_Word_t kern_sys_system_clock(void);
L4_Word_t kern_sys_system_clock(void)
{
    kern_entry();
    return kern_time() / 1000;
}

/* ---- spaces and the rest ---- */

kern_pair_t kern_sys_space_control(L4_Word_t space, L4_Word_t control, L4_Word_t kip, L4_Word_t utcb,
                                   L4_Word_t redirector);
kern_pair_t kern_sys_space_control(L4_Word_t space, L4_Word_t control, L4_Word_t kip, L4_Word_t utcb,
                                   L4_Word_t redirector)
{
    (void)control;
    (void)redirector;
    kern_entry();
    if (!privileged())
        return (kern_pair_t){ fail(ERR_NO_PRIVILEGE), 0 };
    kern_thread_t *t = kern_thread_lookup(space, kern_self);
    if (!t || t->is_irq || !t->space)
        return (kern_pair_t){ fail(ERR_INVALID_SPACE), 0 };
    kern_space_t *s = t->space;
    if (s->utcb_area)
        return (kern_pair_t){ 1, 0 };   /* initialised: the areas are ignored (Pistachio) */
    int err = kern_space_set_areas(s, kip, utcb);
    if (err)
        return (kern_pair_t){ fail(err), 0 };
    return (kern_pair_t){ 1, 0 };
}

L4_Word_t kern_sys_processor_control(L4_Word_t proc, L4_Word_t internal, L4_Word_t external,
                                     L4_Word_t voltage);
L4_Word_t kern_sys_processor_control(L4_Word_t proc, L4_Word_t internal, L4_Word_t external,
                                     L4_Word_t voltage)
{
    (void)internal;
    (void)external;
    (void)voltage;
    kern_entry();
    if (!privileged())
        return fail(ERR_NO_PRIVILEGE);
    if (proc != 0)
        return fail(ERR_INVALID_PARAM);
    return 1;
}

L4_Word_t kern_sys_memory_control(L4_Word_t control, L4_Word_t a0, L4_Word_t a1, L4_Word_t a2, L4_Word_t a3);
L4_Word_t kern_sys_memory_control(L4_Word_t control, L4_Word_t a0, L4_Word_t a1, L4_Word_t a2, L4_Word_t a3)
{
    (void)control;
    (void)a0;
    (void)a1;
    (void)a2;
    (void)a3;
    kern_entry();
    if (!privileged())
        return fail(ERR_NO_PRIVILEGE);
    return 1;
}

L4_Word_t *kern_sys_kernel_interface(void);
L4_Word_t *kern_sys_kernel_interface(void)
{
    kern_entry();
    kern_space_t *s = kern_self->space;
    return s && s->kip ? s->kip : kern.kip_template;
}

void kern_sys_unmap(L4_Word_t control);
void kern_sys_unmap(L4_Word_t control)
{
    kern_entry();
    kern_unmap(kern_self, control);
}
