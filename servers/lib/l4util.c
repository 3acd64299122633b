/* The usable address range from the KIP, and kernel protocol labels (see
 * chacm/l4util.h). */
#include <stddef.h>
#include <chacm/l4util.h>
#include <l4/kip.h>
#include <l4/message.h>

static L4_MemoryDesc_t *usable_desc(void)
{
    void *kip = L4_GetKernelInterface();
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
        if (L4_IsMemoryDescVirtual(d) && L4_MemoryDescType(d) == L4_ConventionalMemoryType)
            return d;
    }
    return NULL;
}

L4_Word_t lib_usable_base(void)
{
    L4_MemoryDesc_t *d = usable_desc();
    return d ? L4_MemoryDescLow(d) : 0;
}

L4_Word_t lib_usable_end(void)
{
    L4_MemoryDesc_t *d = usable_desc();
    return d ? L4_MemoryDescHigh(d) + 1 : 0;
}

L4_Word_t lib_proto_label(long n)
{
    L4_MsgTag_t all = { .raw = ~(L4_Word_t)0 };
    return ((L4_Word_t)n << 4) & L4_Label(all);
}
