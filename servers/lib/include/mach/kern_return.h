/* <mach/kern_return.h>: the result codes of Mach calls, with Mach's values
 * (GNU Mach and XNU agree on 0-23).  ChacmOS's VM calls return 0-6 and 16. */
#ifndef CHACM_MACH_KERN_RETURN_H
#define CHACM_MACH_KERN_RETURN_H

typedef int kern_return_t;

#define KERN_SUCCESS            0
#define KERN_INVALID_ADDRESS    1  /* address not in the map, or a hole where none is allowed */
#define KERN_PROTECTION_FAILURE 2  /* access or protection beyond what is allowed */
#define KERN_NO_SPACE           3  /* no room in the map, or the range is taken */
#define KERN_INVALID_ARGUMENT   4  /* a value out of its domain */
#define KERN_FAILURE            5
#define KERN_RESOURCE_SHORTAGE  6  /* out of memory, entries or quota */
#define KERN_NOT_RECEIVER       7
#define KERN_NO_ACCESS          8
#define KERN_MEMORY_FAILURE     9
#define KERN_MEMORY_ERROR       10
#define KERN_ALREADY_IN_SET     11
#define KERN_NOT_IN_SET         12
#define KERN_NAME_EXISTS        13
#define KERN_ABORTED            14
#define KERN_INVALID_NAME       15  /* a name (port) the task does not hold */
#define KERN_INVALID_TASK       16  /* a task the caller may not name */
#define KERN_INVALID_RIGHT      17
#define KERN_INVALID_VALUE      18
#define KERN_UREFS_OVERFLOW     19
#define KERN_INVALID_CAPABILITY 20
#define KERN_RIGHT_EXISTS       21
#define KERN_INVALID_HOST       22
#define KERN_MEMORY_PRESENT     23

#endif /* !CHACM_MACH_KERN_RETURN_H */
