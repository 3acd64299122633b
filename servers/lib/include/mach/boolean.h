/* <mach/boolean.h>: Mach's boolean_t, an int as on GNU Mach. */
#ifndef CHACM_MACH_BOOLEAN_H
#define CHACM_MACH_BOOLEAN_H

typedef int boolean_t;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif /* !CHACM_MACH_BOOLEAN_H */
