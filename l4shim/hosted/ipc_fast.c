/* The IPC system calls and their fast path: a call or a reply-and-wait
 * with untyped words only goes to the receiver's host thread without
 * reading the receiver's state (push_ipc), everything else the long way
 * (ipc.c). */
#include "kern_ipc.h"
#include "kern_iso.h"
#include "kern_trace.h"
#include "kern_inject.h"

/* A send whose receive phase then blocks (a call, or a reply and wait),
 * with untyped words only and no receive timeout, can go without reading
 * the receiver's state, which the receiver's host thread wrote on its own
 * CPU when it blocked.  The sender puts the message into the CPU's lines
 * (kern.cpu.msg), blocks in its receive phase and hands the CPU to the
 * receiver's host thread, which checks its own state: if the long way
 * would deliver the message and switch to it, it takes the message
 * (kern_ipc_take_push) and runs; otherwise it hands the CPU straight back
 * (KERN_OP_BOUNCE) and the sender goes the long way.  Either way the
 * outcome, the schedule and the virtual time are those of the long way.
 * Returns false when the IPC must go the long way. */
static bool push_ipc(kern_thread_t *self, L4_Word_t to, L4_Word_t from, L4_Word_t timeouts,
                     kern_pair_t *result)
{
    L4_Word_t tag = self->utcb[0];
    if (kw_tag_t(tag) || (tag & KW_TAG_P) || !kw_time_is_never(timeouts & 0xffff) || self->sendq_head)
        return false;
    kern_thread_t *dst = ipc_lookup_partner(to, self);
    if (!dst || dst == self || dst->is_irq || !dst->host_started)
        return false;
    if (from == to)
        from = dst->id;
    else if (!ipc_resolve_from(self, &from))
        return false;
    kern_count(&self->stats.pushed);
    self->state = TS_RECEIVING;
    self->rcv_from = from;          /* no timeout: a running thread is on no timeout queue */
    /* the CPU's second line first; the first, which waiting threads look
     * at, last and all at once, right before the handoff */
    unsigned u = kw_tag_u(tag);
    if (u > 3)
        ipc_copy_words(&kern.cpu.msg[4], &self->utcb[4], u - 3);
    kern.cpu.msg[0] = tag;
    ipc_copy_words(&kern.cpu.msg[1], &self->utcb[1], u < 3 ? u : 3);
    kern.cpu.pusher = self;
    kern_hand_over(dst, KERN_OP_PUSH);
    kern_wait_turn(self);
    if (kern.cpu.op == KERN_OP_BOUNCE) {
        self->state = TS_READY;
        return false;
    }
    *result = ipc_pair(self->ret_tag, self->ret_from);
    return true;
}

/* The receiving side of push_ipc, run by self's host thread when it is
 * handed the CPU with KERN_OP_PUSH.  Returns false if self does not take
 * the message now; the CPU then went back to the pusher. */
bool kern_ipc_take_push(kern_thread_t *self)
{
    kern_thread_t *src = kern.cpu.pusher;
    if (self->state != TS_RECEIVING || self->halted || self->awaiting_start || self->redirect ||
        !ipc_accepts(self, src, NULL)) {
        kern_count(&self->stats.refused);
        kern_hand_over(src, KERN_OP_BOUNCE);
        return false;
    }
    kern_tq_remove(self);
    L4_Word_t tag = kern.cpu.msg[0];
    unsigned u = kw_tag_u(tag);
    ipc_set_result(self, kw_tag(kw_tag_label(tag), u, 0, 0), ipc_shown_id(self, src, NULL));
    self->state = TS_READY;
    /* last: words after MR3 come in the CPU's second line, which may
     * still be on its way */
    ipc_copy_words(&self->utcb[1], &kern.cpu.msg[1], u);
    return true;
}

/* The kinds of events that an IPC's long way records (the delivery, the
 * switch to the receiver) or injects.  While one of them is on, every IPC
 * goes the long way, so the fast path records nothing and its only hook is
 * do_ipc's one test of the mask. */
#define KT_IPC_LONG_WAY ((1u << KT_IPC) | (1u << KT_SCHED) | (1u << KT_INJECT))

static kern_pair_t do_ipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts)
{
    kern_entry();
    kern_thread_t *self = kern_self;
    kern_count(&self->stats.ipc);
    kern_pair_t result;
    if (KTRACE_ANY(KT_IPC_LONG_WAY)) {
        if (KTRACE_ON(KT_INJECT))
            return kern_inject_ipc(self, to, from, timeouts);     /* a fault plan is loaded */
    }
    else if (to != KW_NILTHREAD && from != KW_NILTHREAD && push_ipc(self, to, from, timeouts, &result))
        return result;
    kern_iso_kernel();      /* the long way may touch the partner's memory */
    return kern_ipc_slow(self, to, from, timeouts);
}

kern_pair_t kern_sys_ipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts);
kern_pair_t kern_sys_lipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts);

kern_pair_t kern_sys_ipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts)
{
    return do_ipc(to, from, timeouts);
}

/* X.2 lets a kernel treat Lipc as Ipc; the hosted kernel does. */
kern_pair_t kern_sys_lipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts)
{
    return do_ipc(to, from, timeouts);
}
