/* hello: the smallest program.  Prints who and where it is, then touches
 * a page of its own address space, which its pager supplies: as a root task
 * (--root hello) sigma0 maps any page it touches; as a ChacmOS program
 * (/bin/hello) memsvr pages only the memory it has, so it asks memsvr for
 * the page first (vm_allocate). */
#include <stdio.h>
#include <chacm/l4util.h>
#include <l4/kip.h>
#include <l4/thread.h>
#include <mach/mach.h>

int main(void);

int main(void)
{
    L4_Word_t version, flags, id;
    L4_KernelInterface(&version, &flags, &id);
    printf("hello: thread %lx.%lx on an L4 kernel, API version %lx\n", L4_ThreadNo(L4_Myself()),
           L4_Version(L4_Myself()), version);
    L4_Word_t base = lib_usable_base();
    task_t self = mach_task_self();
    vm_address_t at = 0;
    if (self != TASK_NULL && vm_allocate(self, &at, vm_page_size, TRUE) != KERN_SUCCESS) {
        printf("hello: memsvr gave me no page\n");
        return 1;
    }
    if (base && !L4_IsNilThread(L4_Pager())) {
        volatile L4_Word_t *page = (volatile L4_Word_t *)(at ? at : base + 0x100000);
        *page = 42;     /* a page fault: the pager maps a page here */
        printf("hello: wrote %lu to a page my pager gave me at %lx\n", *page, (L4_Word_t)page);
    }
    return 0;
}
