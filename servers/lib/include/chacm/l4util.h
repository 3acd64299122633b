/* Small helpers over the L4 API that programs share: the usable range of
 * the task's own address space, and the labels of the kernel protocols. */
#ifndef CHACM_L4UTIL_H
#define CHACM_L4UTIL_H

#include <l4/types.h>

/* The first usable address of this task's address space and the address
 * just past it, from the virtual-memory descriptor of its KIP (0 if the KIP
 * has none). */
L4_Word_t lib_usable_base(void);
L4_Word_t lib_usable_end(void);

/* The label of kernel protocol n (-1 interrupt, -2 page fault, -5
 * exception, -6 sigma0): n << 4 in the label field's width, which is how
 * the kernel sign-extends it. */
L4_Word_t lib_proto_label(long n);

#endif /* CHACM_L4UTIL_H */
