/* hello: the smallest program, used as the default root task until the
 * ChacmOS booter exists.  Prints a greeting with the kernel's identity. */
#include <stdio.h>
#include <l4/kip.h>
#include <l4/thread.h>

int main(void);

int main(void)
{
    L4_Word_t version, flags, id;
    L4_KernelInterface(&version, &flags, &id);
    printf("hello: running as thread %lx on an L4 kernel with API version %lx\n",
           L4_MyGlobalId().raw, version);
    return 0;
}
