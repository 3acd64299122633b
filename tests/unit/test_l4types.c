/* Unit tests of the portable L4 X.2 headers (l4shim/include/l4): bit layouts of thread
 * ids, fpages, times, tags, items, acceptors, the KIP and boot info, and the
 * helpers that only touch memory (a fake UTCB stands in for the kernel's). */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include <l4/types.h>
#include <l4/message.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/misc.h>
#include <l4/kip.h>
#include <l4/sigma0.h>
#include <l4/kdebug.h>
#include <l4/bootinfo.h>

/* The UTCB pointer normally belongs to the simulator; a weak definition lets
 * this test run alone (a real definition, if linked in, takes precedence). */
__attribute__((weak)) __thread L4_Word_t *__L4_hosted_utcb;

static L4_Word_t fake_utcb[256] __attribute__((aligned(1024)));

static void setup_utcb(void)
{
    memset(fake_utcb, 0, sizeof fake_utcb);
    __L4_hosted_utcb = &fake_utcb[__L4_HOSTED_UTCB_MR0_OFFSET / sizeof(L4_Word_t)];
}

/* Word i relative to MR0 (TCRs and BRs are at negative indices). */
static L4_Word_t utcb_word(int i)
{
    return __L4_hosted_utcb[i];
}

/* ------------------------------------------------------------------ ids */

START_TEST(thread_ids)
{
    L4_ThreadId_t t = L4_GlobalId(0x1234, 1);

    ck_assert_uint_eq(sizeof(L4_ThreadId_t), sizeof(L4_Word_t));
#if defined(L4_64BIT)
    ck_assert_uint_eq(t.raw, (0x1234UL << 32) | 1);
#else
    ck_assert_uint_eq(t.raw, (0x1234UL << 14) | 1);
#endif
    ck_assert_uint_eq(t.global.X.thread_no, 0x1234);
    ck_assert_uint_eq(t.global.X.version, 1);
    ck_assert_uint_eq(L4_ThreadNo(t), 0x1234);
    ck_assert_uint_eq(L4_Version(t), 1);
    ck_assert(L4_IsGlobalId(t));
    ck_assert(!L4_IsLocalId(t));

    /* The bit fields agree with the raw encoding. */
    t.raw = 0;
    t.global.X.thread_no = 77;
    t.global.X.version = 3;
    ck_assert_uint_eq(t.raw, L4_GlobalId(77, 3).raw);

    /* Version bits beyond the field are dropped. */
    ck_assert_uint_eq(L4_Version(L4_GlobalId(5, ~0UL)), __L4_TID_VERSION_MASK);
    ck_assert_uint_eq(L4_ThreadNo(L4_GlobalId(5, ~0UL)), 5);

    ck_assert_uint_eq(L4_nilthread.raw, 0);
    ck_assert_uint_eq(L4_anythread.raw, ~0UL);
    ck_assert_uint_eq(L4_anylocalthread.raw, ~0x3fUL);
    ck_assert_uint_eq(L4_anylocalthread.local.X.__zeros, 0);
    ck_assert_uint_eq(L4_anylocalthread.local.X.local_id, ~0UL >> 6);
    ck_assert(L4_IsNilThread(L4_nilthread));
    ck_assert(!L4_IsNilThread(L4_anythread));
    ck_assert(L4_IsGlobalId(L4_anythread));
    ck_assert(L4_IsLocalId(L4_anylocalthread));

    t.raw = 0x7f0040;      /* a UTCB address: local */
    ck_assert(L4_IsLocalId(t));
    ck_assert_uint_eq(t.local.X.local_id, 0x7f0040 >> 6);

    ck_assert(L4_IsThreadEqual(L4_GlobalId(9, 2), L4_GlobalId(9, 2)));
    ck_assert(L4_IsThreadNotEqual(L4_GlobalId(9, 2), L4_GlobalId(9, 3)));
    ck_assert(!L4_IsThreadEqual(L4_GlobalId(9, 2), L4_GlobalId(10, 2)));
}
END_TEST

/* --------------------------------------------------------------- fpages */

START_TEST(fpages)
{
    L4_Fpage_t f = L4_Fpage(0x10000, 4096);

    ck_assert_uint_eq(f.raw, 0x10000 | (12 << 4));
    ck_assert_uint_eq(f.X.s, 12);
    ck_assert_uint_eq(f.X.b, 0x10000 >> 10);
    ck_assert_uint_eq(f.X.rwx, 0);
    ck_assert_uint_eq(f.X.reserved, 0);
    ck_assert_uint_eq(L4_SizeLog2(f), 12);
    ck_assert_uint_eq(L4_Size(f), 4096);
    ck_assert_uint_eq(L4_Address(f), 0x10000);

    /* Sizes round up to a power of two. */
    ck_assert_uint_eq(L4_SizeLog2(L4_Fpage(0, 4097)), 13);
    ck_assert_uint_eq(L4_SizeLog2(L4_Fpage(0, 5000)), 13);
    ck_assert_uint_eq(L4_SizeLog2(L4_Fpage(0, 8192)), 13);
    ck_assert_uint_eq(L4_SizeLog2(L4_Fpage(0, 1UL << 22)), 22);
    ck_assert_uint_eq(L4_SizeLog2(L4_Fpage(0, (1UL << 22) + 1)), 23);
    ck_assert_uint_eq(L4_SizeLog2(L4_Fpage(0, 1UL << (L4_BITS_PER_WORD - 1))), L4_BITS_PER_WORD - 1);
    ck_assert_uint_eq(L4_Fpage(0, ~0UL).raw, L4_CompleteAddressSpace.raw);
    ck_assert_uint_eq(L4_Size(L4_Fpage(0, 0)), 0);

    /* The address is aligned down to the page's size. */
    f = L4_Fpage(0x12345, 4096);
    ck_assert_uint_eq(L4_Address(f), 0x12000);
    ck_assert_uint_eq(f.raw & 0xf, 0);
    f = L4_FpageLog2(0x40123456, 30);
    ck_assert_uint_eq(L4_Address(f), 0x40000000);
    ck_assert_uint_eq(L4_Size(f), 1UL << 30);

    ck_assert_uint_eq(L4_Nilpage.raw, 0);
    ck_assert(L4_IsNilFpage(L4_Nilpage));
    ck_assert_uint_eq(L4_CompleteAddressSpace.raw, 0x10);
    ck_assert_uint_eq(L4_CompleteAddressSpace.X.s, 1);
    ck_assert_uint_eq(L4_CompleteAddressSpace.X.b, 0);
    ck_assert(!L4_IsNilFpage(L4_CompleteAddressSpace));

    ck_assert_uint_eq(L4_Readable, 4);
    ck_assert_uint_eq(L4_Writable, 2);
    ck_assert_uint_eq(L4_eXecutable, 1);
    ck_assert_uint_eq(L4_FullyAccessible, 7);
    ck_assert_uint_eq(L4_ReadWriteOnly, 6);
    ck_assert_uint_eq(L4_ReadeXecOnly, 5);
    ck_assert_uint_eq(L4_NoAccess, 0);

    f = L4_Fpage(0x200000, 0x200000);
    f = L4_FpageAddRights(f, L4_Readable | L4_Writable);
    ck_assert_uint_eq(f.raw, 0x200000 | (21 << 4) | 6);
    ck_assert_uint_eq(L4_Rights(f), L4_ReadWriteOnly);
    ck_assert_uint_eq(f.X.rwx, 6);
    f = L4_FpageRemoveRights(f, L4_Writable);
    ck_assert_uint_eq(L4_Rights(f), L4_Readable);
    L4_FpageAddRightsTo(&f, L4_eXecutable);
    ck_assert_uint_eq(L4_Rights(f), L4_ReadeXecOnly);
    L4_FpageRemoveRightsFrom(&f, L4_FullyAccessible);
    ck_assert_uint_eq(L4_Rights(f), 0);
    L4_Set_Rights(&f, L4_FullyAccessible);
    ck_assert_uint_eq(f.raw, 0x200000 | (21 << 4) | 7);
    ck_assert_uint_eq(L4_Address(f), 0x200000);
    ck_assert_uint_eq(L4_Size(f), 0x200000);

    /* Status bits returned by unmap. */
    f.raw = 0x1000 | (12 << 4) | L4_Readable;
    ck_assert(L4_WasReferenced(f));
    ck_assert(!L4_WasWritten(f));
    ck_assert(!L4_WaseXecuted(f));
    ck_assert(!L4_WasExecuted(f));
}
END_TEST

/* ----------------------------------------------------------------- time */

START_TEST(time_periods)
{
    static const L4_Word64_t values[] = {
        1, 2, 999, 1000, 1023, 1024, 1025, 1500, 4096, 10000, 65535, 1000000,
        1234567, 2147483647ULL, 12345678901ULL, 1023ULL << 31,
    };
    size_t i;

    ck_assert_uint_eq(sizeof(L4_Time_t), 2);
    ck_assert_uint_eq(L4_Never.raw, 0);
    ck_assert_uint_eq(L4_ZeroTime.raw, 0x0400);
    ck_assert_uint_eq(L4_ZeroTime.period.m, 0);
    ck_assert_uint_eq(L4_ZeroTime.period.e, 1);
    ck_assert_uint_eq(L4_ZeroTime.period.a, 0);
    ck_assert_uint_eq(L4_TimePeriod(0).raw, L4_ZeroTime.raw);
    ck_assert_uint_eq(L4_TimePeriod(1).raw, 1);
    ck_assert_uint_eq(L4_TimePeriod(1000).raw, 1000);
    ck_assert_uint_eq(L4_TimePeriod(1024).raw, (1 << 10) | 512);
    ck_assert_uint_eq(L4_TimePeriod(1ULL << 41).raw, L4_Never.raw);
    ck_assert_uint_eq(L4_TimePeriodMicroseconds(L4_ZeroTime), 0);
    ck_assert_uint_eq(L4_TimePeriodMicroseconds(L4_Never), ~0ULL);

    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        L4_Word64_t us = values[i];
        L4_Time_t t = L4_TimePeriod(us);
        L4_Word64_t m = t.period.m, e = t.period.e;
        L4_Word64_t back = m << e;

        ck_assert_msg(t.raw != 0, "%llu became never", (unsigned long long)us);
        ck_assert(L4_IsTimePeriod(t));
        ck_assert_uint_eq(t.period.a, 0);
        ck_assert_uint_eq(back, L4_TimePeriodMicroseconds(t));
        ck_assert_msg(back <= us && us - back < (1ULL << e),
                      "%llu encoded as %llu * 2^%llu", (unsigned long long)us,
                      (unsigned long long)m, (unsigned long long)e);
        /* Finest exponent: the mantissa uses its top bit unless e is 0. */
        ck_assert(e == 0 || m >= 512);
    }
}
END_TEST

START_TEST(time_points)
{
    L4_Time_t t;
    L4_Clock_t now, at, back, later;
    static const L4_Word64_t deltas[] = { 1, 5, 1023, 1024, 1500, 100000, 1 << 20, (1 << 25) - 1 };
    size_t i;

    t.raw = 0x8000 | (3 << 11) | (1 << 10) | 5;
    ck_assert(L4_IsTimePoint(t));
    ck_assert(!L4_IsTimePeriod(t));
    ck_assert_uint_eq(t.point.a, 1);
    ck_assert_uint_eq(t.point.e, 3);
    ck_assert_uint_eq(t.point.c, 1);
    ck_assert_uint_eq(t.point.m, 5);

    now.raw = 123456789012ULL;
    at = now;
    ck_assert_uint_eq(L4_TimePointAt(at, now).raw, L4_ZeroTime.raw);

    for (i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
        at = L4_ClockAddUsec(now, deltas[i]);
        t = L4_TimePointAt(at, now);
        ck_assert(L4_IsTimePoint(t));
        back = L4_TimePointClock(t, now);
        ck_assert(!L4_IsClockLater(back, at));
        ck_assert_uint_lt(at.raw - back.raw, 1ULL << t.point.e);
        ck_assert_uint_lt(at.raw - now.raw, 1ULL << (t.point.e + 10));
        /* Decoding later (before the point is reached) names the same time. */
        later = L4_ClockAddUsec(now, (back.raw - now.raw) / 2);
        ck_assert_uint_eq(L4_TimePointClock(t, later).raw, back.raw);
    }

    /* Too far ahead for a point: the equivalent period. */
    at = L4_ClockAddUsec(now, 1ULL << 30);
    t = L4_TimePointAt(at, now);
    ck_assert(L4_IsTimePeriod(t));
    ck_assert_uint_eq(L4_TimePeriodMicroseconds(t), 1ULL << 30);
}
END_TEST

/* Every point encoding, decoded at clock values below, at and above each
 * window: the result carries the point's bits and lies in the window of
 * 2^(e+11) us centred on now, [now - 2^(e+10), now + 2^(e+10)); one that
 * would lie before the clock's start is 0 (passed), never a wrapped value. */
START_TEST(time_points_every_encoding)
{
    for (unsigned e = 0; e < 16; e++) {
        L4_Word64_t g = 1ULL << e, w = g << 11, half = w / 2;
        const L4_Word64_t nows[] = { 0, 1, half - 1, half, half + 1, w - 1, w, w + 1,
                                     w + half, 5 * w - 1, 123456789012ULL };
        for (size_t i = 0; i < sizeof nows / sizeof nows[0]; i++) {
            for (unsigned cm = 0; cm < 2048; cm++) {
                L4_Time_t t = { .raw = (L4_Word16_t)(0x8000 | e << 11 | cm) };
                L4_Clock_t now = { .raw = nows[i] };
                L4_Word64_t r = L4_TimePointClock(t, now).raw;
                L4_Word64_t want = (nows[i] & ~(w - 1)) | ((L4_Word64_t)cm << e);
                if (want + half < nows[i])
                    want += w;
                else if (want >= nows[i] + half)
                    want = want >= w ? want - w : 0;
                ck_assert_uint_eq(r, want);
                ck_assert(r < nows[i] + half);
                ck_assert(r == 0 || r + half >= nows[i]);
                ck_assert(r == 0 || ((r >> e) & 0x7ff) == cm);
                ck_assert_uint_eq(r & (g - 1), 0);
            }
        }
    }
}
END_TEST

START_TEST(clock)
{
    L4_Clock_t a, b;

    ck_assert_uint_eq(sizeof(L4_Clock_t), 8);
    a.raw = 0x0000000100000002ULL;
    ck_assert_uint_eq(a.X.low, 2);
    ck_assert_uint_eq(a.X.high, 1);
    b = L4_ClockAddUsec(a, 0xffffffffULL);
    ck_assert_uint_eq(b.raw, 0x0000000200000001ULL);
    ck_assert_uint_eq(L4_ClockSubUsec(b, 0xffffffffULL).raw, a.raw);
    ck_assert(L4_IsClockEarlier(a, b));
    ck_assert(L4_IsClockLater(b, a));
    ck_assert(!L4_IsClockLater(a, a));
    ck_assert(L4_IsClockEqual(a, a));
    ck_assert(L4_IsClockNotEqual(a, b));

    ck_assert_uint_eq(L4_Timeouts(L4_ZeroTime, L4_Never), 0x04000000UL);
    ck_assert_uint_eq(L4_Timeouts(L4_Never, L4_TimePeriod(1000)), 1000);
}
END_TEST

/* ------------------------------------------------------------- msg tags */

START_TEST(msg_tags)
{
    L4_MsgTag_t t;

    ck_assert_uint_eq(sizeof(L4_MsgTag_t), sizeof(L4_Word_t));
    ck_assert_uint_eq(L4_Niltag.raw, 0);

    t.raw = 0;
    t.X.u = 3;
    t.X.t = 2;
    t.X.flags = 0x8;
    t.X.label = 0xabc;
    ck_assert_uint_eq(t.raw, (0xabcUL << 16) | (0x8UL << 12) | (2 << 6) | 3);
    ck_assert_uint_eq(L4_Label(t), 0xabc);
    ck_assert_uint_eq(L4_UntypedWords(t), 3);
    ck_assert_uint_eq(L4_TypedWords(t), 2);
    ck_assert_uint_eq(L4_MsgTagLabel(t), 0xabc);
    ck_assert_uint_eq(L4_MsgTagUntypedWords(t), 3);
    ck_assert_uint_eq(L4_MsgTagTypedWords(t), 2);

    /* Error flag E is raw bit 15; P, R, X are bits 12, 13, 14. */
    t.raw = 1UL << 15;
    ck_assert(L4_IpcFailed(t));
    ck_assert(!L4_IpcSucceeded(t));
    ck_assert(!L4_IpcPropagated(t) && !L4_IpcRedirected(t) && !L4_IpcXcpu(t));
    t.raw = 1UL << 12;
    ck_assert(L4_IpcPropagated(t) && L4_IpcSucceeded(t));
    t.raw = 1UL << 13;
    ck_assert(L4_IpcRedirected(t) && !L4_IpcPropagated(t));
    t.raw = 1UL << 14;
    ck_assert(L4_IpcXcpu(t) && !L4_IpcFailed(t));

    t = L4_MsgTagAddLabel(L4_Niltag, 0x1234);
    ck_assert_uint_eq(t.raw, 0x12340000UL);
    t.raw |= 0x41;
    L4_MsgTagAddLabelTo(&t, 0x55);
    ck_assert_uint_eq(t.raw, (0x55UL << 16) | 0x41);
    L4_Set_Label(&t, 0x66);
    ck_assert_uint_eq(t.raw, (0x66UL << 16) | 0x41);
    ck_assert(L4_IsMsgTagEqual(t, t));
    ck_assert(L4_IsMsgTagNotEqual(t, L4_Niltag));

    /* Protocol labels are negative numbers truncated to the label width. */
    L4_Set_Label(&t, (L4_Word_t)-6 << 4);
#if defined(L4_64BIT)
    ck_assert_uint_eq(L4_Label(t), 0xffffffffffa0UL);
#else
    ck_assert_uint_eq(L4_Label(t), 0xffa0UL);
#endif

    t.raw = (0x55UL << 16) | (0x9UL << 12) | 0x41;
    L4_Set_Propagation(&t);
    ck_assert_uint_eq(t.raw, (0x55UL << 16) | (0x1UL << 12) | 0x41);
}
END_TEST

/* ---------------------------------------------------------------- items */

START_TEST(map_grant_items)
{
    L4_Fpage_t f = L4_FpageAddRights(L4_FpageLog2(0x200000, 21), L4_ReadWriteOnly);
    L4_MapItem_t m = L4_MapItem(f, 0x400123);
    L4_GrantItem_t g = L4_GrantItem(f, 0x400000);

    ck_assert_uint_eq(sizeof(L4_MapItem_t), 2 * sizeof(L4_Word_t));
    ck_assert_uint_eq(m.raw[0], 0x400000 | 0x8);   /* type 0b100 in bits 1..3 */
    ck_assert_uint_eq(m.raw[1], f.raw);
    ck_assert_uint_eq(m.X.C, 0);
    ck_assert_uint_eq(m.X.__type, 4);
    ck_assert_uint_eq(m.X.__zeros, 0);
    ck_assert_uint_eq(m.X.snd_base, 0x400000 >> 10);
    ck_assert_uint_eq(m.X.snd_fpage.raw, f.raw);
    ck_assert(L4_IsMapItem(m));
    ck_assert_uint_eq(L4_MapItemSndBase(m), 0x400000);
    ck_assert_uint_eq(L4_MapItemSndFpage(m).raw, f.raw);

    ck_assert_uint_eq(g.raw[0], 0x400000 | 0xa);   /* type 0b101 */
    ck_assert_uint_eq(g.X.__type, 5);
    ck_assert(L4_IsGrantItem(g));
    ck_assert_uint_eq(L4_GrantItemSndBase(g), 0x400000);
    ck_assert_uint_eq(L4_GrantItemSndFpage(g).raw, f.raw);

    /* The two item kinds are told apart by type. */
    {
        L4_MapItem_t as_map;
        L4_GrantItem_t as_grant;
        memcpy(&as_map, &g, sizeof g);
        memcpy(&as_grant, &m, sizeof m);
        ck_assert(!L4_IsMapItem(as_map));
        ck_assert(!L4_IsGrantItem(as_grant));
    }
}
END_TEST

START_TEST(string_items)
{
    L4_Word_t buf[16];
    L4_StringItem_t *s = (L4_StringItem_t *)buf;
    L4_StringItem_t sub, one;
    char a[64], b[64], c[32];

    memset(buf, 0, sizeof buf);
    one = L4_StringItem(100, a);
    ck_assert_uint_eq(one.raw[0], 100UL << 10);
    ck_assert_uint_eq(one.raw[1], (L4_Word_t)a);
    ck_assert_uint_eq(one.X.string_length, 100);
    ck_assert_uint_eq(one.X.j, 0);
    ck_assert_uint_eq(one.X.c, 0);
    ck_assert_uint_eq(one.X.C, 0);
    ck_assert_ptr_eq(one.X.str.string_ptr, a);
    ck_assert(L4_IsStringItem(&one));
    ck_assert(!L4_CompoundString(&one));
    ck_assert_uint_eq(L4_Substrings(&one), 1);
    ck_assert_ptr_eq(L4_Substring(&one, 1), a);
    ck_assert_ptr_null(L4_Substring(&one, 2));
    ck_assert_uint_eq(L4_StringItemSize(&one), 100);

    {
        L4_MapItem_t m = L4_MapItem(L4_Nilpage, 0);
        L4_StringItem_t not_string;
        memcpy(&not_string, &m, sizeof m);
        ck_assert(!L4_IsStringItem(&not_string));
    }

    /* One header with two addresses, then a continuation header. */
    *s = L4_StringItem(64, a);
    L4_AddSubstringAddressTo(s, b);
    ck_assert_uint_eq(buf[0], (64UL << 10) | (1 << 4));
    ck_assert_uint_eq(buf[2], (L4_Word_t)b);
    ck_assert(L4_CompoundString(s));
    ck_assert_uint_eq(L4_Substrings(s), 2);
    ck_assert_ptr_eq(L4_Substring(s, 2), b);

    sub = L4_StringItem(32, c);
    ck_assert_ptr_eq(L4_AddSubstringTo(s, &sub), &buf[3]);
    ck_assert_uint_eq(buf[0], (64UL << 10) | (1 << 9) | (1 << 4));   /* c set */
    ck_assert_uint_eq(buf[3], 32UL << 10);
    ck_assert_uint_eq(buf[4], (L4_Word_t)c);
    ck_assert_uint_eq(L4_Substrings(s), 3);
    ck_assert_ptr_eq(L4_Substring(s, 1), a);
    ck_assert_ptr_eq(L4_Substring(s, 3), c);
    ck_assert_ptr_null(L4_Substring(s, 4));
    ck_assert_uint_eq(L4_StringItemSize(s), 64 * 2 + 32);
    ck_assert_uint_eq(__L4_StrWords(s), 5);

    /* Cache allocation hints live in bits 1..2. */
    one = L4_AddCacheAllocationHint(one, L4_DoNotAllocateNewCacheLines);
    ck_assert_uint_eq(one.raw[0], (100UL << 10) | 0x4);
    ck_assert(L4_IsStringItem(&one));
    ck_assert(L4_IsCacheAllocationHintEqual(L4_CacheAllocationHint(one), L4_DoNotAllocateNewCacheLines));
    ck_assert(L4_IsCacheAllocationHintNotEqual(L4_CacheAlloctionHint(one), L4_UseDefaultCacheAllocation));
    L4_AddCacheAllocationHintTo(&one, L4_AllocateNewCacheLines);
    ck_assert_uint_eq(one.raw[0] & 0x6, 0x2);
}
END_TEST

/* -------------------------------------------------------------- L4_Msg_t */

START_TEST(msg_objects)
{
    L4_Msg_t msg;
    L4_MapItem_t m = L4_MapItem(L4_FpageLog2(0x5000, 12), 0x5000), m2;
    L4_Word_t w, words[4], items[4];
    L4_Word_t sbuf[8];
    L4_StringItem_t *s = (L4_StringItem_t *)sbuf, *got = (L4_StringItem_t *)&sbuf[4];
    char a[8], b[8];

    L4_MsgClear(&msg);
    ck_assert_uint_eq(msg.tag.raw, 0);
    L4_Set_MsgLabel(&msg, 0x77);
    L4_MsgAppendWord(&msg, 11);
    L4_MsgAppendWord(&msg, 22);
    L4_MsgAppendMapItem(&msg, m);
    L4_MsgAppendWord(&msg, 33);         /* moves the map item up */
    ck_assert_uint_eq(L4_MsgLabel(&msg), 0x77);
    ck_assert_uint_eq(L4_UntypedWords(L4_MsgMsgTag(&msg)), 3);
    ck_assert_uint_eq(L4_TypedWords(L4_MsgMsgTag(&msg)), 2);
    ck_assert_uint_eq(msg.raw[0], (0x77UL << 16) | (2 << 6) | 3);
    ck_assert_uint_eq(msg.msg[1], 11);
    ck_assert_uint_eq(msg.msg[2], 22);
    ck_assert_uint_eq(msg.msg[3], 33);
    ck_assert_uint_eq(msg.msg[4], m.raw[0]);
    ck_assert_uint_eq(msg.msg[5], m.raw[1]);
    ck_assert_uint_eq(L4_MsgWord(&msg, 2), 33);
    L4_MsgGetWord(&msg, 0, &w);
    ck_assert_uint_eq(w, 11);
    ck_assert_uint_eq(L4_MsgGetMapItem(&msg, 0, &m2), 2);
    ck_assert_uint_eq(m2.raw[0], m.raw[0]);
    ck_assert_uint_eq(m2.raw[1], m.raw[1]);

    L4_MsgGet(&msg, words, items);
    ck_assert_uint_eq(words[2], 33);
    ck_assert_uint_eq(items[1], m.raw[1]);

    L4_MsgPutWord(&msg, 1, 44);
    ck_assert_uint_eq(L4_MsgWord(&msg, 1), 44);
    L4_MsgPutGrantItem(&msg, 0, L4_GrantItem(L4_Nilpage, 0x1000));
    ck_assert_uint_eq(msg.msg[4], 0x1000 | 0xa);

    words[0] = 1;
    words[1] = 2;
    L4_MsgPut(&msg, 0x99, 2, words, 2, m.raw);
    ck_assert_uint_eq(msg.raw[0], (0x99UL << 16) | (2 << 6) | 2);
    ck_assert_uint_eq(msg.msg[3], m.raw[0]);
    L4_Set_MsgMsgTag(&msg, L4_Niltag);
    ck_assert_uint_eq(msg.raw[0], 0);

    /* A simple string item drops j and c; a compound one is copied whole. */
    L4_MsgClear(&msg);
    *s = L4_StringItem(8, a);
    s->raw[0] |= 1 << 9;
    L4_MsgAppendSimpleStringItem(&msg, *s);
    ck_assert_uint_eq(msg.msg[1], 8UL << 10);
    ck_assert_uint_eq(L4_TypedWords(msg.tag), 2);

    L4_MsgClear(&msg);
    L4_MsgAppendWord(&msg, 5);
    *s = L4_StringItem(8, a);
    L4_AddSubstringAddressTo(s, b);
    L4_MsgAppendStringItem(&msg, s);
    ck_assert_uint_eq(L4_TypedWords(msg.tag), 3);
    ck_assert_uint_eq(msg.msg[2], sbuf[0]);
    ck_assert_uint_eq(msg.msg[4], (L4_Word_t)b);
    ck_assert_uint_eq(L4_MsgGetStringItem(&msg, 0, got), 3);
    ck_assert_uint_eq(sbuf[4], sbuf[0]);
    ck_assert_uint_eq(sbuf[6], (L4_Word_t)b);

    /* A full message takes no more words. */
    L4_MsgClear(&msg);
    for (w = 0; w < 70; w++)
        L4_MsgAppendWord(&msg, w);
    ck_assert_uint_eq(L4_UntypedWords(msg.tag), 63);
    L4_MsgAppendMapItem(&msg, m);
    ck_assert_uint_eq(L4_TypedWords(msg.tag), 0);
}
END_TEST

/* ------------------------------------------------------------ acceptors */

START_TEST(acceptors)
{
    L4_Fpage_t window = L4_FpageAddRights(L4_FpageLog2(0x40000000, 30), L4_FullyAccessible);
    L4_Acceptor_t a;

    ck_assert_uint_eq(sizeof(L4_Acceptor_t), sizeof(L4_Word_t));
    ck_assert_uint_eq(L4_UntypedWordsAcceptor.raw, 0);
    ck_assert_uint_eq(L4_StringItemsAcceptor.raw, 1);
    ck_assert_uint_eq(L4_StringItemsAcceptor.X.s, 1);
    ck_assert_uint_eq(L4_MapGrantItems(L4_CompleteAddressSpace).raw, 0x10);

    a = L4_MapGrantItems(window);
    ck_assert_uint_eq(a.raw, 0x40000000 | (30 << 4));
    ck_assert_uint_eq(a.X.s, 0);
    ck_assert_uint_eq(a.X.c, 0);
    ck_assert_uint_eq(a.X.RcvWindow, a.raw >> 4);
    ck_assert(L4_HasMapGrantItems(a));
    ck_assert(!L4_HasStringItems(a));
    ck_assert_uint_eq(L4_RcvWindow(a).raw, 0x40000000 | (30 << 4));

    a = L4_AddAcceptor(L4_StringItemsAcceptor, L4_MapGrantItems(window));
    ck_assert_uint_eq(a.raw, 0x40000000 | (30 << 4) | 1);
    ck_assert(L4_HasStringItems(a) && L4_HasMapGrantItems(a));
    ck_assert_uint_eq(L4_AddAcceptorTo(L4_MapGrantItems(window), L4_StringItemsAcceptor).raw, a.raw);
    ck_assert_uint_eq(L4_RemoveAcceptor(a, L4_StringItemsAcceptor).raw, 0x40000000 | (30 << 4));
    ck_assert_uint_eq(L4_RemoveAcceptorFrom(a, L4_MapGrantItems(L4_CompleteAddressSpace)).raw, 1);
    ck_assert(!L4_HasMapGrantItems(L4_UntypedWordsAcceptor));
}
END_TEST

/* ----------------------------------------- fake UTCB: MRs, BRs and TCRs */

START_TEST(utcb_registers)
{
    L4_Msg_t msg, in;
    L4_MsgBuffer_t mb;
    L4_Word_t i;
    char a[100], b[200];
    L4_Acceptor_t acc = L4_AddAcceptor(L4_StringItemsAcceptor, L4_MapGrantItems(L4_CompleteAddressSpace));

    setup_utcb();

    /* Message load and store through the MRs. */
    L4_MsgClear(&msg);
    L4_Set_MsgLabel(&msg, 0x42);
    for (i = 0; i < 5; i++)
        L4_MsgAppendWord(&msg, 100 + i);
    L4_MsgLoad(&msg);
    ck_assert_uint_eq(utcb_word(0), msg.raw[0]);
    ck_assert_uint_eq(utcb_word(5), 104);
    ck_assert_uint_eq(L4_MsgTag().raw, msg.raw[0]);
    L4_MsgStore(L4_MsgTag(), &in);
    ck_assert_uint_eq(in.raw[0], msg.raw[0]);
    ck_assert_uint_eq(L4_MsgWord(&in, 4), 104);
    L4_Set_MsgTag(L4_Niltag);
    ck_assert_uint_eq(utcb_word(0), 0);

    /* Acceptor in BR0, receive strings in BR1... */
    L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
    ck_assert_uint_eq(utcb_word(-16), 0x10);
    ck_assert_uint_eq(L4_Accepted().raw, 0x10);

    ck_assert_uint_eq(sizeof mb.raw / sizeof mb.raw[0], 32);
    L4_MsgBufferClear(&mb);
    L4_MsgBufferAppendSimpleRcvString(&mb, L4_StringItem(100, a));
    L4_MsgBufferAppendSimpleRcvString(&mb, L4_StringItem(200, b));
    ck_assert_uint_eq(mb.raw[0], (100UL << 10) | 1);     /* C: another follows */
    ck_assert_uint_eq(mb.raw[1], (L4_Word_t)a);
    ck_assert_uint_eq(mb.raw[2], 200UL << 10);
    ck_assert_uint_eq(mb.raw[3], (L4_Word_t)b);
    ck_assert_ptr_eq(mb.string[1].X.str.string_ptr, b);
    L4_AcceptStrings(acc, &mb);
    ck_assert_uint_eq(utcb_word(-16 - 0), acc.raw);
    ck_assert_uint_eq(utcb_word(-16 - 1), mb.raw[0]);
    ck_assert_uint_eq(utcb_word(-16 - 2), (L4_Word_t)a);
    ck_assert_uint_eq(utcb_word(-16 - 3), mb.raw[2]);
    ck_assert_uint_eq(utcb_word(-16 - 4), (L4_Word_t)b);
    ck_assert_uint_eq(utcb_word(-16 - 5), 0);

    /* A compound receive string after a simple one. */
    {
        L4_Word_t sbuf[4];
        L4_StringItem_t *s = (L4_StringItem_t *)sbuf;
        *s = L4_StringItem(10, a);
        L4_AddSubstringAddressTo(s, b);
        L4_MsgBufferClear(&mb);
        L4_MsgBufferAppendSimpleRcvString(&mb, L4_StringItem(100, a));
        L4_MsgBufferAppendRcvString(&mb, s);
        ck_assert_uint_eq(mb.raw[0] & 1, 1);
        ck_assert_uint_eq(mb.raw[2], (10UL << 10) | (1 << 4));
        ck_assert_uint_eq(mb.raw[4], (L4_Word_t)b);
        memset(fake_utcb, 0, sizeof fake_utcb);
        L4_AcceptStrings(L4_StringItemsAcceptor, &mb);
        ck_assert_uint_eq(utcb_word(-16 - 3), mb.raw[2]);
        ck_assert_uint_eq(utcb_word(-16 - 5), (L4_Word_t)b);
        ck_assert_uint_eq(utcb_word(-16 - 6), 0);
    }

    /* Thread control registers at their ia32 word indices. */
    __L4_hosted_utcb[-15] = L4_GlobalId(300, 1).raw;
    __L4_hosted_utcb[-9] = 0x23;
    __L4_hosted_utcb[-6] = L4_GlobalId(301, 1).raw;
    __L4_hosted_utcb[-7] = L4_GlobalId(302, 1).raw;
    ck_assert_uint_eq(L4_MyGlobalId().raw, L4_GlobalId(300, 1).raw);
    ck_assert_uint_eq(L4_Myself().raw, L4_GlobalId(300, 1).raw);
    ck_assert(L4_IsLocalId(L4_MyLocalId()));
    ck_assert_uint_eq(L4_ErrorCode(), 0x23);
    ck_assert_uint_eq(L4_ActualSender().raw, L4_GlobalId(301, 1).raw);
    ck_assert_uint_eq(L4_IntendedReceiver().raw, L4_GlobalId(302, 1).raw);
    L4_Set_VirtualSender(L4_GlobalId(303, 1));
    ck_assert_uint_eq(utcb_word(-6), L4_GlobalId(303, 1).raw);
    L4_Set_Pager(L4_GlobalId(304, 1));
    ck_assert_uint_eq(utcb_word(-12), L4_Pager().raw);
    L4_Set_ExceptionHandler(L4_GlobalId(305, 1));
    ck_assert_uint_eq(utcb_word(-11), L4_ExceptionHandler().raw);
    L4_Set_UserDefinedHandle(0xfeed);
    ck_assert_uint_eq(utcb_word(-13), 0xfeed);
    ck_assert_uint_eq(L4_UserDefinedHandle(), 0xfeed);
    L4_Set_XferTimeouts(L4_Timeouts(L4_ZeroTime, L4_Never));
    ck_assert_uint_eq(utcb_word(-8), 0x04000000UL);
    ck_assert_uint_eq(L4_XferTimeouts(), 0x04000000UL);
    L4_Set_ThreadWord(0, 7);
    L4_Set_ThreadWord(1, 8);
    ck_assert_uint_eq(utcb_word(-4), 7);
    ck_assert_uint_eq(utcb_word(-5), 8);
    ck_assert_uint_eq(L4_ThreadWord(1), 8);

    /* Preemption flags (byte 0 of word -10) and cop flags (byte 1). */
    ck_assert(!L4_DisablePreemption());
    ck_assert_uint_eq(utcb_word(-10), 1 << 6);
    ck_assert(L4_EnablePreemption());
    ck_assert_uint_eq(utcb_word(-10), 0);
    ck_assert(!L4_DisablePreemptionFaultException());
    ck_assert_uint_eq(utcb_word(-10), 1 << 5);
    __L4_hosted_utcb[-10] |= 1 << 7;
    ck_assert(L4_PreemptionPending());
    ck_assert(!L4_PreemptionPending());
    L4_Set_CopFlag(2);
    ck_assert_uint_eq(utcb_word(-10), (1 << 5) | (1 << 10));
    L4_Clr_CopFlag(2);
    ck_assert_uint_eq(utcb_word(-10), 1 << 5);
}
END_TEST

/* ---------------------------------------------------- codes and control */

START_TEST(codes)
{
    L4_Word_t code = 99;
    L4_ThreadState_t st;

    ck_assert_uint_eq(L4_IpcErrorPhase(0x7), L4_ErrRecvPhase);
    ck_assert_uint_eq(L4_IpcErrorCode(0x7), L4_ErrCanceled);
    ck_assert_uint_eq(L4_IpcError(1 << 1, &code), L4_ErrSendPhase);
    ck_assert_uint_eq(code, L4_ErrTimeout);
    ck_assert_uint_eq(L4_IpcErrorCode((0x50 << 4) | (4 << 1)), L4_ErrMsgOverflow);
    ck_assert_uint_eq(L4_IpcErrorOffset((0x50 << 4) | (4 << 1)), 0x50);
    ck_assert_uint_eq(L4_ErrXferTimeoutInvoker, 5);
    ck_assert_uint_eq(L4_ErrXferTimeoutPartner, 6);
    ck_assert_uint_eq(L4_ErrAborted, 7);
    ck_assert_str_eq(L4_IpcErrorCode_String(L4_ErrNonExist << 1), "non-existing partner");

    ck_assert_uint_eq(L4_ErrOk, 0);
    ck_assert_uint_eq(L4_ErrInvalidThread, 2);
    ck_assert_uint_eq(L4_ErrNoMem, 8);
    ck_assert_uint_eq(L4_ERROR_KIP_AREA, L4_ErrKipArea);
    ck_assert_str_eq(L4_ErrorCode_String(L4_ErrUtcbArea), "l4_error_utcb_area");
    ck_assert_str_eq(L4_ErrorCode_String(42), "invalid error code");

    ck_assert_uint_eq(L4_ExRegCtrl_H, 0x1);
    ck_assert_uint_eq(L4_ExRegCtrl_R, 0x2);
    ck_assert_uint_eq(L4_ExRegCtrl_S, 0x4);
    ck_assert_uint_eq(L4_ExRegCtrl_s, 0x8);
    ck_assert_uint_eq(L4_ExRegCtrl_i, 0x10);
    ck_assert_uint_eq(L4_ExRegCtrl_f, 0x20);
    ck_assert_uint_eq(L4_ExRegCtrl_u, 0x40);
    ck_assert_uint_eq(L4_ExRegCtrl_p, 0x80);
    ck_assert_uint_eq(L4_ExRegCtrl_h, 0x100);
    ck_assert_uint_eq(L4_ExRegCtrl_d, 0x200);
    /* Pistachio's control words for start and stop. */
    ck_assert_uint_eq(L4_ExReg_Resume | L4_ExReg_AbortIPC, (1 << 8) + 6);
    ck_assert_uint_eq(L4_ExReg_sp_ip_flags | L4_ExReg_Resume | L4_ExReg_AbortIPC, (7 << 3) + (1 << 8) + 6);
    ck_assert_uint_eq(L4_ExReg_Halt | L4_ExReg_Deliver, 1 + (1 << 8) + (1 << 9));

    st.raw = 1;
    ck_assert(L4_ThreadWasHalted(st) && !L4_ThreadWasIpcing(st));
    st.raw = 4;
    ck_assert(L4_ThreadWasSending(st) && L4_ThreadWasIpcing(st) && !L4_ThreadWasReceiving(st));

    ck_assert_uint_eq(L4_SCHEDRESULT_ERROR, 0);
    ck_assert_uint_eq(L4_SCHEDRESULT_DEAD, 1);
    ck_assert_uint_eq(L4_SCHEDRESULT_INACTIVE, 2);
    ck_assert_uint_eq(L4_SCHEDRESULT_RUNNING, 3);
    ck_assert_uint_eq(L4_SCHEDRESULT_PENDING_SEND, 4);
    ck_assert_uint_eq(L4_SCHEDRESULT_SENDING, 5);
    ck_assert_uint_eq(L4_SCHEDRESULT_WAITING, 6);
    ck_assert_uint_eq(L4_SCHEDRESULT_RECEIVING, 7);

    ck_assert_uint_eq(L4_DefaultMemory, 0);
    ck_assert_uint_eq(L4_WriteBackMemory, 1);
    ck_assert_uint_eq(L4_UncacheableMemory, 4);
    ck_assert_uint_eq(L4_LargeSpace, 0);
}
END_TEST

/* ------------------------------------------------------------------ KIP */

#define KIP_OFF(field) offsetof(L4_KernelInterfacePage_t, field)

START_TEST(kip_layout)
{
#if defined(L4_64BIT)
    /* Pistachio's 64-bit offsets (the 32-bit ones halved). */
    ck_assert_uint_eq(KIP_OFF(magic), 0x000);
    ck_assert_uint_eq(KIP_OFF(ApiVersion), 0x008);
    ck_assert_uint_eq(KIP_OFF(ApiFlags), 0x010);
    ck_assert_uint_eq(KIP_OFF(KernelDescPtr), 0x018);
    ck_assert_uint_eq(KIP_OFF(KernelVerPtr), 0x018);
    ck_assert_uint_eq(KIP_OFF(Kdebug.init), 0x020);
    ck_assert_uint_eq(KIP_OFF(Kdebug.entry), 0x028);
    ck_assert_uint_eq(KIP_OFF(Kdebug.low), 0x030);
    ck_assert_uint_eq(KIP_OFF(Kdebug.high), 0x038);
    ck_assert_uint_eq(KIP_OFF(Sigma0.sp), 0x040);
    ck_assert_uint_eq(KIP_OFF(Sigma0.ip), 0x048);
    ck_assert_uint_eq(KIP_OFF(Sigma0.low), 0x050);
    ck_assert_uint_eq(KIP_OFF(Sigma0.high), 0x058);
    ck_assert_uint_eq(KIP_OFF(Sigma1), 0x060);
    ck_assert_uint_eq(KIP_OFF(RootServer.sp), 0x080);
    ck_assert_uint_eq(KIP_OFF(RootServer.high), 0x098);
    ck_assert_uint_eq(KIP_OFF(MemoryInfo), 0x0a8);
    ck_assert_uint_eq(KIP_OFF(KdebugConfig), 0x0b0);
    ck_assert_uint_eq(KIP_OFF(MainMem), 0x0c0);
    ck_assert_uint_eq(KIP_OFF(ReservedMem), 0x0d0);
    ck_assert_uint_eq(KIP_OFF(DedicatedMem), 0x0f0);
    ck_assert_uint_eq(KIP_OFF(UtcbAreaInfo), 0x150);
    ck_assert_uint_eq(KIP_OFF(KipAreaInfo), 0x158);
    ck_assert_uint_eq(KIP_OFF(BootInfo), 0x170);
    ck_assert_uint_eq(KIP_OFF(ProcDescPtr), 0x178);
    ck_assert_uint_eq(KIP_OFF(ClockInfo), 0x180);
    ck_assert_uint_eq(KIP_OFF(ThreadInfo), 0x188);
    ck_assert_uint_eq(KIP_OFF(PageInfo), 0x190);
    ck_assert_uint_eq(KIP_OFF(ProcessorInfo), 0x198);
    ck_assert_uint_eq(KIP_OFF(SpaceControl), 0x1a0);
    ck_assert_uint_eq(KIP_OFF(ThreadControl), 0x1a8);
    ck_assert_uint_eq(KIP_OFF(ProcessorControl), 0x1b0);
    ck_assert_uint_eq(KIP_OFF(MemoryControl), 0x1b8);
    ck_assert_uint_eq(KIP_OFF(Ipc), 0x1c0);
    ck_assert_uint_eq(KIP_OFF(Lipc), 0x1c8);
    ck_assert_uint_eq(KIP_OFF(Unmap), 0x1d0);
    ck_assert_uint_eq(KIP_OFF(ExchangeRegisters), 0x1d8);
    ck_assert_uint_eq(KIP_OFF(SystemClock), 0x1e0);
    ck_assert_uint_eq(KIP_OFF(ThreadSwitch), 0x1e8);
    ck_assert_uint_eq(KIP_OFF(Schedule), 0x1f0);
    ck_assert_uint_eq(KIP_OFF(ArchSyscall0), 0x220);
    ck_assert_uint_eq(KIP_OFF(ArchSyscall3), 0x238);
    ck_assert_uint_eq(sizeof(L4_KernelInterfacePage_t), 0x240);
    ck_assert_uint_eq(sizeof(L4_ProcDesc_t), 32);
    ck_assert_uint_eq(offsetof(L4_KernelDesc_t, VersionString), 32);
#else
    ck_assert_uint_eq(KIP_OFF(MemoryInfo), 0x54);
    ck_assert_uint_eq(KIP_OFF(UtcbAreaInfo), 0xa8);
    ck_assert_uint_eq(KIP_OFF(ProcessorInfo), 0xcc);
    ck_assert_uint_eq(KIP_OFF(ArchSyscall0), 0x110);
    ck_assert_uint_eq(sizeof(L4_KernelInterfacePage_t), 0x120);
#endif
    ck_assert_uint_eq(sizeof(L4_MemoryDesc_t), 2 * sizeof(L4_Word_t));
    ck_assert_uint_eq(sizeof(L4_MemoryInfo_t), sizeof(L4_Word_t));
}
END_TEST

START_TEST(kip_accessors)
{
    static L4_Word_t page[512];
    L4_KernelInterfacePage_t *kip = (L4_KernelInterfacePage_t *)page;
    L4_KernelDesc_t *kd;
    L4_MemoryDesc_t *md;
    L4_Word_t y, mo, d;
    static const char strings[] = "chacmsim X.2\0smallspaces\0hosted\0";
    const unsigned char *magic = (const unsigned char *)page;

    memset(page, 0, sizeof page);
    kip->magic = L4_MAGIC;
    ck_assert(magic[0] == 'L' && magic[1] == '4' && magic[2] == 230 && magic[3] == 'K');

    kip->ApiVersion.raw = (0x84UL << 24) | (0x05UL << 16);
    ck_assert_uint_eq(kip->ApiVersion.x.version, L4_APIVERSION_X2);
    ck_assert_uint_eq(kip->ApiVersion.x.subversion, L4_APISUBVERSION_X2);
    kip->ApiFlags.raw = L4_APIFLAG_64BIT << 2;
    ck_assert_uint_eq(kip->ApiFlags.x.ww, L4_APIFLAG_64BIT);
    ck_assert_uint_eq(kip->ApiFlags.x.ee, L4_APIFLAG_LE);

    /* Kernel descriptor and strings at word 128. */
    kip->KernelDescPtr = 128 * sizeof(L4_Word_t);
    kd = (L4_KernelDesc_t *)&page[128];
    kd->KernelId.raw = (4UL << 24) | (2UL << 16);
    kd->KernelGenDate.raw = (25UL << 9) | (7 << 5) | 14;
    kd->KernelVer.raw = (1UL << 24) | (2UL << 16) | 3;
    kd->Supplier = L4_SUPL_UKA;
    memcpy(kd->VersionString, strings, sizeof strings);
    ck_assert_uint_eq(kd->KernelId.x.id, 4);
    ck_assert_uint_eq(kd->KernelId.x.subid, 2);
    ck_assert_uint_eq(((kd->KernelId.x.id << 8) | kd->KernelId.x.subid), L4_KID_L4KA_PISTACHIO);
    L4_KernelGenDate(kip, &y, &mo, &d);
    ck_assert_uint_eq(y, 2025);
    ck_assert_uint_eq(mo, 7);
    ck_assert_uint_eq(d, 14);
    ck_assert_uint_eq(kd->KernelGenDate.X.month, 7);
    ck_assert_uint_eq(kd->KernelVer.X.ver, 1);
    ck_assert_uint_eq(kd->KernelVer.X.subver, 2);
    ck_assert_uint_eq(kd->KernelVer.X.subsubver, 3);
    ck_assert_uint_eq(L4_KernelVersion(kip), kd->KernelVer.raw);
    ck_assert_uint_eq(L4_KernelSupplier(kip), L4_SUPL_UKA);
    ck_assert(memcmp(&kd->Supplier, "UKa ", 4) == 0);
    ck_assert_str_eq(L4_KernelVersionString(kip), "chacmsim X.2");
    ck_assert_str_eq(L4_Feature(kip, 0), "smallspaces");
    ck_assert_str_eq(L4_Feature(kip, 1), "hosted");
    ck_assert_ptr_null(L4_Feature(kip, 2));

    /* Info words. */
    kip->UtcbAreaInfo.raw = 1 | (9 << 10) | (12 << 16);
    ck_assert_uint_eq(kip->UtcbAreaInfo.X.m, 1);
    ck_assert_uint_eq(L4_UtcbAlignmentLog2(kip), 9);
    ck_assert_uint_eq(L4_UtcbSize(kip), 512);
    ck_assert_uint_eq(L4_UtcbAreaSizeLog2(kip), 12);
    ck_assert_uint_eq(L4_UtcbAreaSize(kip), 4096);
    kip->KipAreaInfo.raw = 12;
    ck_assert_uint_eq(L4_KipAreaSizeLog2(kip), 12);
    ck_assert_uint_eq(L4_KipAreaSize(kip), 4096);
    kip->ThreadInfo.raw = 18 | (16 << 8) | (32UL << 20);
    ck_assert_uint_eq(L4_ThreadIdBits(kip), 18);
    ck_assert_uint_eq(L4_ThreadIdSystemBase(kip), 16);
    ck_assert_uint_eq(L4_ThreadIdUserBase(kip), 32);
    ck_assert_uint_eq(__L4_Sigma0Id(kip).raw, L4_GlobalId(32, 1).raw);
    kip->ClockInfo.raw = 1 | (1000UL << 16);
    ck_assert_uint_eq(L4_ReadPrecision(kip), 1);
    ck_assert_uint_eq(L4_SchedulePrecision(kip), 1000);
    kip->PageInfo.raw = (1UL << 12) | (1UL << 22) | L4_ReadWriteOnly;
    ck_assert_uint_eq(L4_PageSizeMask(kip), (1UL << 12) | (1UL << 22));
    ck_assert_uint_eq(kip->PageInfo.X.page_size_mask, ((1UL << 12) | (1UL << 22)) >> 10);
    ck_assert_uint_eq(L4_PageRights(kip), L4_ReadWriteOnly);
    kip->BootInfo = 0xabc000;
    ck_assert_uint_eq(L4_BootInfo(kip), 0xabc000);

    /* Two processors with 2^5-byte descriptors at word 100. */
    kip->ProcessorInfo.raw = 1 | ((L4_Word_t)5 << (L4_BITS_PER_WORD - 4));
    ck_assert_uint_eq(kip->ProcessorInfo.X.s, 5);
    ck_assert_uint_eq(L4_NumProcessors(kip), 2);
    kip->ProcDescPtr = 100 * sizeof(L4_Word_t);
    page[100 + 32 / sizeof(L4_Word_t) + 0] = 33000;
    page[100 + 32 / sizeof(L4_Word_t) + 1] = 2000000;
    ck_assert_ptr_eq(L4_ProcDesc(kip, 1), (L4_ProcDesc_t *)((char *)page + kip->ProcDescPtr + 32));
    ck_assert_uint_eq(L4_ProcDescExternalFreq(L4_ProcDesc(kip, 1)), 33000);
    ck_assert_uint_eq(L4_ProcDescInternalFreq(L4_ProcDesc(kip, 1)), 2000000);
    ck_assert_ptr_null(L4_ProcDesc(kip, 2));

    /* Memory descriptors at word 200 (count low half, offset high half). */
    page[KIP_OFF(MemoryInfo) / sizeof(L4_Word_t)] =
        ((200 * sizeof(L4_Word_t)) << (L4_BITS_PER_WORD / 2)) | 2;
    ck_assert_uint_eq(L4_NumMemoryDescriptors(kip), 2);
    ck_assert_uint_eq(kip->MemoryInfo.MemDescPtr, 200 * sizeof(L4_Word_t));
    page[200] = 0x100000 | (1 << 9) | L4_ConventionalMemoryType;
    page[201] = 0x1fffff & ~0x3ffUL;
    page[202] = 0xb8000 | (2 << 4) | L4_BootLoaderSpecificMemoryType;
    page[203] = 0xb8fff & ~0x3ffUL;
    md = L4_MemoryDesc(kip, 0);
    ck_assert_ptr_eq(md, (L4_MemoryDesc_t *)&page[200]);
    ck_assert(L4_IsMemoryDescVirtual(md));
    ck_assert_uint_eq(L4_MemoryDescType(md), L4_ConventionalMemoryType);
    ck_assert_uint_eq(L4_MemoryDescLow(md), 0x100000);
    ck_assert_uint_eq(L4_MemoryDescHigh(md), 0x1fffff);
    ck_assert_uint_eq(md->x.type, 1);
    ck_assert_uint_eq(md->x.v, 1);
    ck_assert_uint_eq(md->x.low, 0x100000 >> 10);
    ck_assert_uint_eq(md->x.high, 0x1fffff >> 10);
    md = L4_MemoryDesc(kip, 1);
    ck_assert(!L4_IsMemoryDescVirtual(md));
    ck_assert_uint_eq(md->x.t, 2);
    ck_assert_uint_eq(L4_MemoryDescType(md), 0x2e);
    ck_assert_uint_eq(L4_MemoryDescHigh(md), 0xb8fff);
    ck_assert_ptr_null(L4_MemoryDesc(kip, 2));

    ck_assert_uint_eq(L4_UndefinedMemoryType, 0);
    ck_assert_uint_eq(L4_ReservedMemoryType, 2);
    ck_assert_uint_eq(L4_DedicatedMemoryType, 3);
    ck_assert_uint_eq(L4_SharedMemoryType, 4);
    ck_assert_uint_eq(L4_ArchitectureSpecificMemoryType, 0xf);
}
END_TEST

/* ------------------------------------------------------------- bootinfo */

START_TEST(bootinfo)
{
    static L4_Word_t buf[128];
    L4_BootInfo_t *bi = (L4_BootInfo_t *)buf;
    L4_Boot_Module_t *mod = (L4_Boot_Module_t *)&buf[8];
    L4_Boot_SimpleExec_t *ex = (L4_Boot_SimpleExec_t *)&buf[20];
    L4_BootRec_t *r;
    const L4_Word_t W = sizeof(L4_Word_t);

    ck_assert_uint_eq(sizeof(L4_BootInfo_t), 8 * W);
    ck_assert_uint_eq(sizeof(L4_BootRec_t), 3 * W);
    ck_assert_uint_eq(sizeof(L4_Boot_Module_t), 6 * W);
    ck_assert_uint_eq(offsetof(L4_Boot_Module_t, cmdline_offset), 5 * W);
    ck_assert_uint_eq(sizeof(L4_Boot_SimpleExec_t), 16 * W);
    ck_assert_uint_eq(offsetof(L4_Boot_SimpleExec_t, text_pstart), 3 * W);
    ck_assert_uint_eq(offsetof(L4_Boot_SimpleExec_t, bss_size), 11 * W);
    ck_assert_uint_eq(offsetof(L4_Boot_SimpleExec_t, initial_ip), 12 * W);
    ck_assert_uint_eq(offsetof(L4_Boot_SimpleExec_t, label), 14 * W);
    ck_assert_uint_eq(offsetof(L4_Boot_SimpleExec_t, cmdline_offset), 15 * W);
    ck_assert_uint_eq(sizeof(L4_Boot_EFI_t), 8 * W);
    ck_assert_uint_eq(sizeof(L4_Boot_MBI_t), 4 * W);
    ck_assert_uint_eq(L4_BOOTINFO_MAGIC, 0x14b0021d);

    memset(buf, 0, sizeof buf);
    bi->magic = L4_BOOTINFO_MAGIC;
    bi->version = L4_BOOTINFO_VERSION;
    bi->size = sizeof buf;
    bi->first_entry = 8 * W;
    bi->num_entries = 2;

    mod->type = L4_BootInfo_Module;
    mod->version = 1;
    mod->offset_next = 12 * W;
    mod->start = 0x300000;
    mod->size = 0x4000;
    mod->cmdline_offset = 6 * W;
    strcpy((char *)&buf[14], "memsvr -v");

    ex->type = L4_BootInfo_SimpleExec;
    ex->version = 1;
    ex->initial_ip = 0x401000;
    ex->text_vstart = 0x400000;
    ex->cmdline_offset = 0;

    ck_assert(L4_BootInfo_Valid(bi));
    ck_assert_uint_eq(L4_BootInfo_Entries(bi), 2);
    ck_assert_uint_eq(L4_BootInfo_Size(bi), sizeof buf);
    r = L4_BootInfo_FirstEntry(bi);
    ck_assert_ptr_eq(r, (L4_BootRec_t *)mod);
    ck_assert_uint_eq(L4_BootRec_Type(r), L4_BootInfo_Module);
    ck_assert_uint_eq(L4_Module_Start(r), 0x300000);
    ck_assert_uint_eq(L4_Module_Size(r), 0x4000);
    ck_assert_str_eq(L4_Module_Cmdline(r), "memsvr -v");
    r = L4_BootRec_Next(r);
    ck_assert_ptr_eq(r, (L4_BootRec_t *)ex);
    ck_assert_uint_eq(L4_BootRec_Type(r), L4_BootInfo_SimpleExec);
    ck_assert_uint_eq(L4_SimpleExec_InitialIP(r), 0x401000);
    ck_assert_uint_eq(L4_SimpleExec_TextVstart(r), 0x400000);
    ck_assert_ptr_null(L4_SimpleExec_Cmdline(r));
    L4_SimpleExec_Set_Flags(r, 3);
    L4_SimpleExec_Set_Label(r, 9);
    ck_assert_uint_eq(L4_SimpleExec_Flags(r), 3);
    ck_assert_uint_eq(L4_SimpleExec_Label(r), 9);

    bi->version = 2;
    ck_assert(!L4_BootInfo_Valid(bi));
}
END_TEST

static Suite *l4types_suite(void)
{
    Suite *s = suite_create("l4types");
    TCase *tc = tcase_create("encodings");

    tcase_add_test(tc, thread_ids);
    tcase_add_test(tc, fpages);
    tcase_add_test(tc, time_periods);
    tcase_add_test(tc, time_points);
    tcase_add_test(tc, time_points_every_encoding);
    tcase_add_test(tc, clock);
    tcase_add_test(tc, msg_tags);
    tcase_add_test(tc, map_grant_items);
    tcase_add_test(tc, string_items);
    tcase_add_test(tc, msg_objects);
    tcase_add_test(tc, acceptors);
    tcase_add_test(tc, codes);
    suite_add_tcase(s, tc);

    tc = tcase_create("memory");
    tcase_add_test(tc, utcb_registers);
    tcase_add_test(tc, kip_layout);
    tcase_add_test(tc, kip_accessors);
    tcase_add_test(tc, bootinfo);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(l4types_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0;
}
