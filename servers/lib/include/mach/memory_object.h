/* <mach/memory_object.h>: a named memory object, as vm_map takes it and
 * mach_make_memory_entry makes it.  MEMORY_OBJECT_NULL asks vm_map for
 * anonymous zero-filled memory. */
#ifndef CHACM_MACH_MEMORY_OBJECT_H
#define CHACM_MACH_MEMORY_OBJECT_H

#include <mach/port.h>

typedef mach_port_t memory_object_t;
typedef mach_port_t memory_object_name_t;  /* what vm_region reports */
typedef mach_port_t mem_entry_name_port_t; /* XNU's name for a memory entry */

#define MEMORY_OBJECT_NULL ((memory_object_t)0)

/* mach_make_memory_entry: permission may carry MAP_MEM_NAMED_CREATE (XNU's
 * value) to make a fresh zero-filled object of *size bytes instead of
 * naming a range of the target task. */
#define MAP_MEM_NAMED_CREATE 0x020000

#endif /* !CHACM_MACH_MEMORY_OBJECT_H */
