/* L4 X.2 miscellaneous conveniences as L4Ka::Pistachio names them: page
 * attributes through the MemoryControl system call and the ia32 memory
 * attribute values (the hosted kernel accepts the same values). */
#ifndef __L4__MISC_H__
#define __L4__MISC_H__

#include <l4/types.h>
#include <l4/message.h>
#include __L4_ARCH_INC(syscalls.h)

/* Memory attributes (ia32 encodings; 0 restores the kernel's default). */
#define L4_DefaultMemory        0
#define L4_WriteBackMemory      1
#define L4_WriteThroughMemory   2
#define L4_UncacheableMemory    4
#define L4_WriteCombiningMemory 5
#define L4_WriteProtectedMemory 8
/* Generic names used by portable code. */
#define L4_CachedMemory         L4_WriteBackMemory
#define L4_UncachedMemory       L4_UncacheableMemory

/* Give one fpage one attribute: the fpage goes to MR0 with attribute index
 * 0 in its low bits, the attribute to attribute slot 0. */
L4_INLINE L4_Word_t L4_Set_PageAttribute(L4_Fpage_t f, L4_Word_t attribute)
{
    L4_Word_t attributes[4] = { attribute, 0, 0, 0 };
    L4_Set_Rights(&f, 0);
    L4_LoadMR(0, f.raw);
    return L4_MemoryControl(0, attributes);
}

/* n fpages (their low bits select one of the four attributes). */
L4_INLINE L4_Word_t L4_Set_PageAttributes(L4_Word_t n, L4_Fpage_t *f, const L4_Word_t *attributes)
{
    if (n == 0)
        return 0;
    if (n > 64)
        n = 64;
    L4_LoadMRs(0, (int)n, (L4_Word_t *)f);
    return L4_MemoryControl(n - 1, attributes);
}

#endif /* !__L4__MISC_H__ */
