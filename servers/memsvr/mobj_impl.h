/* memsvr: what mobj.c (bindings, the queue to managers, waiting faults,
 * returning pages) shares with mobjcalls.c (the memory_object_control
 * handlers and vm_msync). */
#ifndef MEMSVR_MOBJ_IMPL_H
#define MEMSVR_MOBJ_IMPL_H

#include "memsvr.h"

#define MOBJ_MAX        64              /* external objects at once */
#define MOBJ_TAG        0x40000000UL    /* in every control name */
#define WAIT_MAX        128             /* faults waiting for managers */
#define SYNC_MAX        16              /* vm_msync calls waiting for managers */
#define CLUSTER_PAGES   16              /* pages per data_request and data_return */
#define RETRY_US        1000            /* resend period of queued messages */
#define REASK_US        10000           /* a page that found no frame is asked for again after this */

struct mobj {
    bool used;
    bool dead;                          /* destroyed, or its manager ended: faults fail */
    uint16_t gen;
    obj_t *obj;                         /* the object (ext == this) */
    L4_ThreadId_t manager;              /* the thread messages go to */
    unsigned mslot;                     /* the manager's task: slot and generation */
    uint16_t mgen;
    L4_Word_t object;                   /* the manager's name for it */
};

typedef struct {
    bool used, unlock;
    unsigned slot;                      /* the faulting task: slot and generation */
    uint16_t gen;
    L4_ThreadId_t th;
    L4_Word_t addr, ip;
    unsigned rwx;
    mobj_t *m;
    vm_offset_t pg;
    L4_Word_t deadline;                 /* system clock, microseconds */
    L4_Word_t reask;                    /* ask the manager again then (0: no) */
} waiter_t;

enum { MSG_INIT, MSG_REQUEST, MSG_UNLOCK, MSG_RETURN, MSG_LOCKED, MSG_TERMINATE };

typedef struct outmsg {
    struct outmsg *next;
    unsigned kind;
    L4_ThreadId_t to;
    L4_Word_t object, control, offset, length;
    L4_Word_t arg;                      /* desired access, or data_return's address */
    obj_t *data;                        /* data_return's pages until placed in the manager's space */
    unsigned mslot;                     /* the manager's task: slot and generation */
    uint16_t mgen;
    bool dirty;
    unsigned sync_id;                   /* the vm_msync it belongs to (0: none) */
} outmsg_t;

typedef struct {
    bool used, deferred;
    L4_ThreadId_t caller;
    unsigned pending;                   /* messages not yet delivered (+1 while queuing) */
    kern_return_t result;
} sync_t;

extern mobj_t mobjs[MOBJ_MAX];

L4_Word_t mobj_now(void);
L4_Word_t mobj_control(const mobj_t *m);
mobj_t *mobj_by_control(L4_Word_t control);
mtask_t *mobj_manager_task(const mobj_t *m);
/* Queues a message for m's manager and sends what can be sent. */
bool mobj_queue(const mobj_t *m, unsigned kind, L4_Word_t offset, L4_Word_t length, L4_Word_t arg, bool dirty,
                unsigned sync_id);
/* The same for a data_return of the pages in data (placed in the
 * manager's space when it is sent). */
bool mobj_queue_data(const mobj_t *m, unsigned kind, L4_Word_t offset, L4_Word_t length, L4_Word_t arg,
                     obj_t *data, bool dirty, unsigned sync_id);
/* Retries (wake) or fails the faults waiting for pages [first, last) of m. */
void mobj_wake(const mobj_t *m, vm_offset_t first, vm_offset_t last, bool unlock_only);
void mobj_fail(const mobj_t *m, vm_offset_t first, vm_offset_t last, const char *why);
/* One data_return of the n pages at pg of o (absent ones stay holes). */
bool mobj_return_run(mobj_t *m, obj_t *o, vm_offset_t pg, unsigned n, bool move, bool dirty, unsigned sync_id);
bool mobj_return_range(mobj_t *m, obj_t *o, vm_offset_t pg, vm_size_t n, unsigned want, bool flush,
                       unsigned sync_id, unsigned *sent);
void mobj_drop_range(obj_t *o, vm_offset_t pg, vm_size_t n);
/* The waiters of m's pages [first, last) ask again after REASK_US (the
 * pages found no frame; evicted pages free some meanwhile). */
void mobj_reask(const mobj_t *m, vm_offset_t first, vm_offset_t last);

#endif /* !MEMSVR_MOBJ_IMPL_H */
