/* Private interface of the hosted L4 X.2 kernel: threads, spaces, the
 * scheduler, IPC.  Only code under l4shim/hosted and sim/ includes this. */
#ifndef CHACM_KERN_H
#define CHACM_KERN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdio.h>

#include <l4/hosted/types.h>
#include <l4/hosted/vregs.h>
#include "kern_words.h"

#define KERN_NPRIO          256
#define KERN_THREAD_BITS    18              /* thread numbers, as on ia32 */
#define KERN_MAX_THREADS    (1u << KERN_THREAD_BITS)
#define KERN_NIRQ           16              /* interrupt threads 0..15 */
#define KERN_SYSTEM_BASE    16              /* kernel threads (none run code) */
#define KERN_USER_BASE      32              /* sigma0; sigma1 = +1; root = +2 */
#define KERN_PAGE_SIZE      4096UL
#define KERN_KIP_SIZE_LOG2  12
#define KERN_UTCB_SIZE      1024UL
#define KERN_UTCB_ALIGN_LOG2 10
#define KERN_TIME_NEVER     UINT64_MAX

typedef enum {
    TS_FREE = 0,        /* slot unused */
    TS_INACTIVE,        /* exists, no UTCB/pager yet or not started */
    TS_READY,           /* runnable (the current thread is READY too) */
    TS_SENDING,         /* blocked in a send phase, queued at the partner */
    TS_RECEIVING,       /* blocked in a receive phase */
    TS_WAITING,         /* ThreadSwitch/Sleep-like wait without partner */
    TS_DEAD,            /* stopped for good (returned, fault, deleted) */
    TS_LOCKED,          /* in a message transfer that waits for page faults (ipc_xfer.c) */
} kern_tstate_t;

typedef struct kern_space kern_space_t;

/* Counters for --stats.  Each host thread counts in its own L4 thread's
 * record (a shared counter would be one more cache line to move at every
 * handoff); the kernel sums them at the end. */
typedef struct {
    _Atomic uint64_t ipc;           /* Ipc and Lipc system calls */
    _Atomic uint64_t pushed;        /* of them, handed to the receiver's host thread */
    _Atomic uint64_t refused;       /* pushes this thread refused as receiver */
    _Atomic uint64_t handoffs;      /* times this thread handed the CPU on */
    _Atomic uint64_t sleeps;        /* waits that ended in the futex */
    _Atomic uint64_t preemptions;   /* host CPU-time preemptions of guest code (preempt.c) */
} kern_stats_t;

/* Adds one to a counter that only the calling host thread writes (a plain
 * load and store: a locked increment would cost more than the IPC path
 * can spare). */
static inline void kern_count(_Atomic uint64_t *c)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1, memory_order_relaxed);
}

/* Two result words, returned in rax:rdx to the entry stub. */
typedef struct {
    L4_Word_t w0, w1;
} kern_pair_t;
typedef struct kern_thread kern_thread_t;

/* The mark a thread carries while an injected fault waits for its message
 * transfer (inject.c, kern_inject.h). */
typedef struct {
    unsigned send_rule;         /* 1 + rule: corrupt this thread's next delivered message */
    unsigned reply_rule;        /* 1 + rule: corrupt the string of the next message from reply_from */
    L4_Word_t reply_from;
    L4_Word_t offset;           /* byte of that string */
} kern_inject_mark_t;

/* Fields are grouped by cache line.  Every line that the host thread of
 * one CPU writes and the other reads costs a transfer between CPUs, and
 * the IPC fast path (ipc.c) is built so that a partner's lines are only
 * read, never written: line 0 is what other threads read of a thread, line
 * 1 its own IPC state. */
struct kern_thread {
    /* line 0: identity, read by partners, written only when the thread is
     * configured or its host thread sleeps */
    _Alignas(64) L4_Word_t id;      /* global thread id, raw */
    L4_Word_t *utcb;                /* MR0 pointer, NULL until placed */
    kern_space_t *space;
    L4_Word_t utcb_location;        /* UTCB block address (= local id) */
    uint8_t prio;
    bool is_irq;                    /* interrupt pseudo-thread, no host thread */
    bool host_started;
    _Atomic int sleeping;           /* its host thread sleeps (or is about to) in the futex */
    _Atomic int go;                 /* futex word: 1 wakes a sleeping host thread */

    /* line 1: the thread's own IPC state */
    _Alignas(64) kern_tstate_t state;
    bool halted;                    /* ExchangeRegisters H */
    bool awaiting_start;            /* active, waits for its pager's start IPC */
    bool on_rq;
    bool on_tq;
    bool send_then_receive;         /* a receive phase follows the blocked send */
    bool redirect;                  /* leave the kernel for start_ip/sp */
    bool doomed;                    /* host thread must unwind and end */
    L4_Word_t rcv_from;             /* from specifier while RECEIVING */
    L4_Word_t ret_tag, ret_from;    /* result of a blocked IPC, set by partner */
    uint64_t ts_left;
    uintptr_t kstack;               /* kernel stack top (guest sp saved below) */
    uint64_t wakeup;                /* absolute virtual ns, while on_tq */

    /* line 2: queues of blocked IPC */
    _Alignas(64) kern_thread_t *sendq_head; /* threads sending to me */
    kern_thread_t *sendq_tail;
    kern_thread_t *sq_next, *sq_prev, *sq_owner;
    L4_Word_t snd_to;               /* raw id, send partner while SENDING */
    L4_Word_t rcv_timeout;          /* 16-bit receive timeout for after a blocked send */

    /* line 3: scheduling */
    _Alignas(64) kern_thread_t *rq_next;
    kern_thread_t *rq_prev;
    kern_thread_t *tq_next, *tq_prev;
    uint64_t timeslice;             /* ns of virtual time */
    L4_Word_t scheduler;            /* raw id of the scheduler thread */

    /* the rest */
    _Alignas(64) bool started;      /* has run guest code (or been given IP/SP) */
    kern_stats_t stats;             /* counted by this thread's host thread only */
    bool base_valid;

    /* interrupts (is_irq) */
    L4_Word_t irq_handler;          /* raw id of the handler ("pager") */
    bool irq_pending, irq_in_service;

    /* guest start state */
    L4_Word_t start_ip, start_sp, flags;
    /* preempt.c: a host CPU-time preemption interrupted its guest code at
     * preempt_sp/ip and it waits for the CPU in the signal handler */
    bool preempted;
    L4_Word_t preempt_sp, preempt_ip;
    void *cpu_timer;                /* its host CPU-time timer, or NULL */
    L4_Word_t pager_init;           /* the pager TCR before the UTCB exists */

    kern_inject_mark_t inject;      /* a fault waiting for this thread's transfer (inject.c) */
    struct kern_fault *fault;       /* signal stack, page fault in progress */
    struct kern_xfer *xfer;         /* a transfer that page faults have interrupted */
    L4_Word_t xfer_abort;           /* ErrorCode when that transfer's driver was deleted */
    uint64_t ipc_cap;               /* nonzero: no IPC phase of t waits past this (ns) */
    pthread_t host;
    const uint64_t *clock;          /* its host thread's kern_now, for reports from outside */
    void *kstack_base;              /* the host thread's stack (kernel stack) */
    sigjmp_buf base;                /* unwinds a thread's kernel stack */
    kern_thread_t *space_next;
    kern_thread_t *all_next, *all_prev;     /* every thread in the table */
    char name[32];
};
_Static_assert(offsetof(kern_thread_t, state) == 64, "line 0 of a thread is one cache line");
_Static_assert(offsetof(kern_thread_t, sendq_head) == 128, "line 1 of a thread is one cache line");
_Static_assert(offsetof(kern_thread_t, rq_next) == 192, "line 2 of a thread is one cache line");
_Static_assert(offsetof(kern_thread_t, started) == 256, "line 3 of a thread is one cache line");


/* What the new holder of the CPU does first (kern_cpu_t.op). */
enum {
    KERN_OP_NONE = 0,               /* return to where it waited */
    KERN_OP_PUSH,                   /* take the message in msg from pusher (ipc.c) */
    KERN_OP_BOUNCE,                 /* the push was refused: do the IPC the long way */
    KERN_OP_XFER_FAULT,             /* resolve a fault of the transfer in self->xfer (ipc_xfer.c) */
};

/* The one simulated CPU.  Only its holder writes these lines, and hands
 * them on with the CPU, so they move between host CPUs with the handoff;
 * every waiting host thread looks at `turn`.  A message pushed by the IPC
 * fast path has its tag (msg[0]) and MR1..3 in line 0 with `turn`, and
 * MR4..11 in line 1 (further words in the lines after). */
typedef struct {
    _Alignas(128) kern_thread_t *_Atomic turn;  /* the thread that holds the CPU */
    kern_thread_t *pusher;          /* OP_PUSH, OP_BOUNCE: the sending thread */
    uint64_t now;                   /* the virtual clock (ns) at the last handoff */
    unsigned op;                    /* KERN_OP_*, set at every handoff */
    L4_Word_t msg[__L4_NUM_MRS];    /* OP_PUSH: tag and untyped words */
} kern_cpu_t;
_Static_assert(offsetof(kern_cpu_t, msg) == 32, "a pushed tag and MR1..3 share line 0 with turn");

struct kern_space {
    unsigned serial;
    char name[24];
    L4_Word_t base, size;           /* the window [base, base+size) */
    L4_Word_t kip_area;             /* fpage raw, or 0 while unset */
    L4_Word_t utcb_area;            /* fpage raw, or 0 while unset */
    L4_Word_t *kip;                 /* this space's KIP copy */
    unsigned nthreads;
    kern_thread_t *threads;
    uint8_t *utcb_pages;            /* bitmap: UTCB area pages backed */
    bool privileged;                /* may use ThreadControl etc. */
    void *module;                   /* loader cookie (sim) */
    void *mem;                      /* mapping database: the space's page table */
    unsigned image;                 /* the program image its first thread started in (image.c) */
    int pkey;                       /* protection key of the window (isolation.c), 0 when off */
    unsigned io_held;               /* I/O ports it holds (ioport.c) */
};

/* The kernel's global state; only the current thread touches it. */
typedef struct {
    /* read-mostly: configuration and tables */
    kern_thread_t **threads;        /* indexed by thread number */
    kern_thread_t *all_threads;     /* the same threads, as a list */
    uint64_t entry_cost;            /* virtual ns charged per kernel entry */
    uint64_t default_timeslice;
    uint64_t max_time;              /* stop after this much virtual time */
    unsigned spin_limit;            /* looks at the CPU line before a waiting thread sleeps */
    unsigned spin_pauses;           /* PAUSEs between two looks */
    int host_cpu;                   /* host CPU of every L4 thread, or -1 */
    unsigned nspaces;
    L4_Word_t window_size;
    L4_Word_t window_base;          /* first window */
    unsigned max_windows;           /* windows that may exist at once */
    unsigned next_window;           /* above every window ever handed out */
    uint8_t *window_used;           /* bitmap over max_windows */
    L4_Word_t *kip_template;        /* filled once, copied per space */
    uint64_t seed;
    uint64_t rng;                   /* xorshift state, from the seed */
    _Atomic int events_pending;     /* host events posted */
    int event_sources;              /* >0: idle waits for host events */
    _Atomic int input_waiting;      /* >0: a device waits for host input (a pipe's next bytes): idle
                                     * gives it KERN_INPUT_GRACE_MS before it moves the clock on */
    bool preempt;                   /* host CPU-time preemption of busy threads (preempt.c) */
    /* the CPU: moves with every handoff */
    kern_cpu_t cpu;
    /* changed when threads block, wake or time out (not on every kernel
     * entry): kept apart from the read-mostly part */
    _Alignas(64) kern_thread_t *tq_head;    /* timeouts, sorted by wakeup */
    uint64_t rq_bitmap[KERN_NPRIO / 64];
    unsigned rq_words;              /* bit w: rq_bitmap[w] is not empty */
    bool idling;                    /* the current thread is blocked in idle() */
    uint64_t dev_next;              /* the device bus's earliest event (KERN_TIME_NEVER: none) */
    _Alignas(64) kern_thread_t *rq_head[KERN_NPRIO];
    kern_thread_t *rq_tail[KERN_NPRIO];
    /* exit */
    pthread_mutex_t exit_lock;
    pthread_cond_t exit_cond;
    bool exited;
    int exit_status;
    _Atomic int stop;               /* the run ends from outside: the CPU stops at its next kernel entry */
    bool cpu_stopped;               /* the holder of the CPU has stopped for good (under exit_lock) */
    kern_space_t *root_space;
    kern_thread_t *root_thread;     /* its end (other than main returning) ends the run */
    kern_stats_t stats_gone;        /* counters of deleted threads */
    FILE *out;                      /* KDB output */
} kern_t;

extern kern_t kern;

/* TLS of every host thread that carries an L4 thread. */
extern __thread kern_thread_t *kern_self;
extern __thread uintptr_t kern_kstack;

/* The virtual clock in ns.  The holder of the CPU keeps it in kern_now
 * and hands it on in the CPU's first line (kern.cpu.now), which is written
 * only at handoffs: threads waiting for the CPU read that line all the
 * time, and each write to it while they do would cost a transfer. */
extern __thread uint64_t kern_now;
static inline uint64_t kern_time(void)
{
    return kern_now;
}

/* boot.c */
typedef struct {
    L4_Word_t window_size;
    uint64_t seed;
    uint64_t rng;                   /* xorshift state, from the seed */
    uint64_t max_time_ns;
    uint64_t entry_cost_ns;
    uint64_t timeslice_ns;
    int spin;                       /* <0: automatic */
    int cpu;                        /* >=0: pin every L4 thread to this CPU */
    bool hold;                      /* idle instead of reporting a deadlock */
    bool preempt;                   /* preempt threads that compute for a time slice of host CPU time */
    uint64_t memory_size;           /* bytes of physical memory (0: 128 MiB) */
    unsigned max_spaces;            /* address spaces at once (0: as many as fit) */
    int isolation;                  /* KERN_ISO_OFF, _ON or _AUTO (kern_iso.h) */
} kern_config_t;
void kern_init(const kern_config_t *cfg);
int kern_run(unsigned timeout_s);   /* blocks until the system ends; exit status */
void kern_dump_threads(void);
void kern_dump_waits(FILE *f, bool always);     /* waits.c; !always: nothing if no thread waits for one */
void kern_print_stats(FILE *f);
void kern_stats_add(kern_stats_t *sum, const kern_stats_t *part);
void kern_exit_system(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void kern_stop_here(void) __attribute__((noreturn));
/* Has the end of the run from outside asked the CPU to stop (kern.stop)? */
static inline bool kern_stopping(void)
{
    return __builtin_expect(atomic_load_explicit(&kern.stop, memory_order_acquire), 0);
}
void kern_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* space.c */
kern_space_t *kern_space_create(void);
int kern_space_set_areas(kern_space_t *s, L4_Word_t kip_area, L4_Word_t utcb_area);
/* Moves s's memory to protection key key (isolation.c). */
void kern_space_retag(kern_space_t *s, int key);
bool kern_space_utcb_valid(kern_space_t *s, L4_Word_t location);
L4_Word_t *kern_space_utcb_map(kern_space_t *s, L4_Word_t location);
void kern_space_release(kern_space_t *s);
bool kern_space_reloc(const kern_space_t *s, L4_Word_t addr, L4_Word_t *out);

/* thread.c */
kern_thread_t *kern_thread_lookup_local(L4_Word_t id, kern_thread_t *rel);
kern_thread_t *kern_thread_create(L4_Word_t id, kern_space_t *space);
int kern_thread_place_utcb(kern_thread_t *t, L4_Word_t location);
void kern_thread_start(kern_thread_t *t, L4_Word_t ip, L4_Word_t sp);
void kern_thread_kill(kern_thread_t *t, const char *why);
void kern_thread_delete(kern_thread_t *t);
void kern_thread_exit_current(const char *why) __attribute__((noreturn));
L4_Word_t kern_thread_pager(kern_thread_t *t);

/* sched.c */
void kern_entry_slow(kern_thread_t *self);
void kern_rq_add(kern_thread_t *t, bool front);
void kern_rq_remove(kern_thread_t *t);
kern_thread_t *kern_rq_highest(void);
void kern_block(void);
/* t's guest SP and IP: where it entered the kernel, faulted, was
 * preempted, or will start (syscalls.c). */
void kern_guest_sp_ip(kern_thread_t *t, L4_Word_t *sp, L4_Word_t *ip);              /* current blocks: run someone else */
void kern_switch_to(kern_thread_t *next);  /* direct switch, current stays as is */
void kern_make_ready(kern_thread_t *t);
void kern_wakeup(kern_thread_t *t); /* unblock, enqueue; preempts if higher */
void kern_tq_insert(kern_thread_t *t, uint64_t when);
void kern_tq_unlink(kern_thread_t *t);
void kern_wait_turn(kern_thread_t *self);
void kern_hand_to(kern_thread_t *next);
void kern_hand_over(kern_thread_t *next, unsigned op);
uint64_t kern_timeout_deadline(L4_Word_t t16, uint64_t now);
void kern_post_event(void);
kern_thread_t *kern_idle_pick(void);
uint64_t kern_fresh_slice(kern_thread_t *t);
void kern_entry_nocharge(void);
void kern_preempt_point(uint64_t cost);

/* preempt.c */
void kern_preempt_init(void);
void kern_preempt_thread_init(kern_thread_t *t);
void kern_preempt_thread_fini(kern_thread_t *t);

/* thread.c */
bool kern_thread_on_kstack(const kern_thread_t *t, uintptr_t sp);

/* ipc.c, ipc_fast.c, irq.c */
void kern_ipc_timeout(kern_thread_t *t);
void kern_ipc_cancel(kern_thread_t *t, bool send, bool receive, bool from_outside);
void kern_irq_raise(unsigned irq);
void kern_irq_detach(kern_thread_t *irq);
void kern_ipc_partner_gone(kern_thread_t *t);
void kern_start_message(kern_thread_t *t, kern_thread_t *pager);
bool kern_ipc_take_push(kern_thread_t *self);
bool kern_ipc_xfer_serve(kern_thread_t *self);
void kern_ipc_xfer_gone(kern_thread_t *t);
void kern_ipc_xfer_abort(kern_thread_t *t);

/* hostcopy.c: at most KERN_HOSTCOPY_MAX bytes per call */
#define KERN_HOSTCOPY_MAX 4096
void kern_hostcopy_init(void);
ssize_t kern_host_read(void *to, const void *from, size_t n);
ssize_t kern_host_write(void *to, const void *from, size_t n);

/* memory.c */
/* the current thread's memory to a kernel buffer and back */
size_t kern_copy_from_guest(void *to, const void *from, size_t n);
size_t kern_copy_to_guest(void *to, const void *from, size_t n);
L4_Word_t kern_guest_reach(kern_space_t *s, L4_Word_t addr, L4_Word_t n, unsigned access, bool *fault);

/* image.c */
unsigned kern_image_at(L4_Word_t addr);
/* Moves image's segments to protection key key (isolation.c). */
void kern_image_retag(unsigned image, int key);
const char *kern_image_name(unsigned image);
L4_Word_t kern_image_reach(unsigned image, L4_Word_t addr, L4_Word_t n, bool write);
void kern_map_item(kern_thread_t *src, kern_thread_t *dst, L4_Word_t item[2]);
void kern_unmap(kern_thread_t *self, L4_Word_t control);

/* devices.c: the test device, and the device bus the simulator attaches
 * (sim/devices): port accesses the test device does not take go to it;
 * it runs its due events and posted host input at kernel entries and in
 * idle, and tells the kernel its earliest event (kern_dev_next). */
typedef struct {
    uint32_t (*in)(unsigned port, unsigned width);
    void (*out)(unsigned port, unsigned width, uint32_t value);
    void (*run)(uint64_t now);
    void (*ins)(unsigned port, unsigned width, void *buf, size_t count);
    void (*outs)(unsigned port, unsigned width, const void *buf, size_t count);
} kern_devbus_t;
void kern_dev_attach(const kern_devbus_t *bus);
void kern_dev_next(uint64_t when);
void kern_dev_run(void);
void kern_dev_timer(kern_thread_t *irq);

/* kip.c */
void kern_kip_build(void);
void kern_kip_fill_space(kern_space_t *s);

/* kdb.c */
void kern_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kern_input_record(FILE *f);    /* --record: each KDB_ReadChar's result goes to f */
void kern_input_replay(FILE *f);    /* --replay: each KDB_ReadChar's result comes from f */
void kern_putc(int c);

/* ---- small functions of the IPC path, inline ---- */


/* The thread a global or local id names (local ids relative to rel's
 * space), or NULL.  A thread leaves the table before it becomes TS_FREE;
 * only its first line is read, since partners look threads up on every
 * IPC. */
static inline kern_thread_t *kern_thread_lookup(L4_Word_t id, kern_thread_t *rel)
{
    if (kw_is_local(id))
        return kern_thread_lookup_local(id, rel);
    L4_Word_t no = kw_thread_no(id);
    if (no >= KERN_MAX_THREADS)
        return NULL;
    kern_thread_t *t = kern.threads[no];
    return t && t->id == id ? t : NULL;
}

/* Puts t on the timeout queue to wake at `when` (KERN_TIME_NEVER: takes
 * it off).  `wakeup` means something only while t is queued. */
static inline void kern_tq_add(kern_thread_t *t, uint64_t when)
{
    if (t->on_tq)
        kern_tq_unlink(t);
    if (when != KERN_TIME_NEVER)
        kern_tq_insert(t, when);
}

static inline void kern_tq_remove(kern_thread_t *t)
{
    if (t->on_tq)
        kern_tq_unlink(t);
}

/* Called at every kernel entry of the current thread: charges virtual time,
 * fires due timeouts, ends the time slice, and preempts in favour of a
 * higher-priority thread.  The common case, nothing due and nothing else
 * ready, is decided here without a call. */
static inline void kern_entry(void)
{
    kern_thread_t *self = kern_self;
    self->kstack = kern_kstack;
    uint64_t now = kern_now += kern.entry_cost;
    if (__builtin_expect((kern.max_time && now > kern.max_time) ||
                         (kern.tq_head && kern.tq_head->wakeup <= now) || kern.dev_next <= now ||
                         atomic_load_explicit(&kern.events_pending, memory_order_relaxed) ||
                         self->ts_left <= kern.entry_cost || kern.rq_words, 0)) {
        kern_entry_slow(self);
        return;
    }
    self->ts_left -= kern.entry_cost;
}

#endif /* CHACM_KERN_H */
