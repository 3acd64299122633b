/* Decoding of X.2 absolute timeouts (time points) against the clock. */
#include "kern_words.h"

/* The clock value in microseconds at which point timeout t fires, given the
 * clock now_us.  A point names the clock value nearest to now whose bits
 * e..e+9 equal m and whose bit e+10 equals c: at most 2^(e+10) us ahead
 * (as L4_TimePointAt and L4_TimePointClock in <l4/types.h> have it).  One
 * that lies behind now, by less than 2^(e+10) us, has passed and fires at
 * once, whether or not bit e+11 of the clock has changed since. */
uint64_t kw_time_point_us(L4_Word_t t, uint64_t now_us)
{
    unsigned m = t & 0x3ff, c = (t >> 10) & 1, e = (t >> 11) & 0xf;
    uint64_t span = 1ULL << (e + 11);           /* period of bits e..e+10 */
    uint64_t field = ((uint64_t)c << (e + 10)) | ((uint64_t)m << e);
    uint64_t ahead = (field - now_us) & (span - 1);
    return ahead < span / 2 ? now_us + ahead : now_us;
}
