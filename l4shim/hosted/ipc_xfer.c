/* Message transfer: the untyped words, map and grant items and string
 * items of one IPC, from the sender's message registers into the
 * receiver's, with strings copied between the two tasks' buffers.
 *
 * A string copy reaches only the two tasks' own address spaces
 * (kern_guest_reach): pages of the window that the space holds, and its
 * program image.  An address outside them is a message overflow.  A page of
 * the window that the space does not hold is a page fault, resolved during
 * the transfer as X.2 and Pistachio do: the thread whose side faulted sends
 * the page-fault IPC to its own pager (label -2<<4 | rwx, MR1 the address,
 * MR2 ~0 as no instruction faulted) and the copy resumes.  The thread that
 * runs the transfer (the driver, the current thread) does that itself for
 * its own side; for the partner's side it hands the CPU to the partner's
 * host thread (KERN_OP_XFER_FAULT), which sends the IPC and hands the CPU
 * back (Pistachio tunnels such faults through the partner the same way).
 *
 * Transfer timeouts: at the first fault the transfer gets a deadline, the
 * nearer of the sender's send and the receiver's receive XferTimeouts;
 * no fault IPC waits past it.  When it passes, both sides fail with
 * "transfer timeout", code 5 (invoker's) for the side whose timeout was
 * the nearer one (the sender on a tie) and 6 (partner's) for the other,
 * the offset being the bytes copied; as in Pistachio.
 *
 * Invariants while page faults interrupt a transfer:
 *  1. Both threads point to the transfer (xfer) and neither is in a queue.
 *  2. Exactly one of them holds the CPU or waits in a fault IPC; the other
 *     is TS_LOCKED.  A locked partner takes no message, timeout or cancel.
 *  3. Deleting either thread ends the transfer: a surviving driver sees
 *     `gone`, a surviving partner gets "aborted" (kern_ipc_xfer_gone).
 *     ExchangeRegisters cancelling either one's IPC aborts it for both
 *     (kern_ipc_xfer_abort). */
#include <valgrind/memcheck.h>

#include "kern_ipc.h"
#include "kern_trace.h"
#include "kern_mem.h"
#include "kern_inject.h"

typedef struct kern_xfer {
    kern_thread_t *src, *dst;
    kern_thread_t *driver;          /* runs the transfer: src or dst */
    bool faulted;                   /* a fault happened: deadline set, threads linked */
    bool rcv_nearer;                /* the receiver's timeout sets the deadline */
    bool gone;                      /* the partner was deleted */
    bool aborted;                   /* ExchangeRegisters aborted the IPC of one side */
    uint64_t deadline;
    L4_Word_t copied;               /* string bytes copied so far */
    unsigned err_src, err_dst;      /* the codes when the transfer fails */
    /* the partner's fault, for its host thread */
    L4_Word_t pf_addr;
    unsigned pf_access, pf_result;
} xfer_t;

/* ---- page-fault IPC during a transfer ---- */

/* What a fault IPC may change of t and must give back. */
typedef struct {
    L4_Word_t mr[__L4_NUM_MRS], br0, error;
    L4_Word_t rcv_from, rcv_timeout, snd_to, ret_tag, ret_from;
    kern_tstate_t state;
    bool send_then_receive;
} ipc_regs_t;

static void regs_save(const kern_thread_t *t, ipc_regs_t *r)
{
    ipc_copy_words(r->mr, t->utcb, __L4_NUM_MRS);
    r->br0 = t->utcb[__L4_TCR_BR_OFFSET];
    r->error = t->utcb[__L4_TCR_ERROR_CODE];
    r->rcv_from = t->rcv_from;
    r->rcv_timeout = t->rcv_timeout;
    r->snd_to = t->snd_to;
    r->ret_tag = t->ret_tag;
    r->ret_from = t->ret_from;
    r->state = t->state;
    r->send_then_receive = t->send_then_receive;
}

static void regs_restore(kern_thread_t *t, const ipc_regs_t *r)
{
    ipc_copy_words(t->utcb, r->mr, __L4_NUM_MRS);
    t->utcb[__L4_TCR_BR_OFFSET] = r->br0;
    t->utcb[__L4_TCR_ERROR_CODE] = r->error;
    t->rcv_from = r->rcv_from;
    t->rcv_timeout = r->rcv_timeout;
    t->snd_to = r->snd_to;
    t->ret_tag = r->ret_tag;
    t->ret_from = r->ret_from;
    t->state = r->state;
    t->send_then_receive = r->send_then_receive;
}

/* The current thread t sends the page-fault IPC for addr (access rwx bit)
 * to its pager and waits for the reply, until deadline at the latest;
 * every register of t the IPC uses is given back.  Returns 0 or the X.2
 * error code of the failed IPC. */
static unsigned fault_ipc(kern_thread_t *t, L4_Word_t addr, unsigned access, uint64_t deadline)
{
    L4_Word_t pager = kern_thread_pager(t);
    ipc_regs_t saved;
    regs_save(t, &saved);
    t->utcb[0] = kw_tag(KW_LABEL_PAGEFAULT | access, 2, 0, 0);
    t->utcb[1] = addr;
    t->utcb[2] = ~0UL;
    t->utcb[__L4_TCR_BR_OFFSET] = kw_fpage(0, 1, 0);      /* the complete address space */
    t->state = TS_READY;
    t->send_then_receive = false;
    t->ipc_cap = deadline == KERN_TIME_NEVER ? 0 : deadline;
    kern_entry();
    KTRACE(KT_PF, t, kern_thread_lookup(pager, t), 0, addr, ~0UL, access, 0);
    kern_pair_t r = kern_ipc_slow(t, pager, pager, 0);
    t->ipc_cap = 0;
    unsigned err = (r.w0 & KW_TAG_E) ? (t->utcb[__L4_TCR_ERROR_CODE] >> 1) & 7 : 0;
    KTRACE(KT_PF_DONE, t, NULL, err != 0, addr, 0, 0, 0);
    regs_restore(t, &saved);
    return err;
}

/* The host thread of self was handed the CPU to resolve its side's fault
 * of the transfer it is locked in (KERN_OP_XFER_FAULT, from sched.c).
 * Sends the fault IPC and hands the CPU back to the driver.  Returns true
 * when the driver was deleted meanwhile: self's own IPC has then ended
 * with "aborted", and self returns from it. */
bool kern_ipc_xfer_serve(kern_thread_t *self)
{
    xfer_t *x = self->xfer;
    unsigned r = fault_ipc(self, x->pf_addr, x->pf_access, x->deadline);
    if (self->xfer != x) {
        self->utcb[__L4_TCR_ERROR_CODE] = self->xfer_abort;
        ipc_set_result(self, KW_TAG_E, KW_NILTHREAD);
        self->state = TS_READY;
        return true;
    }
    x->pf_result = r;
    self->state = TS_LOCKED;
    kern_thread_t *d = x->driver;
    d->state = TS_READY;
    kern_hand_to(d);
    return false;
}

/* The driver has the partner p resolve its fault at addr. */
static unsigned tunnel_fault(xfer_t *x, kern_thread_t *p, L4_Word_t addr, unsigned access)
{
    kern_thread_t *self = kern_self;
    x->pf_addr = addr;
    x->pf_access = access;
    x->pf_result = KW_ERR_ABORTED;
    self->state = TS_LOCKED;
    kern_hand_over(p, KERN_OP_XFER_FAULT);
    kern_wait_turn(self);
    self->state = TS_READY;
    return x->pf_result;
}

/* t is deleted while a transfer it takes part in waits for a fault: the
 * other side learns it (invariant 3). */
void kern_ipc_xfer_gone(kern_thread_t *t)
{
    xfer_t *x = t->xfer;
    if (!x)
        return;
    t->xfer = NULL;
    kern_thread_t *other = x->src == t ? x->dst : x->src;
    if (x->driver != t) {
        x->gone = true;
        if (other->state == TS_LOCKED) {        /* waiting for t's fault IPC */
            x->pf_result = KW_ERR_ABORTED;
            kern_make_ready(other);
        }
        return;
    }
    other->xfer = NULL;
    other->xfer_abort = kw_ipc_error(KW_ERR_ABORTED, other == x->dst ? KW_PHASE_RECEIVE : KW_PHASE_SEND, x->copied);
    if (other->state == TS_LOCKED) {            /* not in a fault IPC of its own */
        other->utcb[__L4_TCR_ERROR_CODE] = other->xfer_abort;
        ipc_set_result(other, KW_TAG_E, KW_NILTHREAD);
        kern_make_ready(other);
    }
}

/* ExchangeRegisters cancels the IPC of t, a side of a transfer that waits
 * for a fault: as in Pistachio the whole transfer is aborted, both sides
 * failing with "aborted" and the bytes copied.  The fault IPC under way is
 * cancelled, so that the side running it returns to the transfer now. */
void kern_ipc_xfer_abort(kern_thread_t *t)
{
    xfer_t *x = t->xfer;
    if (!x)
        return;
    x->aborted = true;
    kern_thread_t *partner = x->driver == x->src ? x->dst : x->src;
    kern_thread_t *active = partner->state == TS_LOCKED ? x->driver : partner;
    kern_ipc_cancel(active, true, true, true);
}

/* The transfer timed out: the codes per side (see the header). */
static unsigned xfer_timed_out(xfer_t *x)
{
    x->err_src = x->rcv_nearer ? KW_ERR_XFER_TIMEOUT_PARTNER : KW_ERR_XFER_TIMEOUT_INVOKER;
    x->err_dst = x->rcv_nearer ? KW_ERR_XFER_TIMEOUT_INVOKER : KW_ERR_XFER_TIMEOUT_PARTNER;
    return x->err_src;
}

/* The first fault: the deadline starts, both threads are linked to x and
 * the partner is locked. */
static void xfer_first_fault(xfer_t *x)
{
    uint64_t now = kern_time();
    uint64_t ds = kern_timeout_deadline(x->src->utcb[__L4_TCR_XFER_TIMEOUT] >> 16, now);
    uint64_t dr = kern_timeout_deadline(x->dst->utcb[__L4_TCR_XFER_TIMEOUT] & 0xffff, now);
    x->rcv_nearer = dr < ds;
    x->deadline = dr < ds ? dr : ds;
    x->faulted = true;
    x->src->xfer = x->dst->xfer = x;
    x->src->xfer_abort = x->dst->xfer_abort = 0;
    (x->driver == x->src ? x->dst : x->src)->state = TS_LOCKED;
}

/* t's side of transfer x faulted at addr (access): resolves it by t's
 * page-fault IPC.  Returns 0 when the copy may go on, or an error code
 * that ends the transfer (err_src/err_dst set). */
static unsigned xfer_fault(xfer_t *x, kern_thread_t *t, L4_Word_t addr, unsigned access)
{
    if (!x->faulted)
        xfer_first_fault(x);
    for (;;) {
        if (x->aborted)
            return x->err_src = x->err_dst = KW_ERR_ABORTED;
        if (x->deadline <= kern_time())
            return xfer_timed_out(x);
        if (kern_thread_pager(t) == KW_NILTHREAD)
            return x->err_src = x->err_dst = KW_ERR_OVERFLOW;
        unsigned r = t == x->driver ? fault_ipc(t, addr, access, x->deadline) : tunnel_fault(x, t, addr, access);
        if (x->gone || x->aborted)
            return x->err_src = x->err_dst = KW_ERR_ABORTED;
        if (r == 0)
            return 0;
        if (r == KW_ERR_TIMEOUT)
            continue;           /* the deadline passed */
        if (r != KW_ERR_CANCELED && r != KW_ERR_ABORTED)
            return x->err_src = x->err_dst = KW_ERR_OVERFLOW;
        /* a cancelled fault IPC is sent again, as a faulting access faults again */
    }
}

/* ---- string copies ---- */

/* Copies n bytes from the sender's buffer at `from` to the receiver's at
 * `to`, resolving page faults of either side.  Returns 0, or an error code
 * with err_src/err_dst set; x->copied counts the bytes.  The bytes pass
 * through a kernel buffer and the host kernel (hostcopy.c), so neither end
 * is ever touched as our own memory; written bytes are marked defined for
 * memcheck. */
static unsigned copy_string(xfer_t *x, L4_Word_t to, L4_Word_t from, L4_Word_t n)
{
    char buf[KERN_HOSTCOPY_MAX];
    L4_Word_t done = 0;
    while (done < n) {
        L4_Word_t want = n - done < sizeof buf ? n - done : sizeof buf;
        bool fault;
        kern_thread_t *side = x->src;
        L4_Word_t at = from + done;
        unsigned access = KERN_RIGHTS_R;
        L4_Word_t k = kern_guest_reach(x->src->space, at, want, access, &fault);
        if (k) {
            side = x->dst;
            at = to + done;
            access = KERN_RIGHTS_W;
            k = kern_guest_reach(x->dst->space, at, k, access, &fault);
        }
        if (!k) {
            if (!fault)
                return x->err_src = x->err_dst = KW_ERR_OVERFLOW;
            unsigned e = xfer_fault(x, side, at, access);
            if (e)
                return e;
            continue;
        }
        ssize_t r = kern_host_read(buf, (const void *)(from + done), k);
        ssize_t w = r > 0 ? kern_host_write((void *)(to + done), buf, (size_t)r) : 0;
        if (w > 0) {
            (void)VALGRIND_MAKE_MEM_DEFINED(to + done, (size_t)w);
            done += (L4_Word_t)w;
            x->copied += (L4_Word_t)w;
        }
        if (w < (ssize_t)k)
            return x->err_src = x->err_dst = KW_ERR_OVERFLOW;
    }
    return 0;
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

/* Copies the typed items of x->src's message into x->dst's MRs starting
 * at MR first.  Returns 0 or an X.2 error code (err_src/err_dst set); *t_out
 * is the number of typed words delivered, x->copied the string bytes moved
 * (the offset of an overflow). */
static unsigned transfer_typed(xfer_t *x, unsigned first, unsigned t, unsigned *t_out)
{
    kern_thread_t *src = x->src, *dst = x->dst;
    L4_Word_t *sw = src->utcb, *dw = dst->utcb;
    L4_Word_t brs[__L4_NUM_BRS];
    unsigned end = first + t, i = first, out = first, br = 1;
    bool brs_loaded = false, more_buffers = true;
    x->err_src = x->err_dst = KW_ERR_OVERFLOW;
    while (i < end) {
        L4_Word_t w0 = sw[i];
        if (!kw_item_is_string(w0)) {
            if (i + 2 > end)
                return KW_ERR_OVERFLOW;
            L4_Word_t item[2] = { w0, sw[i + 1] };
            if ((kw_item_is_map(w0) || kw_item_is_grant(w0)) && kern_io_is_fpage(item[1])) {
                /* as Pistachio on x86: I/O fpages are always accepted */
                kern_io_map(src->space, dst->space, item[1], kw_item_is_grant(w0));
            } else if (kw_item_is_map(w0) || kw_item_is_grant(w0)) {
                /* X.2, Pistachio: an acceptor without a receive window
                 * takes no map or grant item */
                if (kw_fpage_is_nil(dw[__L4_TCR_BR_OFFSET] & ~0xfUL))
                    return KW_ERR_OVERFLOW;
                kern_map_item(src, dst, item);
            }
            dw[out++] = item[0];
            dw[out++] = item[1];
            i += 2;
            continue;
        }
        string_t s, r;
        unsigned item = i;
        if (!read_string(sw, end, &i, &s))
            return KW_ERR_OVERFLOW;
        /* As Pistachio: the receiver gets the sender's item words, before
         * the copy, so that a cut message still shows what was sent */
        ipc_copy_words(&dw[out], &sw[item], i - item);
        out += i - item;
        if (!brs_loaded) {
            load_brs(dst, brs);
            brs_loaded = true;
            if (!(brs[0] & 1))      /* acceptor: no string items */
                return KW_ERR_OVERFLOW;
        }
        if (!more_buffers || !read_string(brs, __L4_NUM_BRS, &br, &r))
            return KW_ERR_OVERFLOW;
        more_buffers = r.more;
        /* copy s into r, substring by substring; the rest of r stays as it is */
        unsigned rs = 0;
        L4_Word_t roff = 0;
        for (unsigned k = 0; k < s.n; k++) {
            L4_Word_t soff = 0;
            while (soff < s.len[k]) {
                while (rs < r.n && roff == r.len[rs]) {
                    rs++;
                    roff = 0;
                }
                if (rs >= r.n)
                    return KW_ERR_OVERFLOW;     /* cut where the buffer ends */
                L4_Word_t n = s.len[k] - soff;
                if (n > r.len[rs] - roff)
                    n = r.len[rs] - roff;
                unsigned err = copy_string(x, r.ptr[rs] + roff, s.ptr[k] + soff, n);
                if (err)
                    return err;
                soff += n;
                roff += n;
            }
        }
    }
    *t_out = out - first;
    return 0;
}

/* Moves src's message into dst.  Sets dst's result (tag, from) and returns
 * 0, or an X.2 error code, having set both sides' errors.  IPC_XFER_GONE:
 * the partner of the driver (the current thread) was deleted during a
 * page fault; only the driver's error is set, and the partner must not be
 * touched. */
unsigned kern_ipc_transfer(kern_thread_t *src, kern_thread_t *dst, kern_thread_t *vs)
{
    L4_Word_t tag = src->utcb[0];
    unsigned u = kw_tag_u(tag), t = kw_tag_t(tag), tout = 0, err = 0;
    xfer_t x = { .src = src, .dst = dst, .driver = kern_self, .err_src = KW_ERR_OVERFLOW,
                 .err_dst = KW_ERR_OVERFLOW };
    if (u + t >= __L4_NUM_MRS) {
        err = KW_ERR_OVERFLOW;
    } else {
        ipc_copy_words(&dst->utcb[1], &src->utcb[1], u);
        if (t)
            err = transfer_typed(&x, u + 1, t, &tout);
    }
    if (x.faulted) {
        x.driver->xfer = NULL;
        if (!x.gone)            /* a deleted partner's record is no longer ours */
            (x.driver == src ? dst : src)->xfer = NULL;
    }
    if (x.gone) {
        if (x.driver == src)
            ipc_set_error(src, KW_ERR_ABORTED, KW_PHASE_SEND, x.copied);
        else
            ipc_set_error(dst, KW_ERR_ABORTED, KW_PHASE_RECEIVE, x.copied);
        return IPC_XFER_GONE;
    }
    KTRACE(KT_IPC, src, dst, err, tag, src->utcb[1], src->utcb[2], src->utcb[3]);
    if (err) {
        ipc_set_error(src, x.err_src, KW_PHASE_SEND, x.copied);
        ipc_set_error(dst, x.err_dst, KW_PHASE_RECEIVE, x.copied);
        dst->ret_from = ipc_shown_id(dst, src, vs);
        return err;
    }
    ipc_set_result(dst, kw_tag(kw_tag_label(tag), u, tout, vs ? KW_TAG_P : 0), ipc_shown_id(dst, src, vs));
    if (vs) {
        dst->utcb[__L4_TCR_ACTUAL_SENDER] = src->id;
        /* a virtual sender waiting for the actual sender now waits for dst */
        if (vs->state == TS_RECEIVING && vs->rcv_from == src->id)
            vs->rcv_from = dst->id;
    }
    if (KTRACE_ON(KT_INJECT))
        kern_inject_delivered(src, dst);
    return 0;
}
