/* VM06xx: memsvr's fault path and its limits: what a copy-on-write fault
 * leaves mapped, the error codes of exhausted tables, and the cases the
 * C library's rules leave to the pager.  Test code runs in tasks that
 * memsvr pages (pt_vm.h); the main thread is the root task. */
#include <l4/ipc.h>
#include <l4/thread.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_vm.h"

#define SELF mach_task_self()

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
