/* Who owns which physical page.  A page of conventional or dedicated
 * memory belongs to the first thread that asks for it; asking again for a
 * page one owns succeeds again (idempotent), asking for someone else's is
 * refused.  Reserved memory is never handed out; shared memory is handed
 * to anyone and owned by no one, and so is what the boot loader loaded
 * (the programs' images and the boot information are there to be read
 * where they lie: a page fault on them maps them 1:1). */
#include "sigma0.h"

static L4_Word_t owner[S0_MAX_PAGES];       /* raw thread id; 0: free */

static bool may_take(L4_ThreadId_t who, L4_Word_t page, bool conventional_only)
{
    switch (s0_kind(page)) {
    case S0_CONVENTIONAL:
        break;
    case S0_DEDICATED:
        if (conventional_only)
            return false;
        break;
    case S0_SHARED:
        return !conventional_only;
    case S0_BOOT:
        return true;
    default:
        return false;
    }
    return owner[page] == 0 || owner[page] == who.raw;
}

static void take(L4_ThreadId_t who, L4_Word_t first, L4_Word_t n)
{
    for (L4_Word_t p = first; p < first + n; p++)
        if (s0_kind(p) != S0_SHARED && s0_kind(p) != S0_BOOT)
            owner[p] = who.raw;
}

static L4_Fpage_t fpage(L4_Word_t page, unsigned log2size, L4_Word_t rights)
{
    L4_Fpage_t f = L4_FpageLog2(page << S0_PAGE_BITS, (int)log2size);
    return L4_Set_Rights(&f, rights ? rights : L4_FullyAccessible);
}

L4_Fpage_t s0_alloc_at(L4_ThreadId_t who, L4_Word_t addr, unsigned log2size, L4_Word_t rights,
                       bool conventional_only)
{
    if (log2size < S0_PAGE_BITS || log2size >= 8 * sizeof(L4_Word_t))
        return L4_Nilpage;
    L4_Word_t first = (addr >> log2size << log2size) >> S0_PAGE_BITS;
    L4_Word_t n = 1UL << (log2size - S0_PAGE_BITS);
    if (first >= s0_npages() || n > s0_npages() - first)
        return L4_Nilpage;
    for (L4_Word_t p = first; p < first + n; p++)
        if (!may_take(who, p, conventional_only))
            return L4_Nilpage;
    take(who, first, n);
    return fpage(first, log2size, rights);
}

L4_Fpage_t s0_alloc_any(L4_ThreadId_t who, unsigned log2size, L4_Word_t rights)
{
    if (log2size < S0_PAGE_BITS || log2size >= 8 * sizeof(L4_Word_t))
        return L4_Nilpage;
    L4_Word_t n = 1UL << (log2size - S0_PAGE_BITS);
    for (L4_Word_t first = 0; first + n <= s0_npages(); first += n) {
        L4_Word_t p = first;
        while (p < first + n && s0_kind(p) == S0_CONVENTIONAL && owner[p] == 0)
            p++;
        if (p == first + n) {
            take(who, first, n);
            return fpage(first, log2size, rights);
        }
    }
    return L4_Nilpage;
}
