/* kdb_probe: a root task for the monitor and trace tests.  A helper thread
 * answers one call, the main thread writes a marker into its memory and
 * enters the kernel debugger, the helper then returns (its death), and the
 * main thread enters the debugger once more before it ends.  With the
 * argument "hang", the main thread and the helper then wait for each other
 * (a deadlock cycle for the wait-for graph). */
#include <stdio.h>
#include <string.h>
#include <chacm/thread.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/thread.h>

int main(int argc, char **argv);

static char stack[8192] __attribute__((aligned(16)));
static volatile char marker[64];
static int hang;

static void helper(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_LoadMR(0, (L4_MsgTag_t){ .X.u = 1 }.raw);
    L4_LoadMR(1, L4_Label(tag) + 1);
    L4_Reply(from);
    if (hang)
        L4_Receive(from);           /* waits for main, which waits for us */
    else
        L4_Send(from);              /* main takes it; then this thread returns */
}

int main(int argc, char **argv)
{
    hang = argc > 1 && !strcmp(argv[1], "hang");
    L4_ThreadId_t h = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1);
    lib_thread_create(h, lib_utcb_slot(1), L4_Myself(), helper, stack + sizeof stack);
    L4_LoadMR(0, (L4_MsgTag_t){ .X.label = 0x1234 }.raw);
    L4_MsgTag_t tag = L4_Call(h);
    L4_Word_t answer;
    L4_StoreMR(1, &answer);
    strcpy((char *)marker, "kdb-probe-marker");
    printf("kdb_probe: marker at %p, answer %#lx%s\n", (void *)marker, answer, L4_IpcFailed(tag) ? " (failed)" : "");
    L4_KDB_Enter("kdb_probe first");
    if (hang) {
        L4_Receive(h);
        return 1;
    }
    L4_Receive(h);
    L4_Sleep(L4_TimePeriod(1000));  /* the helper returns meanwhile */
    L4_KDB_Enter("kdb_probe second");
    printf("kdb_probe: done\n");
    return 0;
}
