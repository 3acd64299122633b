/* Fault injection (inject.c): the rules of a fault plan, which the
 * simulator parses (sim/faultplan.c, docs/debugging.md "Fault plans"),
 * and the kernel's side of them.  IPC faults act in the IPC system call
 * and in message transfer; kills at kernel entries; disk faults in the
 * device models, which ask kern_inject_disk.  Each rule draws from its own
 * generator, seeded by the run's seed and the rule's number, in the
 * kernel's deterministic order of events: the same seed and plan give the
 * same faults.  Every injected fault is a trace record of kind `inject`. */
#ifndef CHACM_KERN_INJECT_H
#define CHACM_KERN_INJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kern.h"
#include "kern_trace.h"

typedef enum {
    KI_LOSE = 1,        /* the message vanishes; a call's receive phase still waits */
    KI_DELAY,           /* the sender waits delay_ns of virtual time, then sends */
    KI_DUP,             /* the message is sent twice */
    KI_CORRUPT,         /* one untyped word (or the label) of the delivered message changes */
    KI_FAIL,            /* a call is answered, for the server, with error reply label err */
    KI_REFUSE,          /* a sigma0 request is answered, for sigma0, with a nil fpage */
    KI_CORRUPT_DATA,    /* a byte of a delivered string (a write's data) changes */
    KI_CORRUPT_REPLY,   /* a byte of the string in the call's reply (a read's data) changes */
    KI_KILL,            /* the matching threads stop for good, as after a fatal fault */
    KI_DISK_FAIL,       /* the device model fails the sector's read or write */
    KI_DISK_CORRUPT,    /* ... or changes a byte of it */
    KI_NWHAT
} kern_inject_what_t;

/* Which device a disk rule is for (the ramdisk's become IPC rules). */
#define KI_DEV_ATA 1

#define KI_NAME 32
typedef struct {
    unsigned what;
    char from[KI_NAME];         /* sender (IPC) or victim (kill): a task or a thread name; "" any */
    char to[KI_NAME];           /* receiver: a task or thread name; "" any */
    unsigned nlabels;           /* 0: any label; else one of these ranges of 16-bit labels */
    L4_Word_t label_lo[4], label_hi[4];
    bool has_sector;            /* IPC: MR2 (first block) and MR3 (count) cover sector */
    L4_Word_t sector;
    unsigned sector_size;       /* bytes per block of the request (KI_CORRUPT_REPLY's offset) */
    unsigned dev;               /* disk rules: KI_DEV_* */
    int disk_op;                /* disk rules: 0 read, 1 write, -1 either */
    /* when: the nth matching event, or each with probability rate */
    uint64_t nth;               /* 0: by rate */
    double rate;
    uint64_t max;               /* most faults of this rule (0: no limit) */
    uint64_t from_ns;           /* no fault before this virtual time */
    uint64_t at_ns;             /* kill: at this virtual time (0: not by time) */
    uint64_t after;             /* kill: after this many IPC system calls (0: not by count) */
    uint64_t delay_ns;          /* KI_DELAY */
    L4_Word_t err;              /* KI_FAIL: the reply's label (an IDL wire error) */
    const char *text;           /* the plan's line, for reports */
} kern_inject_rule_t;

/* Is a plan loaded (the trace mask's KT_INJECT bit is then set too)? */
extern bool kern_inject_on;
const char *kern_inject_what_name(unsigned what);

/* The text of an `inject` trace record after its kind (thread names a, b). */
void kern_inject_format(const kern_trace_rec_t *r, const char *a, const char *b, char *buf, size_t size);

/* Adds a rule (before the run); false when the table is full. */
bool kern_inject_add(const kern_inject_rule_t *r);
/* Turns injection on if there are rules (after kern_init; the seed is
 * kern.seed); false in a kernel built without hooks. */
bool kern_inject_start(void);
/* Faults injected so far, and a summary line per rule. */
uint64_t kern_inject_count(void);
void kern_inject_report(FILE *f);

/* Hooks.  kern_inject_ipc does the whole IPC system call while injection
 * is on (instead of the fast path). */
kern_pair_t kern_inject_ipc(kern_thread_t *self, L4_Word_t to, L4_Word_t from, L4_Word_t timeouts);
/* src's message was just delivered to dst (kern_ipc_transfer). */
void kern_inject_delivered(kern_thread_t *src, kern_thread_t *dst);
/* A device model is about to read (write false: the bytes came from the
 * disk) or write the n sectors at lba in buf.  Returns true if the
 * transfer is to fail; may change a byte of buf. */
bool kern_inject_disk(unsigned dev, bool write, uint64_t lba, unsigned n, uint8_t *buf, unsigned sector_size);

#endif /* CHACM_KERN_INJECT_H */
