/* The kernel's trace buffer: a ring of fixed-size records of kernel events
 * (IPC, page faults, map/grant/unmap, scheduling, interrupts, threads and
 * tasks), filtered as they are recorded, and the watch points (breakpoints,
 * single steps) that the monitor sets on the same events.  Only the holder
 * of the CPU records, so the ring takes no lock.
 *
 * A hook costs one load of kern_trace_mask and a branch not taken while
 * tracing is off; built with CHACM_TRACE_HOOKS=0 (chacmsim-nohooks, the
 * benchmark's reference) the hooks are not compiled at all. */
#ifndef CHACM_KERN_TRACE_H
#define CHACM_KERN_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <l4/hosted/types.h>

#ifndef CHACM_TRACE_HOOKS
#define CHACM_TRACE_HOOKS 1
#endif

typedef struct kern_thread kern_thread_t;
typedef struct kern_space kern_space_t;

/* What a record's fields mean, per kind (a, b are raw thread ids; w[] words). */
typedef enum {
    KT_IPC = 0,      /* a message delivered: a sender, b receiver, w0 tag, w1..3 MR1..3, err 0 */
    KT_IPC_ERR,      /* an IPC phase of a failed: w0 the ErrorCode (code, phase) */
    KT_PF,           /* page fault of a sent to pager b: w0 address, w1 IP, w2 access (rwx) */
    KT_PF_DONE,      /* a's page fault resolved: w0 address, err 1 if the IPC failed */
    KT_MAP,          /* a maps to b: w0 source base, w1 destination base, w2 size, w3 rights */
    KT_GRANT,        /* as KT_MAP, granted */
    KT_UNMAP,        /* a unmaps: w0 the fpage, w1 flush, w2 the access bits seen */
    KT_SCHED,        /* the CPU goes from a to b: w0 a's state (kern_tstate_t) */
    KT_IRQ,          /* interrupt thread a to handler b: w0 the number, w1 0 raised, 1 delivered */
    KT_THREAD_NEW,   /* thread a created by b */
    KT_THREAD_START, /* thread a started: w0 IP, w1 SP */
    KT_THREAD_DEAD,  /* thread a stopped (w0 0) or deleted (w0 1) */
    KT_TASK_NEW,     /* space w0 (serial) created by a */
    KT_TASK_DEAD,    /* space w0 (serial) released */
    KT_KDB,          /* a entered the kernel debugger (L4_KDB_Enter) */
    KT_INJECT,       /* a fault injected into a's event: w0 what (reserved) */
    KT_NKINDS
} kern_trace_kind_t;

#define KT_ALL ((1u << KT_NKINDS) - 1)

typedef struct {
    uint64_t seq;                   /* number of the event since the start (1, 2, ...) */
    uint64_t time;                  /* virtual ns */
    uint16_t kind;
    uint16_t err;                   /* KT_IPC: the transfer's error code, 0 if delivered */
    uint32_t space_a, space_b;      /* serials of a's and b's spaces, ~0 for none */
    L4_Word_t a, b;
    L4_Word_t w[4];
} kern_trace_rec_t;

/* A filter: a record passes if its kind is in kinds and, for each part
 * given, a or b is one of threads (by thread number), a's or b's space is
 * named task, and (IPC records only) its label is label. */
#define KT_MAX_FILTER_THREADS 8
typedef struct {
    uint32_t kinds;
    unsigned nthreads;
    L4_Word_t threads[KT_MAX_FILTER_THREADS];   /* thread numbers */
    char task[24];                              /* "" for any */
    bool has_label;
    L4_Word_t label;
} kern_trace_filter_t;

/* Bits of kinds that are recorded or watched; 0 while tracing is off.  A
 * cache line of its own: every hook reads it and nothing writes it while
 * the system runs, so it never moves between CPUs. */
typedef struct {
    _Alignas(64) uint32_t mask;
} kern_trace_ctl_t;
/* hidden: one program, so a hook is a single test of the mask in place,
 * not a load of its address from the GOT first */
extern kern_trace_ctl_t kern_trace_ctl __attribute__((visibility("hidden")));

#if CHACM_TRACE_HOOKS
#define KTRACE_ON(kind) __builtin_expect((kern_trace_ctl.mask >> (kind)) & 1, 0)
/* Is any kind of the bit set `kinds` on? */
#define KTRACE_ANY(kinds) __builtin_expect((kern_trace_ctl.mask & (kinds)) != 0, 0)
#else
#define KTRACE_ON(kind) 0
#define KTRACE_ANY(kinds) 0
#endif

/* ---- set-up (sim/, the monitor) ---- */
/* Starts recording into a ring of `size` records (0: keep the present
 * size, at first 65536) the records that pass f. */
bool kern_trace_start(unsigned size, const kern_trace_filter_t *f);
void kern_trace_stop(void);
bool kern_trace_recording(void);
/* Parses a comma-separated list of kind names ("ipc,pf", "all") into
 * *kinds; false (and the bad name in *bad) if one is unknown. */
bool kern_trace_parse_kinds(const char *s, uint32_t *kinds, const char **bad);
const char *kern_trace_kind_name(unsigned kind);
bool kern_trace_match(const kern_trace_filter_t *f, const kern_trace_rec_t *r);
/* The records in the ring, oldest first: *n of them (the ring's two halves
 * are copied into one array that the caller frees). */
kern_trace_rec_t *kern_trace_snapshot(size_t *n);
uint64_t kern_trace_count(void);
/* A hash of every recorded event's kind, time, threads, result and the
 * words that do not depend on where the host put program images (labels
 * and page-fault addresses in windows, not IPs or MR contents). */
uint64_t kern_trace_hash(void);          /* events recorded so far (passed the filter) */
uint64_t kern_trace_dropped(void);        /* of them, overwritten in the ring */
/* Names of threads and spaces as they were when traced (threads may be
 * gone by the time of an export). */
const char *kern_trace_thread_name(L4_Word_t id);
const char *kern_trace_space_name(uint32_t serial);
/* One line of text for r (no newline). */
void kern_trace_format(const kern_trace_rec_t *r, char *buf, size_t size);

/* Watch points: every event whose kind is in `watch` is shown to
 * kern_trace_watcher (the monitor), after it was recorded. */
extern void (*kern_trace_watcher)(const kern_trace_rec_t *r);
void kern_trace_watch(uint32_t kinds);
void kern_trace_update_mask(void);

/* The monitor's entry for L4_KDB_Enter (kdb.c calls it with the
 * message), or NULL: the message is only logged. */
extern void (*kern_kdb_hook)(const char *msg);

/* The monitor (sim/monitor.c), entered with a reason; NULL without one.
 * kern_monitor_request (any host thread) asks for it at the next kernel
 * entry or idle moment; kern_monitor_poll (kernel) enters it if asked. */
extern void (*kern_monitor_hook)(const char *why);
void kern_monitor_request(void);
void kern_monitor_poll(void);

/* ---- the hooks' out-of-line parts (trace.c) ---- */
void kern_trace_rec(unsigned kind, kern_thread_t *a, kern_thread_t *b, unsigned err, L4_Word_t w0, L4_Word_t w1,
                    L4_Word_t w2, L4_Word_t w3);
void kern_trace_name(kern_thread_t *t);
void kern_trace_space_named(const kern_space_t *s);

/* A hook: records an event of `kind` when that kind is on. */
#define KTRACE(kind, a, b, err, w0, w1, w2, w3)                                                   \
    do {                                                                                          \
        if (KTRACE_ON(kind))                                                                      \
            kern_trace_rec((kind), (a), (b), (err), (L4_Word_t)(w0), (L4_Word_t)(w1), (L4_Word_t)(w2), \
                           (L4_Word_t)(w3));                                                      \
    } while (0)

#endif /* CHACM_KERN_TRACE_H */
