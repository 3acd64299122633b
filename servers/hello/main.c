/* hello: the smallest program, used as the default root task until the
 * ChacmOS booter exists.  Prints who and where it is, then touches a page
 * of its own address space, which its pager (sigma0) supplies. */
#include <stdio.h>
#include <l4/kip.h>
#include <l4/thread.h>

int main(void);

/* The first address of this task's usable virtual memory, from its KIP. */
static L4_Word_t usable_base(void *kip)
{
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
        if (L4_IsMemoryDescVirtual(d) && L4_MemoryDescType(d) == L4_ConventionalMemoryType)
            return L4_MemoryDescLow(d);
    }
    return 0;
}

int main(void)
{
    L4_Word_t version, flags, id;
    void *kip = L4_KernelInterface(&version, &flags, &id);
    printf("hello: thread %lx.%lx on an L4 kernel, API version %lx\n", L4_ThreadNo(L4_Myself()),
           L4_Version(L4_Myself()), version);
    L4_Word_t base = usable_base(kip);
    if (base && !L4_IsNilThread(L4_Pager())) {
        volatile L4_Word_t *page = (volatile L4_Word_t *)(base + 0x100000);
        *page = 42;     /* a page fault: the pager maps a page here */
        printf("hello: wrote %lu to a page my pager gave me at %lx\n", *page, (L4_Word_t)page);
    }
    return 0;
}
