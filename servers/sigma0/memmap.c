/* The physical memory map as the KIP describes it: each physical
 * descriptor marks its pages with its type; later descriptors override
 * earlier ones (so reserved and device ranges may lie inside conventional
 * memory).  Virtual descriptors describe address spaces and are skipped.
 * A boot loader (Pistachio's kickstart) marks what it loaded as
 * bootloader-specific memory inside conventional memory. */
#include <l4/kip.h>

#include "sigma0.h"

static unsigned char kind[S0_MAX_PAGES];
static L4_Word_t npages;

static s0_kind_t kind_of_type(L4_Word_t type)
{
    switch (type) {
    case L4_ConventionalMemoryType: return S0_CONVENTIONAL;
    case L4_ReservedMemoryType: return S0_RESERVED;
    case L4_DedicatedMemoryType: return S0_DEDICATED;
    case L4_SharedMemoryType: return S0_SHARED;
    default:
        /* bootloader-specific memory of any subtype (type 0xE) */
        return (type & 0xf) == L4_BootLoaderSpecificMemoryType ? S0_BOOT : S0_NONE;
    }
}

void s0_memmap_init(void *kip)
{
    L4_Word_t n = L4_NumMemoryDescriptors(kip);
    for (L4_Word_t i = 0; i < n; i++) {
        L4_MemoryDesc_t *md = L4_MemoryDesc(kip, i);
        if (L4_IsMemoryDescVirtual(md))
            continue;
        L4_Word_t lo = L4_MemoryDescLow(md) >> S0_PAGE_BITS;
        L4_Word_t hi = L4_MemoryDescHigh(md) >> S0_PAGE_BITS;
        if (hi >= S0_MAX_PAGES)
            hi = S0_MAX_PAGES - 1;
        s0_kind_t k = kind_of_type(L4_MemoryDescType(md));
        for (L4_Word_t p = lo; p <= hi; p++)
            kind[p] = (unsigned char)k;
        if (k != S0_NONE && hi + 1 > npages)
            npages = hi + 1;
    }
}

s0_kind_t s0_kind(L4_Word_t page)
{
    return page < S0_MAX_PAGES ? (s0_kind_t)kind[page] : S0_NONE;
}

L4_Word_t s0_npages(void)
{
    return npages;
}
