/* Decoding of X.2 absolute timeouts (time points) against the clock. */
#include "kern_words.h"

/* The clock value in microseconds at which point timeout t fires, given the
 * clock now_us: the first time >= now whose bits e..e+9 equal m and whose
 * bit e+10 equals c.  A point that lies behind now fires at once. */
uint64_t kw_time_point_us(L4_Word_t t, uint64_t now_us)
{
    unsigned m = t & 0x3ff, c = (t >> 10) & 1, e = (t >> 11) & 0xf;
    uint64_t span = 1ULL << (e + 11);           /* period of bits e..e+10 */
    uint64_t field = ((uint64_t)c << (e + 10)) | ((uint64_t)m << e);
    uint64_t point = (now_us & ~(span - 1)) | field;
    if (point < now_us && now_us - point >= span / 2)
        point += span;                          /* the clock bit wrapped */
    return point < now_us ? now_us : point;
}
