/* idle_probe: every thread blocks in IPC for good (two servers waiting for
 * requests, the main thread waiting for a reply that never comes). */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>

int main(void);

static char stacks[2][8192] __attribute__((aligned(16)));

static void server(void)
{
    L4_ThreadId_t from;
    for (;;)
        L4_Wait(&from);
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    for (unsigned k = 0; k < 2; k++) {
        L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1 + k, 1);
        L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(),
                         (void *)(L4_MyLocalId().raw + (k + 1) * L4_UtcbSize(kip)));
        L4_Start_SpIp(t, (L4_Word_t)(stacks[k] + sizeof stacks[k]), (L4_Word_t)server);
    }
    printf("idle_probe: all threads blocking\n");
    L4_Receive(L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1));
    return 1;
}
