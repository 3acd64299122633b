/* L4 X.2 basic types as L4Ka::Pistachio names them: words, thread ids,
 * flexpages, time values and the system clock, with their bit layouts for
 * 32-bit and 64-bit words (chosen by L4_32BIT / L4_64BIT from the arch). */
#ifndef __L4__TYPES_H__
#define __L4__TYPES_H__

#include <l4/arch.h>
#include __L4_ARCH_INC(types.h)

#if defined(L4_64BIT) && defined(L4_32BIT)
#error "the arch types.h defines both L4_64BIT and L4_32BIT"
#endif
#if !defined(L4_64BIT) && !defined(L4_32BIT)
#error "the arch types.h must define L4_64BIT or L4_32BIT"
#endif
#if defined(L4_BIG_ENDIAN)
#error "the portable L4 headers lay out bit fields for little-endian targets only"
#endif

#define L4_INLINE static inline

typedef L4_Word_t L4_Bool_t;

#if defined(L4_64BIT)
#define L4_BITS_PER_WORD 64
#else
#define L4_BITS_PER_WORD 32
#endif

/* Declaration helpers for code written against Pistachio's headers: on a
 * little-endian target bit fields are listed from the least significant end. */
#define L4_BITFIELD2(t, a, b)                   t a; t b
#define L4_BITFIELD3(t, a, b, c)                t a; t b; t c
#define L4_BITFIELD4(t, a, b, c, d)             t a; t b; t c; t d
#define L4_BITFIELD5(t, a, b, c, d, e)          t a; t b; t c; t d; t e
#define L4_BITFIELD6(t, a, b, c, d, e, f)       t a; t b; t c; t d; t e; t f
#define L4_BITFIELD7(t, a, b, c, d, e, f, g)    t a; t b; t c; t d; t e; t f; t g
#define L4_BITFIELD8(t, a, b, c, d, e, f, g, h) t a; t b; t c; t d; t e; t f; t g; t h
#define L4_BITFIELD9(t, a, b, c, d, e, f, g, h, i) \
    t a; t b; t c; t d; t e; t f; t g; t h; t i
#define L4_SHUFFLE2(a, b)                       a, b
#define L4_SHUFFLE3(a, b, c)                    a, b, c
#define L4_SHUFFLE4(a, b, c, d)                 a, b, c, d
#define L4_SHUFFLE5(a, b, c, d, e)              a, b, c, d, e
#define L4_SHUFFLE6(a, b, c, d, e, f)           a, b, c, d, e, f
#define L4_SHUFFLE7(a, b, c, d, e, f, g)        a, b, c, d, e, f, g

/* Field widths that depend on the word size.  The 64-bit layouts keep the
 * low-order fields of the 32-bit ones and give the extra 32 bits to the
 * topmost field. */
#if defined(L4_64BIT)
#define __L4_TID_VERSION_BITS   32
#define __L4_TID_THREADNO_BITS  32
#define __L4_TOP_FIELD_EXTRA    32
#else
#define __L4_TID_VERSION_BITS   14
#define __L4_TID_THREADNO_BITS  18
#define __L4_TOP_FIELD_EXTRA    0
#endif

/* Most significant set bit of a non-zero word. */
L4_INLINE int __L4_Msb(L4_Word_t w)
{
    return (int)(sizeof(unsigned long) * 8) - 1 - __builtin_clzl((unsigned long)w);
}

/* Least significant set bit of a non-zero word. */
L4_INLINE int __L4_Lsb(L4_Word_t w)
{
    return __builtin_ctzl((unsigned long)w);
}

/*
 * Error codes of ThreadControl, SpaceControl and the other privileged calls
 * (found in the ErrorCode TCR when such a call returns 0).
 */
#define L4_ErrOk                (0)
#define L4_ErrNoPrivilege       (1)
#define L4_ErrInvalidThread     (2)
#define L4_ErrInvalidSpace      (3)
#define L4_ErrInvalidScheduler  (4)
#define L4_ErrInvalidParam      (5)
#define L4_ErrUtcbArea          (6)
#define L4_ErrKipArea           (7)
#define L4_ErrNoMem             (8)

/*
 * Flexpages: a 2^s-byte region at b << 10 with access rights rwx.
 */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t rwx : 3;
        L4_Word_t reserved : 1;     /* X.2's "extended" bit; always 0 here */
        L4_Word_t s : 6;
        L4_Word_t b : 22 + __L4_TOP_FIELD_EXTRA;
    } X;
} L4_Fpage_t;

#define L4_Readable             (0x04)
#define L4_Writable             (0x02)
#define L4_eXecutable           (0x01)
#define L4_FullyAccessible      (0x07)
#define L4_ReadWriteOnly        (0x06)
#define L4_ReadeXecOnly         (0x05)
#define L4_NoAccess             (0x00)

#define L4_Nilpage              ((L4_Fpage_t){ .raw = 0 })
#define L4_CompleteAddressSpace ((L4_Fpage_t){ .raw = 1UL << 4 })   /* s = 1, b = 0 */

L4_INLINE L4_Bool_t L4_IsNilFpage(L4_Fpage_t f)
{
    return f.raw == 0;
}

L4_INLINE L4_Word_t L4_Rights(L4_Fpage_t f)
{
    return f.raw & 0x7;
}

L4_INLINE L4_Fpage_t L4_Set_Rights(L4_Fpage_t *f, L4_Word_t rwx)
{
    f->raw = (f->raw & ~(L4_Word_t)0x7) | (rwx & 0x7);
    return *f;
}

L4_INLINE L4_Fpage_t L4_FpageAddRights(L4_Fpage_t f, L4_Word_t rwx)
{
    f.raw |= rwx & 0x7;
    return f;
}

L4_INLINE L4_Fpage_t L4_FpageAddRightsTo(L4_Fpage_t *f, L4_Word_t rwx)
{
    f->raw |= rwx & 0x7;
    return *f;
}

L4_INLINE L4_Fpage_t L4_FpageRemoveRights(L4_Fpage_t f, L4_Word_t rwx)
{
    f.raw &= ~(rwx & 0x7);
    return f;
}

L4_INLINE L4_Fpage_t L4_FpageRemoveRightsFrom(L4_Fpage_t *f, L4_Word_t rwx)
{
    f->raw &= ~(rwx & 0x7);
    return *f;
}

/* Flexpage of 2^SizeLog2 bytes containing BaseAddress, no access rights. */
L4_INLINE L4_Fpage_t L4_FpageLog2(L4_Word_t BaseAddress, int FpageSize)
{
    L4_Fpage_t fp;
    fp.raw = (BaseAddress & ~(L4_Word_t)0x3ff) | (((L4_Word_t)FpageSize & 0x3f) << 4);
    return fp;
}

/* Flexpage at BaseAddress whose size is FpageSize rounded up to a power of
 * two.  A size of 0 yields s = 0; a size that rounds up to the whole
 * address space yields L4_CompleteAddressSpace. */
L4_INLINE L4_Fpage_t L4_Fpage(L4_Word_t BaseAddress, L4_Word_t FpageSize)
{
    int s = 0;
    if (FpageSize != 0) {
        s = __L4_Msb(FpageSize);
        if (((L4_Word_t)1 << s) < FpageSize)
            s++;
    }
    if (s >= L4_BITS_PER_WORD)
        return L4_CompleteAddressSpace;
    return L4_FpageLog2(BaseAddress, s);
}

L4_INLINE L4_Word_t L4_SizeLog2(L4_Fpage_t f)
{
    return (f.raw >> 4) & 0x3f;
}

/* Size in bytes; 0 when s = 0, all ones when 2^s does not fit in a word. */
L4_INLINE L4_Word_t L4_Size(L4_Fpage_t f)
{
    L4_Word_t s = L4_SizeLog2(f);
    if (s == 0)
        return 0;
    if (s >= L4_BITS_PER_WORD)
        return ~(L4_Word_t)0;
    return (L4_Word_t)1 << s;
}

/* Base address: the b field, aligned down to the flexpage's size. */
L4_INLINE L4_Word_t L4_Address(L4_Fpage_t f)
{
    L4_Word_t s = L4_SizeLog2(f);
    L4_Word_t a = f.raw & ~(L4_Word_t)0x3ff;
    if (s >= L4_BITS_PER_WORD)
        return 0;
    return a & ~(((L4_Word_t)1 << s) - 1);
}

/*
 * Thread ids.  A global id is {version, thread_no}; a local id is the
 * thread's UTCB address, whose low 6 bits are zero.
 */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t version : __L4_TID_VERSION_BITS;
        L4_Word_t thread_no : __L4_TID_THREADNO_BITS;
    } X;
} L4_GthreadId_t;

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __zeros : 6;
        L4_Word_t local_id : 26 + __L4_TOP_FIELD_EXTRA;
    } X;
} L4_LthreadId_t;

typedef union {
    L4_Word_t raw;
    L4_GthreadId_t global;
    L4_LthreadId_t local;
} L4_ThreadId_t;

#define L4_nilthread            ((L4_ThreadId_t){ .raw = 0 })
#define L4_anythread            ((L4_ThreadId_t){ .raw = ~(L4_Word_t)0 })
#define L4_anylocalthread       ((L4_ThreadId_t){ .raw = ~(L4_Word_t)0x3f })

#define __L4_TID_VERSION_MASK   ((((L4_Word_t)1 << (__L4_TID_VERSION_BITS - 1)) << 1) - 1)

L4_INLINE L4_ThreadId_t L4_GlobalId(L4_Word_t threadno, L4_Word_t version)
{
    L4_ThreadId_t t;
    t.raw = (threadno << __L4_TID_VERSION_BITS) | (version & __L4_TID_VERSION_MASK);
    return t;
}

L4_INLINE L4_Word_t L4_Version(L4_ThreadId_t t)
{
    return t.raw & __L4_TID_VERSION_MASK;
}

L4_INLINE L4_Word_t L4_ThreadNo(L4_ThreadId_t t)
{
    return t.raw >> __L4_TID_VERSION_BITS;
}

L4_INLINE L4_Bool_t L4_IsThreadEqual(const L4_ThreadId_t l, const L4_ThreadId_t r)
{
    return l.raw == r.raw;
}

L4_INLINE L4_Bool_t L4_IsThreadNotEqual(const L4_ThreadId_t l, const L4_ThreadId_t r)
{
    return l.raw != r.raw;
}

L4_INLINE L4_Bool_t L4_IsNilThread(L4_ThreadId_t t)
{
    return t.raw == 0;
}

/* Local ids have six zero low bits (so nilthread counts as local). */
L4_INLINE L4_Bool_t L4_IsLocalId(L4_ThreadId_t t)
{
    return (t.raw & 0x3f) == 0;
}

L4_INLINE L4_Bool_t L4_IsGlobalId(L4_ThreadId_t t)
{
    return (t.raw & 0x3f) != 0;
}

/*
 * System clock: microseconds, 64 bits on every architecture.
 */
typedef union {
    L4_Word64_t raw;
    struct {
        L4_Word32_t low;
        L4_Word32_t high;
    } X;
} L4_Clock_t;

L4_INLINE L4_Clock_t L4_ClockAddUsec(const L4_Clock_t c, const L4_Word64_t r)
{
    L4_Clock_t n;
    n.raw = c.raw + r;
    return n;
}

L4_INLINE L4_Clock_t L4_ClockSubUsec(const L4_Clock_t c, const L4_Word64_t r)
{
    L4_Clock_t n;
    n.raw = c.raw - r;
    return n;
}

L4_INLINE L4_Bool_t L4_IsClockEarlier(const L4_Clock_t l, const L4_Clock_t r)
{
    return l.raw < r.raw;
}

L4_INLINE L4_Bool_t L4_IsClockLater(const L4_Clock_t l, const L4_Clock_t r)
{
    return l.raw > r.raw;
}

L4_INLINE L4_Bool_t L4_IsClockEqual(const L4_Clock_t l, const L4_Clock_t r)
{
    return l.raw == r.raw;
}

L4_INLINE L4_Bool_t L4_IsClockNotEqual(const L4_Clock_t l, const L4_Clock_t r)
{
    return l.raw != r.raw;
}

/*
 * Time values (16 bits).  A period is m * 2^e microseconds (a = 0); raw 0
 * is "never" and m = 0, e = 1 is "zero".  A point (a = 1) names an absolute
 * clock value by its bits e..e+9 (m) and bit e+10 (c).
 */
typedef union {
    L4_Word16_t raw;
    struct {
        L4_Word16_t m : 10;
        L4_Word16_t e : 5;
        L4_Word16_t a : 1;
    } period;
    struct {
        L4_Word16_t m : 10;
        L4_Word16_t c : 1;
        L4_Word16_t e : 4;
        L4_Word16_t a : 1;
    } point;
} L4_Time_t;

#define L4_Never                ((L4_Time_t){ .raw = 0 })
#define L4_ZeroTime             ((L4_Time_t){ .raw = 0x0400 })   /* m = 0, e = 1 */

/* The period closest to but not above the given microseconds, with the
 * smallest exponent that fits the mantissa in 10 bits (so the error is below
 * 2^e <= us / 512).  0 gives L4_ZeroTime; a value beyond 1023 * 2^31 gives
 * L4_Never. */
L4_INLINE L4_Time_t L4_TimePeriod(L4_Word64_t microseconds)
{
    L4_Time_t t;
    L4_Word64_t m = microseconds;
    unsigned e = 0;

    if (microseconds == 0)
        return L4_ZeroTime;
    while (m >= 1024) {
        m >>= 1;
        e++;
    }
    if (e > 31)
        return L4_Never;
    t.raw = (L4_Word16_t)((e << 10) | (unsigned)m);
    return t;
}

/* chacmsim addition: is this a relative period (including never and zero)? */
L4_INLINE L4_Bool_t L4_IsTimePeriod(L4_Time_t t)
{
    return (t.raw & 0x8000) == 0;
}

/* chacmsim addition: is this an absolute time point? */
L4_INLINE L4_Bool_t L4_IsTimePoint(L4_Time_t t)
{
    return (t.raw & 0x8000) != 0;
}

/* chacmsim addition: the microseconds a period stands for (m * 2^e); all
 * ones for L4_Never. */
L4_INLINE L4_Word64_t L4_TimePeriodMicroseconds(L4_Time_t t)
{
    if (t.raw == 0)
        return ~(L4_Word64_t)0;
    return (L4_Word64_t)(t.raw & 0x3ff) << ((t.raw >> 10) & 0x1f);
}

/* chacmsim addition: encode the clock value `at` as a time point as seen at
 * clock value `now`.  The smallest exponent e (0..15) with at - now <
 * 2^(e+10) is used, and m, c take bits e..e+10 of `at` (so the point lies at
 * most 2^e - 1 us before `at`).  A point not in the future becomes
 * L4_ZeroTime; one too far ahead for any exponent becomes the equivalent
 * period.  L4_TimePointClock is the inverse. */
L4_INLINE L4_Time_t L4_TimePointAt(L4_Clock_t at, L4_Clock_t now)
{
    L4_Time_t t;
    L4_Word64_t d;
    unsigned e;

    if (at.raw <= now.raw)
        return L4_ZeroTime;
    d = at.raw - now.raw;
    for (e = 0; e < 16; e++) {
        if (d < ((L4_Word64_t)1 << (e + 10))) {
            t.raw = (L4_Word16_t)(0x8000 | (e << 11) | (((at.raw >> (e + 10)) & 1) << 10) |
                                  ((at.raw >> e) & 0x3ff));
            return t;
        }
    }
    return L4_TimePeriod(d);
}

/* chacmsim addition: the absolute clock value a time point names, as seen at
 * clock value `now`: the value with bits e..e+10 equal to (c, m) and zero
 * below bit e that lies in [now - 2^(e+10), now + 2^(e+10)), the window of
 * 2^(e+11) us centred on now.  So a point at least half that window ahead
 * has passed.  A result before `now` means the point has passed; one that
 * would lie before the clock's start (now < 2^(e+10)) is clock value 0,
 * never a value that wraps around to the far future. */
L4_INLINE L4_Clock_t L4_TimePointClock(L4_Time_t t, L4_Clock_t now)
{
    unsigned e = (t.raw >> 11) & 0xf;
    L4_Word64_t window = (L4_Word64_t)1 << (e + 11);
    L4_Word64_t bits = ((L4_Word64_t)((t.raw >> 10) & 1) << (e + 10)) |
                       ((L4_Word64_t)(t.raw & 0x3ff) << e);
    L4_Clock_t c;

    c.raw = (now.raw & ~(window - 1)) | bits;
    if (c.raw + window / 2 < now.raw)
        c.raw += window;
    else if (c.raw >= now.raw + window / 2)
        c.raw = c.raw >= window ? c.raw - window : 0;
    return c;
}

#endif /* !__L4__TYPES_H__ */
