/* bench_l4ipc: L4 IPC costs on the hosted kernel, as Pistachio's pingpong
 * measures them: round trips (Call against ReplyWait) and one-way sends
 * (Send against Wait) of 0, 8 and 63 untyped words, between two tasks and
 * within one task.  Times are read from the CPU's time-stamp counter and
 * printed as "bench NAME CYCLES cycles"; scripts/bench converts them.
 * With the argument rt8, only the 8-word round trip between two tasks
 * (bench_trace compares kernels by it). */
#include <stdio.h>
#include <chacm/thread.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include "../bench.h"

#define ROUNDS 20000
#define REPEATS 5

int main(int argc, char **argv);

static char stacks[3][16384] __attribute__((aligned(16)));
static volatile int switch_stop;
static volatile L4_ThreadId_t switch_main;

/* Answers every call with the same number of words it was sent. */
static void rt_server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_LoadMR(0, tag.raw & 0x3f);
        tag = L4_ReplyWait(from, &from);
    }
}

static L4_ThreadId_t start(unsigned k, void (*fn)(void), int new_task)
{
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1 + k, 1);
    void *sp = stacks[k] + sizeof stacks[k];
    if (new_task) {
        if (!lib_task_create(t, L4_Myself()))
            lib_task_start(t, (L4_Word_t)fn, (L4_Word_t)sp);
    }
    else
        lib_thread_create(t, lib_utcb_slot(k + 1), L4_Myself(), fn, sp);
    return t;
}

static void load_words(unsigned words)
{
    for (unsigned i = 1; i <= words; i++)
        L4_LoadMR((int)i, i);
    L4_LoadMR(0, words);
}

/* Median cycles of one Call round trip with `words` untyped words. */
static unsigned long long round_trip(L4_ThreadId_t srv, unsigned words)
{
    unsigned long long runs[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        for (int i = 0; i < 1000; i++) {
            load_words(words);
            L4_Call(srv);
        }
        unsigned long long t0 = bench_tsc();
        for (int i = 0; i < ROUNDS; i++) {
            L4_LoadMR(0, words);
            if (L4_IpcFailed(L4_Call(srv))) {
                printf("bench_l4ipc: call failed: error 0x%lx\n", L4_ErrorCode());
                return 0;
            }
        }
        runs[r] = (bench_tsc() - t0) / ROUNDS;
    }
    return bench_median(runs, REPEATS);
}

/* Donates the CPU straight back to the main thread, until told to stop. */
static void switch_partner(void)
{
    while (!switch_stop)
        L4_ThreadSwitch(switch_main);
    for (;;)
        L4_Sleep(L4_Never);
}

/* Median cycles of a ThreadSwitch(dest) ping-pong between two threads of
 * one task: the cost of the kernel's handoff alone, without IPC. */
static unsigned long long switch_round_trip(L4_ThreadId_t partner)
{
    unsigned long long runs[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        unsigned long long t0 = bench_tsc();
        for (int i = 0; i < ROUNDS; i++)
            L4_ThreadSwitch(partner);
        runs[r] = (bench_tsc() - t0) / ROUNDS;
    }
    return bench_median(runs, REPEATS);
}

static void report(const char *name, unsigned long long cycles)
{
    printf("bench %s %llu cycles\n", name, cycles);
}

int main(int argc, char **argv)
{
    static const unsigned sizes[] = { 0, 8, 63 };
    char name[64];
    L4_ThreadId_t remote = start(0, rt_server, 1);
    if (argc > 1 && !strcmp(argv[1], "rt8")) {
        report("ipc_rt_8", round_trip(remote, 8));
        return 0;
    }
    L4_ThreadId_t local = start(1, rt_server, 0);
    for (unsigned i = 0; i < 3; i++) {
        unsigned long long rt = round_trip(remote, sizes[i]);
        snprintf(name, sizeof name, "ipc_rt_%u", sizes[i]);
        report(name, rt);
        /* one way is half a round trip: each direction is one IPC */
        snprintf(name, sizeof name, "ipc_ow_%u", sizes[i]);
        report(name, rt / 2);
        snprintf(name, sizeof name, "ipc_rt_local_%u", sizes[i]);
        report(name, round_trip(local, sizes[i]));
    }
    switch_main = L4_Myself();
    L4_ThreadId_t partner = start(2, switch_partner, 0);
    report("switch_rt", switch_round_trip(partner));
    switch_stop = 1;
    return 0;
}
