/* Raw-word encodings of X.2 types as the kernel decodes them (64-bit words).
 * Pure functions; the unit tests exercise them directly. */
#ifndef CHACM_KERN_WORDS_H
#define CHACM_KERN_WORDS_H

#include <stdbool.h>
#include <stdint.h>
#include <l4/hosted/types.h>

#define KW_NILTHREAD        0UL
#define KW_ANYTHREAD        (~0UL)
#define KW_ANYLOCALTHREAD   (~0UL << 6)

static inline L4_Word_t kw_global_id(L4_Word_t no, L4_Word_t version)
{
    return (no << 32) | (version & 0xffffffffUL);
}
static inline L4_Word_t kw_thread_no(L4_Word_t id) { return id >> 32; }
static inline L4_Word_t kw_version(L4_Word_t id) { return id & 0xffffffffUL; }
static inline bool kw_is_local(L4_Word_t id) { return id != 0 && (id & 0x3f) == 0; }
static inline bool kw_is_global(L4_Word_t id) { return (id & 0x3f) != 0; }

/* Message tag: u:6 t:6 flags:4 label:48. */
#define KW_TAG_P    (1UL << 12)     /* propagated */
#define KW_TAG_R    (1UL << 13)     /* redirected */
#define KW_TAG_X    (1UL << 14)     /* cross processor */
#define KW_TAG_E    (1UL << 15)     /* error */
static inline unsigned kw_tag_u(L4_Word_t tag) { return tag & 0x3f; }
static inline unsigned kw_tag_t(L4_Word_t tag) { return (tag >> 6) & 0x3f; }
static inline L4_Word_t kw_tag_label(L4_Word_t tag) { return tag >> 16; }
static inline L4_Word_t kw_tag(L4_Word_t label, unsigned u, unsigned t, L4_Word_t flags)
{
    return (label << 16) | (flags & 0xf000) | ((L4_Word_t)(t & 0x3f) << 6) | (u & 0x3f);
}

/* Kernel protocol labels are negative numbers in the tag's label field,
 * sign-extended across its full width as Pistachio does (16 bits on ia32,
 * 48 bits here): kw_proto_label(-1) (interrupt, -1 << 4) is 0xfff0 on ia32
 * and 0xfffffffffff0 on 64-bit words. */
static inline L4_Word_t kw_proto_label(long n)
{
    return ((L4_Word_t)n << 4) & (~0UL >> 16);
}
#define KW_LABEL_INTERRUPT kw_proto_label(-1)
#define KW_LABEL_PAGEFAULT kw_proto_label(-2)
#define KW_LABEL_EXCEPTION kw_proto_label(-5)

/* IPC error codes (ErrorCode TCR bits 1..3); bit 0 is the phase. */
enum {
    KW_ERR_TIMEOUT = 1,
    KW_ERR_NOPARTNER = 2,
    KW_ERR_CANCELED = 3,
    KW_ERR_OVERFLOW = 4,
    KW_ERR_XFER_TIMEOUT_INVOKER = 5,
    KW_ERR_XFER_TIMEOUT_PARTNER = 6,
    KW_ERR_ABORTED = 7,
};
#define KW_PHASE_SEND 0
#define KW_PHASE_RECEIVE 1
static inline L4_Word_t kw_ipc_error(unsigned code, unsigned phase, L4_Word_t offset)
{
    return (offset << 4) | ((L4_Word_t)code << 1) | phase;
}

/* Fpages: b:54 s:6 extended:1 rwx:3. */
static inline unsigned kw_fpage_s(L4_Word_t f) { return (f >> 4) & 0x3f; }
static inline unsigned kw_fpage_rwx(L4_Word_t f) { return f & 7; }
static inline bool kw_fpage_is_nil(L4_Word_t f) { return (f & ~0xfUL) == 0; }
static inline bool kw_fpage_is_complete(L4_Word_t f) { return kw_fpage_s(f) == 1 && (f >> 10) == 0; }
static inline L4_Word_t kw_fpage_size(L4_Word_t f)
{
    unsigned s = kw_fpage_s(f);
    return s >= 64 ? 0 : 1UL << s;
}
static inline L4_Word_t kw_fpage_base(L4_Word_t f)
{
    unsigned s = kw_fpage_s(f);
    L4_Word_t mask = s >= 64 ? ~0UL : (1UL << s) - 1;
    return f & ~0x3ffUL & ~mask;
}
static inline L4_Word_t kw_fpage(L4_Word_t base, unsigned s, unsigned rwx)
{
    return (base & ~0x3ffUL) | ((L4_Word_t)(s & 0x3f) << 4) | (rwx & 7);
}

/* Time: 16 bits.  Period {m:10 e:5 a=0} = m*2^e us; point {m:10 c:1 e:4 a=1}. */
#define KW_TIME_NEVER 0
#define KW_TIME_ZERO 0x0400
static inline bool kw_time_is_point(L4_Word_t t) { return (t >> 15) & 1; }
static inline bool kw_time_is_never(L4_Word_t t) { return (t & 0xffff) == KW_TIME_NEVER; }
static inline bool kw_time_is_zero(L4_Word_t t)
{
    t &= 0xffff;
    return !kw_time_is_point(t) && (t & 0x3ff) == 0 && t != 0;
}
/* Period length in microseconds (saturates). */
static inline uint64_t kw_time_period_us(L4_Word_t t)
{
    unsigned m = t & 0x3ff, e = (t >> 10) & 0x1f;
    return e >= 54 ? UINT64_MAX : (uint64_t)m << e;
}
uint64_t kw_time_point_us(L4_Word_t t, uint64_t now_us);

/* Typed message items, first word. */
static inline bool kw_item_is_string(L4_Word_t w) { return (w & 0x8) == 0; }
static inline bool kw_item_is_map(L4_Word_t w) { return (w & 0xe) == 0x8; }
static inline bool kw_item_is_grant(L4_Word_t w) { return (w & 0xe) == 0xa; }
static inline bool kw_item_more(L4_Word_t w) { return w & 1; }
static inline unsigned kw_string_j(L4_Word_t w) { return (w >> 4) & 0x1f; }      /* substrings - 1 */
static inline bool kw_string_compound(L4_Word_t w) { return (w >> 9) & 1; }      /* c bit */
static inline L4_Word_t kw_string_length(L4_Word_t w) { return w >> 10; }
static inline L4_Word_t kw_string_word(L4_Word_t length, unsigned j, bool c, bool more, unsigned hh)
{
    return (length << 10) | ((L4_Word_t)c << 9) | ((L4_Word_t)(j & 0x1f) << 4) |
           ((L4_Word_t)(hh & 3) << 1) | (more ? 1 : 0);
}

#endif /* CHACM_KERN_WORDS_H */
