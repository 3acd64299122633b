/* The scheduler of the one simulated CPU: 256 priorities with round robin,
 * time slices and timeouts on a virtual clock, and the handoff that lets
 * exactly one host thread run guest or kernel code at a time.
 *
 * Invariants:
 *  1. Only the current thread (the one holding the CPU, kern_self on its
 *     host thread) executes kernel or guest code; every other host
 *     thread that carries an L4 thread waits in kern_wait_turn().
 *  2. A thread is on a ready queue iff it is READY, not halted, and not
 *     the current thread.
 *  3. A thread is on the timeout queue iff it is blocked with a finite
 *     timeout; the queue is sorted by wakeup, ties in insertion order.
 *  4. The virtual clock advances only at kernel entries (entry_cost) and,
 *     when nothing is ready, by jumping to the next timeout; so the schedule
 *     depends only on what the threads do, never on host timing.  (With
 *     --preempt=on, host preemption points charge host CPU time too, and
 *     runs are no longer deterministic: preempt.c.)
 *  5. Only the holder of the CPU writes kern.cpu; every handoff sets `op`,
 *     and the clock there is the holder's kern_now as of the handoff. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kern.h"
#include "kern_iso.h"
#include "kern_trace.h"

/* The virtual clock while this host thread holds the CPU (kern.h). */
__thread uint64_t kern_now;

static long futex(_Atomic int *addr, int op, int val)
{
    return syscall(SYS_futex, (int *)addr, op, val, NULL, NULL, 0);
}

static inline void cpu_relax(void)
{
    __builtin_ia32_pause();
}

/* Asks for a cache line in the exclusive state (PREFETCHW; CPUs without it
 * ignore the instruction). */
static inline void prefetch_for_write(const void *p)
{
    __asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
}

/* Waits until self holds the CPU (kern.cpu.turn) or its host thread is
 * released to end (go).  Spins briefly, since the partner of an IPC usually
 * answers within a microsecond, then sleeps in the futex `go` after saying
 * so in `sleeping`; kern_hand_over checks `sleeping` after moving the CPU. */
static void wait_for_cpu(kern_thread_t *self)
{
    /* read the limits once: the kernel's hot state changes while we spin */
    unsigned limit = kern.spin_limit, pauses = kern.spin_pauses;

    for (unsigned i = 0; i < limit; i++) {
        if (atomic_load_explicit(&kern.cpu.turn, memory_order_acquire) == self) {
            /* a pushed message continues in line 1, which this thread
             * reads now and writes if it pushes in turn */
            prefetch_for_write(&kern.cpu.msg[4]);
            return;
        }
        if (atomic_load_explicit(&self->go, memory_order_acquire))
            return;
        for (unsigned k = 0; k < pauses; k++)
            cpu_relax();
    }
    for (;;) {
        atomic_store(&self->sleeping, 1);
        if (atomic_load(&kern.cpu.turn) == self || atomic_load(&self->go))
            break;
        futex(&self->go, FUTEX_WAIT_PRIVATE, 0);
        kern_count(&self->stats.sleeps);
        if (atomic_load(&kern.cpu.turn) == self || atomic_load(&self->go))
            break;
    }
    atomic_store_explicit(&self->sleeping, 0, memory_order_relaxed);
    if (!self->doomed)
        atomic_store_explicit(&self->go, 0, memory_order_relaxed);
}

/* Waits until it is self's turn to run, and does first what the previous
 * holder of the CPU left for it (kern.cpu.op). */
void kern_wait_turn(kern_thread_t *self)
{
    for (;;) {
        wait_for_cpu(self);
        if (self->doomed) {
            if (self->base_valid)
                siglongjmp(self->base, 1);
            return;
        }
        if (atomic_load_explicit(&kern.cpu.turn, memory_order_relaxed) != self)
            continue;
        if (kern_stopping())
            kern_stop_here();       /* the run ends: the CPU goes no further */
        kern_now = kern.cpu.now;
        kern_iso_resume(self);      /* its task's keys, if they moved */
        if (kern.cpu.op == KERN_OP_PUSH && !kern_ipc_take_push(self))
            continue;       /* refused: the CPU went back to the pusher */
        if (kern.cpu.op == KERN_OP_XFER_FAULT) {
            kern_self = self;
            kern_iso_kernel();
            if (!kern_ipc_xfer_serve(self))
                continue;   /* served: the CPU went back to the transfer's driver */
        }
        break;
    }
    kern_self = self;
    if (self->redirect && self->base_valid && self->state == TS_READY) {
        self->redirect = false;
        siglongjmp(self->base, 2);
    }
}

/* Moves the CPU to next, which first does op; the caller stops touching
 * kernel state. */
void kern_hand_over(kern_thread_t *next, unsigned op)
{
    if (kern_self)
        kern_count(&kern_self->stats.handoffs);
    kern.cpu.now = kern_now;
    kern.cpu.op = op;
    atomic_exchange_explicit(&kern.cpu.turn, next, memory_order_seq_cst);
    if (atomic_load_explicit(&next->sleeping, memory_order_seq_cst)) {
        atomic_store(&next->go, 1);
        futex(&next->go, FUTEX_WAKE_PRIVATE, 1);
    }
}

void kern_hand_to(kern_thread_t *next)
{
    kern_hand_over(next, KERN_OP_NONE);
}

/* The length of a new time slice for t: its time slice, varied by up to
 * +-1/8 when the run has a non-zero seed (the only way the seed changes a
 * schedule; the same seed gives the same variation). */
uint64_t kern_fresh_slice(kern_thread_t *t)
{
    if (!kern.seed)
        return t->timeslice;
    uint64_t x = kern.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    kern.rng = x;
    uint64_t r = x * 0x2545F4914F6CDD1DULL;
    uint64_t span = t->timeslice / 4;
    return t->timeslice - t->timeslice / 8 + (span ? r % span : 0);
}

/* ---- ready queues ---- */

void kern_rq_add(kern_thread_t *t, bool front)
{
    unsigned p = t->prio;
    if (t->on_rq)
        return;
    t->on_rq = true;
    if (front) {
        t->rq_prev = NULL;
        t->rq_next = kern.rq_head[p];
        if (t->rq_next)
            t->rq_next->rq_prev = t;
        else
            kern.rq_tail[p] = t;
        kern.rq_head[p] = t;
    } else {
        t->rq_next = NULL;
        t->rq_prev = kern.rq_tail[p];
        if (t->rq_prev)
            t->rq_prev->rq_next = t;
        else
            kern.rq_head[p] = t;
        kern.rq_tail[p] = t;
    }
    kern.rq_bitmap[p / 64] |= 1UL << (p % 64);
    kern.rq_words |= 1u << (p / 64);
}

void kern_rq_remove(kern_thread_t *t)
{
    unsigned p = t->prio;
    if (!t->on_rq)
        return;
    t->on_rq = false;
    if (t->rq_prev)
        t->rq_prev->rq_next = t->rq_next;
    else
        kern.rq_head[p] = t->rq_next;
    if (t->rq_next)
        t->rq_next->rq_prev = t->rq_prev;
    else
        kern.rq_tail[p] = t->rq_prev;
    t->rq_next = t->rq_prev = NULL;
    if (!kern.rq_head[p]) {
        kern.rq_bitmap[p / 64] &= ~(1UL << (p % 64));
        if (!kern.rq_bitmap[p / 64])
            kern.rq_words &= ~(1u << (p / 64));
    }
}

kern_thread_t *kern_rq_highest(void)
{
    if (!kern.rq_words)
        return NULL;
    int w = 31 - __builtin_clz(kern.rq_words);
    return kern.rq_head[w * 64 + 63 - __builtin_clzl(kern.rq_bitmap[w])];
}

/* ---- timeouts ---- */

/* Inserts t, which is not queued, to wake at `when` (kern_tq_add). */
void kern_tq_insert(kern_thread_t *t, uint64_t when)
{
    t->wakeup = when;
    kern_thread_t *prev = NULL, *cur = kern.tq_head;
    while (cur && cur->wakeup <= when) {
        prev = cur;
        cur = cur->tq_next;
    }
    t->tq_prev = prev;
    t->tq_next = cur;
    if (cur)
        cur->tq_prev = t;
    if (prev)
        prev->tq_next = t;
    else
        kern.tq_head = t;
    t->on_tq = true;
}

/* Takes t, which is queued, off the timeout queue (kern_tq_remove). */
void kern_tq_unlink(kern_thread_t *t)
{
    if (t->tq_prev)
        t->tq_prev->tq_next = t->tq_next;
    else
        kern.tq_head = t->tq_next;
    if (t->tq_next)
        t->tq_next->tq_prev = t->tq_prev;
    t->tq_next = t->tq_prev = NULL;
    t->on_tq = false;
}

/* Absolute virtual deadline (ns) of a 16-bit X.2 timeout; 0 = now. */
uint64_t kern_timeout_deadline(L4_Word_t t16, uint64_t now)
{
    t16 &= 0xffff;
    if (kw_time_is_never(t16))
        return KERN_TIME_NEVER;
    if (kw_time_is_point(t16)) {
        uint64_t us = kw_time_point_us(t16, now / 1000);
        return us >= UINT64_MAX / 1000 ? KERN_TIME_NEVER : us * 1000;
    }
    uint64_t us = kw_time_period_us(t16);
    if (us >= (UINT64_MAX - now) / 1000)
        return KERN_TIME_NEVER;
    return now + us * 1000;
}

/* Expires every timeout at or before now, in order. */
static void expire_timeouts(void)
{
    while (kern.tq_head && kern.tq_head->wakeup <= kern_time()) {
        kern_thread_t *t = kern.tq_head;
        kern_tq_remove(t);
        if (t->is_irq)
            kern_dev_timer(t);
        else
            kern_ipc_timeout(t);
    }
}

/* ---- making threads run ---- */

/* t becomes READY and queued, unless it is the running thread.  A current
 * thread that is blocked and idling (its own timeout fired) is queued too,
 * so that idle() finds it. */
void kern_make_ready(kern_thread_t *t)
{
    t->state = TS_READY;
    kern_tq_remove(t);
    if (!t->halted && (t != kern_self || kern.idling))
        kern_rq_add(t, false);
}

/* Unblocks t; it runs now if it has a higher priority than the current
 * thread (the current one keeps the head of its queue). */
void kern_wakeup(kern_thread_t *t)
{
    kern_make_ready(t);
    kern_thread_t *cur = kern_self;
    if (!t->halted && cur && cur->state == TS_READY && t->prio > cur->prio) {
        kern_rq_remove(t);
        kern_rq_add(cur, true);
        kern_switch_to(t);
    }
}

/* Hands the CPU to next and waits for our own turn; on return self is
 * current again. */
void kern_switch_to(kern_thread_t *next)
{
    kern_thread_t *self = kern_self;
    if (next == self)
        return;
    KTRACE(KT_SCHED, self, next, 0, self ? self->state : 0, 0, 0, 0);
    kern_rq_remove(next);
    kern_hand_to(next);
    kern_wait_turn(self);
}

static void check_time_limit(void)
{
    if (kern.max_time && kern_time() > kern.max_time)
        kern_exit_system(2, "virtual time limit of %llu ms reached",
                         (unsigned long long)(kern.max_time / 1000000));
}

/* A device waits for host input (the serial line's far end, a pipe whose
 * writer has not written yet) and the next step would move the virtual
 * clock to a thread's timeout (not to a device's event, which is the
 * machine's own progress): the input gets KERN_INPUT_GRACE_MS of host time
 * to come first, so that a program driving the run through a pipe is not
 * outrun by the clock (no spinning through timeouts while it writes).
 * True if an event came. */
#define KERN_INPUT_GRACE_MS 10
static bool wait_for_input(void)
{
    if (atomic_load(&kern.events_pending))
        return true;
    struct timespec ts = { 0, KERN_INPUT_GRACE_MS * 1000000L };
    syscall(SYS_futex, (int *)&kern.events_pending, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
    return atomic_load(&kern.events_pending) != 0;
}

/* Nothing is ready: advance time to the next timeout, take host events, or
 * sleep until one arrives.  Returns the thread to run. */
static kern_thread_t *idle(void)
{
    for (;;) {
        if (kern_stopping())
            kern_stop_here();
        kern_thread_t *t = kern_rq_highest();
        if (t) {
            kern.idling = false;
            return t;
        }
        kern.idling = true;
        if (atomic_load_explicit(&kern.events_pending, memory_order_acquire)) {
            atomic_store(&kern.events_pending, 0);
            kern_dev_run();
            kern_monitor_poll();
            continue;
        }
        if (kern.tq_head && kern.tq_head->wakeup < kern.dev_next && atomic_load(&kern.input_waiting) > 0 &&
            wait_for_input())
            continue;
        if (kern.tq_head || kern.dev_next != KERN_TIME_NEVER) {
            uint64_t t = kern.tq_head ? kern.tq_head->wakeup : KERN_TIME_NEVER;
            if (kern.dev_next < t)
                t = kern.dev_next;
            if (t > kern_now)
                kern_now = t;
            check_time_limit();
            expire_timeouts();
            if (kern.dev_next <= kern_now)
                kern_dev_run();
            continue;
        }
        if (kern.event_sources > 0) {
            futex(&kern.events_pending, FUTEX_WAIT_PRIVATE, 0);
            continue;
        }
        fflush(kern.out);
        fprintf(stderr, "chacmsim: deadlock: every thread is blocked and nothing can wake one\n");
        kern_dump_threads();
        kern_dump_waits(stderr, false);
        if (kern_monitor_hook)
            kern_monitor_hook("deadlock");
        kern_exit_system(3, NULL);
    }
}

kern_thread_t *kern_idle_pick(void)
{
    kern_thread_t *t = idle();
    kern_rq_remove(t);
    return t;
}

/* The current thread has left the ready state (blocked, halted, dead):
 * run the best ready thread, or idle until there is one. */
void kern_block(void)
{
    kern_thread_t *self = kern_self;
    kern_thread_t *next = idle();
    if (next == self && self->state == TS_READY && !self->halted) {
        kern_rq_remove(self);
        return;
    }
    kern_switch_to(next);
}

void kern_post_event(void)
{
    atomic_store_explicit(&kern.events_pending, 1, memory_order_release);
    futex(&kern.events_pending, FUTEX_WAKE_PRIVATE, 1);
}

void kern_entry_nocharge(void)
{
    kern_thread_t *self = kern_self;
    if (kern_stopping())
        kern_stop_here();
    self->kstack = kern_kstack;
}

/* What a kernel entry does beyond charging `cost` of virtual time to the
 * clock (done already): the time limit, due timeouts, host events, the
 * end of the time slice, preemption by a higher priority. */
static void entry_work(kern_thread_t *self, uint64_t cost)
{
    if (kern_stopping())
        kern_stop_here();
    check_time_limit();
    if (kern.tq_head && kern.tq_head->wakeup <= kern_now)
        expire_timeouts();
    if (atomic_load_explicit(&kern.events_pending, memory_order_relaxed)) {
        atomic_store(&kern.events_pending, 0);
        kern_dev_run();
        kern_monitor_poll();
    } else if (kern.dev_next <= kern_now) {
        kern_dev_run();
    }

    bool expired = false;
    if (self->ts_left <= cost) {
        self->ts_left = kern_fresh_slice(self);
        expired = true;
    } else {
        self->ts_left -= cost;
    }
    kern_thread_t *best = kern_rq_highest();
    if (!best)
        return;
    if (best->prio > self->prio) {
        kern_rq_add(self, true);
        kern_switch_to(best);
    } else if (expired && best->prio == self->prio) {
        kern_rq_add(self, false);
        kern_switch_to(best);
    }
}

/* The rest of kern_entry (kern.h), when the quick test there finds
 * something to do; the entry has been charged. */
void kern_entry_slow(kern_thread_t *self)
{
    kern_iso_kernel();      /* timeouts and switches may touch other tasks' UTCBs */
    entry_work(self, kern.entry_cost);
}

/* A preemption point in the middle of guest code (preempt.c): the current
 * thread computed for `cost` ns of host CPU time, which is charged to the
 * virtual clock and its time slice as at a kernel entry. */
void kern_preempt_point(uint64_t cost)
{
    kern_now += cost;
    entry_work(kern_self, cost);
}
