/* VM05xx: memsvr as the pager of tasks: faults, fault-ahead, copy-on-write
 * and shadow chains, frames and limits, protection faults, task
 * creation by inheritance, named entries, and several clients at once.
 * Test code runs in tasks that memsvr pages (pt_vm.h); the main thread
 * is the root task, which holds every task. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/lock.h>
#include <chacm/mach_server.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <mach/mach.h>

#include "generic_client.h"
#include "memory_client.h"
#include "ptest.h"
#include "pt_vm.h"


/* What vm_region says of the region at or above an address. */
typedef struct region {
    vm_size_t size;
    vm_prot_t prot, max;
    vm_inherit_t inh;
    boolean_t shared;
} region_t;

static kern_return_t region_of(vm_address_t *addr, region_t *g)
{
    memory_object_name_t name;
    vm_offset_t off;
    return vm_region(SELF, addr, &g->size, &g->prot, &g->max, &g->inh, &g->shared, &name, &off);
}

/* ---- VM0500: the first path ---- */

static void alloc_touch(void)
{
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, 16 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_ASSERT(a != 0 && page_aligned(a));
    for (unsigned i = 0; i < 16; i++)
        PT_EQ(((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0], 0);
    for (unsigned i = 0; i < 16; i++)
        ((L4_Word_t *)(a + i * PAGE_SIZE))[7] = 0x1000 + i;
    for (unsigned i = 0; i < 16; i++)
        PT_EQ(((L4_Word_t *)(a + i * PAGE_SIZE))[7], 0x1000 + i);
    vm_address_t r = a;
    region_t g;
    PT_EQ(region_of(&r, &g), KERN_SUCCESS);
    PT_EQ(r, a);
    PT_EQ(g.size, 16 * PAGE_SIZE);
    PT_EQ(g.prot, VM_PROT_DEFAULT);
    PT_EQ(g.max, VM_PROT_ALL);
    PT_EQ(vm_deallocate(SELF, a, 16 * PAGE_SIZE), KERN_SUCCESS);
}

DEFINE_TEST(VM0500, "a task paged by memsvr allocates memory, finds it zero-filled, writes and reads every page")
{
    PT_ASSERT(pv_run(alloc_touch));
}

/* ---- VM0501: fault-ahead ---- */

#define FA_PAGES 256

static void sequential_touch(void)
{
    vm_address_t a = 0;
    vm_statistics_data_t before, after;
    PT_EQ(vm_allocate(SELF, &a, FA_PAGES * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(task_vm_statistics(SELF, &before), KERN_SUCCESS);
    for (unsigned i = 0; i < FA_PAGES; i++)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;
    PT_EQ(task_vm_statistics(SELF, &after), KERN_SUCCESS);
    unsigned faults = (unsigned)(after.faults - before.faults);
    pt_shared[0] = faults;
    PT_ASSERT(faults > 0);
    PT_ASSERT(faults <= FA_PAGES / 8);
    PT_EQ(after.zero_fill_count - before.zero_fill_count, FA_PAGES);
}

DEFINE_TEST(VM0501, "fault-ahead: a sequential first touch of 256 pages takes at most one fault per 8 pages")
{
    PT_ASSERT(pv_run(sequential_touch));
}

static void scattered_touch(void)
{
    vm_address_t a = 0;
    vm_statistics_data_t before, after;
    PT_EQ(vm_allocate(SELF, &a, 64 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(task_vm_statistics(SELF, &before), KERN_SUCCESS);
    for (unsigned i = 0; i < 64; i += 2)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;
    PT_EQ(task_vm_statistics(SELF, &after), KERN_SUCCESS);
    PT_EQ(after.faults - before.faults, 32);
    PT_EQ(after.active_count - before.active_count, 32);
}

DEFINE_TEST(VM0502, "no fault-ahead for scattered touches: one fault and one frame per touched page")
{
    PT_ASSERT(pv_run(scattered_touch));
}

/* ---- VM0503: copy-on-write at depth ---- */

static L4_Word_t word_at(vm_address_t a)
{
    return *(volatile L4_Word_t *)a;
}

static void cow_depth(void)
{
    vm_address_t a = 0, c[3];
    vm_prot_t cur, max;
    PT_EQ(vm_allocate(SELF, &a, 4 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    *(L4_Word_t *)a = 1;
    vm_address_t src = a;
    for (int d = 0; d < 3; d++) {
        c[d] = 0;
        PT_EQ(vm_remap(SELF, &c[d], 4 * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, SELF, src, TRUE, &cur, &max,
                       VM_INHERIT_COPY), KERN_SUCCESS);
        PT_EQ(cur, VM_PROT_DEFAULT);
        PT_EQ(word_at(c[d]), (L4_Word_t)(d + 1));
        *(L4_Word_t *)c[d] = (L4_Word_t)(d + 2);        /* the copy changes: the source does not */
        PT_EQ(word_at(src), (L4_Word_t)(d + 1));
        src = c[d];
    }
    *(L4_Word_t *)a = 100;                              /* the original changes: no copy sees it */
    for (int d = 0; d < 3; d++)
        PT_EQ(word_at(c[d]), (L4_Word_t)(d + 2));
    *(L4_Word_t *)c[0] = 200;                           /* the middle changes: neither neighbour */
    PT_EQ(word_at(a), 100);
    PT_EQ(word_at(c[1]), 3);
    PT_EQ(word_at(c[2]), 4);
    PT_EQ(word_at(c[2] + PAGE_SIZE), 0);                /* untouched pages stay zero */
}

DEFINE_TEST(VM0503, "copy remaps to depth 3: writes after each copy are invisible in both directions")
{
    PT_ASSERT(pv_run(cow_depth));
}

/* ---- VM0504: frame balance ---- */

static void touch_some(void)
{
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, 40 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < 40; i++)
        ((volatile char *)a)[i * PAGE_SIZE + 5] = (char)i;
}

DEFINE_TEST(VM0504, "frames: received from sigma0 = free + in use, and a task's end returns all it used")
{
    vm_size_t rcv0, free0, used0, rcv1, free1, used1;
    pv_frames(&rcv0, &free0, &used0);
    PT_EQ(rcv0, free0 + used0);
    PT_ASSERT(pv_run(touch_some));
    pv_frames(&rcv1, &free1, &used1);
    PT_EQ(rcv1, free1 + used1);
    PT_EQ(used1, used0);
    PT_ASSERT(rcv1 >= 40 && rcv1 >= rcv0);
}

/* ---- VM0505: a protection violation ends only its task ---- */

static void write_readonly(void)
{
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PAGE_SIZE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(word_at(a), 0);
    pt_shared[1] = 1;
    *(volatile L4_Word_t *)a = 5;                       /* never returns */
    pt_shared[1] = 2;
}

DEFINE_TEST(VM0505, "a write to a read-only region ends that task (memsvr says why); other tasks go on")
{
    task_t task;
    vm_size_t alive, pages;
    L4_ThreadId_t t = pv_spawn(write_readonly, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_ASSERT(!pv_wait(t, 100));
    PT_EQ(pt_shared[1], 1);
    PT_EQ(mach_task_info(task, &alive, &pages), KERN_SUCCESS);
    PT_EQ(alive, 0);
    pv_end(t, TASK_NULL);
    PT_ASSERT(pv_run(alloc_touch));
}

/* ---- VM0506: the exception handler ---- */

static void write_then_go_on(void)
{
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PAGE_SIZE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    pt_shared[2] = a;
    *(volatile L4_Word_t *)a = 77;                      /* the handler makes this legal */
    PT_EQ(word_at(a), 77);
    pt_shared[3] = 1;
}

static void exc_handler(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t w[6];
    L4_StoreMRs(1, 6, w);
    pt_shared[4] = L4_Label(tag);
    pt_shared[5] = w[2];                                /* code */
    pt_shared[6] = w[3];                                /* address */
    pt_shared[7] = w[5];                                /* access */
    if (vm_protect(w[0], w[3], PAGE_SIZE, FALSE, VM_PROT_DEFAULT) == KERN_SUCCESS)
        mach_task_resume_fault(w[0], (L4_ThreadId_t){ .raw = w[1] });
    pt_park();
}

DEFINE_TEST(VM0506, "a protection fault reaches the task's exception handler, which fixes it and resumes the thread")
{
    task_t task;
    L4_ThreadId_t h = pt_thread(exc_handler);
    L4_ThreadId_t t = pv_create(write_then_go_on, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_EQ(mach_task_set_exception_port(task, h), KERN_SUCCESS);
    pt_sleep_us(100);                                   /* the handler waits */
    PT_ASSERT(pv_start(t, task));
    PT_ASSERT(pv_wait(t, 1000));
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[4], (18 << 6) | 0);                 /* vm_exc::exception_raise */
    PT_EQ(pt_shared[5], KERN_PROTECTION_FAILURE);
    PT_EQ(pt_shared[6], pt_shared[2]);
    PT_EQ(pt_shared[7], L4_Writable);
    pv_end(t, task);
}

/* ---- VM0507: quotas ---- */

/* A private copy of the first n pages at a, made at once (a named entry's
 * copy copies what is resident): it needs n frames. */
static kern_return_t eager_copy(vm_address_t a, vm_size_t n)
{
    vm_size_t size = n * PAGE_SIZE;
    mem_entry_name_port_t h = 0;
    vm_address_t c = 0;
    kern_return_t r = mach_make_memory_entry(SELF, &size, a, VM_PROT_DEFAULT, &h, MACH_PORT_NULL);
    if (r == KERN_SUCCESS)
        r = vm_map(SELF, &c, n * PAGE_SIZE, 0, TRUE, h, 0, TRUE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY);
    if (h)
        mach_port_deallocate(SELF, h);
    return r;
}

static void over_quota(void)
{
    vm_address_t a = 0, b = 0, c = 0;
    PT_EQ(vm_allocate(SELF, &a, 16 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &b, 16 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &c, 16 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < 3; i++) {
        ((volatile char *)a)[i * PAGE_SIZE] = (char)(i + 1);
        ((volatile char *)c)[i * PAGE_SIZE] = (char)(i + 1);
    }
    /* a copy made at once of 3 pages needs 3 frames: only 2 are left */
    PT_EQ(eager_copy(c, 3), KERN_RESOURCE_SHORTAGE);
    vm_statistics_data_t s;
    PT_EQ(task_vm_statistics(SELF, &s), KERN_SUCCESS);
    PT_EQ(s.active_count, 6);
    PT_EQ(s.free_count, 2);
    PT_EQ(vm_copy(SELF, a, 3 * PAGE_SIZE, b), KERN_SUCCESS);      /* copy-on-write: no frame yet */
    PT_EQ(((volatile char *)b)[PAGE_SIZE], 2);
    ((volatile char *)b)[0] = 9;                        /* frame 7 */
    ((volatile char *)a)[10 * PAGE_SIZE] = 1;           /* frame 8 */
    PT_EQ(task_vm_statistics(SELF, &s), KERN_SUCCESS);
    PT_EQ(s.active_count, 8);
    pt_shared[1] = 1;
    ((volatile char *)a)[11 * PAGE_SIZE] = 1;           /* a ninth frame: the task ends */
    pt_shared[1] = 2;
}

DEFINE_TEST(VM0507, "a quota of 8 pages: calls get KERN_RESOURCE_SHORTAGE, a fault beyond it ends the task")
{
    task_t task;
    vm_size_t alive, pages;
    L4_ThreadId_t t = pv_create(over_quota, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_EQ(mach_task_set_quota(task, 8), KERN_SUCCESS);
    PT_ASSERT(pv_start(t, task));
    bool done = pv_wait(t, 100);
    PT_ASSERT(!pt_failed());                            /* the task's own checks */
    PT_ASSERT(!done);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(mach_task_info(task, &alive, &pages), KERN_SUCCESS);
    PT_EQ(alive, 0);
    pv_end(t, TASK_NULL);
}

/* ---- VM0508: shadow chains collapse ---- */

static void generations(void)
{
    vm_address_t a = 0;
    vm_prot_t cur, max;
    vm_size_t rcv0, free0, used0, meta0, rcv, free, used, meta;
    PT_EQ(vm_allocate(SELF, &a, 4 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    *(L4_Word_t *)a = 0;
    ((L4_Word_t *)(a + PAGE_SIZE))[0] = 0xabc;
    PT_EQ(mach_vm_frames(&rcv0, &free0, &used0, &meta0), KERN_SUCCESS);
    for (L4_Word_t i = 1; i <= 1000; i++) {
        vm_address_t b = 0;
        PT_EQ(vm_remap(SELF, &b, 4 * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &cur, &max,
                       VM_INHERIT_COPY), KERN_SUCCESS);
        PT_EQ(word_at(b), i - 1);
        *(L4_Word_t *)b = i;
        PT_EQ(word_at(a), i - 1);
        PT_EQ(vm_deallocate(SELF, a, 4 * PAGE_SIZE), KERN_SUCCESS);
        a = b;
    }
    PT_EQ(word_at(a), 1000);
    PT_EQ(word_at(a + PAGE_SIZE), 0xabc);
    PT_EQ(mach_vm_frames(&rcv, &free, &used, &meta), KERN_SUCCESS);
    pt_shared[8] = used - used0;
    pt_shared[9] = meta - meta0;
    PT_ASSERT(used <= used0 + 2);                       /* two pages, however many generations */
    PT_ASSERT(meta <= meta0 + 16);                      /* and memsvr's tables do not grow */
}

DEFINE_TEST(VM0508, "1000 copy generations (copy, write, drop the source): frames and tables stay bounded")
{
    PT_ASSERT(pv_run(generations));
}

/* ---- VM0509: inheritance into a new task ---- */

static void inherit_child(void)
{
    L4_Word_t base = lib_usable_base();
    vm_address_t s = base + pt_shared[10], c = base + pt_shared[11], n = base + pt_shared[12];
    PT_EQ(word_at(s), 11);
    PT_EQ(word_at(c), 22);
    *(volatile L4_Word_t *)s = 111;                     /* the parent sees it */
    *(volatile L4_Word_t *)c = 222;                     /* the parent does not */
    vm_address_t r = n;
    region_t g;
    /* the NONE region is a hole, and it was the highest one */
    PT_EQ(region_of(&r, &g), KERN_NO_SPACE);
    r = c;
    PT_EQ(region_of(&r, &g), KERN_SUCCESS);
    PT_EQ(r, c);
    PT_EQ(g.size, PAGE_SIZE);
    PT_EQ(g.shared, FALSE);
    r = s;
    PT_EQ(region_of(&r, &g), KERN_SUCCESS);
    PT_EQ(r, s);
    PT_EQ(g.shared, TRUE);
}

static void inherit_parent(void)
{
    vm_address_t s = 0, c = 0, n = 0;
    L4_Word_t base = lib_usable_base();
    PT_EQ(vm_allocate(SELF, &s, PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &c, PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &n, PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_inherit(SELF, s, PAGE_SIZE, VM_INHERIT_SHARE), KERN_SUCCESS);
    PT_EQ(vm_inherit(SELF, n, PAGE_SIZE, VM_INHERIT_NONE), KERN_SUCCESS);
    *(volatile L4_Word_t *)s = 11;
    *(volatile L4_Word_t *)c = 22;
    *(volatile L4_Word_t *)n = 33;
    task_t child;
    PT_EQ(task_create(SELF, TRUE, &child), KERN_SUCCESS);
    *(volatile L4_Word_t *)c = 23;                      /* after the copy: the child does not see it */
    pt_shared[10] = s - base;
    pt_shared[11] = c - base;
    pt_shared[12] = n - base;
    pt_shared[13] = child;
    while (pt_shared[14] == 0)
        pt_sleep_us(100);                               /* the child has run */
    PT_EQ(word_at(s), 111);
    PT_EQ(word_at(c), 23);
    PT_EQ(word_at(n), 33);
}

DEFINE_TEST(VM0509, "task_create by inheritance: SHARE regions are shared, COPY ones copied, NONE ones left out")
{
    task_t parent;
    L4_ThreadId_t p = pv_spawn(inherit_parent, &parent);
    PT_ASSERT(!L4_IsNilThread(p));
    while (pt_shared[13] == 0)
        pt_sleep_us(100);
    L4_ThreadId_t c = pv_adopt(pt_shared[13], inherit_child);
    PT_ASSERT(!L4_IsNilThread(c));
    PT_ASSERT(pv_wait(c, 1000));
    pt_shared[14] = 1;
    PT_ASSERT(pv_wait(p, 1000));
    pv_end(c, pt_shared[13]);
    pv_end(p, parent);
}

/* ---- VM0510: a named entry shared by three tasks ---- */

static vm_address_t map_named(mem_entry_name_port_t h)
{
    vm_address_t a = 0;
    if (vm_map(SELF, &a, 2 * PAGE_SIZE, 0, TRUE, h, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT,
               VM_INHERIT_SHARE) != KERN_SUCCESS)
        return 0;
    return a;
}

static void named_maker(void)
{
    vm_size_t size = 2 * PAGE_SIZE - 100;
    mem_entry_name_port_t h = 0;
    PT_EQ(mach_make_memory_entry(SELF, &size, 0, VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &h, MACH_PORT_NULL),
          KERN_SUCCESS);
    PT_EQ(size, 2 * PAGE_SIZE);
    vm_address_t a = map_named(h);
    PT_ASSERT(a != 0);
    *(volatile L4_Word_t *)a = 1;
    PT_EQ(mach_port_insert_right(pt_shared[1], h, h, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    PT_EQ(mach_port_insert_right(pt_shared[2], h, h, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    pt_shared[3] = h;
    while (pt_shared[5] == 0)
        pt_sleep_us(100);
    PT_EQ(word_at(a), 3);                               /* the third task's write */
    PT_EQ(word_at(a + PAGE_SIZE), 2);                   /* the second's */
}

static void named_second(void)
{
    while (pt_shared[3] == 0)
        pt_sleep_us(100);
    vm_address_t a = map_named(pt_shared[3]);
    PT_ASSERT(a != 0);
    PT_EQ(word_at(a), 1);
    *(volatile L4_Word_t *)(a + PAGE_SIZE) = 2;
    /* a private copy of the same entry sees the data but keeps its own writes */
    vm_address_t c = 0;
    PT_EQ(vm_map(SELF, &c, 2 * PAGE_SIZE, 0, TRUE, pt_shared[3], 0, TRUE, VM_PROT_DEFAULT, VM_PROT_ALL,
                 VM_INHERIT_COPY), KERN_SUCCESS);
    PT_EQ(word_at(c + PAGE_SIZE), 2);
    *(volatile L4_Word_t *)c = 99;
    PT_EQ(word_at(a), 1);
    pt_shared[4] = 1;
}

static void named_third(void)
{
    while (pt_shared[4] == 0)
        pt_sleep_us(100);
    vm_address_t a = map_named(pt_shared[3]);
    PT_ASSERT(a != 0);
    PT_EQ(word_at(a), 1);
    PT_EQ(word_at(a + PAGE_SIZE), 2);
    *(volatile L4_Word_t *)a = 3;
    /* rights are per task: releasing ours leaves the others' */
    PT_EQ(mach_port_deallocate(SELF, pt_shared[3]), KERN_SUCCESS);
    PT_EQ(mach_port_deallocate(SELF, pt_shared[3]), KERN_INVALID_ARGUMENT);
    pt_shared[5] = 1;
}

DEFINE_TEST(VM0510, "a named entry made by one task, given to two more, is shared by all three; a copy of it is private")
{
    task_t ta, tb, tc;
    L4_ThreadId_t a = pv_create(named_maker, &ta), b = pv_create(named_second, &tb),
                  c = pv_create(named_third, &tc);
    PT_ASSERT(!L4_IsNilThread(a) && !L4_IsNilThread(b) && !L4_IsNilThread(c));
    PT_EQ(mach_task_give(tb, ta), KERN_SUCCESS);        /* the maker may name the others */
    PT_EQ(mach_task_give(tc, ta), KERN_SUCCESS);
    pt_shared[1] = tb;
    pt_shared[2] = tc;
    PT_ASSERT(pv_start(a, ta) && pv_start(b, tb) && pv_start(c, tc));
    PT_ASSERT(pv_wait(c, 2000));
    PT_ASSERT(pv_wait(b, 2000));
    PT_ASSERT(pv_wait(a, 2000));
    pv_end(a, ta);
    pv_end(b, tb);
    pv_end(c, tc);
}

/* ---- VM0511: exhaustion ---- */

#define EXHAUST_MARGIN 64                          /* frames memsvr may still take: one chunk */

static void exhaust(void)
{
    vm_size_t rcv, free, used, meta;
    vm_address_t a = 0;
    PT_EQ(mach_vm_frames(&rcv, &free, &used, &meta), KERN_SUCCESS);
    vm_size_t avail = free + EXHAUST_MARGIN, k = 2 * avail / 3 + 1, n = avail + 64;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (vm_size_t i = 0; i < k; i++)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;
    PT_EQ(eager_copy(a, k), KERN_RESOURCE_SHORTAGE);   /* k more frames: fewer are left */
    pt_shared[1] = 1;
    for (vm_size_t i = 0; i < n; i++)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;        /* ends when the frames run out */
    pt_shared[1] = 2;
}

DEFINE_TEST(VM0511, "memsvr out of frames: a call gets KERN_RESOURCE_SHORTAGE, a fault ends only its task")
{
    vm_size_t rcv, free, used, alive, pages;
    task_t task;
    pv_frames(&rcv, &free, &used);
    PT_EQ(mach_vm_set_frame_limit(rcv + EXHAUST_MARGIN), KERN_SUCCESS);
    L4_ThreadId_t t = pv_spawn(exhaust, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    bool done = pv_wait(t, 1000);
    mach_task_info(task, &alive, &pages);
    mach_vm_set_frame_limit(0);
    PT_ASSERT(!done);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(alive, 0);
    pv_end(t, TASK_NULL);
    vm_size_t rcv1, free1, used1;
    pv_frames(&rcv1, &free1, &used1);
    PT_EQ(rcv1, rcv + EXHAUST_MARGIN);
    PT_EQ(used1, used);
    PT_ASSERT(pv_run(alloc_touch));
}

/* ---- VM0512: bad requests ---- */

static void foreign(void)
{
    vm_address_t a = 0x400000;
    /* the other task's handle: this task does not hold it */
    PT_EQ(vm_allocate(pt_shared[1], &a, PAGE_SIZE, FALSE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_allocate(TASK_NULL, &a, PAGE_SIZE, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_allocate(0x12345678, &a, PAGE_SIZE, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_protect(SELF, 0x400000, PAGE_SIZE, FALSE, 0x100), KERN_INVALID_ARGUMENT);
    PT_EQ(task_terminate(pt_shared[1]), KERN_INVALID_ARGUMENT);
}

static void bystander(void)
{
    vm_address_t a = 0x400000;
    PT_EQ(vm_allocate(SELF, &a, PAGE_SIZE, TRUE), KERN_SUCCESS);
    *(volatile L4_Word_t *)a = 5;
    pt_shared[2] = a;
    while (pt_shared[3] == 0)
        pt_sleep_us(100);
    PT_EQ(word_at(a), 5);
    vm_address_t r = a + PAGE_SIZE;
    region_t g;
    PT_EQ(region_of(&r, &g), KERN_NO_SPACE);
}

DEFINE_TEST(VM0512, "bad requests (a task not held, TASK_NULL, bad bits, malformed messages) get errors and change nothing")
{
    task_t tb, tf;
    L4_ThreadId_t b = pv_spawn(bystander, &tb);
    PT_ASSERT(!L4_IsNilThread(b));
    while (pt_shared[2] == 0)
        pt_sleep_us(100);
    pt_shared[1] = tb;
    PT_ASSERT(pv_run(foreign));
    /* messages that do not match the IDL */
    L4_ThreadId_t srv = pv_memsvr();
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendWord(&m, tb);
    L4_Set_MsgLabel(&m, (16 << 6) | 0);                 /* vm_allocate with one word of four */
    L4_MsgLoad(&m);
    L4_MsgTag_t r = L4_Call(srv);
    PT_IPC_OK(r);
    PT_EQ(L4_Label(r), 3);                              /* CHACM_IDL_EMALFORMED */
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, (16 << 6) | 63);                /* no such method */
    L4_MsgLoad(&m);
    r = L4_Call(srv);
    PT_IPC_OK(r);
    PT_EQ(L4_Label(r), 2);                              /* CHACM_IDL_EUNKNOWN */
    (void)tf;
    pt_shared[3] = 1;
    PT_ASSERT(pv_wait(b, 1000));
    pv_end(b, tb);
}

/* ---- VM0513: vm_read and vm_write ---- */

static void read_write(void)
{
    vm_address_t a = 0, d = 0;
    pointer_t data;
    mach_msg_type_number_t count;
    PT_EQ(vm_allocate(SELF, &a, 3 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    ((L4_Word_t *)a)[1] = 41;
    ((L4_Word_t *)(a + PAGE_SIZE))[1] = 42;
    PT_EQ(vm_read(SELF, a + 8, 2 * PAGE_SIZE - 8, &data, &count), KERN_SUCCESS);
    PT_EQ(count, 2 * PAGE_SIZE - 8);
    PT_EQ(word_at(data), 41);
    PT_EQ(word_at(data - 8 + PAGE_SIZE + 8), 42);
    *(volatile L4_Word_t *)data = 0;                    /* the copy is the caller's own */
    PT_EQ(((L4_Word_t *)a)[1], 41);
    PT_EQ(vm_allocate(SELF, &d, 2 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_write(SELF, d, a, 2 * PAGE_SIZE), KERN_SUCCESS);
    PT_EQ(((L4_Word_t *)(d + PAGE_SIZE))[1], 42);
    PT_EQ(vm_write(SELF, d, a, 3 * PAGE_SIZE), KERN_INVALID_ADDRESS);      /* past d's end */
    vm_address_t hole = 0;
    PT_EQ(vm_allocate(SELF, &hole, PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_deallocate(SELF, hole, PAGE_SIZE), KERN_SUCCESS);
    PT_EQ(vm_read(SELF, hole, PAGE_SIZE, &data, &count), KERN_INVALID_ADDRESS);
    PT_EQ(vm_protect(SELF, a, PAGE_SIZE, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    PT_EQ(vm_read(SELF, a, PAGE_SIZE, &data, &count), KERN_PROTECTION_FAILURE);
    PT_EQ(vm_protect(SELF, d, PAGE_SIZE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_write(SELF, d, a + PAGE_SIZE, PAGE_SIZE), KERN_PROTECTION_FAILURE);
}

DEFINE_TEST(VM0513, "vm_read gives a private copy in the caller's space, vm_write overwrites, each with its errors")
{
    PT_ASSERT(pv_run(read_write));
}

/* ---- VM0514: vm_copy ---- */

static void copy_within(void)
{
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, 8 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < 4; i++)
        ((L4_Word_t *)(a + i * PAGE_SIZE))[0] = i + 1;
    PT_EQ(vm_copy(SELF, a, 4 * PAGE_SIZE, a + 4 * PAGE_SIZE), KERN_SUCCESS);
    for (unsigned i = 0; i < 4; i++)
        PT_EQ(word_at(a + (4 + i) * PAGE_SIZE), i + 1);
    *(volatile L4_Word_t *)(a + 4 * PAGE_SIZE) = 50;   /* the copy is separate */
    PT_EQ(word_at(a), 1);
    PT_EQ(vm_copy(SELF, a, 4 * PAGE_SIZE, a + 2 * PAGE_SIZE), KERN_SUCCESS);   /* overlapping */
    PT_EQ(word_at(a + 2 * PAGE_SIZE), 1);
    PT_EQ(word_at(a + 5 * PAGE_SIZE), 4);
    PT_EQ(vm_copy(SELF, a, 4 * PAGE_SIZE, a + 6 * PAGE_SIZE), KERN_INVALID_ADDRESS);   /* past the end */
}

DEFINE_TEST(VM0514, "vm_copy within a task, overlapping too; a destination past the region is KERN_INVALID_ADDRESS")
{
    PT_ASSERT(pv_run(copy_within));
}

/* ---- VM0515: several clients at once ---- */

static void busy_client(void)
{
    for (int round = 0; round < 20; round++) {
        vm_address_t a = 0, b = 0;
        vm_prot_t cur, max;
        PT_EQ(vm_allocate(SELF, &a, 8 * PAGE_SIZE, TRUE), KERN_SUCCESS);
        for (unsigned i = 0; i < 8; i++)
            ((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0] = (L4_Word_t)round;
        L4_ThreadSwitch(L4_nilthread);
        PT_EQ(vm_remap(SELF, &b, 8 * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &cur, &max,
                       VM_INHERIT_COPY), KERN_SUCCESS);
        *(volatile L4_Word_t *)b = 1000;
        PT_EQ(word_at(a), (L4_Word_t)round);
        PT_EQ(vm_deallocate(SELF, a, 8 * PAGE_SIZE), KERN_SUCCESS);
        PT_EQ(vm_deallocate(SELF, b, 8 * PAGE_SIZE), KERN_SUCCESS);
    }
}

DEFINE_TEST(VM0515, "four client tasks allocate, fault, copy and free at the same time")
{
    task_t task[4];
    L4_ThreadId_t t[4];
    vm_size_t rcv0, free0, used0, rcv, free, used;
    pv_frames(&rcv0, &free0, &used0);
    for (int i = 0; i < 4; i++) {
        t[i] = pv_spawn(busy_client, &task[i]);
        PT_ASSERT(!L4_IsNilThread(t[i]));
    }
    for (int i = 0; i < 4; i++)
        PT_ASSERT(pv_wait(t[i], 5000));
    for (int i = 0; i < 4; i++)
        pv_end(t[i], task[i]);
    pv_frames(&rcv, &free, &used);
    PT_EQ(used, used0);
    PT_EQ(rcv, free + used);
}

/* ---- VM0516: vm_unmap ---- */

static void unmap_keeps(void)
{
    vm_address_t a = 0;
    vm_statistics_data_t s0, s1;
    PT_EQ(vm_allocate(SELF, &a, 4 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < 4; i++)
        ((volatile L4_Word_t *)(a + i * PAGE_SIZE))[3] = i + 7;
    PT_EQ(vm_unmap(SELF, a, 4 * PAGE_SIZE), KERN_SUCCESS);
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    for (unsigned i = 0; i < 4; i++)
        PT_EQ(((volatile L4_Word_t *)(a + i * PAGE_SIZE))[3], i + 7);
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_EQ(s1.faults - s0.faults, 4);                    /* each page faulted back in */
    PT_EQ(s1.active_count, s0.active_count);            /* from the same frames */
}

DEFINE_TEST(VM0516, "vm_unmap drops the pages and keeps the region: the next touches fault them back unchanged")
{
    PT_ASSERT(pv_run(unmap_keeps));
}

/* ---- VM0517: ChacmOS's memory interface ---- */

static void touch_three(void)
{
    vm_address_t a = 0x800000;
    PT_EQ(vm_allocate(SELF, &a, 8 * PAGE_SIZE, FALSE), KERN_SUCCESS);
    for (unsigned i = 0; i < 3; i++)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;
    pt_shared[1] = a;
    while (pt_shared[2] == 0)
        pt_sleep_us(100);
}

DEFINE_TEST(VM0517, "memory interface: get_pagerid, get_mapped, set_maxpages and attach on a task's memory object")
{
    task_t task;
    chacm_env_t env = { 0 };
    L4_ThreadId_t srv = pv_memsvr(), pager;
    L4_ThreadId_t t = pv_spawn(touch_three, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    while (pt_shared[1] == 0)
        pt_sleep_us(100);
    PT_EQ(memory_get_pagerid(srv, (int)task, &pager, &env), ESUCCESS);
    PT_EQ(pager.raw, srv.raw);
    int pages = -1;
    PT_EQ(memory_get_mapped(srv, (int)task, L4_Fpage(pt_shared[1], 8 * PAGE_SIZE), &pages, &env), ESUCCESS);
    PT_EQ(pages, 3);
    PT_EQ(memory_set_maxpages(srv, (int)task, -1, &env), EBADPARM);
    PT_EQ(memory_set_maxpages(srv, (int)task, 100, &env), ESUCCESS);
    PT_EQ(memory_set_maxpages(srv, 0x7777, 100, &env), EINVALID);
    PT_EQ(memory_attach(srv, (int)task, t, &env), ESUCCESS);                /* already its thread */
    PT_EQ(memory_attach(srv, (int)task, L4_nilthread, &env), EINVALID);
    L4_MapItem_t item;
    PT_EQ(memory_request_physical(srv, (int)task, L4_Fpage(0xb8000, PAGE_SIZE), &item, &env), EDENIED);
    PT_EQ(env.error, CHACM_IDL_OK);
    pt_shared[2] = 1;
    PT_ASSERT(pv_wait(t, 1000));
    pv_end(t, task);
}

/* ---- VM0518: servers/lib's locks with several threads ---- */

static lib_mutex_t counter_lock = LIB_MUTEX_INIT;
static volatile L4_Word_t counter;

static void hammer(void)
{
    for (int i = 0; i < 200; i++) {
        lib_mutex_lock(&counter_lock);
        L4_Word_t v = counter;
        L4_ThreadSwitch(L4_nilthread);                  /* let the others try meanwhile */
        lib_mutex_lock(&counter_lock);                  /* recursive */
        counter = v + 1;
        lib_mutex_unlock(&counter_lock);
        lib_mutex_unlock(&counter_lock);
        void *p = malloc(64 + (size_t)i);
        PT_ASSERT(p != NULL);
        free(p);
    }
    pt_shared[10 + (L4_ThreadNo(L4_Myself()) % 4)] = 1;
    lib_mutex_lock(&counter_lock);
    pt_shared[9]++;
    lib_mutex_unlock(&counter_lock);
}

DEFINE_TEST(VM0518, "three threads of one task take a lib mutex (and malloc) 200 times each: no update is lost")
{
    counter = 0;
    for (int i = 0; i < 3; i++)
        PT_ASSERT(!L4_IsNilThread(pt_thread(hammer)));
    for (int n = 0; n < 1000 && pt_shared[9] < 3; n++)
        pt_sleep_us(1000);
    PT_EQ(pt_shared[9], 3);
    PT_EQ(counter, 600);
    PT_ASSERT(!lib_mutex_trylock(&(lib_mutex_t){ .owner = 1, .depth = 1 }));
}

/* ---- VM0519: vm_copy is copy-on-write ---- */

static void copy_lazily(void)
{
    vm_address_t a = 0, b = 0;
    vm_statistics_data_t s0, s1, s2;
    PT_EQ(vm_allocate(SELF, &a, 32 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &b, 32 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < 32; i++)
        ((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0] = i;
    PT_EQ(vm_protect(SELF, b, 32 * PAGE_SIZE, FALSE, VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    PT_EQ(vm_copy(SELF, a, 32 * PAGE_SIZE, b), KERN_SUCCESS);
    for (unsigned i = 0; i < 32; i++)
        PT_EQ(word_at(b + i * PAGE_SIZE), i);
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_EQ(s1.active_count, s0.active_count);            /* no page copied */
    *(volatile L4_Word_t *)(b + 3 * PAGE_SIZE) = 300;
    *(volatile L4_Word_t *)(a + 4 * PAGE_SIZE) = 400;
    PT_EQ(task_vm_statistics(SELF, &s2), KERN_SUCCESS);
    PT_EQ(s2.active_count, s0.active_count + 2);        /* one copy per written page */
    PT_EQ(s2.cow_faults, s1.cow_faults + 2);
    PT_EQ(word_at(a + 3 * PAGE_SIZE), 3);
    PT_EQ(word_at(b + 4 * PAGE_SIZE), 4);
    vm_address_t r = b;
    region_t g;
    PT_EQ(region_of(&r, &g), KERN_SUCCESS);
    PT_EQ(r, b);                                        /* the destination keeps its region */
    PT_EQ(g.size, 32 * PAGE_SIZE);
}

DEFINE_TEST(VM0519, "vm_copy is copy-on-write: no frame until a write, then one per written page, either side")
{
    PT_ASSERT(pv_run(copy_lazily));
}

/* ---- VM0520: a thread faults while another is in a call whose strings fault ---- */

#define XFER_BYTES (3 * PAGE_SIZE)
static char xfer_out[XFER_BYTES];

static void string_server(void)
{
    L4_ThreadId_t from;
    static char in[XFER_BYTES];
    L4_Accept(L4_StringItemsAcceptor);
    L4_StringItem_t buf = L4_StringItem(XFER_BYTES, in);
    L4_LoadBRs(1, 2, buf.raw);
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[6] = L4_IpcFailed(tag) ? 1 : 2;
    L4_StringItem_t got;
    L4_StoreMRs(1, 2, got.raw);
    pt_shared[7] = got.X.string_length;
    pt_shared[8] = in[0] == 0 && in[XFER_BYTES - 1] == 0;      /* zero-filled pages were sent */
    while (pt_shared[5] == 0)
        pt_sleep_us(100);                               /* the other thread's faults are served */
    for (unsigned i = 0; i < XFER_BYTES; i++)
        xfer_out[i] = (char)(i * 7);
    L4_StringItem_t s = L4_StringItem(XFER_BYTES, xfer_out);
    L4_Set_MsgTag((L4_MsgTag_t){ .X = { .u = 0, .t = 2 } });
    L4_LoadMRs(1, 2, s.raw);
    L4_Reply(from);
    pt_park();
}

static void toucher(void)
{
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, 8 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < 8; i++)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;
    pt_shared[5] = 1;
}

static void caller(void)
{
    vm_address_t rcv = 0, snd = 0;
    PT_EQ(vm_allocate(SELF, &rcv, XFER_BYTES, TRUE), KERN_SUCCESS);    /* untouched: faults in the transfer */
    PT_EQ(vm_allocate(SELF, &snd, XFER_BYTES, TRUE), KERN_SUCCESS);
    L4_Accept(L4_StringItemsAcceptor);
    L4_StringItem_t buf = L4_StringItem(XFER_BYTES, (void *)rcv);
    L4_LoadBRs(1, 2, buf.raw);
    L4_StringItem_t s = L4_StringItem(XFER_BYTES, (void *)snd);
    L4_Set_MsgTag((L4_MsgTag_t){ .X = { .u = 0, .t = 2, .label = 0x55 } });
    L4_LoadMRs(1, 2, s.raw);
    pt_shared[4] = 1;
    L4_MsgTag_t r = L4_Call((L4_ThreadId_t){ .raw = pt_shared[3] });
    PT_IPC_OK(r);
    for (unsigned i = 0; i < XFER_BYTES; i += 511)
        PT_EQ(((char *)rcv)[i], (char)(i * 7));
}

DEFINE_TEST(VM0520, "two threads of a task: one's call moves strings from and into untouched memory, the other faults meanwhile")
{
    task_t task;
    pt_shared[3] = pt_thread(string_server).raw;
    L4_ThreadId_t a = pv_spawn(caller, &task);
    PT_ASSERT(!L4_IsNilThread(a));
    while (pt_shared[4] == 0)
        pt_sleep_us(100);
    L4_ThreadId_t b = pv_thread(task, a, toucher, 7);
    PT_ASSERT(!L4_IsNilThread(b));
    PT_ASSERT(pv_wait(b, 2000));
    PT_ASSERT(pv_wait(a, 2000));
    PT_EQ(pt_shared[6], 2);
    PT_EQ(pt_shared[7], XFER_BYTES);
    PT_EQ(pt_shared[8], 1);
    pv_end(b, TASK_NULL);
    pv_end(a, task);
}

/* ---- VM0522: ranges that wrap as the caller gives them ---- */

static void wrapping(void)
{
    vm_address_t a = lib_usable_base() + 0x100000;      /* inside this task's window */
    vm_size_t size = ~(vm_size_t)0 - a + 1 + PAGE_SIZE; /* a + size wraps past the top */
    vm_address_t b = a, r = a;
    PT_EQ(vm_allocate(SELF, &b, size, FALSE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_deallocate(SELF, a, size), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_protect(SELF, a, size, FALSE, VM_PROT_READ), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_inherit(SELF, a, size, VM_INHERIT_NONE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_unmap(SELF, a, size), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_copy(SELF, a, size, a), KERN_INVALID_ARGUMENT);
    region_t g;
    PT_EQ(region_of(&r, &g), KERN_NO_SPACE);
}

DEFINE_TEST(VM0522, "a range that wraps as the caller gives it is KERN_INVALID_ARGUMENT for every call, and maps nothing")
{
    PT_ASSERT(pv_run(wrapping));
}

/* ---- VM0523: a string from untouched memory sent to memsvr ---- */

static void string_to_memsvr(void)
{
    vm_address_t a = 0;
    chacm_env_t env = { 0 };
    int list[2] = { GENERIC_API, MEMORY_API };
    PT_EQ(vm_allocate(SELF, &a, PAGE_SIZE, TRUE), KERN_SUCCESS);
    /* memsvr would have to page the list while it receives it: the
     * transfer fails at once instead of waiting for memsvr forever */
    generic_implements(mach_server(), (int)SELF, 2, (const int *)a, &env);
    PT_EQ(env.error, CHACM_IDL_EIPC);
    PT_EQ((env.ipc_error >> 1) & 7, L4_ErrXferTimeoutPartner);
    PT_EQ(generic_implements(mach_server(), (int)SELF, 2, list, &env), EYES);
    PT_EQ(env.error, CHACM_IDL_OK);
    memcpy((void *)a, list, sizeof list);              /* touched: now it can be sent */
    PT_EQ(generic_implements(mach_server(), (int)SELF, 2, (const int *)a, &env), EYES);
}

DEFINE_TEST(VM0523, "a call to memsvr whose string lies in untouched memory fails at once; memsvr goes on serving")
{
    PT_ASSERT(pv_run(string_to_memsvr));
    PT_ASSERT(pv_run(alloc_touch));
}

/* ---- VM0524: overwriting shared memory ---- */

static void overwrite_shared(void)
{
    vm_address_t a = 0, b = 0, c = 0;
    vm_prot_t cur, max;
    PT_EQ(vm_allocate(SELF, &a, 2 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &c, 2 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    *(volatile L4_Word_t *)a = 1;
    PT_EQ(vm_remap(SELF, &b, 2 * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, SELF, a, FALSE, &cur, &max, VM_INHERIT_SHARE),
          KERN_SUCCESS);                                /* b and a are one memory */
    PT_EQ(word_at(b), 1);
    *(volatile L4_Word_t *)c = 7;
    *(volatile L4_Word_t *)(c + PAGE_SIZE) = 8;
    PT_EQ(vm_copy(SELF, c, 2 * PAGE_SIZE, a), KERN_SUCCESS);
    PT_EQ(word_at(b), 7);                               /* the sharer sees the copy */
    PT_EQ(word_at(b + PAGE_SIZE), 8);
    *(volatile L4_Word_t *)c = 9;
    PT_EQ(word_at(a), 7);                               /* and the copy is not the source */
    PT_EQ(vm_write(SELF, b, c, PAGE_SIZE), KERN_SUCCESS);
    PT_EQ(word_at(a), 9);
    *(volatile L4_Word_t *)a = 10;
    PT_EQ(word_at(b), 10);                              /* still shared */
    PT_EQ(word_at(c), 9);
}

DEFINE_TEST(VM0524, "vm_copy and vm_write into shared memory write the memory its sharers see")
{
    PT_ASSERT(pv_run(overwrite_shared));
}

/* ---- VM0598: the balance at the end ---- */

DEFINE_TEST(VM0598, "at the end, with every task gone, memsvr holds all its frames free: received = free, none in use")
{
    PT_ASSERT(pv_run(cow_depth));
    PT_ASSERT(pv_run(read_write));
    vm_size_t rcv, free, used;
    pv_frames(&rcv, &free, &used);
    PT_ASSERT(rcv > 0);
    PT_EQ(used, 0);
    PT_EQ(free, rcv);
}

/* ---- VM0521: malloc on vm_allocate (the last case: the heap of this
 * module keeps the region it grew into) ---- */

static void big_malloc(void)
{
    size_t n = 600 * 1024;                              /* more than the static arena */
    char *p = malloc(n);
    PT_ASSERT(p != NULL);
    vm_address_t r = (vm_address_t)p;
    region_t g;
    PT_EQ(region_of(&r, &g), KERN_SUCCESS);
    PT_ASSERT(r <= (vm_address_t)p && (vm_address_t)p + n <= r + g.size);   /* memory of this task */
    memset(p, 0x5a, n);
    PT_EQ(p[n - 1], 0x5a);
    free(p);
}

DEFINE_TEST(VM0599, "malloc beyond the static arena grows the heap with vm_allocate in the task's own space")
{
    PT_ASSERT(pv_run(big_malloc));
}
