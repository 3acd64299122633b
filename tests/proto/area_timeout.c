/* TMO0xxx: timeouts on the virtual clock: relative periods, absolute time
 * points, never and zero, send and receive timeouts, the order in which
 * sleepers wake, and L4_SystemClock itself.
 *
 * The clock is virtual: every kernel entry costs 1 us, and when every
 * thread is blocked it jumps to the earliest timeout.  So each expected
 * value below is exact, and each comment shows how it comes about.  A
 * timeout set at a kernel entry at clock t with period n fires at t + n;
 * L4_SystemClock returns the clock after its own entry. */
#include <l4/ipc.h>
#include <l4/message.h>

#include "ptest.h"

static L4_Word_t clock_now(void)
{
    return (L4_Word_t)L4_SystemClock().raw;
}

static L4_Word_t next_mark(void)
{
    return ++pt_shared[0];
}

/* A time point for clock value `at` with exponent e, built bit by bit:
 * a = 1, e, c = bit e+10 of at, m = bits e..e+9 of at. */
static L4_Time_t point(L4_Word_t at, unsigned e)
{
    L4_Time_t t;
    t.raw = (L4_Word16_t)(0x8000 | e << 11 | ((at >> (e + 10)) & 1) << 10 | ((at >> e) & 0x3ff));
    return t;
}

/* Sleeps, in as few kernel entries as it takes, so that the next
 * clock_now() returns `value` (>= now + 2): coarse periods first, since
 * L4_TimePeriod rounds down to a 10-bit mantissa, then an exact one. */
static void sleep_to(L4_Word_t value)
{
    for (;;) {
        L4_Word_t d = value - clock_now() - 2;
        if (d < 1024) {
            L4_Sleep(L4_TimePeriod(d));
            return;
        }
        L4_Sleep(L4_TimePeriod(d - 1024));
    }
}

/* Sleeps on the point naming `v` (a multiple of 2^e) from the next entry
 * and checks the wake-up: at v if v lies ahead of that entry by less than
 * half the point's window 2^(e+11), otherwise at once (the point passed). */
static bool sleep_on_point(L4_Word_t v, unsigned e)
{
    L4_Word_t half = 1UL << (e + 10);
    L4_Word_t c0 = clock_now();
    L4_Word_t entry = c0 + 1;
    bool ahead = v > entry && v - entry < half;
    L4_Sleep(point(v, e));
    L4_Word_t c1 = clock_now();
    if (c1 != (ahead ? v + 1 : c0 + 2)) {
        pt_fail(__FILE__, __LINE__, "e %u point 0x%lx from clock 0x%lx: woke 0x%lx, expected 0x%lx", e,
                v, entry, c1 - 1, ahead ? v : entry);
        return false;
    }
    return true;
}

/* Runs first in the area, while the clock is still below most windows
 * (clock < 2^(e+10)): there the top value of a point's window is more than
 * half a window ahead, so it names a point before the clock began. */
DEFINE_TEST(TMO0021, "below its first window a time point half a window ahead or more has passed: it fires at once")
{
    unsigned below = 0;
    for (int e = 15; e >= 0; e--) {
        L4_Word_t g = 1UL << e, w = g << 11, half = w / 2;
        if (clock_now() + 1 + 4 * g >= half)
            continue;
        below++;
        /* the top granule, and the first at least half a window ahead */
        if (!sleep_on_point(w - g, e) ||
            !sleep_on_point(((clock_now() + 1 + half) | (g - 1)) + 1, e))
            return;
    }
    PT_ASSERT(below >= 8);
    /* the example of the report: a receive point with e = 5 right after boot */
    if (clock_now() < 20000) {
        L4_ThreadId_t from;
        L4_Word_t c0 = clock_now();
        PT_IPC_ERR(L4_Ipc(L4_nilthread, L4_Myself(), 0xaf10, &from), 1, 1);
        PT_EQ(clock_now(), c0 + 2);
    }
}

DEFINE_TEST(TMO0001, "L4_Sleep of n us advances the clock by exactly n + 2 (two kernel entries)")
{
    static const L4_Word_t ns[] = { 1, 100, 1000, 5000, 65536 };
    for (unsigned i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        L4_Word_t c0 = clock_now();             /* T */
        L4_Sleep(L4_TimePeriod(ns[i]));         /* entry at T+1, wakes at T+1+n */
        PT_EQ(clock_now() - c0, ns[i] + 2);     /* entry at T+n+2 */
    }
}

DEFINE_TEST(TMO0002, "relative receive timeouts fire at the set virtual time with code 1, receive phase")
{
    L4_ThreadId_t s = pt_thread(pt_park);
    pt_sleep_us(10);                            /* s is blocked for good */
    L4_Word_t c0 = clock_now();
    PT_IPC_ERR(L4_Receive_Timeout(s, L4_TimePeriod(500)), 1, 1);
    PT_EQ(clock_now() - c0, 502);
    c0 = clock_now();
    L4_ThreadId_t from;
    PT_IPC_ERR(L4_Wait_Timeout(L4_TimePeriod(300), &from), 1, 1);
    PT_EQ(clock_now() - c0, 302);
}

DEFINE_TEST(TMO0003, "a time point from L4_TimePoint wakes the pt_park at that clock value")
{
    L4_Word_t c0 = clock_now();                 /* T */
    L4_Clock_t at = { .raw = c0 + 1000 };
    L4_Time_t tp = L4_TimePoint(at);            /* computed at T+1: 999 us ahead, e = 0 */
    PT_ASSERT(L4_IsTimePoint(tp));
    PT_EQ(tp.point.e, 0);
    L4_Sleep(tp);                               /* entry at T+2, wakes at exactly T+1000 */
    PT_EQ(clock_now(), at.raw + 1);

    /* 100 ms ahead needs e = 7: the point names `at` with bits 0..6 cleared */
    c0 = clock_now();
    at.raw = c0 + 100000;
    tp = L4_TimePoint(at);
    PT_EQ(tp.point.e, 7);
    L4_Sleep(tp);
    PT_EQ(clock_now(), (at.raw & ~127UL) + 1);
}

DEFINE_TEST(TMO0004, "a hand-encoded time point (e = 4) fires at its 16 us granule")
{
    L4_Word_t c0 = clock_now();                 /* T */
    L4_Word_t at = c0 + 5000;
    L4_Sleep(point(at, 4));                     /* entry at T+1; fires at at & ~15 */
    PT_EQ(clock_now(), (at & ~15UL) + 1);
}

/* Sleeps so that the next clock_now() returns `value` (>= now + 2), in
 * steps short enough for exact periods (L4_TimePeriod keeps 10 bits). */
static void sleep_until(L4_Word_t value)
{
    for (;;) {
        L4_Word_t d = value - clock_now() - 2;
        if (d < 1024) {
            L4_Sleep(L4_TimePeriod(d));
            return;
        }
        L4_Sleep(L4_TimePeriod(1000));
    }
}

DEFINE_TEST(TMO0005, "a time point that has just passed fires at once")
{
    /* put the clock in the middle of a 2048 us window of the point's bits */
    L4_Word_t base = (clock_now() | 2047) + 1;
    sleep_until(base + 1500);
    L4_Word_t c0 = clock_now();
    PT_EQ(c0, base + 1500);
    L4_Sleep(point(c0 - 100, 0));
    PT_EQ(clock_now(), c0 + 2);                 /* no waiting: two entries */
}

/* X.2 time points name the clock value nearest to now with the point's
 * bits (at most 2^(e+10) us ahead, as L4_TimePointAt/L4_TimePointClock
 * in <l4/types.h> have it); a point just behind now has passed, even when
 * the clock has meanwhile crossed into the next 2^(e+11) us window. */
DEFINE_TEST(TMO0006, "a time point that passed just before a window boundary still fires at once")
{
    L4_Word_t base = (clock_now() | 2047) + 1;
    sleep_until(base + 40);
    L4_Word_t c0 = clock_now();
    PT_EQ(c0, base + 40);
    L4_Sleep(point(c0 - 100, 0));               /* names base - 60: passed */
    PT_EQ(clock_now(), c0 + 2);
}

/* Sleeps pt_shared[8 + k] us, where k is its index in pt_shared[10..],
 * then records its order mark in pt_shared[1 + k] and the clock in
 * pt_shared[4 + k]. */
static void timed_sleeper(void)
{
    unsigned k = 0;
    while (pt_shared[10 + k] != L4_MyGlobalId().raw)
        k++;
    L4_Sleep(L4_TimePeriod(pt_shared[8 + k]));
    pt_shared[4 + k] = clock_now();
    pt_shared[1 + k] = next_mark();
}

DEFINE_TEST(TMO0007, "of two sleepers the shorter timeout wakes first, each at its exact time")
{
    pt_shared[8] = 300;
    pt_shared[10] = pt_thread(timed_sleeper).raw;
    pt_shared[9] = 100;
    pt_shared[11] = pt_thread(timed_sleeper).raw;
    L4_Word_t c0 = clock_now();                 /* T */
    pt_sleep_us(1000);                          /* T+1 */
    /* A: sleep at T+2 until T+302; B: sleep at T+3 until T+103.  B wakes,
     * reads the clock at T+104 and sleeps for good at T+105; A reads the
     * clock at T+303. */
    PT_EQ(pt_shared[2], 1);
    PT_EQ(pt_shared[1], 2);
    PT_EQ(pt_shared[5] - c0, 104);
    PT_EQ(pt_shared[4] - c0, 303);
}

DEFINE_TEST(TMO0008, "sleepers with the same deadline wake in the order they went to sleep")
{
    pt_shared[8] = 200;
    pt_shared[10] = pt_thread(timed_sleeper).raw;
    pt_shared[9] = 199;
    pt_shared[11] = pt_thread(timed_sleeper).raw;
    L4_Word_t c0 = clock_now();
    pt_sleep_us(1000);
    /* A: T+2 + 200, B: T+3 + 199: both T+202.  A reads T+203, sleeps at
     * T+204; B reads T+205. */
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2], 2);
    PT_EQ(pt_shared[4] - c0, 203);
    PT_EQ(pt_shared[5] - c0, 205);
}

static void late_sender(void)
{
    L4_Sleep(L4_TimePeriod(5000));
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x5ee);
    L4_Send(pt_main_id);
}

DEFINE_TEST(TMO0009, "a receive with timeout never waits until the message comes")
{
    L4_ThreadId_t s = pt_thread(late_sender);
    L4_Word_t c0 = clock_now();                 /* T */
    L4_MsgTag_t tag = L4_Receive_Timeout(s, L4_Never);     /* T+1 */
    /* s sleeps at T+2 until T+5002 and sends at T+5003 (we become ready),
     * then sleeps for good at T+5004 */
    PT_IPC_OK(tag);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x5ee);
    PT_EQ(clock_now() - c0, 5005);
}

DEFINE_TEST(TMO0010, "a send timeout to a receiver that never receives fires with code 1, send phase")
{
    L4_ThreadId_t r = pt_thread(pt_park);
    pt_sleep_us(10);
    L4_Word_t c0 = clock_now();
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(r, L4_TimePeriod(200)), 1, 0);
    PT_EQ(clock_now() - c0, 202);
    /* the expired send left no timeout behind */
    c0 = clock_now();
    pt_sleep_us(1000);
    PT_EQ(clock_now() - c0, 1002);
}

static void late_receiver(void)
{
    L4_Sleep(L4_TimePeriod(100));
    L4_MsgTag_t tag = L4_Receive(pt_main_id);
    L4_Word_t w = 0;
    L4_StoreMR(1, &w);
    pt_shared[1] = L4_IpcFailed(tag) ? 0 : w;
}

DEFINE_TEST(TMO0011, "a send with a timeout succeeds when the receiver comes in time; no stale timeout")
{
    L4_ThreadId_t r = pt_thread(late_receiver);
    L4_Word_t c0 = clock_now();                 /* T */
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x600d);
    /* our send blocks at T+1 (deadline T+1001); the receiver sleeps at T+2
     * until T+102 and takes the message at T+103, then sleeps at T+104 */
    PT_IPC_OK(L4_Send_Timeout(r, L4_TimePeriod(1000)));
    PT_EQ(clock_now() - c0, 105);
    PT_EQ(pt_shared[1], 0x600d);
    /* the send's deadline at T+1001 is gone: a sleep past it runs in full */
    c0 = clock_now();
    pt_sleep_us(2000);
    PT_EQ(clock_now() - c0, 2002);
}

/* Receives from the main thread with a 1000 us timeout; records [1] the
 * word, [2] the clock; then receives again without timeout and sets [5]
 * if that ever returns. */
static void timed_receiver(void)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(pt_main_id, L4_TimePeriod(1000));
    L4_Word_t w = 0;
    L4_StoreMR(1, &w);
    pt_shared[1] = L4_IpcFailed(tag) ? 0 : w;
    pt_shared[2] = clock_now();
    L4_Receive(pt_main_id);
    pt_shared[5] = 1;
}

DEFINE_TEST(TMO0012, "a message before the receive timeout is taken, and the timeout is cancelled")
{
    L4_ThreadId_t r = pt_thread(timed_receiver);
    L4_Word_t c0 = clock_now();                 /* T */
    pt_sleep_us(100);                           /* T+1 .. T+101; r waits from T+2 */
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0xbeef);
    PT_IPC_OK(L4_Send_Timeout(r, L4_ZeroTime));  /* T+102: r is waiting */
    pt_sleep_us(2000);                          /* T+103; r reads the clock at T+104 */
    PT_EQ(pt_shared[1], 0xbeef);
    PT_EQ(pt_shared[2] - c0, 104);
    PT_EQ(pt_shared[5], 0);                     /* nothing fired at T+1002 */
}

static void quick_sender(void)
{
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x9e9);
    L4_Send(pt_main_id);
}

DEFINE_TEST(TMO0013, "zero timeouts succeed when the partner is ready: send to a waiter, receive from a queued sender")
{
    L4_ThreadId_t r = pt_thread(timed_receiver);
    pt_sleep_us(10);                            /* r waits for us */
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x2e0);
    PT_IPC_OK(L4_Send_Timeout(r, L4_ZeroTime));
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0x2e0);
    L4_ThreadId_t s = pt_thread(quick_sender);
    pt_sleep_us(10);                            /* s is queued at us */
    L4_Word_t c0 = clock_now();
    L4_MsgTag_t tag = L4_Receive_Timeout(s, L4_ZeroTime);
    PT_IPC_OK(tag);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x9e9);
    PT_EQ(clock_now() - c0, 2);
}

/* A server that takes its first request only after 300 us, and never
 * answers. */
static void slow_silent_server(void)
{
    L4_Sleep(L4_TimePeriod(300));
    L4_ThreadId_t from;
    L4_Wait(&from);
    pt_shared[1] = clock_now();
}

DEFINE_TEST(TMO0014, "a call's receive timeout starts when its send phase ends")
{
    L4_ThreadId_t srv = pt_thread(slow_silent_server);
    L4_Word_t c0 = clock_now();                 /* T */
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call_Timeouts(srv, L4_TimePeriod(1000), L4_TimePeriod(100));
    /* send blocks at T+1; the server sleeps at T+2 until T+302 and takes
     * the request at T+303, where our receive timeout starts: T+403 */
    PT_IPC_ERR(tag, 1, 1);
    PT_EQ(pt_shared[1] - c0, 304);
    PT_EQ(clock_now() - c0, 404);
}

DEFINE_TEST(TMO0015, "L4_SystemClock is monotonic: each call advances it by exactly one entry")
{
    L4_Word_t prev = clock_now();
    for (unsigned i = 0; i < 100; i++) {
        L4_Word_t c = clock_now();
        PT_EQ(c, prev + 1);
        prev = c;
    }
}

DEFINE_TEST(TMO0016, "zero and tiny sleeps: zero returns at once, a hand-encoded period m * 2^e is exact")
{
    L4_Word_t c0 = clock_now();
    L4_Sleep(L4_ZeroTime);
    PT_EQ(clock_now() - c0, 2);
    L4_Time_t t;
    t.raw = 5 << 10 | 3;                        /* m = 3, e = 5: 96 us */
    c0 = clock_now();
    L4_Sleep(t);
    PT_EQ(clock_now() - c0, 98);
    /* L4_TimePeriod rounds down to 10 bits of mantissa, as Pistachio's does */
    c0 = clock_now();
    L4_Sleep(L4_TimePeriod(1025));              /* m = 512, e = 1: 1024 us */
    PT_EQ(clock_now() - c0, 1026);
}

DEFINE_TEST(TMO0017, "a send timeout to a busy receiver is counted while the receiver sleeps")
{
    pt_shared[8] = 500;
    L4_ThreadId_t r = pt_thread(timed_sleeper);     /* busy: sleeps 500 us, never receives */
    pt_shared[10] = r.raw;
    L4_Word_t c0 = clock_now();                 /* T */
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(r, L4_TimePeriod(200)), 1, 0);  /* T+1 .. T+201 */
    PT_EQ(clock_now() - c0, 202);
    PT_EQ(pt_shared[1], 0);                     /* r still sleeps (until T+502) */
}

DEFINE_TEST(TMO0018, "a time point as a send timeout fires at its clock value")
{
    L4_ThreadId_t r = pt_thread(pt_park);
    pt_sleep_us(10);
    L4_Word_t c0 = clock_now();                 /* T */
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(r, point(c0 + 700, 0)), 1, 0);  /* entry T+1, fires T+700 */
    PT_EQ(clock_now(), c0 + 701);
}

/* Low priority: reads the clock until the thread in pt_shared[8] has
 * marked pt_shared[1]; records in [6] how many reads that took. */
static void clock_reader(void)
{
    L4_Word_t n = 0;
    while (!pt_shared[1]) {
        clock_now();
        n++;
    }
    pt_shared[6] = n;
}

static void short_sleeper(void)
{
    L4_Sleep(L4_TimePeriod(50));
    pt_shared[4] = clock_now();
    pt_shared[1] = 1;
}

DEFINE_TEST(TMO0019, "a timeout fires at the first kernel entry on its deadline and preempts a lower priority")
{
    pt_thread_prio(clock_reader, 50);
    pt_thread(short_sleeper);           /* priority 100 */
    L4_Word_t c0 = clock_now();         /* T */
    pt_sleep_us(1000);                  /* T+1 */
    /* the pt_park sleeps at T+2 until T+52; the reader's k-th read enters
     * the kernel at T+2+k, so its 50th expires the timeout and yields to
     * the pt_park, which reads T+53 */
    PT_EQ(pt_shared[4] - c0, 53);
    PT_EQ(pt_shared[6], 50);
}

/* pt_shared[8 + k] and [12 + k]: first and second sleep of thread k
 * (found in pt_shared[10 + k]); records its order mark in [1 + k]. */
static void double_sleeper(void)
{
    unsigned k = 0;
    while (pt_shared[10 + k] != L4_MyGlobalId().raw)
        k++;
    L4_Sleep(L4_TimePeriod(pt_shared[8 + k]));
    L4_Sleep(L4_TimePeriod(pt_shared[12 + k]));
    pt_shared[1 + k] = next_mark();
}

DEFINE_TEST(TMO0020, "timeouts that expire together run the higher priority first, whoever slept first")
{
    /* A (prio 50) sleeps 0 then 300 us from T+3 (entries T+3, T+4: until
     * T+304); B (prio 100) sleeps 10 us from T+2, then 291 us from T+13:
     * until T+304 too, queued after A */
    pt_shared[8] = 0;
    pt_shared[12] = 300;
    pt_shared[10] = pt_thread_prio(double_sleeper, 50).raw;
    pt_shared[9] = 10;
    pt_shared[13] = 291;
    pt_shared[11] = pt_thread(double_sleeper).raw;
    pt_sleep_us(1000);
    PT_EQ(pt_shared[2], 1);             /* B */
    PT_EQ(pt_shared[1], 2);             /* A */
}

DEFINE_TEST(TMO0022, "time points of every exponent at and above a window boundary: passed or half a window ahead fire at once, nearer ones on time")
{
    for (unsigned e = 0; e < 16; e++) {
        L4_Word_t g = 1UL << e, w = g << 11, half = w / 2;
        /* at a window boundary kw: the last granule before it has passed */
        L4_Word_t kw = (clock_now() + 4 + w) & ~(w - 1);
        sleep_to(kw - 1);                       /* the sleep's entry is at kw */
        if (!sleep_on_point(kw - g, e) || !sleep_on_point(kw + 5 * g, e))
            return;
        /* above it: just passed, half a window ahead and more, just under half */
        L4_Word_t now = kw + half + 3 * g;
        sleep_to(now - 1);
        if (!sleep_on_point((now - g) & ~(g - 1), e) ||
            !sleep_on_point((clock_now() + 1 + half + g) & ~(g - 1), e) ||
            !sleep_on_point((clock_now() + 1 + half) & ~(g - 1), e) ||
            !sleep_on_point((clock_now() + half) & ~(g - 1), e))
            return;
    }
}
