/* idle_probe: every thread blocks in IPC for good (two servers waiting for
 * requests, the main thread waiting for a reply that never comes). */
#include <stdio.h>
#include <chacm/thread.h>
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
    for (unsigned k = 0; k < 2; k++)
        lib_thread_create(L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1 + k, 1), lib_utcb_slot(k + 1), L4_Myself(),
                          server, stacks[k] + sizeof stacks[k]);
    printf("idle_probe: all threads blocking\n");
    L4_Receive(L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1));
    return 1;
}
