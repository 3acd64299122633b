/* Small helpers over the L4 API that programs share: the usable range of
 * the task's own address space, the kernel's features, and the labels of
 * the kernel protocols. */
#ifndef CHACM_L4UTIL_H
#define CHACM_L4UTIL_H

#include <stdbool.h>
#include <l4/types.h>

/* This task's KIP: the one the program's start asked for (lib_kip_note),
 * so asking again costs no kernel entry; a space's KIP never moves. */
void *lib_kip(void);
void lib_kip_note(void *kip);
/* Whether the kernel names feature among its KIP's feature strings (as
 * L4_HasFeature, without a kernel entry). */
bool lib_kernel_has(const char *feature);

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
