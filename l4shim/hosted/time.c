/* Decoding of X.2 absolute timeouts (time points) against the clock: the
 * kernel reads a point exactly as the API header writes it. */
#include <l4/types.h>
#include "kern_words.h"

/* The clock value in microseconds at which point timeout t fires, given the
 * clock now_us: the value L4_TimePointClock names (the one nearest to now
 * with bits e..e+10 equal to c, m), or now when that lies behind. */
uint64_t kw_time_point_us(L4_Word_t t, uint64_t now_us)
{
    L4_Time_t point = { .raw = (L4_Word16_t)t };
    L4_Clock_t now = { .raw = now_us };
    L4_Clock_t at = L4_TimePointClock(point, now);
    return at.raw > now_us ? at.raw : now_us;
}
