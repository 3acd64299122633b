/* servers/lib: <limits.h> for freestanding modules.  GCC's own limits.h,
 * when -nostdinc hides the C library's, would still look for it through
 * syslimits.h; claiming the C library part is done lets GCC's header stand
 * alone with the complete ISO set of limits. */
#ifndef CHACM_LIMITS_H
#define CHACM_LIMITS_H

#ifndef _LIBC_LIMITS_H_
#define _LIBC_LIMITS_H_ 1
#endif
#include_next <limits.h>

#endif /* !CHACM_LIMITS_H */
