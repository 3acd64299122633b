/* Private interface of the IPC files: ipc.c (the send and receive phases),
 * ipc_fast.c (the fast path and the system-call entries), ipc_xfer.c
 * (message transfer: typed items and string copies) and irq.c (interrupt
 * delivery).  The small helpers every phase needs are inline here. */
#ifndef CHACM_KERN_IPC_H
#define CHACM_KERN_IPC_H

#include <l4/hosted/vregs.h>
#include "kern.h"
#include "kern_trace.h"

static inline kern_pair_t ipc_pair(L4_Word_t a, L4_Word_t b)
{
    return (kern_pair_t){ a, b };
}

/* Ends t's IPC with tag and sender as its result; X.2 also returns the tag
 * in MR0. */
static inline void ipc_set_result(kern_thread_t *t, L4_Word_t tag, L4_Word_t from)
{
    t->ret_tag = tag;
    t->utcb[0] = tag;
    t->ret_from = from;
}

/* Ends t's IPC with an error: the code in the ErrorCode TCR, the error tag
 * as its result and in MR0 (so a failed IPC does not leave the tag of an
 * earlier message there). */
static inline void ipc_set_error(kern_thread_t *t, unsigned code, unsigned phase, L4_Word_t offset)
{
    t->utcb[__L4_TCR_ERROR_CODE] = kw_ipc_error(code, phase, offset);
    ipc_set_result(t, KW_TAG_E, KW_NILTHREAD);
    KTRACE(KT_IPC_ERR, t, NULL, 0, kw_ipc_error(code, phase, offset), 0, 0, 0);
}

/* The id the receiver r is shown for a message from s (local when they
 * share a space), or vs when the message is propagated. */
static inline L4_Word_t ipc_shown_id(kern_thread_t *r, kern_thread_t *s, kern_thread_t *vs)
{
    if (vs)
        return vs->id;
    if (s->space == r->space && s->utcb)
        return s->utcb_location;
    return s->id;
}

/* Does r, blocked in a receive phase, take a message from s (virtual
 * sender vs, or NULL)? */
static inline bool ipc_accepts(kern_thread_t *r, kern_thread_t *s, kern_thread_t *vs)
{
    L4_Word_t f = r->rcv_from;
    if (f == KW_ANYTHREAD)
        return true;
    if (f == KW_ANYLOCALTHREAD)
        return s->space == r->space;
    return f == s->id || (vs && f == vs->id);
}

/* Resolves a destination: global or local id, or an interrupt thread. */
static inline kern_thread_t *ipc_lookup_partner(L4_Word_t id, kern_thread_t *self)
{
    if (id == KW_ANYTHREAD || id == KW_ANYLOCALTHREAD)
        return NULL;
    return kern_thread_lookup(id, self);
}

/* Resolves a receive specifier: wildcards stay, local ids become global.
 * Returns false if it names no thread. */
static inline bool ipc_resolve_from(kern_thread_t *self, L4_Word_t *from)
{
    if (*from == KW_ANYTHREAD || *from == KW_ANYLOCALTHREAD)
        return true;
    kern_thread_t *f = kern_thread_lookup(*from, self);
    if (!f)
        return false;
    *from = f->id;
    return true;
}

/* Copies n message words: four at a time as one fixed-size block (a
 * couple of vector moves), the rest one by one.  Messages are mostly a few
 * words, for which a call to the C library's memcpy costs more than the
 * copy. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static inline void ipc_copy_words(L4_Word_t *to, const L4_Word_t *from, unsigned n)
{
    unsigned i = 0;
    for (; i + 4 <= n; i += 4)
        __builtin_memcpy(&to[i], &from[i], 4 * sizeof(L4_Word_t));
    for (; i < n; i++)
        to[i] = from[i];
}

/* ipc.c */
void kern_sq_add(kern_thread_t *owner, kern_thread_t *t);
void kern_sq_remove(kern_thread_t *t);
/* The long way: the send phase, then the receive phase. */
kern_pair_t kern_ipc_slow(kern_thread_t *self, L4_Word_t to, L4_Word_t from, L4_Word_t timeouts);

/* ipc_xfer.c: moves src's message into dst.  Sets dst's result (tag,
 * from) and returns 0, or an X.2 error code, having set both sides'
 * errors; or IPC_XFER_GONE when the partner of the current thread was
 * deleted meanwhile (only the current thread's error is set). */
#define IPC_XFER_GONE 0x100
unsigned kern_ipc_transfer(kern_thread_t *src, kern_thread_t *dst, kern_thread_t *vs);

/* irq.c */
bool kern_irq_ack(kern_thread_t *self, kern_thread_t *irq);
void kern_irq_deliver(kern_thread_t *irq, kern_thread_t *r);

#endif /* CHACM_KERN_IPC_H */
