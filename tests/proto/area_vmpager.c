/* VM06xx: memsvr's fault path and its limits: what a copy-on-write fault
 * leaves mapped, the error codes of exhausted tables, and the cases the
 * C library's rules leave to the pager.  Test code runs in tasks that
 * memsvr pages (pt_vm.h); the main thread is the root task. */
#include <l4/ipc.h>
#include <l4/thread.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_vm.h"


static integer_t faults_now(void)
{
    vm_statistics_data_t s;
    return task_vm_statistics(SELF, &s) == KERN_SUCCESS ? s.faults : -1;
}

/* ---- VM0600: a copy-on-write fault revokes nothing the source maps ---- */

static void cow_keeps_source(void)
{
    enum { PAGES = 4 };
    vm_address_t a = 0, b = 0;
    vm_prot_t cur, max;
    PT_EQ(vm_allocate(SELF, &a, PAGES * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (unsigned i = 0; i < PAGES; i++)
        ((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0] = 10 + i;
    PT_EQ(vm_remap(SELF, &b, PAGES * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &cur, &max,
                   VM_INHERIT_COPY), KERN_SUCCESS);
    for (unsigned i = 0; i < PAGES; i++)       /* the source, read-only now, mapped again */
        PT_EQ(((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0], 10 + i);
    for (unsigned i = 0; i < PAGES; i++)       /* the copy's writes: one copy-on-write fault each */
        ((volatile L4_Word_t *)(b + i * PAGE_SIZE))[0] = 20 + i;
    integer_t f0 = faults_now();

    for (unsigned i = 0; i < PAGES; i++)       /* the source still maps its pages: no fault */
        PT_EQ(((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0], 10 + i);
    PT_EQ(faults_now() - f0, 0);
    for (unsigned i = 0; i < PAGES; i++)
        PT_EQ(((volatile L4_Word_t *)(b + i * PAGE_SIZE))[0], 20 + i);
    PT_EQ(faults_now() - f0, 0);
    ((volatile L4_Word_t *)a)[0] = 30;         /* and the source's own write is its own */
    PT_EQ(((volatile L4_Word_t *)b)[0], 20);
    PT_EQ(vm_deallocate(SELF, a, PAGES * PAGE_SIZE), KERN_SUCCESS);
    PT_EQ(vm_deallocate(SELF, b, PAGES * PAGE_SIZE), KERN_SUCCESS);
}

DEFINE_TEST(VM0600, "a copy-on-write fault in a copy maps the new page over the old one and leaves the source's mappings alone")
{
    PT_ASSERT(pv_run(cow_keeps_source));
}

/* ---- VM0601: memsvr out of room for map entries ---- */

#define FILL_MAX 16000

static vm_address_t filled[FILL_MAX];

/* Once the root says so (pt_shared[2]), allocates single pages until a
 * call fails: pt_shared[3] the code, [4] how many succeeded; then frees
 * them and allocates once more ([5]). */
static void fill_entries(void)
{
    for (unsigned i = 0; i < FILL_MAX; i += PAGE_SIZE / sizeof filled[0])
        filled[i] = 0;                          /* touched now, while frames come freely */
    pt_shared[1] = 1;
    while (!pt_shared[2])
        pt_sleep_us(100);
    kern_return_t r = KERN_SUCCESS;
    unsigned n = 0;
    while (n < FILL_MAX && (r = vm_allocate(SELF, &filled[n], PAGE_SIZE, TRUE)) == KERN_SUCCESS)
        n++;
    pt_shared[3] = (L4_Word_t)r;
    pt_shared[4] = n;
    for (unsigned i = 0; i < n; i++)
        PT_EQ(vm_deallocate(SELF, filled[i], PAGE_SIZE), KERN_SUCCESS);
    vm_address_t a = 0;
    pt_shared[5] = (L4_Word_t)vm_allocate(SELF, &a, PAGE_SIZE, TRUE);
}

DEFINE_TEST(VM0601, "memsvr without room for more map entries: vm_allocate gets KERN_RESOURCE_SHORTAGE, and works again once they are freed")
{
    vm_size_t rcv, free, used;
    task_t task;
    pt_shared[1] = pt_shared[2] = 0;
    L4_ThreadId_t t = pv_spawn(fill_entries, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    while (!pt_shared[1])
        pt_sleep_us(100);
    pv_frames(&rcv, &free, &used);
    PT_EQ(mach_vm_set_frame_limit(rcv), KERN_SUCCESS);  /* no more chunks from sigma0, for tables either */
    pt_shared[2] = 1;
    bool done = pv_wait(t, 10000);
    mach_vm_set_frame_limit(0);
    pv_end(t, task);
    PT_ASSERT(done);
    PT_EQ(pt_shared[3], KERN_RESOURCE_SHORTAGE);
    PT_ASSERT(pt_shared[4] > 0);
    PT_EQ(pt_shared[5], KERN_SUCCESS);
}

/* ---- VM0602: fault-ahead by 64 pages ---- */

#define FA_BIG 1024

static void sequential_big(void)
{
    vm_address_t a = 0;
    vm_statistics_data_t before, after;
    PT_EQ(vm_map(SELF, &a, FA_BIG * PAGE_SIZE, 64 * PAGE_SIZE - 1, TRUE, MACH_PORT_NULL, 0, FALSE,
                 VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY), KERN_SUCCESS);
    PT_EQ(a & (64 * PAGE_SIZE - 1), 0);
    PT_EQ(task_vm_statistics(SELF, &before), KERN_SUCCESS);
    for (unsigned i = 0; i < FA_BIG; i++)
        ((volatile char *)a)[i * PAGE_SIZE] = 1;
    PT_EQ(task_vm_statistics(SELF, &after), KERN_SUCCESS);
    /* 16 single pages, three runs of 16, then fifteen of 64 */
    PT_EQ(after.faults - before.faults, 16 + 3 + (FA_BIG - 64) / 64);
    PT_EQ(after.zero_fill_count - before.zero_fill_count, FA_BIG);
    for (unsigned i = 0; i < FA_BIG; i += 37)
        PT_EQ(((volatile char *)a)[i * PAGE_SIZE + 1], 0);
    PT_EQ(vm_deallocate(SELF, a, FA_BIG * PAGE_SIZE), KERN_SUCCESS);
}

DEFINE_TEST(VM0602, "fault-ahead: a sequential first touch of 1024 aligned pages faults once per 64 pages after the first 64")
{
    PT_ASSERT(pv_run(sequential_big));
}
