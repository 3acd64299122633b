/* tester: memsvr's Mach VM calls on the tester's own task (M01-M06):
 * allocate, touch and count the faults, protect, find the region, copy
 * (copy-on-write), deallocate. */
#include <stdio.h>
#include <mach/mach.h>

#include "tester.h"

#define PAGES 8

int tester_memory(void)
{
    task_t self = mach_task_self();
    vm_address_t a = 0, b = 0;
    vm_size_t size = PAGES * vm_page_size;
    vm_statistics_data_t before, after;

    if (self == TASK_NULL)
        return tester_fail("memsvr does not know my task");
    if (vm_allocate(self, &a, size, TRUE) != KERN_SUCCESS || a == 0)
        return tester_fail("vm_allocate of 8 pages failed");
    printf(" M01 vm_allocate gave %d pages\n", PAGES);
    if (task_vm_statistics(self, &before) != KERN_SUCCESS)
        return tester_fail("task_vm_statistics failed");
    for (vm_size_t i = 0; i < size; i += vm_page_size)
        if (((volatile char *)a)[i] != 0)
            return tester_fail("new memory is not zero-filled");
    for (vm_size_t i = 0; i < size; i += vm_page_size)
        ((volatile char *)a)[i] = (char)(i / vm_page_size + 1);
    if (task_vm_statistics(self, &after) != KERN_SUCCESS)
        return tester_fail("task_vm_statistics failed");
    printf(" M02 touching them took %d zero-fill faults\n", after.zero_fill_count - before.zero_fill_count);
    if (after.zero_fill_count - before.zero_fill_count != PAGES)
        return tester_fail("not one zero-fill fault per page");
    if (vm_protect(self, a, vm_page_size, FALSE, VM_PROT_READ) != KERN_SUCCESS)
        return tester_fail("vm_protect to read-only failed");
    if (vm_protect(self, a, vm_page_size, FALSE, 0x80) != KERN_INVALID_ARGUMENT)
        return tester_fail("vm_protect with unknown bits was not refused");
    printf(" M03 vm_protect made the first page read-only\n");
    vm_address_t r = a;
    vm_size_t rsize = 0;
    vm_prot_t prot, maxprot;
    vm_inherit_t inh;
    boolean_t shared;
    memory_object_name_t name;
    vm_offset_t off;
    if (vm_region(self, &r, &rsize, &prot, &maxprot, &inh, &shared, &name, &off) != KERN_SUCCESS ||
        r != a || rsize != vm_page_size || prot != VM_PROT_READ)
        return tester_fail("vm_region does not show the read-only page");
    printf(" M04 vm_region shows it: %lu bytes, protection %d\n", (unsigned long)rsize, prot);
    if (vm_allocate(self, &b, size, TRUE) != KERN_SUCCESS || vm_copy(self, a, size, b) != KERN_SUCCESS)
        return tester_fail("vm_copy failed");
    ((volatile char *)b)[vm_page_size] = 42;
    if (((volatile char *)b)[0] != 1 || ((volatile char *)a)[vm_page_size] != 2)
        return tester_fail("the copy and the original do not hold what they should");
    printf(" M05 vm_copy copied %d pages; writing the copy left the original alone\n", PAGES);
    if (vm_deallocate(self, a, size) != KERN_SUCCESS || vm_deallocate(self, b, size) != KERN_SUCCESS)
        return tester_fail("vm_deallocate failed");
    r = a;
    if (vm_region(self, &r, &rsize, &prot, &maxprot, &inh, &shared, &name, &off) == KERN_SUCCESS && r == a)
        return tester_fail("the region is still there after vm_deallocate");
    printf(" M06 vm_deallocate gave both ranges back\n");
    return 0;
}
