/* sigma0: owns all physical memory and hands it out by the X.2 sigma0
 * protocol, and pages the root task.  One loop: wait, validate the tag,
 * dispatch on the label, reply with one map item (a nil fpage when the
 * request is refused).  A request it does not understand (malformed, or an
 * unknown label) is logged and gets no reply, as with Pistachio's sigma0,
 * so the client sees the same timeout.  I/O ports go by the same rules
 * as pages (io.c).  See README.md. */
#include <stdio.h>
#include <chacm/l4util.h>
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>

#include "sigma0.h"

int main(void);

/* MR1 the fpage wanted (base all ones: any page of that size), MR2
 * attributes (ignored), MR3 the high address word of an extended request
 * (ignored). */
static L4_Fpage_t do_request(L4_ThreadId_t from)
{
    L4_Fpage_t f;
    L4_StoreMR(1, &f.raw);
    if (L4_IsIoFpage(f))
        return s0_io_alloc(from, f);
    unsigned s = (unsigned)L4_SizeLog2(f);
    if ((f.raw >> 10) == (~(L4_Word_t)0 >> 10))
        return s0_alloc_any(from, s, L4_Rights(f));
    return s0_alloc_at(from, L4_Address(f), s, L4_Rights(f), false);
}

/* MR1 the fault address, MR2 the IP.  The page at that physical address
 * if it is free RAM (identity, as on a machine), otherwise any free page:
 * hosted windows do not start at address 0. */
static L4_Fpage_t do_pagefault(L4_ThreadId_t from, L4_Word_t *where)
{
    L4_StoreMR(1, where);
    *where &= ~(((L4_Word_t)1 << S0_PAGE_BITS) - 1);
    L4_Fpage_t f = s0_alloc_at(from, *where, S0_PAGE_BITS, L4_FullyAccessible, true);
    if (L4_IsNilFpage(f))
        f = s0_alloc_any(from, S0_PAGE_BITS, L4_FullyAccessible);
    if (L4_IsNilFpage(f))
        printf("sigma0: out of memory for a page fault of %lx at %lx\n", from.raw, *where);
    return f;
}

/* Every request has two or three untyped words and no typed ones; any
 * other message is logged and ignored. */
static bool well_formed(L4_MsgTag_t tag, L4_ThreadId_t from)
{
    if ((L4_UntypedWords(tag) == 2 || L4_UntypedWords(tag) == 3) && L4_TypedWords(tag) == 0)
        return true;
    printf("sigma0: malformed request from %lx (tag %lx) ignored\n", from.raw, tag.raw);
    return false;
}

int main(void)
{
    s0_memmap_init(L4_GetKernelInterface());
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        while (L4_IpcFailed(tag))
            tag = L4_Wait(&from);
        L4_Fpage_t f;
        L4_Word_t where = 0;
        L4_Word_t label = L4_Label(tag);
        if (!well_formed(tag, from)) {
            tag = L4_Wait(&from);
            continue;
        }
        if (label == lib_proto_label(-6)) {
            f = do_request(from);
        } else if ((label & ~(L4_Word_t)0xf) == lib_proto_label(-2)) {
            f = do_pagefault(from, &where);
        } else if ((label & ~(L4_Word_t)0xf) == lib_proto_label(-8)) {
            /* an I/O fault: MR1 the I/O fpage of the ports, MR2 the IP */
            L4_StoreMR(1, &f.raw);
            f = s0_io_alloc(from, f);
            if (L4_IsNilFpage(f))
                printf("sigma0: I/O fault of %lx for ports it may not have\n", from.raw);
        } else {
            printf("sigma0: unknown request %lx from %lx ignored\n", label, from.raw);
            tag = L4_Wait(&from);
            continue;
        }
        if (!L4_IsNilFpage(f) && label == lib_proto_label(-6))
            where = L4_Address(f);
        L4_Msg_t m;
        L4_MsgClear(&m);
        L4_MsgAppendMapItem(&m, L4_MapItem(f, where));
        L4_MsgLoad(&m);
        tag = L4_ReplyWait(from, &from);
    }
}
