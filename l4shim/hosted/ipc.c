/* IPC: the X.2 send and receive phases, timeouts, cancellation,
 * propagation and the thread start protocol.  Message transfer is in
 * ipc_xfer.c, the system calls and their fast path in ipc_fast.c,
 * interrupt delivery in irq.c.
 *
 * A blocked thread's IPC is completed by its partner: whoever finishes it
 * copies the message, stores the result (ret_tag, ret_from and the
 * ErrorCode TCR) in the blocked thread and makes it ready; the blocked
 * thread then returns that result from its system call.
 *
 * Invariants:
 *  1. A SENDING thread is in exactly one send queue, its partner's
 *     (sq_owner); snd_to names the partner.
 *  2. A RECEIVING thread's rcv_from is nil-free and global or a wildcard
 *     (local ids are resolved when the receive phase starts). */
#include "kern_ipc.h"

/* ---- send queues ---- */

void kern_sq_add(kern_thread_t *owner, kern_thread_t *t)
{
    t->sq_owner = owner;
    t->sq_next = NULL;
    t->sq_prev = owner->sendq_tail;
    if (owner->sendq_tail)
        owner->sendq_tail->sq_next = t;
    else
        owner->sendq_head = t;
    owner->sendq_tail = t;
}

void kern_sq_remove(kern_thread_t *t)
{
    kern_thread_t *owner = t->sq_owner;
    if (!owner)
        return;
    if (t->sq_prev)
        t->sq_prev->sq_next = t->sq_next;
    else
        owner->sendq_head = t->sq_next;
    if (t->sq_next)
        t->sq_next->sq_prev = t->sq_prev;
    else
        owner->sendq_tail = t->sq_prev;
    t->sq_next = t->sq_prev = t->sq_owner = NULL;
}

/* The virtual sender of s's current message, when propagation is allowed:
 * a valid global id in s's space or in the receiver's space. */
static kern_thread_t *virtual_sender(kern_thread_t *s, kern_thread_t *dst)
{
    if (!(s->utcb[0] & KW_TAG_P))
        return NULL;
    kern_thread_t *vs = kern_thread_lookup(s->utcb[__L4_TCR_VIRTUAL_SENDER], s);
    if (vs && vs != s && (vs->space == s->space || s->space == dst->space))
        return vs;
    s->utcb[0] &= ~KW_TAG_P;
    return NULL;
}

/* ---- the phases ---- */

/* The absolute deadline of t's IPC phase with the 16-bit timeout t16, no
 * later than t's cap (a fault IPC during a transfer, ipc_xfer.c). */
static uint64_t phase_deadline(const kern_thread_t *t, L4_Word_t t16)
{
    uint64_t d = kern_timeout_deadline(t16, kern_time());
    return t->ipc_cap && t->ipc_cap < d ? t->ipc_cap : d;
}

/* Completes t's pending IPC phase with a timeout error. */
void kern_ipc_timeout(kern_thread_t *t)
{
    if (t->state == TS_SENDING) {
        kern_sq_remove(t);
        ipc_set_error(t, KW_ERR_TIMEOUT, KW_PHASE_SEND, 0);
    } else if (t->state == TS_RECEIVING) {
        ipc_set_error(t, KW_ERR_TIMEOUT, KW_PHASE_RECEIVE, 0);
    } else if (t->state != TS_WAITING) {    /* an injected delay (inject.c) */
        return;
    }
    kern_make_ready(t);
}

/* Cancels t's send and/or receive phase (ExchangeRegisters S/R). */
void kern_ipc_cancel(kern_thread_t *t, bool send, bool receive, bool wake)
{
    if (send && t->state == TS_SENDING) {
        kern_sq_remove(t);
        ipc_set_error(t, KW_ERR_CANCELED, KW_PHASE_SEND, 0);
    } else if (receive && t->state == TS_RECEIVING) {
        ipc_set_error(t, KW_ERR_CANCELED, KW_PHASE_RECEIVE, 0);
    } else {
        return;
    }
    if (wake)
        kern_make_ready(t);
    else
        t->state = TS_READY;
}

/* t is going away: its waiting partners fail with "non-existing partner". */
void kern_ipc_partner_gone(kern_thread_t *t)
{
    kern_ipc_xfer_gone(t);
    while (t->sendq_head) {
        kern_thread_t *s = t->sendq_head;
        kern_sq_remove(s);
        if (s->is_irq)
            continue;
        ipc_set_error(s, KW_ERR_NOPARTNER, KW_PHASE_SEND, 0);
        kern_make_ready(s);
    }
    for (kern_thread_t *r = kern.all_threads; r; r = r->all_next) {
        if (r->state == TS_RECEIVING && r->rcv_from == t->id) {
            ipc_set_error(r, KW_ERR_NOPARTNER, KW_PHASE_RECEIVE, 0);
            kern_make_ready(r);
        }
        if (r->is_irq && r->irq_handler == t->id) {
            r->irq_handler = 0;
            r->irq_pending = r->irq_in_service = false;
        }
    }
}

/* Makes a partner that just took our message runnable (it is neither
 * current nor queued after a transfer). */
static void release_partner(kern_thread_t *partner)
{
    if (partner)
        kern_make_ready(partner);
}

/* Blocks self in a receive phase from `from` with the 16-bit timeout; when
 * `partner` is given, switches to it directly (it just got our message). */
static kern_pair_t block_receive(kern_thread_t *self, L4_Word_t from, L4_Word_t tmo,
                                 kern_thread_t *partner)
{
    uint64_t deadline = phase_deadline(self, tmo);
    if (deadline <= kern_time()) {
        ipc_set_error(self, KW_ERR_TIMEOUT, KW_PHASE_RECEIVE, 0);
        if (partner && !partner->halted) {
            /* zero timeout after a send: donate the rest of the slice */
            partner->state = TS_READY;
            kern_rq_add(self, true);
            kern_switch_to(partner);
        } else {
            release_partner(partner);
        }
        return ipc_pair(self->ret_tag, self->ret_from);
    }
    self->state = TS_RECEIVING;
    self->rcv_from = from;
    kern_tq_add(self, deadline);
    if (partner && !partner->halted)
        kern_switch_to(partner);
    else {
        release_partner(partner);
        kern_block();
    }
    return ipc_pair(self->ret_tag, self->ret_from);
}

/* The sender s's message was taken: its receive phase starts (a Call) or
 * it is done. */
static void sender_done(kern_thread_t *s, unsigned err)
{
    if (!err && s->send_then_receive) {
        uint64_t deadline = phase_deadline(s, s->rcv_timeout);
        s->state = TS_RECEIVING;
        if (deadline <= kern_time()) {
            ipc_set_error(s, KW_ERR_TIMEOUT, KW_PHASE_RECEIVE, 0);
            kern_make_ready(s);
        } else {
            kern_tq_add(s, deadline);
        }
        return;
    }
    if (!err) {
        s->ret_tag = s->utcb[0];        /* the sent tag, as Pistachio returns */
        s->ret_from = KW_NILTHREAD;
    }
    kern_make_ready(s);
}

/* The receive phase of self; partner (or NULL) just took self's message
 * and waits to be run or queued. */
static kern_pair_t receive_phase(kern_thread_t *self, L4_Word_t from, L4_Word_t tmo,
                                 kern_thread_t *partner)
{
    if (partner && from == partner->id) {
        /* a Call: the partner was looked up in the send phase */
    } else if (!ipc_resolve_from(self, &from)) {
        ipc_set_error(self, KW_ERR_NOPARTNER, KW_PHASE_RECEIVE, 0);
        release_partner(partner);
        return ipc_pair(self->ret_tag, self->ret_from);
    }
    self->rcv_from = from;
    for (kern_thread_t *s = self->sendq_head; s; s = s->sq_next) {
        if (s->is_irq) {
            if (!ipc_accepts(self, s, NULL))
                continue;
            kern_irq_deliver(s, self);
            release_partner(partner);
            return ipc_pair(self->ret_tag, self->ret_from);
        }
        kern_thread_t *vs = virtual_sender(s, self);
        if (!ipc_accepts(self, s, vs))
            continue;
        kern_sq_remove(s);
        kern_tq_remove(s);
        unsigned err = kern_ipc_transfer(s, self, vs);
        if (err == IPC_XFER_GONE) {
            release_partner(partner);
            return ipc_pair(self->ret_tag, self->ret_from);
        }
        sender_done(s, err);
        release_partner(partner);
        if (s->state == TS_READY && s->prio > self->prio && !s->halted) {
            kern_rq_add(self, true);
            kern_switch_to(s);
        }
        return ipc_pair(self->ret_tag, self->ret_from);
    }
    return block_receive(self, from, tmo, partner);
}

typedef enum { SEND_FAILED, SEND_TAKEN, SEND_ABSORBED, SEND_ALL_DONE } send_result_t;

/* The send phase of self to `to`.  SEND_TAKEN: *partner took the message
 * and waits to be run; SEND_ABSORBED: the kernel took it (interrupt
 * acknowledgement, start message); SEND_ALL_DONE: self blocked and its
 * whole IPC, receive phase included, has completed (or failed). */
static send_result_t send_phase(kern_thread_t *self, L4_Word_t to, L4_Word_t timeouts,
                                L4_Word_t from, kern_thread_t **partner)
{
    *partner = NULL;
    kern_thread_t *dst = ipc_lookup_partner(to, self);
    if (!dst || dst->state == TS_FREE) {
        ipc_set_error(self, KW_ERR_NOPARTNER, KW_PHASE_SEND, 0);
        return SEND_FAILED;
    }
    if (dst->is_irq) {
        if (kern_irq_ack(self, dst))
            return SEND_ABSORBED;
        ipc_set_error(self, KW_ERR_NOPARTNER, KW_PHASE_SEND, 0);
        return SEND_FAILED;
    }
    if (dst->awaiting_start && kern_thread_pager(dst) == self->id) {
        dst->awaiting_start = false;
        kern_thread_start(dst, self->utcb[1], self->utcb[2]);
        return SEND_ABSORBED;
    }
    kern_thread_t *vs = virtual_sender(self, dst);
    if (dst->state == TS_RECEIVING && ipc_accepts(dst, self, vs)) {
        kern_tq_remove(dst);
        unsigned err = kern_ipc_transfer(self, dst, vs);
        if (err) {
            if (err != IPC_XFER_GONE)
                kern_make_ready(dst);
            return SEND_FAILED;
        }
        dst->state = TS_READY;
        *partner = dst;
        return SEND_TAKEN;
    }
    /* the partner is not ready: wait for it */
    uint64_t deadline = phase_deadline(self, timeouts >> 16);
    if (deadline <= kern_time()) {
        ipc_set_error(self, KW_ERR_TIMEOUT, KW_PHASE_SEND, 0);
        return SEND_FAILED;
    }
    self->send_then_receive = from != KW_NILTHREAD;
    self->rcv_from = from;
    self->rcv_timeout = timeouts & 0xffff;
    if (self->send_then_receive && !ipc_resolve_from(self, &self->rcv_from)) {
        ipc_set_error(self, KW_ERR_NOPARTNER, KW_PHASE_RECEIVE, 0);
        return SEND_FAILED;
    }
    self->state = TS_SENDING;
    self->snd_to = dst->id;
    kern_sq_add(dst, self);
    kern_tq_add(self, deadline);
    kern_block();
    self->send_then_receive = false;
    return SEND_ALL_DONE;
}

/* The long way: the send phase, then the receive phase, as X.2 describes
 * them.  Kept out of line, so that the fast path needs few registers. */
kern_pair_t kern_ipc_slow(kern_thread_t *self, L4_Word_t to, L4_Word_t from, L4_Word_t timeouts)
{
    kern_thread_t *partner = NULL;
    self->ret_tag = 0;
    self->ret_from = KW_NILTHREAD;
    if (to != KW_NILTHREAD) {
        switch (send_phase(self, to, timeouts, from, &partner)) {
        case SEND_FAILED:
        case SEND_ALL_DONE:
            return ipc_pair(self->ret_tag, self->ret_from);
        case SEND_ABSORBED:
        case SEND_TAKEN:
            break;
        }
        if (from == KW_NILTHREAD) {
            if (partner && partner->prio > self->prio && !partner->halted) {
                kern_rq_add(self, true);
                kern_switch_to(partner);
            } else {
                release_partner(partner);
            }
            return ipc_pair(self->utcb[0], KW_NILTHREAD);   /* the sent tag */
        }
    }
    if (from == KW_NILTHREAD)
        return ipc_pair(self->utcb[0], KW_NILTHREAD);       /* MR0 as it was */
    return receive_phase(self, from, timeouts & 0xffff, partner);
}
