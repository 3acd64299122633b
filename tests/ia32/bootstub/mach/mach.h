/* bootinfo_test's stand-in for servers/lib's <mach/mach.h>: the calls
 * servers/lib/arch/ia32/boot.c makes, which the test records. */
#ifndef BOOTSTUB_MACH_MACH_H
#define BOOTSTUB_MACH_MACH_H
#include <mach/port.h>
#define KERN_SUCCESS 0
#define KERN_NO_SPACE 3
#define KERN_RESOURCE_SHORTAGE 6
#ifndef FALSE
#define FALSE 0
#define TRUE 1
#endif
kern_return_t vm_allocate(vm_task_t task, vm_address_t *address, vm_size_t size, boolean_t anywhere);
#endif
