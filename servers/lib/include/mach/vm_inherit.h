/* <mach/vm_inherit.h>: what a child task created from this one receives of
 * a region: the same memory (SHARE), a copy-on-write copy (COPY), or
 * nothing (NONE).  Other values are refused with KERN_INVALID_ARGUMENT. */
#ifndef CHACM_MACH_VM_INHERIT_H
#define CHACM_MACH_VM_INHERIT_H

typedef unsigned int vm_inherit_t;

#define VM_INHERIT_SHARE ((vm_inherit_t)0)
#define VM_INHERIT_COPY  ((vm_inherit_t)1)
#define VM_INHERIT_NONE  ((vm_inherit_t)2)

#define VM_INHERIT_DEFAULT VM_INHERIT_COPY

#endif /* !CHACM_MACH_VM_INHERIT_H */
