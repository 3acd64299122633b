/* hello: the smallest program, used as the default root task until the
 * ChacmOS booter exists.  Prints who and where it is, then touches a page
 * of its own address space, which its pager (sigma0) supplies. */
#include <stdio.h>
#include <chacm/l4util.h>
#include <l4/kip.h>
#include <l4/thread.h>

int main(void);

int main(void)
{
    L4_Word_t version, flags, id;
    L4_KernelInterface(&version, &flags, &id);
    printf("hello: thread %lx.%lx on an L4 kernel, API version %lx\n", L4_ThreadNo(L4_Myself()),
           L4_Version(L4_Myself()), version);
    L4_Word_t base = lib_usable_base();
    if (base && !L4_IsNilThread(L4_Pager())) {
        volatile L4_Word_t *page = (volatile L4_Word_t *)(base + 0x100000);
        *page = 42;     /* a page fault: the pager maps a page here */
        printf("hello: wrote %lu to a page my pager gave me at %lx\n", *page, (L4_Word_t)page);
    }
    return 0;
}
