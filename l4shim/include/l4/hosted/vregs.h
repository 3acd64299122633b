/* Hosted arch: the UTCB and its virtual registers.
 *
 * Each L4 thread's UTCB pointer lives in a thread-local variable of the
 * simulator (initial-exec TLS, so a module reaches it with one load).  The
 * pointer addresses MR0; the words around it are laid out as on ia32
 * (<l4/tcr.h>).  The UTCB block a thread was given in
 * ThreadControl starts __L4_HOSTED_UTCB_MR0_OFFSET bytes before MR0, and its
 * address is the thread's local id. */
#ifndef __L4__HOSTED__VREGS_H__
#define __L4__HOSTED__VREGS_H__

#include <l4/hosted/types.h>

#define __L4_HOSTED_UTCB_SIZE           1024
#define __L4_HOSTED_UTCB_MR0_OFFSET     512

extern __thread L4_Word_t *__L4_hosted_utcb __attribute__((tls_model("initial-exec")));

static inline L4_Word_t *__L4_Utcb(void)
{
    return __L4_hosted_utcb;
}

static inline L4_Word_t __L4_TCR_MyLocalId(void)
{
    return (L4_Word_t)__L4_Utcb() - __L4_HOSTED_UTCB_MR0_OFFSET;
}

#include <l4/tcr.h>

#endif /* !__L4__HOSTED__VREGS_H__ */
