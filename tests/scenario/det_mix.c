/* det_mix: a workload whose interleaving depends on the schedule: four
 * equal-priority workers share a counter server, sleep, yield and burn
 * kernel entries, and log every step with the virtual clock; a fifth
 * computes for a while without entering the kernel, which only host
 * preemption (off here) could interrupt.  Run twice with one seed it must
 * print the same bytes. */
#include <stdio.h>
#include <chacm/thread.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/schedule.h>
#include <l4/thread.h>

#define WORKERS 4
#define STEPS 12

int main(void);

static char stacks[WORKERS + 2][16384] __attribute__((aligned(16)));
static L4_ThreadId_t server;
static volatile unsigned done;

static void counter_server(void)
{
    L4_Word_t count = 0;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Word_t add;
        L4_StoreMR(1, &add);
        count += add;
        L4_LoadMR(0, L4_MsgTagAddLabel(L4_Niltag, 0).raw | 1);
        L4_LoadMR(1, count);
        tag = L4_ReplyWait(from, &from);
        (void)tag;
    }
}

static void worker(void)
{
    L4_Word_t me = L4_ThreadNo(L4_Myself()) - L4_ThreadNo(server);
    for (unsigned step = 0; step < STEPS; step++) {
        /* a burst of kernel entries whose length differs per worker */
        for (L4_Word_t i = 0; i < 2000 + me * 700; i++)
            L4_SystemClock();
        L4_LoadMR(0, 1);
        L4_LoadMR(1, me);
        L4_MsgTag_t tag = L4_Call(server);
        L4_Word_t total;
        L4_StoreMR(1, &total);
        printf("worker %lu step %u total %lu clock %llu%s\n", me, step, total,
               (unsigned long long)L4_SystemClock().raw, L4_IpcFailed(tag) ? " (failed)" : "");
        if (step % 4 == 3)
            L4_Sleep(L4_TimePeriod(500 + me * 130));
        else if (step % 3 == 1)
            L4_Yield();
    }
    done++;
    for (;;)
        L4_Sleep(L4_Never);
}

/* Computes without a kernel entry, then logs what it saw of the others. */
static void busy(void)
{
    L4_Word_t before = L4_SystemClock().raw;
    unsigned seen = done;
    volatile L4_Word_t h = 1;
    for (L4_Word_t i = 0; i < 30000000; i++)
        h = h * 6364136223846793005ULL + i;
    printf("busy: hash %lx, %u workers done before and %u after, %llu us of clock\n", (unsigned long)h, seen,
           done, (unsigned long long)(L4_SystemClock().raw - before));
    done++;
    for (;;)
        L4_Sleep(L4_Never);
}

static L4_ThreadId_t start(unsigned k, void (*fn)(void))
{
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 10 + k, 1);
    lib_thread_create(t, lib_utcb_slot(k + 1), L4_Myself(), fn, stacks[k] + sizeof stacks[k]);
    return t;
}

int main(void)
{
    server = start(0, counter_server);
    for (unsigned k = 1; k <= WORKERS; k++)
        start(k, worker);
    start(WORKERS + 1, busy);
    while (done < WORKERS + 1)
        L4_Sleep(L4_TimePeriod(1000));
    printf("det_mix: all workers done at clock %llu\n", (unsigned long long)L4_SystemClock().raw);
    return 0;
}
