/* x86 port I/O for drivers (inb/outb and friends); the arch decides how. */
#ifndef __L4__IOPORT_H__
#define __L4__IOPORT_H__

#include <l4/types.h>
#include __L4_ARCH_INC(ioport.h)

/* I/O fpages, as Pistachio's x86 headers give them: {p:16 port, s:6 log2
 * size, 2:6, rwx:4}.  A task holds the ports it was mapped as I/O fpages
 * (at first sigma0 holds them all: L4_Sigma0_GetPage with an I/O fpage);
 * another port access is an I/O fault to its pager (label -8 << 4). */
L4_INLINE L4_Fpage_t L4_IoFpageLog2(L4_Word_t BasePort, int FpageSize)
{
    L4_Fpage_t f;
    f.raw = (BasePort & 0xffff) << 16 | ((L4_Word_t)FpageSize & 0x3f) << 10 | 2 << 4;
    return f;
}

L4_INLINE L4_Fpage_t L4_IoFpage(L4_Word_t BasePort, int FpageSize)
{
    int msb = __L4_Msb((L4_Word_t)FpageSize);
    return L4_IoFpageLog2(BasePort, (1L << msb) < FpageSize ? msb + 1 : msb);
}

L4_INLINE L4_Word_t L4_IoFpagePort(L4_Fpage_t f)
{
    return (f.raw >> 16) & 0xffff;
}

L4_INLINE L4_Word_t L4_IoFpageSizeLog2(L4_Fpage_t f)
{
    return (f.raw >> 10) & 0x3f;
}

L4_INLINE L4_Word_t L4_IoFpageSize(L4_Fpage_t f)
{
    return 1UL << L4_IoFpageSizeLog2(f);
}

L4_INLINE L4_Bool_t L4_IsIoFpage(L4_Fpage_t f)
{
    return ((f.raw >> 4) & 0x3f) == 2;
}

#endif /* !__L4__IOPORT_H__ */
