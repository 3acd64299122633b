/* SCH0xxx: Schedule and ThreadSwitch: priorities and their limit, time
 * control, result states, preemption at kernel entries, round robin,
 * donation, time slices on the virtual clock, and what the scheduler does
 * not do (priority inheritance).  The clock is virtual: every kernel entry
 * costs 1 us (the default --entry-cost), so the expected clock values below
 * are exact. */
#include <string.h>
#include <l4/kip.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>

#include <chacm/thread.h>
#include "ptest.h"

static char log_buf[128];
static volatile unsigned log_len;

static void log_reset(void)
{
    log_len = 0;
    log_buf[0] = 0;
}

static void log_c(char c)
{
    if (log_len < sizeof log_buf - 1) {
        log_buf[log_len++] = c;
        log_buf[log_len] = 0;
    }
}

/* The threads ran in exactly this order. */
#define PT_LOG(expected)                                                                   \
    do {                                                                                   \
        if (strcmp(log_buf, (expected)) != 0) {                                            \
            pt_fail(__FILE__, __LINE__, "order \"%s\", expected \"%s\"", log_buf, (expected)); \
            return;                                                                        \
        }                                                                                  \
    } while (0)

static void report(void)
{
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
}

DEFINE_TEST(SCH0001, "a privileged caller sets any priority 0-255; 256 and more are InvalidParam")
{
    L4_ThreadId_t t = pt_thread(pt_park);
    /* the result is the thread's state: ready, it has not run yet */
    PT_EQ(L4_Set_Priority(t, 50), L4_SCHEDRESULT_RUNNING);
    PT_EQ(L4_Set_Priority(t, 100), L4_SCHEDRESULT_RUNNING);     /* our own */
    PT_EQ(L4_Set_Priority(t, 101), L4_SCHEDRESULT_RUNNING);     /* above: the root task is privileged */
    pt_sleep_us(10);
    PT_EQ(L4_Set_Priority(t, 255), L4_SCHEDRESULT_WAITING);     /* it ran (higher) and parks */
    L4_Word_t old;
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, 256, ~0UL, &old), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_PARAM);
    PT_EQ(L4_Set_Priority(L4_Myself(), 100), L4_SCHEDRESULT_RUNNING);
    PT_EQ(L4_Set_Priority(t, 0), L4_SCHEDRESULT_WAITING);
}

/* Runs in an unprivileged task, as its own scheduler, at priority 60. */
static void own_scheduler(void)
{
    L4_ThreadId_t me = L4_Myself();
    pt_shared[0] = L4_Set_Priority(me, 61);
    pt_shared[1] = L4_ErrorCode();
    pt_shared[2] = L4_Set_Priority(me, 60);
    pt_shared[3] = L4_Set_Priority(me, 59);
    pt_shared[4] = L4_Set_Priority(me, 60);
    pt_shared[5] = L4_ErrorCode();
    report();
    pt_park();
}

DEFINE_TEST(SCH0014, "an unprivileged scheduler sets priorities up to its own, above it NoPrivilege (as Pistachio)")
{
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(lib_task_create(t, L4_Myself()), 0);
    pt_track(t);
    PT_EQ(L4_Set_Priority(t, 60), L4_SCHEDRESULT_WAITING);      /* for its start message */
    PT_EQ(L4_ThreadControl(t, t, t, L4_nilthread, (void *)~0UL), 1);      /* its own scheduler */
    PT_EQ(lib_task_start(t, (L4_Word_t)own_scheduler, (L4_Word_t)pt_stack_top()), 0);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], 0);
    PT_EQ(pt_shared[1], L4_ERROR_NO_PRIVILEGE);
    PT_EQ(pt_shared[2], L4_SCHEDRESULT_RUNNING);
    PT_EQ(pt_shared[3], L4_SCHEDRESULT_RUNNING);
    PT_EQ(pt_shared[4], 0);
    PT_EQ(pt_shared[5], L4_ERROR_NO_PRIVILEGE);
}

static void log_a(void) { log_c('a'); }
static void log_b(void) { log_c('b'); }
static void log_cc(void) { log_c('c'); }

DEFINE_TEST(SCH0002, "the highest priority runs first; Schedule reorders threads that are ready")
{
    log_reset();
    pt_thread_prio(log_a, 90);
    pt_thread_prio(log_b, 95);
    pt_thread_prio(log_cc, 80);
    pt_sleep_us(10);
    PT_LOG("bac");
    log_reset();
    L4_ThreadId_t a = pt_thread_prio(log_a, 90);
    pt_thread_prio(log_b, 95);
    L4_ThreadId_t c = pt_thread_prio(log_cc, 80);
    PT_EQ(L4_Set_Priority(c, 99), L4_SCHEDRESULT_RUNNING);
    PT_EQ(L4_Set_Priority(a, 10), L4_SCHEDRESULT_RUNNING);
    pt_sleep_us(10);
    PT_LOG("cba");
}

DEFINE_TEST(SCH0003, "time control: the old time slice comes back; total quantum reads never")
{
    L4_ThreadId_t t = pt_thread(pt_park);
    L4_Time_t ts, tq;
    PT_EQ(L4_Timeslice(t, &ts, &tq), L4_SCHEDRESULT_RUNNING);
    /* the default time slice is 10 ms: m = 625, e = 4 */
    PT_EQ(ts.raw, L4_TimePeriod(10000).raw);
    PT_EQ(ts.raw, (4 << 10) | 625);
    PT_EQ(tq.raw, L4_Never.raw);
    PT_EQ(L4_Set_Timeslice(t, L4_TimePeriod(5000), L4_Never), L4_SCHEDRESULT_RUNNING);
    /* a raw Schedule returns the time control it replaced */
    L4_Word_t old;
    L4_Word_t ctl = ((L4_Word_t)L4_TimePeriod(1000).raw << 16) | L4_Never.raw;
    PT_EQ(L4_Schedule(t, ctl, ~0UL, ~0UL, ~0UL, &old), L4_SCHEDRESULT_RUNNING);
    PT_EQ(old >> 16, (3 << 10) | 625);
    PT_EQ(old & 0xffff, 0);
    PT_EQ(L4_Timeslice(t, &ts, &tq), L4_SCHEDRESULT_RUNNING);
    PT_EQ(ts.raw, 1000);
    /* all ones keeps the time control */
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old), L4_SCHEDRESULT_RUNNING);
    PT_EQ(old >> 16, 1000);
}

static void returns(void)
{
    pt_shared[0] = 1;
}

static void send_to_main(void)
{
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(SCH0004, "Schedule's result: running, waiting, pending send, inactive, halted, dead, deleted")
{
    L4_ThreadId_t me = L4_Myself();
    PT_EQ(pt_sched_state(me), L4_SCHEDRESULT_RUNNING);
    L4_ThreadId_t ready = pt_thread(pt_park);
    PT_EQ(pt_sched_state(ready), L4_SCHEDRESULT_RUNNING);
    pt_sleep_us(10);
    PT_EQ(pt_sched_state(ready), L4_SCHEDRESULT_WAITING);          /* in a receive */
    L4_ThreadId_t snd = pt_thread(send_to_main);
    pt_sleep_us(10);
    PT_EQ(pt_sched_state(snd), L4_SCHEDRESULT_PENDING_SEND);
    PT_IPC_OK(L4_Receive(snd));
    /* created without a pager: inactive; with one: waiting to be started */
    L4_ThreadId_t idle = pt_new_id();
    PT_EQ(L4_ThreadControl(idle, me, me, L4_nilthread, pt_utcb_slot()), 1);
    pt_track(idle);
    PT_EQ(pt_sched_state(idle), L4_SCHEDRESULT_INACTIVE);
    PT_EQ(pt_sched_state(pt_thread_inactive()), L4_SCHEDRESULT_WAITING);
    /* halted */
    L4_ThreadId_t h = pt_thread(pt_park);
    L4_Stop(h);
    PT_EQ(pt_sched_state(h), L4_SCHEDRESULT_INACTIVE);
    /* a thread that returned from its function is dead */
    L4_ThreadId_t d = pt_thread_inactive();
    L4_Start_SpIp(d, (L4_Word_t)pt_stack_top(), (L4_Word_t)returns);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 1);
    PT_EQ(pt_sched_state(d), L4_SCHEDRESULT_DEAD);
    /* a deleted thread is no thread */
    pt_kill(d);
    PT_EQ(pt_sched_state(d), L4_SCHEDRESULT_ERROR);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
}

static void sleep_then_clock(void)
{
    pt_shared[0] = L4_SystemClock().raw;
    L4_Sleep(L4_TimePeriod(50));
    pt_shared[1] = L4_SystemClock().raw;
    report();
    pt_park();
}

static void busy_clock(void)
{
    for (;;) {
        pt_shared[2] = L4_SystemClock().raw;
        pt_shared[3]++;
    }
}

DEFINE_TEST(SCH0005, "a higher-priority thread whose timeout fires preempts at the next kernel entry")
{
    L4_ThreadId_t h = pt_thread_prio(sleep_then_clock, 90);
    pt_thread_prio(busy_clock, 80);
    PT_IPC_OK(L4_Receive(h));
    L4_Word_t c0 = pt_shared[0];
    /* h: clock c0, sleep entry at c0+1 with deadline c0+51.  The busy
     * thread reads c0+2 ... c0+50 (49 reads); its entry at c0+51 fires the
     * timeout and h runs before that read returns: h reads c0+52. */
    PT_EQ(pt_shared[1], c0 + 52);
    PT_EQ(pt_shared[2], c0 + 50);
    PT_EQ(pt_shared[3], 49);
}

static void rr_a(void) { for (int i = 0; i < 3; i++) { log_c('a'); L4_Yield(); } }
static void rr_b(void) { for (int i = 0; i < 3; i++) { log_c('b'); L4_Yield(); } }
static void rr_c(void) { for (int i = 0; i < 3; i++) { log_c('c'); L4_Yield(); } }

DEFINE_TEST(SCH0006, "round robin: equal priorities take turns at ThreadSwitch(nilthread)")
{
    log_reset();
    pt_thread_prio(rr_a, 90);
    pt_thread_prio(rr_b, 90);
    pt_thread_prio(rr_c, 90);
    pt_sleep_us(100);
    PT_LOG("abcabcabc");
}

static void donate_to_c(void)
{
    L4_ThreadId_t c = { .raw = pt_shared[8] };
    log_c('a');
    L4_ThreadSwitch(c);
    log_c('A');
}

DEFINE_TEST(SCH0007, "ThreadSwitch(dest) runs dest next; the donor continues before the others")
{
    log_reset();
    pt_thread_prio(donate_to_c, 90);
    pt_thread_prio(log_b, 90);
    L4_ThreadId_t c = pt_thread_prio(log_cc, 90);
    pt_shared[8] = c.raw;
    pt_sleep_us(100);
    /* Pistachio keeps the donor at the head of its queue (the time slice
     * is still its own), so it runs again as soon as c blocks */
    PT_LOG("acAb");
}

DEFINE_TEST(SCH0008, "ThreadSwitch to a thread that cannot run is a plain yield; to itself it returns at once")
{
    log_reset();
    L4_ThreadId_t s = pt_thread_prio(pt_park, 95);
    pt_shared[8] = s.raw;                   /* blocked in its sleep */
    pt_thread_prio(donate_to_c, 90);
    pt_thread_prio(log_b, 90);
    pt_thread_prio(log_cc, 90);
    pt_sleep_us(100);
    PT_LOG("abcA");
    /* ourselves: we keep running, the other thread of our priority waits
     * (Pistachio returns at once; it does not yield) */
    log_reset();
    pt_thread_prio(log_a, 100);
    L4_ThreadSwitch(L4_Myself());
    log_c('m');
    pt_sleep_us(10);
    PT_LOG("ma");
}

#define SLICE_LOG 60
static volatile unsigned slice_n;
static volatile L4_Word_t slice_clock[SLICE_LOG];
static volatile char slice_who[SLICE_LOG];

static void slice_worker(char who)
{
    while (slice_n < SLICE_LOG) {
        L4_Word_t c = L4_SystemClock().raw;
        if (slice_n < SLICE_LOG) {
            slice_clock[slice_n] = c;
            slice_who[slice_n] = who;
            slice_n++;
        }
    }
    pt_park();
}
static void slice_a(void) { slice_worker('a'); }
static void slice_b(void) { slice_worker('b'); }

DEFINE_TEST(SCH0009, "time slices expire on the virtual clock: two busy threads alternate every 10 us")
{
    slice_n = 0;
    L4_ThreadId_t a = pt_thread_prio(slice_a, 90);
    L4_ThreadId_t b = pt_thread_prio(slice_b, 90);
    PT_EQ(L4_Set_Timeslice(a, L4_TimePeriod(10), L4_Never), L4_SCHEDRESULT_RUNNING);
    PT_EQ(L4_Set_Timeslice(b, L4_TimePeriod(10), L4_Never), L4_SCHEDRESULT_RUNNING);
    pt_sleep_us(1000);
    PT_EQ(slice_n, SLICE_LOG);
    /* Seed 0 (the default) gives exact slices.  Each entry costs 1 us of
     * the slice.  A fresh slice of 10 us lasts 9
     * entries; the 10th ends it and the other thread runs.  The first turn
     * of each thread is 9 reads; later turns are 10, since the read the
     * slice ended in returns when the thread is resumed.  So the clock
     * advances by 1 from read to read, except once: a's 10th entry (which
     * ended its first slice) returns only after b's first turn. */
    for (unsigned i = 0; i < SLICE_LOG; i++)
        PT_EQ(slice_clock[i], slice_clock[0] + i + (i >= 9));
    unsigned i = 0, turn = 0;
    while (i < SLICE_LOG) {
        unsigned len = turn < 2 ? 9 : 10;
        char who = (turn % 2) ? 'b' : 'a';
        for (unsigned k = 0; k < len && i < SLICE_LOG; k++, i++)
            PT_EQ(slice_who[i], who);
        turn++;
    }
}

static void inversion_server(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    for (int k = 0; k < 3; k++)
        pt_shared[5 + k] = L4_SystemClock().raw;
    L4_LoadMR(0, 0);
    L4_Reply(from);
    pt_park();
}

static void inversion_busy(void)
{
    L4_Word_t c;
    do
        c = L4_SystemClock().raw;
    while (c < pt_shared[0]);
    pt_shared[1] = c;
    pt_park();
}

static void inversion_client(void)
{
    L4_ThreadId_t srv = { .raw = pt_shared[8] };
    L4_Sleep(L4_TimePeriod(10));
    L4_LoadMR(0, 0);
    L4_Call(srv);
    pt_shared[2] = L4_SystemClock().raw;
    report();
    pt_park();
}

DEFINE_TEST(SCH0010, "priority inversion is not prevented: a middle priority delays a server's high client")
{
    L4_ThreadId_t l = pt_thread_prio(inversion_server, 80);
    pt_sleep_us(5);                         /* the server waits */
    pt_shared[8] = l.raw;
    pt_thread_prio(inversion_busy, 90);
    L4_ThreadId_t h = pt_thread_prio(inversion_client, 95);
    L4_Word_t t = L4_SystemClock().raw + 200;
    pt_shared[0] = t;
    PT_IPC_OK(L4_Receive(h));
    /* h (95) sleeps, m (90) computes, h wakes and calls l (80): the call
     * runs l at once, but at l's first kernel entry m (90) takes the CPU
     * back and computes until t.  l keeps its own priority (no inheritance
     * from its blocked client), so h waits for m: m ends at t, parks at
     * t+1, l reads t+1..t+3, replies at t+4, h reads t+5. */
    PT_EQ(pt_shared[1], t);
    PT_EQ(pt_shared[5], t + 1);
    PT_EQ(pt_shared[7], t + 3);
    PT_EQ(pt_shared[2], t + 5);
}

/* Runs in an unprivileged task. */
static void task_schedule(void)
{
    pt_shared[0] = L4_Set_Priority(L4_Myself(), 50);
    pt_shared[1] = L4_ErrorCode();
    pt_shared[2] = L4_Set_Priority(pt_main_id, 50);
    pt_shared[3] = L4_ErrorCode();
    report();
    pt_park();
}

DEFINE_TEST(SCH0011, "Schedule errors: not the scheduler (NoPrivilege), no such thread, bad processor")
{
    L4_ThreadId_t t = pt_task(task_schedule);
    /* the task's thread is scheduled by us, and so is not its own scheduler */
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], 0);
    PT_EQ(pt_shared[1], L4_ERROR_NO_PRIVILEGE);
    PT_EQ(pt_shared[2], 0);
    PT_EQ(pt_shared[3], L4_ERROR_NO_PRIVILEGE);
    /* we are: its priority changes */
    PT_EQ(L4_Set_Priority(t, 50), L4_SCHEDRESULT_WAITING);
    PT_EQ(pt_sched_state(pt_new_id()), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(pt_sched_state(L4_GlobalId(L4_ThreadNo(t), L4_Version(t) + 1)), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(pt_sched_state(L4_nilthread), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    /* one processor: number 0 */
    PT_EQ(L4_Set_ProcessorNo(t, 0), L4_SCHEDRESULT_WAITING);
    PT_EQ(L4_Set_ProcessorNo(t, 1), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_PARAM);
}

static void lower_myself(void)
{
    log_c('a');
    L4_Set_Priority(L4_Myself(), 85);
    log_c('A');
}

DEFINE_TEST(SCH0012, "a thread that lowers its priority below a ready thread gives it the CPU at once")
{
    log_reset();
    pt_thread_prio(lower_myself, 95);
    pt_thread_prio(log_b, 90);
    pt_sleep_us(10);
    PT_LOG("abA");
}

static volatile L4_Word_t spin_flag;

static void flag_setter(void)
{
    spin_flag = 1;
    pt_park();
}

/* Looks at spin_flag without entering the kernel, at most pt_shared[0]
 * times; reports whether it saw the flag and the virtual time between
 * two clock reads around the loop. */
static void spinner(void)
{
    L4_Word_t bound = pt_shared[0], n = 0;
    L4_Word_t start = L4_SystemClock().raw;
    while (!spin_flag && n < bound)
        n++;
    pt_shared[1] = spin_flag;
    pt_shared[2] = L4_SystemClock().raw - start;
    report();
    pt_park();
}

DEFINE_TEST(SCH0013, "a thread spinning without kernel entries: preempted by host CPU time if the kernel says hostpreempt, else never")
{
    L4_Bool_t preempt = L4_HasFeature("hostpreempt");
    spin_flag = 0;
    /* without preemption the loop ends at its bound; with it, the flag
     * ends it long before (several seconds of host CPU would fail) */
    pt_shared[0] = preempt ? 1UL << 33 : 1000000;
    L4_ThreadId_t s = pt_thread_prio(spinner, 90);
    pt_thread_prio(flag_setter, 90);
    PT_IPC_OK(L4_Receive_Timeout(s, L4_TimePeriod(100000000)));
    if (preempt) {
        PT_EQ(pt_shared[1], 1);         /* the equal-priority setter ran while it spun */
        PT_ASSERT(pt_shared[2] >= 10000);   /* a time slice of host CPU time was charged */
    } else {
        PT_EQ(pt_shared[1], 0);         /* nothing ran while it spun */
        PT_EQ(pt_shared[2], 1);         /* user code costs no virtual time */
    }
}
