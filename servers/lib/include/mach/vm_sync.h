/* <mach/vm_sync.h>: vm_msync's flags, with XNU's values (the same as
 * ipc/idl/vm.idl's). */
#ifndef CHACM_MACH_VM_SYNC_H
#define CHACM_MACH_VM_SYNC_H

typedef unsigned vm_sync_t;

#define VM_SYNC_ASYNCHRONOUS 1 /* do not wait for the managers */
#define VM_SYNC_SYNCHRONOUS 2  /* wait until each manager has the pages (the default) */
#define VM_SYNC_INVALIDATE 4   /* drop the pages afterwards */

#endif /* !CHACM_MACH_VM_SYNC_H */
