/* fuzz_kernel: a system-call fuzzer run as the root task (with sigma0).
 * From a seed it makes random and boundary system calls -- IPC with random
 * tags, typed items, string items, acceptors, timeouts (raw time points
 * too), ThreadControl, SpaceControl, ExchangeRegisters (bad start stack
 * pointers too), start messages (bad stack pointers too), Unmap,
 * Schedule, sigma0 requests, receive buffers aimed
 * outside the task's window -- against live partner threads in several
 * tasks, and checks after each call that the kernel answered with an X.2
 * result.  Every timeout of its own is finite, so a run that does not end
 * is a kernel hang.  Usage (boot list): module fuzz_kernel SEED CALLS [FROM]
 * (FROM: print the kind of every call from that one on, to find the call
 * that went wrong).
 * Prints "fuzz: seed S: N calls ok" and returns 0, or names the first call
 * whose result was not an X.2 result and returns 1. */
#include <stdio.h>
#include <stdlib.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/misc.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

#include "fuzz.h"

int main(int argc, char **argv);

fz_state_t fz;

/* xorshift64*: the only source of variation, so a seed replays exactly. */
L4_Word_t fz_rand(void)
{
    fz.rng ^= fz.rng >> 12;
    fz.rng ^= fz.rng << 25;
    fz.rng ^= fz.rng >> 27;
    return fz.rng * 0x2545F4914F6CDD1DUL;
}

L4_Word_t fz_below(L4_Word_t n)
{
    return n ? fz_rand() % n : 0;
}

/* ---- partners: threads in other tasks that take and answer messages ---- */

static char partner_buf[FZ_PARTNERS][4096];

/* A partner: waits with short timeouts for anything, and answers what it
 * got (fz_answers) with a few random words; its string buffer is its own. */
static void partner(void)
{
    L4_Word_t rng = L4_MyGlobalId().raw ^ fz.seed;
    unsigned me = 0;
    while (me < FZ_PARTNERS && fz.partner[me].raw != L4_MyGlobalId().raw)
        me++;
    me %= FZ_PARTNERS;
    for (;;) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        L4_Accept(L4_AddAcceptor(L4_MapGrantItems(L4_CompleteAddressSpace), L4_StringItemsAcceptor));
        L4_LoadBR(1, L4_StringItem(sizeof partner_buf[me], partner_buf[me]).raw[0]);
        L4_LoadBR(2, (L4_Word_t)partner_buf[me]);
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(1 + rng % 20000), &from);
        if (L4_IpcFailed(tag) || !fz_answers(tag))
            continue;
        L4_LoadMR(0, FZ_ANSWER << 16 | (rng >> 8) % 4);
        L4_LoadMR(1, rng);
        L4_LoadMR(2, ~rng);
        L4_LoadMR(3, rng >> 3);
        L4_Ipc(from, L4_nilthread, L4_Timeouts(L4_ZeroTime, L4_Never), &from);
    }
}

static char partner_stack[FZ_PARTNERS][16384] __attribute__((aligned(16)));

static bool start_partners(void)
{
    for (unsigned i = 0; i < FZ_PARTNERS; i++) {
        fz.partner[i] = L4_GlobalId(FZ_PARTNER_BASE + i, 1);
        if (lib_task_create(fz.partner[i], L4_Myself()) ||
            lib_task_start(fz.partner[i], (L4_Word_t)partner, (L4_Word_t)(partner_stack[i] + 16384))) {
            printf("fuzz: cannot start partner task %u\n", i);
            return false;
        }
    }
    return true;
}

/* ---- the oracle ---- */

bool fz_bad(const char *what, L4_Word_t a, L4_Word_t b)
{
    printf("fuzz: seed %lu call %lu (%s): not an X.2 result: 0x%lx 0x%lx\n", fz.seed, fz.call, what, a, b);
    fz.failed = true;
    return false;
}

/* An error code of ThreadControl, SpaceControl, ExchangeRegisters or
 * Schedule: 1 (no privilege) .. 8 (out of memory). */
bool fz_check_error(const char *what)
{
    L4_Word_t e = L4_ErrorCode();
    return e >= 1 && e <= 8 ? true : fz_bad(what, e, 0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("fuzz: usage: fuzz_kernel SEED CALLS [FROM]\n");
        return 64;
    }
    fz.seed = strtoul(argv[1], NULL, 0);
    L4_Word_t calls = strtoul(argv[2], NULL, 0);
    fz.trace_from = argc > 3 ? strtoul(argv[3], NULL, 0) : ~0UL;
    fz.rng = fz.seed * 0x9E3779B97F4A7C15UL + 1;
    fz.me = L4_MyGlobalId();
    fz.sigma0 = __L4_Sigma0Id(L4_GetKernelInterface());
    fz.last_clock = L4_SystemClock().raw;
    if (!start_partners())
        return 2;
    fz_pool_init();
    for (fz.call = 0; fz.call < calls && !fz.failed; fz.call++)
        fz_one_call();
    if (fz.failed)
        return 1;
    printf("fuzz: seed %lu: %lu calls ok\n", fz.seed, calls);
    return 0;
}
