/* <mach/vm_prot.h>: protections, Mach's bits.  A region has a current
 * protection (what accesses are allowed now) and a maximum (the most the
 * current one may ever be raised to).  Any bit outside VM_PROT_ALL is an
 * unknown bit: calls refuse it with KERN_INVALID_ARGUMENT. */
#ifndef CHACM_MACH_VM_PROT_H
#define CHACM_MACH_VM_PROT_H

typedef int vm_prot_t;

#define VM_PROT_NONE    ((vm_prot_t)0x00)
#define VM_PROT_READ    ((vm_prot_t)0x01)
#define VM_PROT_WRITE   ((vm_prot_t)0x02)
#define VM_PROT_EXECUTE ((vm_prot_t)0x04)

#define VM_PROT_DEFAULT (VM_PROT_READ | VM_PROT_WRITE)
#define VM_PROT_ALL     (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

#endif /* !CHACM_MACH_VM_PROT_H */
