/* <mach/vm_param.h>: the page size and page rounding.  Both ChacmOS targets
 * (ia32 and the hosted simulator) have 4 KiB pages; vm_page_size holds the
 * same value for programs written against the variable. */
#ifndef CHACM_MACH_VM_PARAM_H
#define CHACM_MACH_VM_PARAM_H

#include <mach/vm_types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)

/* Round down / up to a page boundary.  round_page of a value in the last
 * page of the address space wraps to 0: callers that take sizes from
 * clients check for that (the VM calls return KERN_INVALID_ARGUMENT). */
#define trunc_page(x) ((vm_offset_t)(x) & ~PAGE_MASK)
#define round_page(x) (((vm_offset_t)(x) + PAGE_MASK) & ~PAGE_MASK)
#define page_aligned(x) (((vm_offset_t)(x) & PAGE_MASK) == 0)

extern vm_size_t vm_page_size;

#endif /* !CHACM_MACH_VM_PARAM_H */
