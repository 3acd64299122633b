/* IPC: the X.2 send and receive phases, message transfer with string
 * items, timeouts, cancellation, propagation, the thread start protocol and
 * interrupt delivery.
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
 *     (local ids are resolved when the receive phase starts).
 *  3. Interrupt threads sit in their handler's send queue iff an interrupt
 *     is pending and not yet delivered. */
#include <unistd.h>
#include <valgrind/memcheck.h>

#include <l4/hosted/vregs.h>
#include "kern.h"


static inline kern_pair_t pair(L4_Word_t a, L4_Word_t b)
{
    return (kern_pair_t){ a, b };
}

/* Ends t's IPC with tag and sender as its result; X.2 also returns the tag
 * in MR0. */
static void set_result(kern_thread_t *t, L4_Word_t tag, L4_Word_t from)
{
    t->ret_tag = tag;
    t->utcb[0] = tag;
    t->ret_from = from;
}

/* Ends t's IPC with an error: the code in the ErrorCode TCR, the error tag
 * as its result and in MR0 (so a failed IPC does not leave the tag of an
 * earlier message there). */
static void set_error(kern_thread_t *t, unsigned code, unsigned phase, L4_Word_t offset)
{
    t->utcb[__L4_TCR_ERROR_CODE] = kw_ipc_error(code, phase, offset);
    set_result(t, KW_TAG_E, KW_NILTHREAD);
}

/* ---- send queues ---- */

static void sq_add(kern_thread_t *owner, kern_thread_t *t)
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

static void sq_remove(kern_thread_t *t)
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

/* ---- who may receive from whom ---- */

/* The id the receiver r is shown for a message from s (local when they
 * share a space), or vs when the message is propagated. */
static L4_Word_t shown_id(kern_thread_t *r, kern_thread_t *s, kern_thread_t *vs)
{
    if (vs)
        return vs->id;
    if (s->space == r->space && s->utcb)
        return s->utcb_location;
    return s->id;
}

/* Does r, blocked in a receive phase, take a message from s (virtual
 * sender vs, or NULL)? */
static bool accepts(kern_thread_t *r, kern_thread_t *s, kern_thread_t *vs)
{
    L4_Word_t f = r->rcv_from;
    if (f == KW_ANYTHREAD)
        return true;
    if (f == KW_ANYLOCALTHREAD)
        return s->space == r->space;
    return f == s->id || (vs && f == vs->id);
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

/* ---- message transfer ---- */

/* Copies n message words: four at a time as one fixed-size block (a
 * couple of vector moves), the rest one by one.  Messages are mostly a few
 * words, for which a call to the C library's memcpy costs more than the
 * copy. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void copy_words(L4_Word_t *to, const L4_Word_t *from, unsigned n)
{
    unsigned i = 0;
    for (; i + 4 <= n; i += 4)
        __builtin_memcpy(&to[i], &from[i], 4 * sizeof(L4_Word_t));
    for (; i < n; i++)
        to[i] = from[i];
}

/* Copies n bytes between guest buffers; returns the bytes copied (fewer
 * when either range is not accessible).  Both ends are guest addresses, so
 * neither is handed to the host as our own memory: the bytes pass through
 * a kernel buffer, read with kern_copy_guest and written with
 * kern_host_write, which report an inaccessible range instead of
 * faulting.  (Copying straight into the receive buffer made it the local
 * end of the host copy, which memcheck checks and reports when the
 * receiver named a bad buffer.)  Written bytes are marked defined for
 * memcheck, as a host read into our own buffer would have marked them.  The destination
 * bypasses kern_copy_guest: whatever that does to make a destination range
 * writable must be done here too. */
static L4_Word_t copy_guest(L4_Word_t to, L4_Word_t from, L4_Word_t n)
{
    char buf[KERN_HOSTCOPY_MAX];
    L4_Word_t done = 0;
    while (done < n) {
        size_t want = n - done < sizeof buf ? n - done : sizeof buf;
        size_t got = kern_copy_guest(buf, (const void *)(from + done), want);
        got = kern_guest_prepare_write((void *)(to + done), got);
        ssize_t w = got ? kern_host_write((void *)(to + done), buf, got) : 0;
        size_t put = w > 0 ? (size_t)w : 0;
        (void)VALGRIND_MAKE_MEM_DEFINED(to + done, put);
        done += put;
        if (put < want)
            break;
    }
    return done;
}

/* Collects the substrings of one (possibly compound) string starting at
 * words[*i]; returns false if the item runs past the end. */
typedef struct {
    L4_Word_t ptr[64];
    L4_Word_t len[64];
    unsigned n;
    L4_Word_t total;
    bool more;              /* C bit of the first header: another item follows */
} string_t;

static bool read_string(const L4_Word_t *w, unsigned end, unsigned *i, string_t *s)
{
    s->n = 0;
    s->total = 0;
    for (;;) {
        if (*i >= end)
            return false;
        L4_Word_t w0 = w[*i];
        if (!kw_item_is_string(w0))
            return false;
        unsigned nsub = kw_string_j(w0) + 1;
        if (*i + 1 + nsub > end)
            return false;
        for (unsigned k = 0; k < nsub; k++) {
            if (s->n == 64)
                return false;
            s->ptr[s->n] = w[*i + 1 + k];
            s->len[s->n] = kw_string_length(w0);
            s->total += s->len[s->n];
            s->n++;
        }
        *i += 1 + nsub;
        /* C belongs to the first header of a compound string (as in
         * <l4/message.h> and Pistachio's ipcx.cc); later headers' C bits
         * mean nothing */
        if (s->n == nsub)
            s->more = kw_item_more(w0);
        if (!kw_string_compound(w0))
            return true;
    }
}

/* Receive buffers live in the BRs, BR i at utcb[-16 - i]. */
static unsigned load_brs(kern_thread_t *t, L4_Word_t *brs)
{
    for (unsigned i = 0; i < __L4_NUM_BRS; i++)
        brs[i] = t->utcb[__L4_TCR_BR_OFFSET - (int)i];
    return __L4_NUM_BRS;
}

/* Copies the typed items of src's message into dst's MRs starting at
 * MR first.  Returns 0 or an X.2 error code; *t_out is the number of typed
 * words delivered, *offset the bytes moved before an overflow. */
static unsigned transfer_typed(kern_thread_t *src, kern_thread_t *dst, unsigned first, unsigned t,
                               unsigned *t_out, L4_Word_t *offset)
{
    L4_Word_t *sw = src->utcb, *dw = dst->utcb;
    L4_Word_t brs[__L4_NUM_BRS];
    unsigned end = first + t, i = first, out = first, br = 1;
    bool brs_loaded = false, more_buffers = true;
    *offset = 0;
    while (i < end) {
        L4_Word_t w0 = sw[i];
        if (!kw_item_is_string(w0)) {
            if (i + 2 > end)
                return KW_ERR_OVERFLOW;
            L4_Word_t item[2] = { w0, sw[i + 1] };
            if (kw_item_is_map(w0) || kw_item_is_grant(w0))
                kern_map_item(src, dst, item);
            dw[out++] = item[0];
            dw[out++] = item[1];
            i += 2;
            continue;
        }
        string_t s, r;
        if (!read_string(sw, end, &i, &s))
            return KW_ERR_OVERFLOW;
        if (!brs_loaded) {
            load_brs(dst, brs);
            brs_loaded = true;
            if (!(brs[0] & 1))      /* acceptor: no string items */
                return KW_ERR_OVERFLOW;
        }
        if (!more_buffers || !read_string(brs, __L4_NUM_BRS, &br, &r))
            return KW_ERR_OVERFLOW;
        more_buffers = r.more;
        /* copy s into r, substring by substring */
        unsigned rs = 0;
        L4_Word_t roff = 0, moved = 0;
        L4_Word_t used[64] = { 0 };
        for (unsigned k = 0; k < s.n; k++) {
            L4_Word_t soff = 0;
            while (soff < s.len[k]) {
                while (rs < r.n && roff == r.len[rs]) {
                    rs++;
                    roff = 0;
                }
                if (rs >= r.n) {
                    *offset += moved;
                    return KW_ERR_OVERFLOW;
                }
                L4_Word_t n = s.len[k] - soff;
                if (n > r.len[rs] - roff)
                    n = r.len[rs] - roff;
                L4_Word_t done = copy_guest(r.ptr[rs] + roff, s.ptr[k] + soff, n);
                moved += done;
                if (done != n) {
                    *offset += moved;
                    return KW_ERR_OVERFLOW;
                }
                soff += n;
                roff += n;
                used[rs] = roff;
            }
        }
        *offset += moved;
        /* describe what arrived: one item per receive substring used */
        unsigned nused = 0;
        for (unsigned k = 0; k < r.n; k++)
            if (used[k])
                nused = k + 1;
        if (nused == 0)
            nused = 1;
        for (unsigned k = 0; k < nused; k++) {
            if (out + 2 > 64)
                return KW_ERR_OVERFLOW;
            bool last = k + 1 == nused;
            /* C (more items follow) on the first header, c on all but the last */
            dw[out++] = kw_string_word(used[k], 0, !last, k == 0 && i < end, 0);
            dw[out++] = r.ptr[k];
        }
    }
    *t_out = out - first;
    return 0;
}

/* Moves src's message into dst.  Sets dst's result (tag, from) and returns
 * 0, or an X.2 error code, having set both sides' errors. */
static unsigned transfer(kern_thread_t *src, kern_thread_t *dst, kern_thread_t *vs)
{
    L4_Word_t tag = src->utcb[0];
    unsigned u = kw_tag_u(tag), t = kw_tag_t(tag), tout = 0, err = 0;
    L4_Word_t offset = 0;
    if (u + t >= __L4_NUM_MRS) {
        err = KW_ERR_OVERFLOW;
    } else {
        copy_words(&dst->utcb[1], &src->utcb[1], u);
        if (t)
            err = transfer_typed(src, dst, u + 1, t, &tout, &offset);
    }
    if (err) {
        set_error(src, err, KW_PHASE_SEND, offset);
        set_error(dst, err, KW_PHASE_RECEIVE, offset);
        dst->ret_from = shown_id(dst, src, vs);
        return err;
    }
    set_result(dst, kw_tag(kw_tag_label(tag), u, tout, vs ? KW_TAG_P : 0), shown_id(dst, src, vs));
    if (vs) {
        dst->utcb[__L4_TCR_ACTUAL_SENDER] = src->id;
        /* a virtual sender waiting for the actual sender now waits for dst */
        if (vs->state == TS_RECEIVING && vs->rcv_from == src->id)
            vs->rcv_from = dst->id;
    }
    return 0;
}

/* ---- the phases ---- */

/* Resolves a destination: global or local id, or an interrupt thread. */
static kern_thread_t *lookup_partner(L4_Word_t id, kern_thread_t *self)
{
    if (id == KW_ANYTHREAD || id == KW_ANYLOCALTHREAD)
        return NULL;
    return kern_thread_lookup(id, self);
}

/* Sends an interrupt acknowledgement from self to the interrupt thread. */
static bool irq_ack(kern_thread_t *self, kern_thread_t *irq)
{
    if (irq->irq_handler != self->id)
        return false;
    irq->irq_in_service = false;
    if (irq->irq_pending && !irq->sq_owner)
        sq_add(self, irq);
    return true;
}

/* Delivers irq's pending interrupt to its handler r. */
static void irq_deliver(kern_thread_t *irq, kern_thread_t *r)
{
    sq_remove(irq);
    irq->irq_pending = false;
    irq->irq_in_service = true;
    set_result(r, kw_tag(KW_LABEL_INTERRUPT, 0, 0, 0), irq->id);
}

/* Raises interrupt n (from a device model, at a kernel entry or idle). */
void kern_irq_raise(unsigned n)
{
    if (n >= KERN_NIRQ)
        return;
    kern_thread_t *irq = kern.threads[n];
    if (!irq || !irq->irq_handler)
        return;
    kern_thread_t *h = kern_thread_lookup(irq->irq_handler, NULL);
    if (!h)
        return;
    if (irq->irq_pending)
        return;
    irq->irq_pending = true;
    if (irq->irq_in_service)
        return;
    if (h->state == TS_RECEIVING && accepts(h, irq, NULL)) {
        irq_deliver(irq, h);
        kern_wakeup(h);
    } else {
        sq_add(h, irq);
    }
}

/* irq gets another handler or none: it leaves the old handler's send queue,
 * and a raise that is pending or in service there is dropped (Pistachio
 * dequeues the interrupt thread and re-arms it). */
void kern_irq_detach(kern_thread_t *irq)
{
    sq_remove(irq);
    irq->irq_pending = irq->irq_in_service = false;
}

/* Completes t's pending IPC phase with a timeout error. */
void kern_ipc_timeout(kern_thread_t *t)
{
    if (t->state == TS_SENDING) {
        sq_remove(t);
        set_error(t, KW_ERR_TIMEOUT, KW_PHASE_SEND, 0);
    } else if (t->state == TS_RECEIVING) {
        set_error(t, KW_ERR_TIMEOUT, KW_PHASE_RECEIVE, 0);
    } else {
        return;
    }
    kern_make_ready(t);
}

/* Cancels t's send and/or receive phase (ExchangeRegisters S/R). */
void kern_ipc_cancel(kern_thread_t *t, bool send, bool receive, bool wake)
{
    if (send && t->state == TS_SENDING) {
        sq_remove(t);
        set_error(t, KW_ERR_CANCELED, KW_PHASE_SEND, 0);
    } else if (receive && t->state == TS_RECEIVING) {
        set_error(t, KW_ERR_CANCELED, KW_PHASE_RECEIVE, 0);
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
    while (t->sendq_head) {
        kern_thread_t *s = t->sendq_head;
        sq_remove(s);
        if (s->is_irq)
            continue;
        set_error(s, KW_ERR_NOPARTNER, KW_PHASE_SEND, 0);
        kern_make_ready(s);
    }
    for (kern_thread_t *r = kern.all_threads; r; r = r->all_next) {
        if (r->state == TS_RECEIVING && r->rcv_from == t->id) {
            set_error(r, KW_ERR_NOPARTNER, KW_PHASE_RECEIVE, 0);
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
    uint64_t deadline = kern_timeout_deadline(tmo, kern_time());
    if (deadline <= kern_time()) {
        set_error(self, KW_ERR_TIMEOUT, KW_PHASE_RECEIVE, 0);
        if (partner && !partner->halted) {
            /* zero timeout after a send: donate the rest of the slice */
            partner->state = TS_READY;
            kern_rq_add(self, true);
            kern_switch_to(partner);
        } else {
            release_partner(partner);
        }
        return pair(self->ret_tag, self->ret_from);
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
    return pair(self->ret_tag, self->ret_from);
}

/* Resolves a receive specifier: wildcards stay, local ids become global.
 * Returns false if it names no thread. */
static bool resolve_from(kern_thread_t *self, L4_Word_t *from)
{
    if (*from == KW_ANYTHREAD || *from == KW_ANYLOCALTHREAD)
        return true;
    kern_thread_t *f = kern_thread_lookup(*from, self);
    if (!f)
        return false;
    *from = f->id;
    return true;
}

/* The sender s's message was taken: its receive phase starts (a Call) or
 * it is done. */
static void sender_done(kern_thread_t *s, unsigned err)
{
    if (!err && s->send_then_receive) {
        uint64_t deadline = kern_timeout_deadline(s->rcv_timeout, kern_time());
        s->state = TS_RECEIVING;
        if (deadline <= kern_time()) {
            set_error(s, KW_ERR_TIMEOUT, KW_PHASE_RECEIVE, 0);
            kern_make_ready(s);
        } else {
            kern_tq_add(s, deadline);
        }
        return;
    }
    if (!err) {
        s->ret_tag = 0;
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
    } else if (!resolve_from(self, &from)) {
        set_error(self, KW_ERR_NOPARTNER, KW_PHASE_RECEIVE, 0);
        release_partner(partner);
        return pair(self->ret_tag, self->ret_from);
    }
    self->rcv_from = from;
    for (kern_thread_t *s = self->sendq_head; s; s = s->sq_next) {
        if (s->is_irq) {
            if (!accepts(self, s, NULL))
                continue;
            irq_deliver(s, self);
            release_partner(partner);
            return pair(self->ret_tag, self->ret_from);
        }
        kern_thread_t *vs = virtual_sender(s, self);
        if (!accepts(self, s, vs))
            continue;
        sq_remove(s);
        kern_tq_remove(s);
        unsigned err = transfer(s, self, vs);
        sender_done(s, err);
        release_partner(partner);
        if (s->state == TS_READY && s->prio > self->prio && !s->halted) {
            kern_rq_add(self, true);
            kern_switch_to(s);
        }
        return pair(self->ret_tag, self->ret_from);
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
    kern_thread_t *dst = lookup_partner(to, self);
    if (!dst || dst->state == TS_FREE) {
        set_error(self, KW_ERR_NOPARTNER, KW_PHASE_SEND, 0);
        return SEND_FAILED;
    }
    if (dst->is_irq) {
        if (irq_ack(self, dst))
            return SEND_ABSORBED;
        set_error(self, KW_ERR_NOPARTNER, KW_PHASE_SEND, 0);
        return SEND_FAILED;
    }
    if (dst->awaiting_start && kern_thread_pager(dst) == self->id) {
        dst->awaiting_start = false;
        kern_thread_start(dst, self->utcb[1], self->utcb[2]);
        return SEND_ABSORBED;
    }
    kern_thread_t *vs = virtual_sender(self, dst);
    if (dst->state == TS_RECEIVING && accepts(dst, self, vs)) {
        kern_tq_remove(dst);
        if (transfer(self, dst, vs)) {
            kern_make_ready(dst);
            return SEND_FAILED;
        }
        dst->state = TS_READY;
        *partner = dst;
        return SEND_TAKEN;
    }
    /* the partner is not ready: wait for it */
    uint64_t deadline = kern_timeout_deadline(timeouts >> 16, kern_time());
    if (deadline <= kern_time()) {
        set_error(self, KW_ERR_TIMEOUT, KW_PHASE_SEND, 0);
        return SEND_FAILED;
    }
    self->send_then_receive = from != KW_NILTHREAD;
    self->rcv_from = from;
    self->rcv_timeout = timeouts & 0xffff;
    if (self->send_then_receive && !resolve_from(self, &self->rcv_from)) {
        set_error(self, KW_ERR_NOPARTNER, KW_PHASE_RECEIVE, 0);
        return SEND_FAILED;
    }
    self->state = TS_SENDING;
    self->snd_to = dst->id;
    sq_add(dst, self);
    kern_tq_add(self, deadline);
    kern_block();
    self->send_then_receive = false;
    return SEND_ALL_DONE;
}

/* ---- the fast path ---- */

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
    kern_thread_t *dst = lookup_partner(to, self);
    if (!dst || dst == self || dst->is_irq || !dst->host_started)
        return false;
    if (from == to)
        from = dst->id;
    else if (!resolve_from(self, &from))
        return false;
    kern_count(&self->stats.pushed);
    self->state = TS_RECEIVING;
    self->rcv_from = from;          /* no timeout: a running thread is on no timeout queue */
    /* the CPU's second line first; the first, which waiting threads look
     * at, last and all at once, right before the handoff */
    unsigned u = kw_tag_u(tag);
    if (u > 3)
        copy_words(&kern.cpu.msg[4], &self->utcb[4], u - 3);
    kern.cpu.msg[0] = tag;
    copy_words(&kern.cpu.msg[1], &self->utcb[1], u < 3 ? u : 3);
    kern.cpu.pusher = self;
    kern_hand_over(dst, KERN_OP_PUSH);
    kern_wait_turn(self);
    if (kern.cpu.op == KERN_OP_BOUNCE) {
        self->state = TS_READY;
        return false;
    }
    *result = pair(self->ret_tag, self->ret_from);
    return true;
}

/* The receiving side of push_ipc, run by self's host thread when it is
 * handed the CPU with KERN_OP_PUSH.  Returns false if self does not take
 * the message now; the CPU then went back to the pusher. */
bool kern_ipc_take_push(kern_thread_t *self)
{
    kern_thread_t *src = kern.cpu.pusher;
    if (self->state != TS_RECEIVING || self->halted || self->awaiting_start || self->redirect ||
        !accepts(self, src, NULL)) {
        kern_count(&self->stats.refused);
        kern_hand_over(src, KERN_OP_BOUNCE);
        return false;
    }
    kern_tq_remove(self);
    L4_Word_t tag = kern.cpu.msg[0];
    unsigned u = kw_tag_u(tag);
    set_result(self, kw_tag(kw_tag_label(tag), u, 0, 0), shown_id(self, src, NULL));
    self->state = TS_READY;
    /* last: words after MR3 come in the CPU's second line, which may
     * still be on its way */
    copy_words(&self->utcb[1], &kern.cpu.msg[1], u);
    return true;
}

/* The long way: the send phase, then the receive phase, as X.2 describes
 * them.  Kept out of line, so that the fast path needs few registers. */
__attribute__((noinline)) static kern_pair_t slow_ipc(kern_thread_t *self, L4_Word_t to, L4_Word_t from,
                                                      L4_Word_t timeouts)
{
    kern_thread_t *partner = NULL;
    self->ret_tag = 0;
    self->ret_from = KW_NILTHREAD;
    if (to != KW_NILTHREAD) {
        switch (send_phase(self, to, timeouts, from, &partner)) {
        case SEND_FAILED:
        case SEND_ALL_DONE:
            return pair(self->ret_tag, self->ret_from);
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
            return pair(0, KW_NILTHREAD);
        }
    }
    if (from == KW_NILTHREAD)
        return pair(0, KW_NILTHREAD);
    return receive_phase(self, from, timeouts & 0xffff, partner);
}

static kern_pair_t do_ipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts)
{
    kern_entry();
    kern_thread_t *self = kern_self;
    kern_count(&self->stats.ipc);
    kern_pair_t result;
    if (to != KW_NILTHREAD && from != KW_NILTHREAD && push_ipc(self, to, from, timeouts, &result))
        return result;
    return slow_ipc(self, to, from, timeouts);
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
