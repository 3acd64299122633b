/* <mach/port.h>: names of tasks and memory objects.  ChacmOS has no Mach
 * ports; a mach_port_t is one word that memsvr hands out and recognises
 * (a task's or a named object's handle), valid only for the task that
 * holds it.  MACH_PORT_NULL (0) names nothing. */
#ifndef CHACM_MACH_PORT_H
#define CHACM_MACH_PORT_H

#include <mach/vm_types.h>

typedef vm_offset_t mach_port_t;
typedef mach_port_t mach_port_name_t;
typedef natural_t mach_msg_type_number_t;  /* element count of out-of-line data */
typedef natural_t mach_msg_type_name_t;

#define MACH_PORT_NULL ((mach_port_t)0)
#define MACH_PORT_VALID(name) ((name) != MACH_PORT_NULL)

/* Dispositions for mach_port_insert_right (Mach's values). */
#define MACH_MSG_TYPE_MOVE_SEND 17
#define MACH_MSG_TYPE_COPY_SEND 19
#define MACH_MSG_TYPE_MAKE_SEND 20

typedef mach_port_t task_t;
typedef mach_port_t vm_task_t;    /* a task, as the VM calls name it */
typedef mach_port_t vm_map_t;     /* a task's map, as XNU's VM calls name it */
typedef mach_port_t ipc_space_t;  /* a task, as the port calls name it */

#define TASK_NULL ((task_t)0)

#endif /* !CHACM_MACH_PORT_H */
