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

/* memsvr's own heap, grown with chunks from sigma0; NULL only when sigma0
 * has nothing left. */
void *ms_alloc(size_t size);
void *ms_zalloc(size_t size);
void *ms_realloc(void *p, size_t size);
void ms_free(void *p);

/* ---- object.c: memory objects and shadow chains ---- */

typedef struct obj_page {
    vm_offset_t pg;                     /* page index in the object */
    frame_t frame;
} obj_page_t;

typedef struct obj obj_t;
struct obj {
    unsigned refs;                      /* map entries, handles and shadow children */
    unsigned children;                  /* objects whose shadow this is */
    unsigned id;
    bool shared;                        /* may be written through more than one entry */
    vm_size_t pages;                    /* extent in pages */
    obj_t *shadow;                      /* backing object, or NULL */
    vm_offset_t shadow_pg;              /* page of shadow that is page 0 here */
    obj_t *child_first, *sib_next, *sib_prev;
    unsigned npages, cap;
    obj_page_t *page;                   /* resident pages, sorted by pg */
};

obj_t *obj_new(vm_size_t pages);
void obj_ref(obj_t *o);
void obj_release(obj_t *o);
/* The frame of page pg seen through o's chain, and the object holding it
 * (*holder), or FRAME_NONE (zero-filled on demand). */
frame_t obj_find(obj_t *o, vm_offset_t pg, obj_t **holder);
frame_t obj_own(obj_t *o, vm_offset_t pg);
unsigned obj_own_count(obj_t *o, vm_offset_t pg, vm_size_t n);
bool obj_insert(obj_t *o, vm_offset_t pg, frame_t f);
/* A new object of `pages` pages backed by o from page pg (it takes a
 * reference of o); NULL without memory. */
obj_t *obj_shadow(obj_t *o, vm_offset_t pg, vm_size_t pages);
void obj_walk_own(obj_t *o, vm_offset_t pg, vm_size_t n, void (*fn)(frame_t f));
void obj_walk_chain(obj_t *o, vm_offset_t pg, vm_size_t n, void (*fn)(frame_t f));
unsigned obj_count_chain(obj_t *o, vm_offset_t pg, vm_size_t n);
unsigned obj_depth(const obj_t *o);
L4_Word_t obj_live_count(void);

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
/* Replaces the memory of [dst, dst + len) of dt (covered by regions,
 * which keep their protections) with a copy-on-write snapshot of
 * [src, src + len) of st; both ranges checked by the caller. */
kern_return_t range_overwrite(mtask_t *st, vm_address_t src, mtask_t *dt, vm_address_t dst, vm_size_t len);
/* Writes data[0..n) at [addr, addr + n) of t (allocated and writable, as
 * the caller checked), page by page as write faults would. */
kern_return_t range_write_bytes(mtask_t *t, vm_address_t addr, const char *data, vm_size_t n);
/* A new object with copies of the resident pages of o's chain. */
obj_t *obj_copy_resident(obj_t *o, vm_offset_t pg, vm_size_t pages, mtask_t *t, kern_return_t *err);

/* ---- pager.c ---- */

/* pager::pagefault: the map item in *page, or no reply (deferred) when the
 * thread must wait or its task ended. */
void pager_fault(L4_Word_t addr, L4_Word_t ip, L4_MapItem_t *page, chacm_srvenv_t *env);
kern_return_t pager_resume(mtask_t *t, L4_ThreadId_t thread);
extern L4_Word_t ms_faults, ms_zero_fill, ms_cow_faults;

/* ---- handlers ---- */

void vmcalls_fill(memsvr_ops_t *ops);
void taskcalls_fill(memsvr_ops_t *ops);

#endif /* MEMSVR_H */
