/* exit_live: a root task whose main returns while its other threads are
 * live: a pair trading calls and replies, threads sleeping in short
 * timeouts, threads blocked for ever, a thread that yields in a loop, a
 * thread that page-faults for ever (its pager answers without a mapping,
 * so it is mid-fault most of the time), a thread that creates and deletes
 * a thread in a loop (host threads end all the time), a thread that
 * aborts a client's IPC again and again (ExchangeRegisters), and
 * a second task calling a server of the first, and with "spin" a thread
 * below them that computes without entering the kernel (for runs with
 * preemption by host CPU time).  The run must end with main's result (7),
 * however the host schedules the threads at exit.
 * Usage: exit_live [ROUNDS [spin]] (ROUNDS: calls main makes before it
 * returns, yielding after each, as every thread but the spinner does, so
 * that each kind of thread is in the middle of its work at the end). */
#include <stdlib.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

int main(int argc, char **argv);

enum { THREADS = 12, STACK = 8192 };
static char stacks[THREADS + 3][STACK] __attribute__((aligned(16)));
static L4_ThreadId_t tid[THREADS + 3];
enum { PAGER = 8, FAULTER = 9, CHURNER = 10, ABORTER = 11 };      /* indices in tid[] */

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

/* calls the server (thread 0) for ever, yielding after each call so that
 * every thread runs in each round of main's */
static void client(void)
{
    for (L4_Word_t i = 0;; i++) {
        L4_LoadMR(0, 1);
        L4_LoadMR(1, i);
        L4_Call(tid[0]);
        L4_Yield();
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

/* answers page faults with an empty reply (the access faults again), and
 * yields after each, so that the faulter does not keep the CPU */
static void pager(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    for (;;) {
        if (L4_IpcFailed(L4_Wait(&from)))
            continue;
        L4_LoadMR(0, 0);
        L4_Reply(from);
        L4_Yield();
    }
}

/* touches a page of its window that no one maps */
static void faulter(void)
{
    volatile char *page = (volatile char *)(lib_usable_base() + 0x200000);
    for (;;)
        (void)*page;
}

/* creates a thread, lets it run, deletes it: its host thread ends */
static void churner(void)
{
    L4_ThreadId_t t = tid[THREADS + 2];
    for (;;) {
        if (lib_thread_create(t, lib_utcb_slot(THREADS + 2), L4_Myself(), yielder, stacks[THREADS + 2] + STACK))
            continue;
        L4_Yield();
        L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    }
}

/* aborts the IPC of a client (which calls again) */
static void aborter(void)
{
    for (;;) {
        L4_Word_t dummy;
        L4_ThreadId_t dh;
        L4_ExchangeRegisters(tid[1], L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &dummy, &dummy, &dummy, &dummy,
                             &dummy, &dh);
        L4_Yield();
    }
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
                                                yielder, pager, faulter, churner, aborter };
    L4_Word_t rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 100;
    L4_Word_t base = L4_ThreadNo(L4_Myself()) + 1;
    tid[THREADS + 2] = L4_GlobalId(base + THREADS + 2, 1);      /* the churner's */
    for (unsigned i = 0; i < THREADS; i++) {
        tid[i] = L4_GlobalId(base + i, 1);
        L4_ThreadId_t pg = i == FAULTER ? tid[PAGER] : L4_Myself();
        if (lib_thread_create(tid[i], lib_utcb_slot(1 + i), pg, fns[i], stacks[i] + STACK))
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
        L4_MsgTag_t tag = L4_Call(tid[0]);
        if (L4_IpcFailed(tag) && (L4_ErrorCode() >> 1 & 7) != 7)     /* not aborted by the aborter */
            return 1;
        L4_Yield();     /* every other thread gets the CPU in turn */
    }
    return 7;
}
