/* Preemption of busy threads by host CPU time (--preempt).  A thread that
 * computes without entering the kernel would otherwise never give up the
 * one CPU.  With preemption on, every host thread that carries an L4
 * thread has a timer on its own CPU time (CLOCK_THREAD_CPUTIME_ID) that
 * signals that thread (SIGXCPU) after each time slice (--timeslice) of host
 * CPU time.  The handler runs on the thread's signal stack, as a page fault
 * does, and becomes a preemption point only when the thread was executing
 * guest code:
 *
 *   1. the interrupted stack pointer is neither on the thread's kernel
 *      stack nor on its signal stack: no kernel code was running (the
 *      entry stubs change nothing before they switch to the kernel stack,
 *      and nothing after they switch back), so kernel state is consistent;
 *   2. the thread is the current one (only the current thread runs guest
 *      code, so this holds whenever 1 does; checked nonetheless).
 *
 * Then the slice of CPU time is charged to the virtual clock and to the
 * thread's time slice, as at a kernel entry, and the scheduler may switch
 * away; the thread resumes its guest code when it gets the CPU back.  Its
 * SP and IP, for ExchangeRegisters, are those of the interrupted code.
 * Anywhere else the signal is ignored.  Host CPU time differs between
 * runs, so a run with preemption on is not deterministic; off (the
 * default unless stdin is a terminal) the timers do not exist. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "kern.h"
#include "kern_mem.h"
#include "kern_iso.h"

#define PREEMPT_SIGNAL SIGXCPU

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static void on_cpu_time(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    kern_iso_kernel();
    kern_thread_t *self = kern_self;
    const ucontext_t *uc = ctx;
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    if (!self || !kern.preempt || kern_thread_on_kstack(self, sp) || kern_fault_on_altstack(self, sp) ||
        atomic_load_explicit(&kern.cpu.turn, memory_order_relaxed) != self)
        return;
    int saved_errno = errno;
    self->preempt_sp = sp;
    self->preempt_ip = kern_fault_guest_ip(uc);
    self->preempted = true;
    kern_count(&self->stats.preemptions);
    kern_preempt_point(kern.default_timeslice);
    kern_iso_frame((ucontext_t *)ctx);
    self->preempted = false;
    errno = saved_errno;
}

/* Installs the handler when preemption is on. */
void kern_preempt_init(void)
{
    if (!kern.preempt)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_cpu_time;
    /* SA_NODEFER: a thread may leave the handler by siglongjmp (deleted,
     * or given a new IP while preempted), which would leave the signal
     * blocked; a second signal within the handler finds the signal stack
     * and returns.  SA_RESTART: kernel code's host calls go on. */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(PREEMPT_SIGNAL, &sa, NULL) != 0)
        kern_panic("cannot install the preemption handler");
}

/* Arms the CPU-time timer of the calling host thread, which carries t. */
void kern_preempt_thread_init(kern_thread_t *t)
{
    if (!kern.preempt || t->cpu_timer)
        return;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = PREEMPT_SIGNAL;
    sev.sigev_notify_thread_id = gettid();
    timer_t timer;
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &timer) != 0)
        kern_panic("cannot create the CPU-time timer of %s: %s", t->name, strerror(errno));
    uint64_t ns = kern.default_timeslice;
    struct itimerspec its = {
        .it_interval = { .tv_sec = (time_t)(ns / 1000000000), .tv_nsec = (long)(ns % 1000000000) },
    };
    its.it_value = its.it_interval;
    if (timer_settime(timer, 0, &its, NULL) != 0)
        kern_panic("cannot arm the CPU-time timer of %s: %s", t->name, strerror(errno));
    t->cpu_timer = timer;
}

/* The host thread of t ends: its timer goes. */
void kern_preempt_thread_fini(kern_thread_t *t)
{
    if (!t->cpu_timer)
        return;
    timer_delete((timer_t)t->cpu_timer);
    t->cpu_timer = NULL;
}
