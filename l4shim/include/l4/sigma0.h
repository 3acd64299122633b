/* The L4 X.2 sigma0 protocol as L4Ka::Pistachio wraps it: request a page
 * (label -6 << 4, MR1 the fpage wanted, MR2 attributes) and receive it as
 * one map item.  A nil sigma0 id means the first user thread from the KIP. */
#ifndef __L4__SIGMA0_H__
#define __L4__SIGMA0_H__

#include <l4/types.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/ipc.h>

/* The label of a sigma0 request, -6 << 4 in the label field's width. */
#define __L4_SIGMA0_LABEL       ((L4_Word_t)-6 << 4)

/* sigma0's thread id: thread number UserBase, version 1. */
L4_INLINE L4_ThreadId_t __L4_Sigma0Id(void *kip)
{
    return L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
}

/* Ask sigma0 for the fpage f (its rights are the rights wanted; a base of
 * all ones means any page of that size), to be mapped into RcvWindow.
 * Returns the fpage sigma0 mapped, or L4_Nilpage on failure. */
L4_INLINE L4_Fpage_t L4_Sigma0_GetPage_RcvWindow(L4_ThreadId_t s0, L4_Fpage_t f, L4_Fpage_t RcvWindow)
{
    L4_MsgTag_t tag;
    L4_Msg_t msg;

    if (L4_IsNilThread(s0))
        s0 = __L4_Sigma0Id(L4_GetKernelInterface());

    L4_MsgClear(&msg);
    L4_MsgAppendWord(&msg, f.raw);
    L4_MsgAppendWord(&msg, 0);          /* attributes: default */
    L4_Set_MsgLabel(&msg, __L4_SIGMA0_LABEL);
    L4_MsgLoad(&msg);
    L4_Accept(L4_MapGrantItems(RcvWindow));

    tag = L4_Call(s0);
    if (L4_IpcFailed(tag))
        return L4_Nilpage;

    /* The reply is one map item in MR1..MR2; MR2 is its send fpage. */
    L4_StoreMR(2, &f.raw);
    return f;
}

L4_INLINE L4_Fpage_t L4_Sigma0_GetPage(L4_ThreadId_t s0, L4_Fpage_t f)
{
    return L4_Sigma0_GetPage_RcvWindow(s0, f, L4_CompleteAddressSpace);
}

/* Any page of 2^s bytes. */
L4_INLINE L4_Fpage_t L4_Sigma0_GetAny(L4_ThreadId_t s0, L4_Word_t s, L4_Fpage_t RcvWindow)
{
    return L4_Sigma0_GetPage_RcvWindow(s0, L4_FpageLog2(~(L4_Word_t)0, (int)s), RcvWindow);
}

/* Map the memory region of the first KIP memory descriptor of the given
 * type, page by page (pagesize bytes each, read/write), to `address` (or
 * 1:1 if address is 0).  Returns where it was mapped, 0 if there is no such
 * descriptor or the caller is sigma0 itself. */
L4_INLINE void *L4_Sigma0_GetSpecial(L4_Word_t type, void *address, L4_Word_t pagesize)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t sigma0 = __L4_Sigma0Id(kip);
    L4_Word_t i, n = L4_NumMemoryDescriptors(kip);

    for (i = 0; i < n; i++) {
        L4_MemoryDesc_t *mdesc = L4_MemoryDesc(kip, i);
        L4_Word_t start, end, rcvstart;

        if (L4_MemoryDescType(mdesc) != type)
            continue;
        start = L4_MemoryDescLow(mdesc);
        end = L4_MemoryDescHigh(mdesc) + 1;
        rcvstart = (L4_Word_t)address;
        if (rcvstart == 0) {
            rcvstart = start;
            address = (void *)start;
        }
        if (L4_IsThreadEqual(L4_Myself(), sigma0))
            return (void *)0;
        while (start < end) {
            L4_Fpage_t fpage = L4_Fpage(start, pagesize);
            L4_Fpage_t rcvfpage = L4_Fpage(rcvstart, pagesize);

            L4_Set_Rights(&fpage, L4_ReadWriteOnly);
            fpage = L4_Sigma0_GetPage_RcvWindow(sigma0, fpage, rcvfpage);
            if (L4_IsNilFpage(fpage))
                return address;
            start += pagesize;
            rcvstart += pagesize;
        }
        return address;
    }
    return (void *)0;
}

#endif /* !__L4__SIGMA0_H__ */
