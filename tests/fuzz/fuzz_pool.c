/* The fuzzer's targets: the pool of threads it creates and deletes, the
 * threads it may aim calls at, and the boundary and hostile values it
 * passes (addresses, fpages, timeouts). */
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

#include "fuzz.h"

static char pool_stack[FZ_POOL][16384] __attribute__((aligned(16)));

void fz_pool_init(void)
{
    for (unsigned k = 0; k < FZ_POOL; k++)
        fz.pool[k] = L4_nilthread;
}

L4_ThreadId_t fz_pool_id(unsigned k)
{
    return L4_GlobalId(FZ_POOL_BASE + k % FZ_POOL, 1);
}

void *fz_pool_utcb(unsigned k)
{
    return lib_utcb_slot(1 + k % FZ_POOL);
}

L4_Word_t fz_pool_stack(unsigned k)
{
    return (L4_Word_t)(pool_stack[k % FZ_POOL] + sizeof pool_stack[0]);
}

/* A pool thread: waits with short timeouts and answers what it gets
 * (fz_answers), for ever. */
void fz_pool_worker(void)
{
    L4_Word_t n = L4_MyGlobalId().raw;
    for (;;) {
        n = n * 6364136223846793005UL + 1442695040888963407UL;
        L4_ThreadId_t from;
        L4_Accept(L4_UntypedWordsAcceptor);
        L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(1 + (n >> 33) % 2000), &from);
        if (!L4_IpcFailed(tag) && fz_answers(tag)) {
            L4_LoadMR(0, FZ_ANSWER << 16);
            L4_Ipc(from, L4_nilthread, L4_Timeouts(L4_ZeroTime, L4_Never), &from);
        }
    }
}

/* Not an answer, and not a kernel protocol message (page fault,
 * exception, interrupt, ...: labels from -8 << 4 up). */
bool fz_answers(L4_MsgTag_t tag)
{
    return L4_Label(tag) != FZ_ANSWER && L4_Label(tag) < lib_proto_label(-8);
}

bool fz_protected(L4_ThreadId_t t)
{
    if (L4_IsLocalId(t) || t.raw == fz.me.raw || t.raw == L4_Myself().raw)
        return true;
    L4_Word_t no = L4_ThreadNo(t);
    if (no == L4_ThreadNo(fz.me) || no == L4_ThreadNo(fz.sigma0))
        return true;
    return no >= FZ_PARTNER_BASE && no < FZ_PARTNER_BASE + FZ_PARTNERS;
}

L4_ThreadId_t fz_any_thread(void)
{
    switch (fz_below(10)) {
    case 0: case 1: case 2: case 3:
        return fz_pool_id((unsigned)fz_below(FZ_POOL));
    case 4: case 5:
        return fz.partner[fz_below(FZ_PARTNERS)];
    case 6:
        return (L4_ThreadId_t){ .raw = fz_rand() };
    case 7:
        return L4_GlobalId(fz_below(48), fz_below(3));      /* interrupts, sigma0, root */
    case 8:
        return fz_below(2) ? L4_nilthread : L4_anythread;
    default:
        return L4_GlobalId(FZ_POOL_BASE + fz_below(FZ_POOL), 2 + fz_below(3));  /* stale versions */
    }
}

L4_Word_t fz_any_address(void)
{
    L4_Word_t base = lib_usable_base(), end = lib_usable_end();
    switch (fz_below(12)) {
    case 0: return 0;
    case 1: return ~0UL - fz_below(64);
    case 2: return base + fz_below(end - base);                /* mostly unmapped */
    case 3: return end - 8 + fz_below(16);                     /* across the end */
    case 4: return base - 4096 + fz_below(8192);               /* the KIP/UTCB areas */
    case 5: return 0x180000000000UL + fz_below(1UL << 24);     /* kernel stacks */
    case 6: return 0x200000000000UL + fz_below(1UL << 36);     /* other windows */
    case 7: return fz_rand() & 0x7fffffffffffUL;              /* anywhere in the host */
    case 8: return 0x0000800000000000UL + fz_below(4096);      /* non-canonical */
    case 9: return 0x7f0000000000UL + (fz_below(1UL << 32) << 4);   /* near the host's libraries */
    default: return base + 0x200000 + fz_below(0x100000);      /* pages from sigma0, maybe */
    }
}

/* A stack pointer or instruction pointer for a thread the fuzzer starts:
 * ones the thread's own first store or fetch must fault on (outside every
 * mapping, non-canonical, the top of the address space), or a page of a
 * window (stacks only); and for stacks also the simulator's memory (its
 * kernel stacks, the boot information, its libraries, anywhere in the
 * host), where the kernel must refuse the thread's first push (ROB0006).
 * Never a jump into host memory: what the host's code does with the
 * jumper's keys is the host's business (docs/kernel.md, deviation 3). */
static L4_Word_t start_address(bool ip)
{
    /* code in a window page could be anything sigma0 handed out: no jumps there */
    switch (fz_below(ip ? 5 : 11)) {
    case 0: return 0;
    case 1: return 8 + fz_below(16);
    case 2: return ~0UL - fz_below(4096);
    case 3: return 0x0000800000000000UL + fz_below(1UL << 20);  /* non-canonical */
    case 4: return 0xffff800000000000UL + fz_below(1UL << 20);  /* the host kernel's half */
    case 5: return 0x200000000000UL + fz_below(1UL << 36);     /* windows, maybe another task's */
    case 6: return 0x180000000000UL + fz_below(1UL << 24);     /* kernel stacks */
    case 7: return (L4_BootInfo(L4_GetKernelInterface()) | 0xfff) + 1 - fz_below(64);   /* boot information */
    case 8: return 0x7f0000000000UL + (fz_below(1UL << 32) << 4);   /* near the host's libraries */
    case 9: return fz_rand() & 0x7fffffffffffUL;                /* anywhere in the host */
    default: return lib_usable_end() - 0x100000 + fz_below(0x100000);  /* the top MiB of ours */
    }
}

L4_Word_t fz_start_address(bool ip)
{
    /* not near our own program image: a stack there is ours to use, and a
     * thread on it would overwrite the fuzzer's own state */
    L4_Word_t a = start_address(ip), me = (L4_Word_t)&fz;
    return a - (me - (64UL << 20)) < (128UL << 20) ? 0 : a;
}

L4_Word_t fz_any_fpage(void)
{
    switch (fz_below(6)) {
    case 0: return 0x10 | fz_below(8);                           /* complete address space */
    case 1: return 0;                                            /* nil */
    case 2: return fz_rand();
    case 3: return L4_FpageLog2(fz_any_address(), (int)fz_below(64)).raw | fz_below(8);
    default:
        return L4_FpageLog2(lib_usable_base() + (fz_below(512) << 12), 12 + (int)fz_below(10)).raw | fz_below(8);
    }
}

/* A finite timeout of at most about a second: zero, a period, or a raw
 * time point of any exponent (ahead, passed, or before the clock began). */
L4_Word_t fz_timeout(void)
{
    switch (fz_below(6)) {
    case 0: return L4_ZeroTime.raw;
    case 1: case 2: return L4_TimePeriod(1 + fz_below(3000)).raw;
    case 3: {
        /* any exponent; the bits are random up to e = 7 (a point up to
         * 2^17 us ahead or behind), and above they name a clock value at
         * most 2^17 us from now, so that no wait is long: a wait of
         * seconds is minutes of real time while other threads trade
         * messages */
        L4_Word_t e = fz_below(16), now = L4_SystemClock().raw;
        if (e < 8)
            return 0x8000 | e << 11 | fz_below(0x800);
        L4_Word_t at = now < (1UL << 17) ? fz_below(now + (1UL << 17)) : now - (1UL << 17) + fz_below(1UL << 18);
        return 0x8000 | e << 11 | ((at >> e) & 0x7ff);
    }
    case 4: return (fz_below(11) << 10) | (1 + fz_below(1023));  /* m * 2^e, up to 1023 * 2^10 us */
    default: {
        L4_Clock_t at = { .raw = L4_SystemClock().raw + fz_below(5000) };
        return L4_TimePointAt(at, L4_SystemClock()).raw;
    }
    }
}
