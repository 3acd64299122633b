/* <mach/mach_port.h>: the two port routines ChacmOS keeps, for handles of
 * named memory objects: give one to a task the caller holds, and drop one. */
#ifndef CHACM_MACH_MACH_PORT_H
#define CHACM_MACH_MACH_PORT_H

#include <mach/kern_return.h>
#include <mach/port.h>

/* Makes name (a handle the caller holds, given as poly) valid in task too;
 * poly_poly is MACH_MSG_TYPE_COPY_SEND (keep it) or MACH_MSG_TYPE_MOVE_SEND
 * (give it away).  name must equal poly: handles are memsvr-wide. */
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
                                     mach_msg_type_name_t poly_poly);
/* Drops task's handle name; the object lives while mappings refer to it. */
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name);

#endif /* !CHACM_MACH_MACH_PORT_H */
