/* <mach.h>: as on the Hurd, the same as <mach/mach.h>. */
#ifndef CHACM_MACH_H
#define CHACM_MACH_H
#include <mach/mach.h>
#endif /* !CHACM_MACH_H */
