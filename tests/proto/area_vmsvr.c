/* VM05xx: memsvr as the pager of tasks: faults, fault-ahead, copy-on-write
 * and shadow chains, frames and limits, protection faults, task
 * creation by inheritance, named entries, and several clients at once.
 * Test code runs in tasks that memsvr pages (pt_vm.h); the main thread
 * is the root task, which holds every task. */
#include <stdio.h>
#include <string.h>
#include <chacm/mach_server.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_vm.h"

#define SELF mach_task_self()

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
    vm_size_t size;
    vm_prot_t prot, max;
    vm_inherit_t inh;
    boolean_t shared;
    memory_object_name_t name;
    vm_offset_t off;
    PT_EQ(vm_region(SELF, &r, &size, &prot, &max, &inh, &shared, &name, &off), KERN_SUCCESS);
    PT_EQ(r, a);
    PT_EQ(size, 16 * PAGE_SIZE);
    PT_EQ(prot, VM_PROT_DEFAULT);
    PT_EQ(max, VM_PROT_ALL);
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
