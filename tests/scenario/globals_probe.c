/* globals_probe: reports the address and value of its own global counter to
 * its pager (the root task), after incrementing it once. */
#include <l4/ipc.h>
#include <l4/thread.h>

int main(void);

static volatile L4_Word_t counter;

int main(void)
{
    counter++;
    L4_LoadMR(0, 2);
    L4_LoadMR(1, (L4_Word_t)&counter);
    L4_LoadMR(2, counter);
    L4_Call(L4_Pager());
    for (;;)
        L4_Sleep(L4_Never);
}
