/* ia32 arch: the UTCB and its virtual registers.  %gs:0 holds the address
 * of the running thread's MR0 (the kernel sets up the segment); that
 * address is also the thread's local id.  The words around it follow the
 * X.2 ia32 UTCB (<l4/tcr.h>). */
#ifndef __L4__IA32__VREGS_H__
#define __L4__IA32__VREGS_H__

#include <l4/ia32/types.h>

/* Volatile, so that the load stays where the source has it relative to
 * calls and other asm (as Pistachio's). */
static inline L4_Word_t *__L4_Utcb(void)
{
    L4_Word_t *utcb;
    __asm__ __volatile__("movl %%gs:0, %0" : "=r"(utcb));
    return utcb;
}

static inline L4_Word_t __L4_TCR_MyLocalId(void)
{
    return (L4_Word_t)__L4_Utcb();
}

#include <l4/tcr.h>

#endif /* !__L4__IA32__VREGS_H__ */
