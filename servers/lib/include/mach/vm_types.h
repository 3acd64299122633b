/* <mach/vm_types.h>: Mach's machine-sized integer types.  Addresses, sizes
 * and offsets are one machine word (unsigned long on both ia32 and the
 * hosted LP64 build); natural_t and integer_t are 32 bits as on GNU Mach. */
#ifndef CHACM_MACH_VM_TYPES_H
#define CHACM_MACH_VM_TYPES_H

typedef unsigned int natural_t;
typedef int integer_t;

typedef unsigned long vm_offset_t;
typedef vm_offset_t vm_address_t;
typedef unsigned long vm_size_t;
typedef vm_offset_t pointer_t;  /* out-of-line data of vm_read/vm_write */

#endif /* !CHACM_MACH_VM_TYPES_H */
