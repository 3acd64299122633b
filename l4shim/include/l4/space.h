/* L4 X.2 address space conveniences as L4Ka::Pistachio names them: unmap,
 * flush and status queries over the Unmap system call (fpages in MR0..),
 * and the SpaceControl control values. */
#ifndef __L4__SPACE_H__
#define __L4__SPACE_H__

#include <l4/types.h>
#include <l4/message.h>
#include __L4_ARCH_INC(syscalls.h)

/* Unmap control word: bits 0..5 the index of the last fpage (MR0..MRk),
 * bit 6 (f) also revokes the caller's own mapping. */
#define __L4_UNMAP_FLUSH        0x40UL

L4_INLINE L4_Fpage_t __L4_UnmapOne(L4_Fpage_t f, L4_Word_t control)
{
    L4_LoadMR(0, f.raw);
    L4_Unmap(control);
    L4_StoreMR(0, &f.raw);
    return f;
}

L4_INLINE void __L4_UnmapMany(L4_Word_t n, L4_Fpage_t *fpages, L4_Word_t flush)
{
    if (n == 0)
        return;
    if (n > 64)
        n = 64;
    L4_LoadMRs(0, (int)n, (L4_Word_t *)fpages);
    L4_Unmap(flush | (n - 1));
    L4_StoreMRs(0, (int)n, (L4_Word_t *)fpages);
}

/* Revoke the fpage's rights from everyone the caller mapped it to; the
 * result carries the referenced/written/executed status bits. */
L4_INLINE L4_Fpage_t L4_UnmapFpage(L4_Fpage_t f)
{
    return __L4_UnmapOne(f, 0);
}

L4_INLINE void L4_UnmapFpages(L4_Word_t n, L4_Fpage_t *fpages)
{
    __L4_UnmapMany(n, fpages, 0);
}

/* As L4_UnmapFpage, and from the caller's own space as well. */
L4_INLINE L4_Fpage_t L4_Flush(L4_Fpage_t f)
{
    return __L4_UnmapOne(f, __L4_UNMAP_FLUSH);
}

L4_INLINE void L4_FlushFpages(L4_Word_t n, L4_Fpage_t *fpages)
{
    __L4_UnmapMany(n, fpages, __L4_UNMAP_FLUSH);
}

/* Access status without revoking anything (unmap with no rights). */
L4_INLINE L4_Fpage_t L4_GetStatus(L4_Fpage_t f)
{
    f.raw &= ~(L4_Word_t)0x0f;
    return __L4_UnmapOne(f, 0);
}

L4_INLINE L4_Bool_t L4_WasWritten(L4_Fpage_t f)
{
    return (f.raw & L4_Writable) != 0;
}

L4_INLINE L4_Bool_t L4_WasReferenced(L4_Fpage_t f)
{
    return (f.raw & L4_Readable) != 0;
}

L4_INLINE L4_Bool_t L4_WaseXecuted(L4_Fpage_t f)
{
    return (f.raw & L4_eXecutable) != 0;
}

/* chacmsim alias of Pistachio's L4_WaseXecuted. */
L4_INLINE L4_Bool_t L4_WasExecuted(L4_Fpage_t f)
{
    return L4_WaseXecuted(f);
}

/*
 * SpaceControl control word (ia32 small spaces; the hosted kernel ignores
 * it): 0 for a large space, or a small space slot.
 */
#define L4_LargeSpace           0

L4_INLINE L4_Word_t L4_SmallSpace(L4_Word_t location, L4_Word_t size)
{
    location >>= 1;
    size >>= 2;
    return ((location & ~(size - 1)) | size) & 0xff;
}

#endif /* !__L4__SPACE_H__ */
