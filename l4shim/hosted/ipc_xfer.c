/* Message transfer: the untyped words, map and grant items and string
 * items of one IPC, from the sender's message registers into the
 * receiver's, with strings copied between the two tasks' buffers. */
#include "kern_ipc.h"

/* Copies n bytes from the guest buffer `from` to the guest buffer `to`;
 * returns the bytes copied (fewer when either range is not accessible).
 * The bytes pass through a kernel buffer: neither end is handed to the
 * host as our own memory.  (Copying straight into the receive buffer made
 * it the local end of the host copy, which memcheck checks and reports
 * when the receiver named a bad buffer.) */
static L4_Word_t copy_guest_to_guest(L4_Word_t to, L4_Word_t from, L4_Word_t n)
{
    char buf[KERN_HOSTCOPY_MAX];
    L4_Word_t done = 0;
    while (done < n) {
        size_t want = n - done < sizeof buf ? n - done : sizeof buf;
        size_t got = kern_copy_from_guest(buf, (const void *)(from + done), want);
        size_t put = got ? kern_copy_to_guest((void *)(to + done), buf, got) : 0;
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
                L4_Word_t done = copy_guest_to_guest(r.ptr[rs] + roff, s.ptr[k] + soff, n);
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
unsigned kern_ipc_transfer(kern_thread_t *src, kern_thread_t *dst, kern_thread_t *vs)
{
    L4_Word_t tag = src->utcb[0];
    unsigned u = kw_tag_u(tag), t = kw_tag_t(tag), tout = 0, err = 0;
    L4_Word_t offset = 0;
    if (u + t >= __L4_NUM_MRS) {
        err = KW_ERR_OVERFLOW;
    } else {
        ipc_copy_words(&dst->utcb[1], &src->utcb[1], u);
        if (t)
            err = transfer_typed(src, dst, u + 1, t, &tout, &offset);
    }
    if (err) {
        ipc_set_error(src, err, KW_PHASE_SEND, offset);
        ipc_set_error(dst, err, KW_PHASE_RECEIVE, offset);
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
    return 0;
}

