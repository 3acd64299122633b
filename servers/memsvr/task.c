/* Tasks: the address spaces memsvr pages, the threads that belong to each
 * (a hash from global thread id to task), who holds which task, quotas,
 * and the end of a task.
 *
 * A task handle is (generation << 16) | (slot + 1): never 0 (TASK_NULL),
 * and stale once the slot is reused.  memsvr's creator (the root task,
 * thread UserBase + 2) holds every task; a task holds itself, the tasks
 * it created and those given to it. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <l4/kip.h>
#include <l4/thread.h>
#include <chacm/l4util.h>

#include "memsvr.h"
#include "memsvr_debug.h"

#define THREAD_SLOTS    1024            /* power of two */
#define NO_SLOT         0xffffu

typedef struct {
    L4_Word_t raw;                      /* 0: empty; ~0: deleted */
    unsigned slot;
} thread_ent_t;

#define POOL_LOW        64              /* free map entries every call may need */
#define POOL_GROW       256

static mtask_t tasks[MS_MAX_TASKS];
static thread_ent_t threads[THREAD_SLOTS];

/* The debug view (ipc/debug/memsvr_debug.h): where a debugger finds the
 * tasks' regions.  Read, never written, by the simulator's monitor. */
_Static_assert(sizeof(vm_prot_t) == 4 && sizeof(vm_inherit_t) == 4 && sizeof(unsigned) == 4 &&
                   sizeof(bool) == 1 && sizeof(vm_address_t) == sizeof(unsigned long),
               "the debug view's field sizes");
__attribute__((visibility("default"), used)) const memsvr_debug_t memsvr_debug = {
    .magic = MEMSVR_DEBUG_MAGIC,
    .version = MEMSVR_DEBUG_VERSION,
    .tasks = (unsigned long)tasks,
    .ntasks = MS_MAX_TASKS,
    .task_size = sizeof(mtask_t),
    .t_used = offsetof(mtask_t, used),
    .t_alive = offsetof(mtask_t, alive),
    .t_map_head = offsetof(mtask_t, map) + offsetof(map_t, head),
    .t_pages = offsetof(mtask_t, pages),
    .e_start = offsetof(map_entry_t, start),
    .e_end = offsetof(map_entry_t, end),
    .e_offset = offsetof(map_entry_t, offset),
    .e_object = offsetof(map_entry_t, object),
    .e_next = offsetof(map_entry_t, next),
    .e_cur = offsetof(map_entry_t, cur),
    .e_max = offsetof(map_entry_t, max),
    .e_inherit = offsetof(map_entry_t, inherit),
    .e_wired = offsetof(map_entry_t, wired),
    .e_needs_copy = offsetof(map_entry_t, needs_copy),
    .o_id = offsetof(obj_t, id),
    .threads = (unsigned long)threads,
    .nthreads = THREAD_SLOTS,
    .thread_size = sizeof(thread_ent_t),
    .th_raw = offsetof(thread_ent_t, raw),
    .th_slot = offsetof(thread_ent_t, slot),
};
static L4_ThreadId_t master;
static map_pool_t pool;
static L4_Word_t win_mask, map_min, map_max;

/* Every task's window has the layout of memsvr's own: its usable range
 * [base, end) lies in a size-aligned window of the next power of two (on
 * a target where all tasks share one address space, the whole space). */
void tasks_init(void)
{
    void *kip = L4_GetKernelInterface();
    master = L4_GlobalId(L4_ThreadIdUserBase(kip) + 2, 1);
    map_pool_init(&pool);
    L4_Word_t base = lib_usable_base(), end = lib_usable_end(), span = end - base, win = 1;
    while (win < span && win < (~(L4_Word_t)0 >> 2))
        win <<= 1;
    win_mask = win >= span ? win - 1 : ~(L4_Word_t)0;
    if (win_mask == ~(L4_Word_t)0 || (end & win_mask) == 0) {
        map_min = base & win_mask;
        map_max = ((end - 1) & win_mask) + 1;
    } else {
        win_mask = ~(L4_Word_t)0;
        map_min = base;
        map_max = end;
    }
    map_min = (map_min + MS_PAGE - 1) & ~(MS_PAGE - 1);
    map_max &= ~(MS_PAGE - 1);
    /* where the usable range starts at address 0 (a real L4 kernel), page
     * 0 stays unmapped: no allocation is ever at the null pointer */
    if (base == 0 && map_min < MS_PAGE)
        map_min = MS_PAGE;
}

bool ms_pool_reserve(void)
{
    if (pool.nfree >= POOL_LOW)
        return true;
    void *mem = ms_alloc(POOL_GROW * sizeof(map_entry_t));
    if (mem)
        map_pool_add(&pool, mem, POOL_GROW * sizeof(map_entry_t));
    return pool.nfree >= POOL_LOW;
}

void task_learn_base(mtask_t *t, L4_Word_t addr)
{
    if (t->base_known || win_mask == ~(L4_Word_t)0)
        return;
    t->base = addr & ~win_mask;
    t->base_known = true;
}

L4_Word_t task_view_base(const mtask_t *self, const mtask_t *t)
{
    if (win_mask == ~(L4_Word_t)0)
        return 0;
    if (self && self->base_known)
        return self->base;
    return t && t->base_known ? t->base : MS_NO_BASE;
}

vm_address_t ms_addr_in(L4_Word_t base, L4_Word_t a)
{
    if (base == MS_NO_BASE)
        return a & win_mask;
    return a - base <= win_mask ? a - base : a;
}

L4_Word_t ms_addr_out(L4_Word_t base, vm_address_t a)
{
    return base == MS_NO_BASE || a == 0 ? a : base + a;
}

bool task_is_master(L4_ThreadId_t caller)
{
    return L4_IsThreadEqual(caller, master);
}

static unsigned hash(L4_Word_t raw)
{
    return (unsigned)((raw * 0x9E3779B97F4A7C15ULL) >> 40) & (THREAD_SLOTS - 1);
}

static thread_ent_t *thread_find(L4_Word_t raw)
{
    for (unsigned i = hash(raw), n = 0; n < THREAD_SLOTS; i = (i + 1) & (THREAD_SLOTS - 1), n++) {
        if (threads[i].raw == raw)
            return &threads[i];
        if (threads[i].raw == 0)
            return NULL;
    }
    return NULL;
}

mtask_t *task_of_thread(L4_ThreadId_t t)
{
    thread_ent_t *e = thread_find(t.raw);
    return e && tasks[e->slot].alive ? &tasks[e->slot] : NULL;
}

mtask_t *task_by_slot(unsigned slot)
{
    return slot < MS_MAX_TASKS && tasks[slot].used ? &tasks[slot] : NULL;
}

L4_Word_t task_handle(const mtask_t *t)
{
    return ((L4_Word_t)t->gen << 16) | (t->slot + 1);
}

static bool holds(const mtask_t *holder, const mtask_t *t)
{
    if (holder == t)
        return true;
    for (unsigned i = 0; i < MS_TASK_HOLDERS; i++)
        if (t->holders[i] == holder->slot + 1)
            return true;
    return false;
}

mtask_t *task_named(L4_ThreadId_t caller, L4_Word_t handle)
{
    unsigned slot = (unsigned)(handle & 0xffff) - 1;
    if (handle == 0 || (uint64_t)handle >> 32 || slot >= MS_MAX_TASKS)
        return NULL;
    mtask_t *t = &tasks[slot];
    if (!t->alive || t->gen != (handle >> 16))
        return NULL;
    if (task_is_master(caller) || L4_IsThreadEqual(caller, t->exc_handler))
        return t;                       /* the handler, as Mach's exception message gives it the task */
    mtask_t *self = task_of_thread(caller);
    return self && holds(self, t) ? t : NULL;
}

bool task_add_holder(mtask_t *t, const mtask_t *holder)
{
    if (holds(holder, t))
        return true;
    for (unsigned i = 0; i < MS_TASK_HOLDERS; i++)
        if (t->holders[i] == 0) {
            t->holders[i] = holder->slot + 1;
            return true;
        }
    return false;
}

static bool thread_insert(L4_ThreadId_t th, unsigned slot)
{
    for (unsigned i = hash(th.raw), n = 0; n < THREAD_SLOTS; i = (i + 1) & (THREAD_SLOTS - 1), n++)
        if (threads[i].raw == 0 || threads[i].raw == ~(L4_Word_t)0) {
            threads[i].raw = th.raw;
            threads[i].slot = slot;
            return true;
        }
    return false;
}

kern_return_t task_add_thread(mtask_t *t, L4_ThreadId_t th)
{
    if (L4_IsNilThread(th) || !L4_IsGlobalId(th) || th.raw == L4_anythread.raw)
        return KERN_INVALID_ARGUMENT;
    thread_ent_t *e = thread_find(th.raw);
    if (e)
        return e->slot == t->slot ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
    return thread_insert(th, t->slot) ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t task_new(L4_ThreadId_t th, mtask_t *holder, mtask_t **out)
{
    if (!L4_IsNilThread(th) && (!L4_IsGlobalId(th) || th.raw == L4_anythread.raw || thread_find(th.raw)))
        return KERN_INVALID_ARGUMENT;
    unsigned slot;
    for (slot = 0; slot < MS_MAX_TASKS && tasks[slot].used; slot++)
        ;
    if (slot == MS_MAX_TASKS)
        return KERN_RESOURCE_SHORTAGE;
    mtask_t *t = &tasks[slot];
    uint16_t gen = (uint16_t)((t->gen + 1) & 0x7fff);
    gen = gen ? gen : 1;
    memset(t, 0, sizeof *t);
    t->used = t->alive = true;
    t->gen = gen;
    t->slot = slot;
    t->last_fault_pg = ~(L4_Word_t)0;
    for (unsigned i = 0; i < MS_PENDING; i++)
        t->pending[i].thread = L4_nilthread;
    map_init(&t->map, map_min, map_max, &ms_map_ops, &pool, t);
    if (holder)
        task_add_holder(t, holder);
    if (!L4_IsNilThread(th) && !thread_insert(th, slot)) {
        map_destroy(&t->map);
        t->used = t->alive = false;
        return KERN_RESOURCE_SHORTAGE;
    }
    *out = t;
    return KERN_SUCCESS;
}

kern_return_t task_charge_check(mtask_t *t, unsigned n)
{
    if (t && t->max_pages && t->pages + n > t->max_pages)
        return KERN_RESOURCE_SHORTAGE;
    return KERN_SUCCESS;
}

/* Ends t: its pages go back to the pool, its threads are forgotten, its
 * waiting threads are never answered, and nobody holds it any more. */
void task_end(mtask_t *t, const char *why)
{
    if (!t->alive)
        return;
    if (why)
        printf("memsvr: task %#lx ended: %s\n", task_handle(t), why);
    t->alive = false;
    range_unwire(t, 0, ~(vm_address_t)0 & ~(MS_PAGE - 1));
    map_destroy(&t->map);
    handles_drop_task(t);
    for (unsigned i = 0; i < THREAD_SLOTS; i++)
        if (threads[i].raw != 0 && threads[i].raw != ~(L4_Word_t)0 && threads[i].slot == t->slot)
            threads[i].raw = ~(L4_Word_t)0;
    for (unsigned i = 0; i < MS_MAX_TASKS; i++)
        for (unsigned j = 0; j < MS_TASK_HOLDERS; j++)
            if (tasks[i].holders[j] == t->slot + 1)
                tasks[i].holders[j] = 0;
    mobj_task_gone(t);
    t->used = false;
}
