/* exit_live: a root task whose main returns while its other threads are
 * live: a pair trading calls and replies, threads sleeping in short
 * timeouts, threads blocked for ever, a thread that yields in a loop, and
 * a second task calling a server of the first, and with "spin" a thread
 * below them that computes without entering the kernel (for runs with
 * preemption by host CPU time).  The run must end with main's result (7),
 * however the host schedules the threads at exit.
 * Usage: exit_live [ROUNDS [spin]] (ROUNDS: calls main makes before it
 * returns). */
#include <stdlib.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

int main(int argc, char **argv);

enum { THREADS = 8, STACK = 8192 };
static char stacks[THREADS + 2][STACK] __attribute__((aligned(16)));
static L4_ThreadId_t tid[THREADS + 2];

/* answers every call, for ever */
static void server(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        if (L4_IpcFailed(tag)) {
            tag = L4_Wait(&from);
            continue;
        }
        L4_LoadMR(0, 1);
        tag = L4_ReplyWait(from, &from);
    }
}

/* calls the server (thread 0) for ever */
static void client(void)
{
    for (L4_Word_t i = 0;; i++) {
        L4_LoadMR(0, 1);
        L4_LoadMR(1, i);
        L4_Call(tid[0]);
    }
}

static void sleeper(void)
{
    for (L4_Word_t i = 1;; i++)
        L4_Sleep(L4_TimePeriod(1 + i % 50));
}

static void blocked(void)
{
    for (;;)
        L4_Sleep(L4_Never);
}

static void yielder(void)
{
    for (;;)
        L4_Yield();
}

static volatile L4_Word_t spins;

static void spinner(void)
{
    for (;;)
        spins++;
}

int main(int argc, char **argv)
{
    static void (*const fns[THREADS])(void) = { server, client, client, sleeper, sleeper, blocked, blocked,
                                                yielder };
    L4_Word_t rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 100;
    L4_Word_t base = L4_ThreadNo(L4_Myself()) + 1;
    for (unsigned i = 0; i < THREADS; i++) {
        tid[i] = L4_GlobalId(base + i, 1);
        if (lib_thread_create(tid[i], lib_utcb_slot(1 + i), L4_Myself(), fns[i], stacks[i] + STACK))
            return 1;
    }
    /* a second task (same program, so the same globals) whose thread calls the server */
    tid[THREADS] = L4_GlobalId(base + THREADS, 1);
    if (lib_task_create(tid[THREADS], L4_Myself()) ||
        lib_task_start(tid[THREADS], (L4_Word_t)client, (L4_Word_t)(stacks[THREADS] + STACK)))
        return 1;
    if (argc > 2 && argv[2][0] == 's') {
        tid[THREADS + 1] = L4_GlobalId(base + THREADS + 1, 1);
        if (!L4_ThreadControl(tid[THREADS + 1], L4_Myself(), L4_Myself(), L4_Myself(), lib_utcb_slot(1 + THREADS)))
            return 1;
        L4_Set_Priority(tid[THREADS + 1], 99);
        L4_Start_SpIp(tid[THREADS + 1], (L4_Word_t)(stacks[THREADS + 1] + STACK), (L4_Word_t)spinner);
    }
    for (L4_Word_t i = 0; i < rounds; i++) {
        L4_LoadMR(0, 1);
        L4_LoadMR(1, i);
        if (L4_IpcFailed(L4_Call(tid[0])))
            return 1;
    }
    return 7;
}
