/* bootinfo_test's stand-in for servers/lib's <mach/port.h>: the same
 * types, without the freestanding C library around them. */
#ifndef BOOTSTUB_MACH_PORT_H
#define BOOTSTUB_MACH_PORT_H
typedef unsigned long vm_offset_t;
typedef unsigned long vm_size_t;
typedef vm_offset_t vm_address_t;
typedef vm_offset_t pointer_t;
typedef vm_offset_t mach_port_t;
typedef mach_port_t task_t;
typedef mach_port_t vm_task_t;
typedef int kern_return_t;
typedef int boolean_t;
#define TASK_NULL ((task_t)0)
#endif
