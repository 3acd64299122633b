/* Kernel start-up and shutdown: global state, the interrupt threads, the
 * initial tasks (sigma0, root task) and the end of a run. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include <l4/hosted/vregs.h>
#include "kern.h"
#include "kern_boot.h"
#include "kern_iso.h"
#include "kern_mem.h"

kern_t kern;

/* How long one PAUSE instruction takes here, in ns (it varies from 1 to
 * 40 ns between CPU models). */
static double pause_ns(void)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 2000; i++)
        __builtin_ia32_pause();
    clock_gettime(CLOCK_MONOTONIC, &b);
    double per = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 2000;
    return per < 0.1 ? 0.1 : per;
}

/* A waiting host thread looks at the CPU line about every SPIN_LOOK_NS,
 * pausing in between.  Looking in a tight loop slows the very handoff it
 * waits for: on a 2-CPU KVM guest a call/reply round trip took about 40%
 * longer with a look every 30 ns than with one every 75 ns, and looks 150 ns
 * or more apart lose again to the delay of noticing the turn. */
#define SPIN_LOOK_NS 75.0
/* It spins for about SPIN_NS before it sleeps, so a handoff to a thread
 * that answers quickly never sleeps, and an idle thread sleeps soon. */
#define SPIN_NS 50000.0

/* Windows lie in [32 TiB, 96 TiB) of the host's address space, above its
 * own mappings and below the stacks and libraries near its top. */
#define WINDOWS_SPAN (64UL << 40)
#define DEFAULT_SPACES 4096u

/* How many windows (address spaces) may exist at once: cfg's limit, else
 * DEFAULT_SPACES, never more than fit in the span. */
static unsigned windows_allowed(const kern_config_t *cfg)
{
    L4_Word_t fit = WINDOWS_SPAN / cfg->window_size;
    L4_Word_t want = cfg->max_spaces ? cfg->max_spaces : DEFAULT_SPACES;
    return (unsigned)(want < fit ? want : fit);
}

void kern_init(const kern_config_t *cfg)
{
    memset(&kern, 0, sizeof kern);
    kern.out = stdout;
    kern.dev_next = KERN_TIME_NEVER;
    kern.threads = calloc(KERN_MAX_THREADS, sizeof *kern.threads);
    if (!kern.threads)
        kern_panic("out of memory for the thread table");
    kern.window_size = cfg->window_size;
    /* 32 TiB: above the host's own mappings and above ASan's shadow memory */
    kern.window_base = 0x200000000000UL;
    kern.max_windows = windows_allowed(cfg);
    kern.window_used = calloc(kern.max_windows / 8 + 1, 1);
    if (!kern.window_used)
        kern_panic("out of memory for the window table");
    kern.seed = cfg->seed;
    kern.rng = cfg->seed * 0x9E3779B97F4A7C15ULL + 1;
    kern.max_time = cfg->max_time_ns;
    kern.entry_cost = cfg->entry_cost_ns ? cfg->entry_cost_ns : 1000;
    kern.default_timeslice = cfg->timeslice_ns ? cfg->timeslice_ns : 10000000;
    kern.host_cpu = cfg->cpu;
    kern.event_sources = cfg->hold ? 1 : 0;
    double per = pause_ns();
    kern.spin_pauses = SPIN_LOOK_NS / per < 1 ? 1 : (unsigned)(SPIN_LOOK_NS / per + 0.5);
    if (cfg->spin >= 0)
        kern.spin_limit = (unsigned)cfg->spin;
    else if (cfg->cpu >= 0)
        kern.spin_limit = 0;    /* spinning on the partner's own CPU only delays it */
    else
        kern.spin_limit = RUNNING_ON_VALGRIND ? 0 : (unsigned)(SPIN_NS / (per * kern.spin_pauses));
    pthread_mutex_init(&kern.exit_lock, NULL);
    pthread_cond_init(&kern.exit_cond, NULL);
    for (unsigned n = 0; n < KERN_NIRQ; n++)
        kern_thread_create(kw_global_id(n, 1), NULL);
    const char *why = NULL;
    if (!kern_iso_init(cfg->isolation, &why)) {
        fprintf(stderr, "chacmsim: --isolation=%s: %s\n", cfg->isolation == KERN_ISO_STRICT ? "strict" : "on", why);
        exit(64);
    }
    kern_phys_init(cfg->memory_size ? cfg->memory_size : 128UL << 20);
    kern_mdb_init();
    kern_fault_init();
    kern.preempt = cfg->preempt;
    kern_preempt_init();
    kern_hostcopy_init();
    kern_kip_build();
}

/* Creates a task with one thread at thread number no, its KIP and UTCB
 * areas at the standard places of its window, ready to start at ip. */
kern_thread_t *kern_boot_task(L4_Word_t no, const char *name, L4_Word_t ip, L4_Word_t pager, bool privileged)
{
    kern_space_t *s = kern_space_create();
    if (!s)
        kern_panic("cannot reserve a window for %s", name);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->privileged = privileged;
    if (kern_space_set_areas(s, kw_fpage(s->base + KERN_BOOT_KIP_OFFSET, KERN_KIP_SIZE_LOG2, 0),
                             kw_fpage(s->base + KERN_BOOT_UTCB_OFFSET, KERN_BOOT_UTCB_LOG2, 0)))
        kern_panic("cannot set up the areas of %s", name);
    kern_thread_t *t = kern_thread_create(kw_global_id(no, 1), s);
    if (!t || kern_thread_place_utcb(t, s->base + KERN_BOOT_UTCB_OFFSET))
        kern_panic("cannot create the first thread of %s", name);
    t->scheduler = t->id;
    t->prio = 100;
    t->utcb[__L4_TCR_PAGER] = pager;
    kern_thread_start(t, ip, 0);
    return t;
}

/* t's space is sigma0's: it holds all physical memory. */
void kern_set_sigma0(kern_thread_t *t)
{
    kern_mdb_set_sigma0(t->space);
    kern_io_boot(t->space);
}

void kern_set_root(kern_thread_t *t)
{
    kern.root_space = t->space;
    kern.root_thread = t;
    kern_io_boot(t->space);         /* no sigma0: the root task holds the ports */
}

/* Runs the system from the main host thread until it ends. */
static const char *state_name(const kern_thread_t *t)
{
    static const char *const names[] = {
        [TS_FREE] = "free", [TS_INACTIVE] = "inactive", [TS_READY] = "ready", [TS_SENDING] = "sending",
        [TS_RECEIVING] = "receiving", [TS_WAITING] = "waiting", [TS_DEAD] = "dead",
        [TS_LOCKED] = "locked in a string transfer",
    };
    if (t->awaiting_start)
        return "awaiting start";
    if ((unsigned)t->state >= sizeof names / sizeof names[0] || !names[t->state])
        return "in an unknown state";
    return names[t->state];
}

/* Lists every thread and what it waits for (after a deadlock or timeout). */
/* The virtual clock as the holder of the CPU has it.  Off the CPU (the
 * real-time limit's report) that is the holder's own kern_now, which runs
 * ahead of the clock of the last handoff while the holder enters the
 * kernel without handing the CPU on; a moment's reading. */
static uint64_t clock_for_report(void)
{
    if (kern_self)
        return kern_time();
    uint64_t now = kern.cpu.now;
    kern_thread_t *holder = atomic_load(&kern.cpu.turn);
    if (holder && holder->clock) {
        uint64_t its = __atomic_load_n(holder->clock, __ATOMIC_RELAXED);
        if (its > now)
            now = its;
    }
    return now;
}

void kern_dump_threads(void)
{
    uint64_t now = clock_for_report();
    fprintf(stderr, "chacmsim: threads at virtual time %llu us:\n", (unsigned long long)(now / 1000));
    for (unsigned i = KERN_NIRQ; i < KERN_MAX_THREADS; i++) {
        kern_thread_t *t = kern.threads[i];
        if (!t)
            continue;
        fprintf(stderr, "  %-20s %lx.%lx prio %3u %s%s", t->name, kw_thread_no(t->id), kw_version(t->id), t->prio,
                state_name(t), t->halted ? " (halted)" : "");
        if (t->state == TS_SENDING)
            fprintf(stderr, " to %lx", kw_thread_no(t->snd_to));
        if (t->state == TS_RECEIVING)
            fprintf(stderr, " from %s", t->rcv_from == KW_ANYTHREAD ? "any" :
                    t->rcv_from == KW_ANYLOCALTHREAD ? "any local" : "");
        if (t->state == TS_RECEIVING && t->rcv_from != KW_ANYTHREAD && t->rcv_from != KW_ANYLOCALTHREAD)
            fprintf(stderr, "%lx", kw_thread_no(t->rcv_from));
        fputc('\n', stderr);
    }
}

static void stat_add(_Atomic uint64_t *sum, const _Atomic uint64_t *part)
{
    atomic_store_explicit(sum, atomic_load_explicit(sum, memory_order_relaxed) +
                          atomic_load_explicit(part, memory_order_relaxed), memory_order_relaxed);
}

void kern_stats_add(kern_stats_t *sum, const kern_stats_t *part)
{
    stat_add(&sum->ipc, &part->ipc);
    stat_add(&sum->pushed, &part->pushed);
    stat_add(&sum->refused, &part->refused);
    stat_add(&sum->handoffs, &part->handoffs);
    stat_add(&sum->sleeps, &part->sleeps);
    stat_add(&sum->preemptions, &part->preemptions);
}

/* The counters of every thread, deleted ones included (--stats).  Called
 * when the run has ended; after a --timeout the other threads may still
 * count, and the figures are a moment's reading. */
void kern_print_stats(FILE *f)
{
    kern_stats_t sum;
    memset(&sum, 0, sizeof sum);
    kern_stats_add(&sum, &kern.stats_gone);
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next)
        kern_stats_add(&sum, &t->stats);
    fprintf(f,
            "chacmsim: statistics: %llu IPCs, %llu of them pushed to the receiver's host thread, "
            "%llu pushes refused; %llu CPU handoffs, %llu sleeps in the futex; "
            "%llu steps of mapping-database walks, %llu soft faults\n",
            (unsigned long long)sum.ipc, (unsigned long long)sum.pushed, (unsigned long long)sum.refused,
            (unsigned long long)sum.handoffs, (unsigned long long)sum.sleeps,
            (unsigned long long)kern_mdb_work(), (unsigned long long)kern_mdb_soft_faults());
    if (kern.preempt)
        fprintf(f, "chacmsim: preemption of busy threads: on (every %llu us of host CPU time), %llu preemptions\n",
                (unsigned long long)(kern.default_timeslice / 1000), (unsigned long long)sum.preemptions);
    else
        fprintf(f, "chacmsim: preemption of busy threads: off (only at kernel entries)\n");
    kern_iso_print_stats(f);
}

/* How long the end of a run from outside waits for the CPU to stop: the
 * holder stops at its next kernel entry, fault or handoff, which a thread
 * that computes in guest code may not reach (without --preempt); past this,
 * it is taken to be in guest code, which touches no simulator state. */
#define STOP_GRACE_NS 200000000L

/* Ends the run from outside the CPU (the real-time limit; called with
 * exit_lock held): asks the holder of the CPU to stop and waits until it
 * has, so that nothing runs kernel code while the report reads the
 * thread table and the simulator is torn down.  An idle holder is woken
 * to notice. */
static void stop_cpu(void)
{
    atomic_store(&kern.stop, 1);
    kern_post_event();
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += STOP_GRACE_NS;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!kern.cpu_stopped)
        if (pthread_cond_timedwait(&kern.exit_cond, &kern.exit_lock, &until))
            break;
}

int kern_run(unsigned timeout_s)
{
    kern_thread_t *first = kern_rq_highest();
    if (!first) {
        kern_log("kernel: nothing to run");
        return 1;
    }
    kern_rq_remove(first);
    pthread_mutex_lock(&kern.exit_lock);
    kern_hand_to(first);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_s;
    while (!kern.exited) {
        if (!timeout_s) {
            pthread_cond_wait(&kern.exit_cond, &kern.exit_lock);
        } else if (pthread_cond_timedwait(&kern.exit_cond, &kern.exit_lock, &deadline) && !kern.exited) {
            kern.exited = true;
            kern.exit_status = 124;
            stop_cpu();
            fflush(kern.out);
            fprintf(stderr, "chacmsim: real-time limit of %u s reached\n", timeout_s);
            kern_dump_threads();
            kern_dump_waits(stderr, false);
        }
    }
    pthread_mutex_unlock(&kern.exit_lock);
    fflush(kern.out);
    return kern.exit_status;
}

static void park_forever(void)
{
    static _Atomic int never;
    for (;;)
        syscall(SYS_futex, (int *)&never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

/* Ends the run with status; the message (if any) goes to stderr.  Called
 * on an L4 thread, which then never runs again. */
void kern_exit_system(int status, const char *fmt, ...)
{
    fflush(kern.out);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs("chacmsim: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    pthread_mutex_lock(&kern.exit_lock);
    if (!kern.exited) {
        kern.exited = true;
        kern.exit_status = status;
    }
    if (kern_self)
        kern.cpu_stopped = true;
    pthread_cond_signal(&kern.exit_cond);
    pthread_mutex_unlock(&kern.exit_lock);
    if (!kern_self) {
        fflush(stderr);
        exit(status);
    }
    park_forever();
    abort();
}

/* The holder of the CPU stops for good where it is, because the run ends
 * from outside (kern.stop): at a kernel entry, a fault, a preemption or
 * when the CPU reaches it.  Nothing of the kernel's state is changed. */
void kern_stop_here(void)
{
    pthread_mutex_lock(&kern.exit_lock);
    kern.cpu_stopped = true;
    pthread_cond_signal(&kern.exit_cond);
    pthread_mutex_unlock(&kern.exit_lock);
    park_forever();
    abort();
}

void kern_panic(const char *fmt, ...)
{
    va_list ap;
    fflush(kern.out);
    fputs("chacmsim: kernel panic: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    kern_exit_system(70, NULL);
}

/* crt0 calls this when a program's main returns. */
void kern_sys_exit(L4_Word_t status);
void kern_sys_exit(L4_Word_t status)
{
    kern_entry_nocharge();
    if (kern_self->space == kern.root_space)
        kern_exit_system((int)(status & 0xff), NULL);
    char why[64];
    snprintf(why, sizeof why, "main returned %ld", (long)status);
    kern_thread_exit_current(why);
}
