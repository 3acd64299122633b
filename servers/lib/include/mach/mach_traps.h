/* <mach/mach_traps.h>: the calling task's own name. */
#ifndef CHACM_MACH_MACH_TRAPS_H
#define CHACM_MACH_MACH_TRAPS_H

#include <mach/port.h>

/* The task_t naming the calling task (never TASK_NULL once the library
 * has reached memsvr). */
task_t mach_task_self(void);

#endif /* !CHACM_MACH_MACH_TRAPS_H */
