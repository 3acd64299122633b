/* memsvr's private interface between its modules: frames (frames.c),
 * objects with shadow chains (object.c), tasks (task.c), named entries
 * (handle.c), the map hooks and range operations (range.c), the pager
 * (pager.c) and the request handlers (vmcalls.c, taskcalls.c). */
#ifndef MEMSVR_H
#define MEMSVR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <l4/types.h>
#include <mach/mach.h>

#include "map.h"
#include "memsvr_server.h"

#define MS_PAGE         4096UL
#define MS_PAGE_BITS    12
#define MS_CHUNK_LOG2   6               /* frames come from sigma0 64 pages at a time */
#define MS_CHUNK_PAGES  (1u << MS_CHUNK_LOG2)
#define MS_RUN_LOG2     4               /* the small fault-ahead run: 16 pages */
#define MS_RUN_PAGES    (1u << MS_RUN_LOG2)

typedef struct mtask mtask_t;

/* ---- frames.c: physical frames drawn from sigma0 ---- */

typedef uint32_t frame_t;               /* index into memsvr's frame pool */
#define FRAME_NONE      ((frame_t)~0u)
typedef uint32_t slot_t;                /* a page-sized slot of the swap device */
#define SLOT_NONE       ((slot_t)~0u)
typedef struct obj obj_t;

void frames_init(void);
/* A frame charged to t (may be NULL), contents undefined;
 * KERN_RESOURCE_SHORTAGE when memsvr gets no more from sigma0. */
kern_return_t frame_alloc(mtask_t *t, frame_t *f);
/* 2^log2 frames (log2 MS_RUN_LOG2 or MS_CHUNK_LOG2) at consecutive pool
 * addresses aligned to their size, charged to t; false if none is free. */
bool frame_alloc_run(mtask_t *t, unsigned log2, frame_t *first);
/* Returns f to the pool; every mapping of it in every task goes first. */
void frame_free(frame_t f);
void *frame_ptr(frame_t f);
/* f (or the run of 2^log2 frames starting at f) as an fpage of memsvr's space. */
L4_Fpage_t frame_fpage(frame_t f, unsigned log2);
void frame_unmap(frame_t f);            /* from every task */
void frame_write_protect(frame_t f);    /* every task loses write access */
void frames_get_info(vm_frame_info *info);
bool frames_set_limit(L4_Word_t limit);
L4_Word_t frames_free_count(void);
/* Frames memsvr can still hand out for certain (free, and up to its limit). */
L4_Word_t frames_available(void);
L4_Word_t frames_in_use(void);
L4_Word_t frames_meta(void);
/* The pool's extent: frames [0, frames_extent()) have been received. */
frame_t frames_extent(void);
bool frame_is_free(frame_t f);
/* The reverse map: the object page a frame in use holds (obj_insert sets
 * it), or NULL for none. */
void frame_set_owner(frame_t f, obj_t *o, vm_offset_t pg);
obj_t *frame_owner(frame_t f, vm_offset_t *pg);
/* Per-frame state the replacement needs (reclaim.c). */
#define FRAME_DIRTY     1u              /* differs from its copy in swap (or has none) */
#define FRAME_BUSY      2u              /* in use by the request being served: never evicted */
/* bits 4 and 8 are PGF_DIRTY and PGF_WLOCK (external objects' pages) */
unsigned frame_flags(frame_t f);
void frame_set_flags(frame_t f, unsigned set, unsigned clear);
unsigned frame_wired(frame_t f);
void frame_wire(frame_t f, int delta);
/* The group the frame is charged to, and the frames each group holds. */
unsigned frame_group(frame_t f);
mtask_t *frame_task(frame_t f);         /* the live task it is charged to, or NULL */
L4_Word_t group_resident(unsigned g);
/* L4_Unmap of the frame's mappings in every task (rights: the rights to
 * take, 0 only queries): the referenced/written/executed bits the kernel
 * gathered since the last query. */
unsigned frame_access(frame_t f, unsigned rights);

/* memsvr's own heap, grown with chunks from sigma0; NULL only when sigma0
 * has nothing left. */
void *ms_alloc(size_t size);
void *ms_zalloc(size_t size);
void *ms_realloc(void *p, size_t size);
void ms_free(void *p);

/* ---- object.c: memory objects and shadow chains ---- */

/* A page of an object: resident (frame), in swap (slot, no frame), or
 * both (a clean resident page whose swap copy is still good). */
typedef struct obj_page {
    vm_offset_t pg;                     /* page index in the object */
    frame_t frame;                      /* FRAME_NONE: not resident */
    slot_t slot;                        /* SLOT_NONE: no copy in swap */
} obj_page_t;

/* Flags of a resident page of an external object (kept with its frame:
 * frame_flags, so that page entries stay 16 bytes). */
#define PGF_DIRTY       4u              /* written since supplied or returned to its manager */
#define PGF_WLOCK       8u              /* its manager keeps write access from it (data_unlock first) */

typedef struct mobj mobj_t;
struct obj {
    mobj_t *ext;                        /* pages come from an external manager (mobj.c); never collapsed */
    unsigned refs;                      /* map entries, handles and shadow children */
    unsigned children;                  /* objects whose shadow this is */
    unsigned id;
    bool shared;                        /* may be written through more than one entry */
    vm_size_t pages;                    /* extent in pages */
    obj_t *shadow;                      /* backing object, or NULL */
    vm_offset_t shadow_pg;              /* page of shadow that is page 0 here */
    obj_t *child_first, *sib_next, *sib_prev;
    unsigned npages, cap;
    obj_page_t *page;                   /* pages resident or in swap, sorted by pg */
};

obj_t *obj_new(vm_size_t pages);
void obj_ref(obj_t *o);
void obj_release(obj_t *o);
/* The frame of page pg seen through o's chain (*f) and the object
 * holding it (*holder), read back from swap (charged to t) when it is
 * there; *f = FRAME_NONE when no object of the chain has the page (zero
 * fill on demand).  The frame is busy (never evicted) until the request
 * ends.  KERN_RESOURCE_SHORTAGE without a frame, KERN_FAILURE when the
 * swap device fails; the page then stays where it is. */
kern_return_t obj_lookup(obj_t *o, vm_offset_t pg, mtask_t *t, frame_t *f, obj_t **holder);
/* The same for o's own page only. */
kern_return_t obj_get(obj_t *o, vm_offset_t pg, mtask_t *t, frame_t *f);
/* Whether o itself has page pg (resident or in swap). */
bool obj_has(obj_t *o, vm_offset_t pg);
/* The resident frame of o's own page pg, or FRAME_NONE: no paging in. */
frame_t obj_resident(obj_t *o, vm_offset_t pg);
unsigned obj_own_count(obj_t *o, vm_offset_t pg, vm_size_t n);
bool obj_insert(obj_t *o, vm_offset_t pg, frame_t f);
/* The page entry of o for pg, or NULL (for reclaim.c). */
obj_page_t *obj_page_at(obj_t *o, vm_offset_t pg);
L4_Word_t obj_swapped_count(void);
void obj_note_swapped(int delta);       /* reclaim.c moved a page to swap (+1) */
/* A new object of `pages` pages backed by o from page pg (it takes a
 * reference of o); NULL without memory. */
obj_t *obj_shadow(obj_t *o, vm_offset_t pg, vm_size_t pages);
/* fn for each resident frame of o's own pages [pg, pg + n). */
void obj_walk_own(obj_t *o, vm_offset_t pg, vm_size_t n, void (*fn)(frame_t f));
void obj_walk_chain(obj_t *o, vm_offset_t pg, vm_size_t n, void (*fn)(frame_t f));
unsigned obj_count_chain(obj_t *o, vm_offset_t pg, vm_size_t n);
unsigned obj_depth(const obj_t *o);
L4_Word_t obj_live_count(void);
/* The object of o's chain that must supply page pg (an external object
 * lacking it, *xpg its page there), or NULL when pg is resident in the
 * chain or is zero-filled on demand. */
obj_t *obj_ext_missing(obj_t *o, vm_offset_t pg, vm_offset_t *xpg);
/* The PGF_* flags of o's own page pg (0 when not resident);
 * obj_set_flags sets and clears them on a resident page. */
unsigned obj_flags(obj_t *o, vm_offset_t pg);
void obj_set_flags(obj_t *o, vm_offset_t pg, unsigned set, unsigned clear);
/* Takes page pg out of o (its swap copy freed, its frame no longer owned
 * by o); the frame (returned; FRAME_NONE for a page that was only in
 * swap, or none) is the caller's to free. */
frame_t obj_remove(obj_t *o, vm_offset_t pg);

/* ---- task.c: tasks, their threads and who holds them ---- */

#define MS_MAX_TASKS    256
#define MS_TASK_HOLDERS 8
#define MS_PENDING      8
#define MS_NO_BASE      (~(L4_Word_t)0)

typedef struct pending {
    L4_ThreadId_t thread;               /* nilthread: slot free */
    L4_Word_t addr, ip;
    unsigned access;
} pending_t;

struct mtask {
    bool used, alive, base_known;
    uint16_t gen;
    unsigned slot;
    L4_Word_t base;                     /* where the task's window starts */
    map_t map;                          /* in canonical (window-relative) addresses */
    L4_Word_t pages, max_pages;         /* frames charged, quota (0: none) */
    L4_Word_t faults, zero_fill, cow_faults;
    L4_Word_t pageins, pageouts;        /* the task's swap traffic */
    unsigned group;                     /* its task group (vm_pageout) */
    L4_Word_t last_fault_pg;            /* fault-ahead: the page of the last fault */
    L4_ThreadId_t exc_handler;
    unsigned holders[MS_TASK_HOLDERS];  /* slot + 1 of tasks that hold this one */
    pending_t pending[MS_PENDING];
};

void tasks_init(void);
mtask_t *task_of_thread(L4_ThreadId_t t);
/* The task a handle names, if the caller may operate on it (its own, one
 * it holds, or any for memsvr's creator); NULL otherwise. */
mtask_t *task_named(L4_ThreadId_t caller, L4_Word_t handle);
L4_Word_t task_handle(const mtask_t *t);
mtask_t *task_by_slot(unsigned slot);
bool task_is_master(L4_ThreadId_t caller);
kern_return_t task_new(L4_ThreadId_t thread, mtask_t *holder, mtask_t **out);
kern_return_t task_add_thread(mtask_t *t, L4_ThreadId_t thread);
bool task_add_holder(mtask_t *t, const mtask_t *holder);
void task_end(mtask_t *t, const char *why);
kern_return_t task_charge_check(mtask_t *t, unsigned n);
/* Addresses: tasks' maps hold window-relative addresses.  A call's
 * addresses are relative to the caller's window when memsvr knows it,
 * else the target's. */
void task_learn_base(mtask_t *t, L4_Word_t addr);
L4_Word_t task_view_base(const mtask_t *self, const mtask_t *t);
vm_address_t ms_addr_in(L4_Word_t base, L4_Word_t a);
L4_Word_t ms_addr_out(L4_Word_t base, vm_address_t a);
/* Tops up the free map entries to enough for any one call; false when
 * memsvr has no room for them (the map then refuses what lacks entries). */
bool ms_pool_reserve(void);

/* ---- handle.c: named memory entries ---- */

void handles_init(void);
kern_return_t handle_new(mtask_t *holder, obj_t *o, vm_offset_t pg, vm_size_t pages,
                         vm_prot_t perm, L4_Word_t *name);
bool handle_get(const mtask_t *t, L4_Word_t name, obj_t **o, vm_offset_t *pg, vm_size_t *pages,
                vm_prot_t *perm);
kern_return_t handle_give(const mtask_t *from, L4_Word_t name, const mtask_t *to, bool move);
kern_return_t handle_drop(const mtask_t *t, L4_Word_t name);
void handles_drop_task(const mtask_t *t);

/* ---- range.c: map hooks and range operations ---- */

extern const map_ops_t ms_map_ops;
vm_offset_t entry_pg(const map_entry_t *e, vm_address_t addr);
/* e gets an object of its own (fresh, or a shadow for needs_copy). */
kern_return_t entry_materialize(map_entry_t *e);
bool range_round(vm_address_t addr, vm_size_t size, vm_address_t *start, vm_address_t *end);
void range_unmap(mtask_t *t, vm_address_t start, vm_address_t end);
/* The objects of [start, end) (those of SHARE regions only, with
 * inherit_only) are about to be mapped by another entry: mark them shared
 * (entries without an object of their own get one through the materialize
 * hook, which marks it). */
void range_mark_shared(mtask_t *t, vm_address_t start, vm_address_t end, bool inherit_only);
unsigned range_resident(mtask_t *t, vm_address_t start, vm_address_t end);
/* A frame t may write at addr of entry e (copy-on-write or zero fill);
 * *cow tells whether a page was copied.  replaced: the caller maps the
 * frame at addr in t itself (a fault reply), so a copied page need not be
 * revoked from t when e alone sees through its object. */
kern_return_t range_write_frame(mtask_t *t, map_entry_t *e, vm_address_t addr, frame_t *out, bool *cow,
                                bool replaced);
/* The frame t may read at addr of entry e (from its chain, back from swap,
 * or zero-filled into e's object), and the object holding it. */
kern_return_t range_read_frame(mtask_t *t, map_entry_t *e, vm_address_t addr, frame_t *out, obj_t **holder);
/* Pages of t's regions' own objects that are in swap now. */
L4_Word_t range_swapped(mtask_t *t);
/* Undoes every wiring of the pages of [start, end) of t (before the range
 * goes, pageout.c). */
void range_unwire(mtask_t *t, vm_address_t start, vm_address_t end);
/* Replaces the memory of [dst, dst + len) of dt (covered by regions,
 * which keep their protections) with a copy-on-write snapshot of
 * [src, src + len) of st; both ranges checked by the caller. */
kern_return_t range_overwrite(mtask_t *st, vm_address_t src, mtask_t *dt, vm_address_t dst, vm_size_t len);
/* Writes data[0..n) at [addr, addr + n) of t (allocated and writable, as
 * the caller checked), page by page as write faults would. */
kern_return_t range_write_bytes(mtask_t *t, vm_address_t addr, const char *data, vm_size_t n);
/* Whether o's chain holds an external object. */
bool obj_chain_external(const obj_t *o);
/* A new object with copies of the resident pages of o's chain. */
obj_t *obj_copy_resident(obj_t *o, vm_offset_t pg, vm_size_t pages, mtask_t *t, kern_return_t *err);

/* ---- pager.c ---- */

/* pager::pagefault: the map item in *page, or no reply (deferred) when the
 * thread must wait or its task ended. */
void pager_fault(L4_Word_t addr, L4_Word_t ip, L4_MapItem_t *page, chacm_srvenv_t *env);
kern_return_t pager_resume(mtask_t *t, L4_ThreadId_t thread);
/* Serves a fault that waited for a page source again: replies, waits once
 * more, or fails it. */
void pager_retry(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx);
/* The fault cannot be served (code, and why in words for the log). */
void pager_fail(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx,
                kern_return_t code, const char *why);
extern L4_Word_t ms_faults, ms_zero_fill, ms_cow_faults;

/* ---- swap.c: the swap device and its slots ---- */

kern_return_t swap_on(L4_ThreadId_t dev, L4_Word_t obj, L4_Word_t first, L4_Word_t nblocks);
kern_return_t swap_off(void);             /* KERN_FAILURE while slots are in use */
bool swap_enabled(void);
/* A free slot; false when swap is full (or off). */
bool swap_alloc(slot_t *s);
void swap_free(slot_t s);
kern_return_t swap_write(slot_t s, frame_t f);
kern_return_t swap_read(slot_t s, frame_t f);
void swap_get_info(vm_swap_info *info);

/* ---- reclaim.c: page replacement ---- */

/* Evicts pages with the clock until want frames are free (only pages of
 * group g's tasks when g < VM_GROUPS); the number freed. */
L4_Word_t reclaim(L4_Word_t want, unsigned g);
/* Between requests: no frame is busy any more, and below the low-water
 * mark memsvr reclaims up to the high-water mark. */
void reclaim_safe_point(void);
/* Frame f was written by memsvr itself: its swap copy is stale. */
void frame_dirty(frame_t f);
void frame_busy(frame_t f);
/* A page came back from swap (for thrashing detection). */
void reclaim_note_pagein(mtask_t *t);
void reclaim_note_fault(void);
void reclaim_get_info(vm_swap_info *info);
extern L4_Word_t ms_pageins, ms_pageouts, ms_reactivations, ms_thrashing, ms_thrash_events;
/* Partitioned pagers: each group's share (0: none). */
L4_Word_t group_share(unsigned g);
void group_set_share(unsigned g, L4_Word_t frames);

/* ---- mobj.c: objects of external memory managers (memory_object.idl) ---- */

/* An internal kern_return_t: the fault waits for a page (ms_missing says
 * which); never sent to a client. */
#define MS_KERN_WAIT    0x1000
struct ms_missing {
    obj_t *o;                           /* external object lacking the page */
    vm_offset_t pg;
    bool unlock;                        /* present but write-locked: data_unlock */
};
extern struct ms_missing ms_missing;

void mobj_init(void);
/* The thread (a fault of rwx at addr, ip) waits for ms_missing's page:
 * asks the manager unless a request is out.  NULL, or why it cannot wait
 * (the object's manager is gone, ...: the fault then fails). */
const char *mobj_wait(mtask_t *t, L4_ThreadId_t th, L4_Word_t addr, L4_Word_t ip, unsigned rwx);
/* t ends: the objects it manages die (their waiting faults fail). */
void mobj_task_gone(const mtask_t *t);
/* o (external) lost its last reference: dirty pages go back, then
 * terminate; frees nothing of o itself. */
void mobj_object_gone(obj_t *o);
/* Memory pressure: page pg of external object o leaves memory: 1 dropped
 * (its frame is free), 2 moved to its manager (dirty; the frame is free
 * once the manager has written it), 0 it stays. */
int mobj_page_out(obj_t *o, vm_offset_t pg);
/* Returns the dirty external pages of [start, end) of t to their managers
 * (vm_msync, vm_deallocate); invalidate drops them afterwards.  *sent
 * counts the messages queued for sync_id (0: none to track). */
kern_return_t mobj_sync_range(mtask_t *t, vm_address_t start, vm_address_t end, bool invalidate,
                              unsigned sync_id, unsigned *sent);
/* A vm_msync's reply: begin (0: no slot, do not wait), then end after
 * queuing: true when nothing is left to wait for (*r is the result). */
unsigned mobj_sync_begin(L4_ThreadId_t caller);
bool mobj_sync_end(unsigned id, kern_return_t *r);
/* The server loop's poll hook: sends queued messages (none to reply_to,
 * which waits for memsvr's reply), fails requests past their deadline;
 * the receive timeout until the next thing due. */
L4_Time_t mobj_poll(void *user, L4_ThreadId_t reply_to);
void mobjcalls_fill(memsvr_ops_t *ops);

/* ---- handlers ---- */

void pageout_fill(memsvr_ops_t *ops);

void vmcalls_fill(memsvr_ops_t *ops);
void taskcalls_fill(memsvr_ops_t *ops);

#endif /* MEMSVR_H */
