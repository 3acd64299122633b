/* bench_l4mem: memory costs on the hosted kernel.  The root task (paged by
 * sigma0) is the pager of a task that touches fresh pages:
 *   pf_resolve            one page fault resolved by the pager with a 4 KiB
 *                         map item (SIGSEGV, fault IPC, map, restart)
 *   map_unmap_N           a map item of N pages (1, 16, 256) to another task
 *                         and the Unmap that takes them back
 *   unmap_3deep_S         Unmap of S (4, 16, 64 MiB) whose pages were mapped
 *                         on three levels deep (pager -> B -> C -> D), and
 *                         the same per derived mapping (_per_mapping)
 * Times are TSC cycles ("bench NAME CYCLES cycles"); bench_mem converts. */
#include <stdio.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>
#include "../bench.h"

#define PAGES 2048              /* pages touched per page-fault run */
#define REPEATS 5
#define LABEL_DONE 1
#define LABEL_TAKE 2
#define LABEL_FORWARD 3
#define MiB (1UL << 20)

int main(void);

static char stacks[4][16384] __attribute__((aligned(16)));
static volatile L4_Word_t toucher_base;
static volatile unsigned long long fault_cycles[REPEATS];

/* A size-aligned region of 2^log2 bytes in the caller's window. */
static L4_Word_t region(int log2)
{
    L4_Word_t size = 1UL << log2;
    return (lib_usable_base() + 64 * MiB + size - 1) & ~(size - 1);
}

/* A new task paged by us, running fn. */
static L4_ThreadId_t start_task(unsigned k, void (*fn)(void))
{
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1 + k, 1);
    L4_Word_t err = lib_task_create(t, L4_Myself());
    if (!err)
        err = lib_task_start(t, (L4_Word_t)fn, (L4_Word_t)(stacks[k] + sizeof stacks[k]));
    if (err)
        printf("bench_l4mem: cannot create a task: error %lu\n", err);
    return t;
}

/* ---- page faults ---- */

static void toucher(void)
{
    L4_Word_t base = region(24);
    toucher_base = base;
    for (int r = 0; r < REPEATS; r++) {
        unsigned long long t0 = bench_tsc();
        for (L4_Word_t i = 0; i < PAGES; i++)
            *(volatile char *)(base + i * 4096) = 1;
        fault_cycles[r] = (bench_tsc() - t0) / PAGES;
        L4_LoadMR(0, (L4_Word_t)LABEL_DONE << 16);
        L4_Call(L4_Pager());
    }
    L4_LoadMR(0, (L4_Word_t)LABEL_DONE << 16);
    L4_Send(L4_Pager());
    for (;;)
        L4_Sleep(L4_Never);
}

/* Serves the toucher's faults from pool; after each run takes every page
 * back, so that the next run touches fresh pages again. */
static void bench_faults(L4_Word_t pool)
{
    L4_ThreadId_t t = start_task(0, toucher), from;
    L4_MsgTag_t tag = L4_Wait(&from);
    int done = 0;
    for (;;) {
        if (L4_Label(tag) == LABEL_DONE) {
            L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(pool, 24), L4_FullyAccessible));
            if (++done > REPEATS)
                break;
            L4_LoadMR(0, 0);
        } else {
            L4_Word_t addr;
            L4_StoreMR(1, &addr);
            L4_Word_t page = pool + ((addr - toucher_base) & (16 * MiB - 1) & ~0xfffUL);
            L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), L4_ReadWriteOnly), addr);
            L4_LoadMRs(1, 2, m.raw);
            L4_LoadMR(0, 2 << 6);
        }
        tag = L4_ReplyWait(from, &from);
    }
    (void)t;
    printf("bench pf_resolve %llu cycles\n", bench_median(fault_cycles, REPEATS));
}

/* ---- mapping ---- */

/* Takes map items into its 64 MiB region; on FORWARD (MR1 next, MR2 log2
 * size) maps the region's first 2^MR2 bytes on to the next relay. */
static void relay(void)
{
    L4_Word_t mine = region(26);
    L4_ThreadId_t from;
    L4_Accept(L4_MapGrantItems(L4_FpageLog2(mine, 26)));
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        if (L4_Label(tag) == LABEL_FORWARD) {
            L4_Word_t next, s;
            L4_StoreMR(1, &next);
            L4_StoreMR(2, &s);
            L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(mine, (int)s), L4_ReadWriteOnly), 0);
            L4_LoadMRs(1, 2, m.raw);
            L4_LoadMR(0, ((L4_Word_t)LABEL_TAKE << 16) | (2 << 6));
            L4_Call((L4_ThreadId_t){ .raw = next });
        }
        L4_LoadMR(0, 0);
        L4_Accept(L4_MapGrantItems(L4_FpageLog2(mine, 26)));
        tag = L4_ReplyWait(from, &from);
    }
}

static void give(L4_ThreadId_t to, L4_Word_t base, int log2)
{
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(base, log2), L4_ReadWriteOnly), 0);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, ((L4_Word_t)LABEL_TAKE << 16) | (2 << 6));
    L4_Call(to);
}

static void forward(L4_ThreadId_t from, L4_ThreadId_t to, int log2)
{
    L4_LoadMR(1, to.raw);
    L4_LoadMR(2, (L4_Word_t)log2);
    L4_LoadMR(0, ((L4_Word_t)LABEL_FORWARD << 16) | 2);
    L4_Call(from);
}

static void bench_map_unmap(L4_ThreadId_t b, L4_Word_t pool)
{
    static const int sizes[] = { 12, 16, 20 };
    for (int k = 0; k < 3; k++) {
        volatile unsigned long long runs[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            unsigned long long t0 = bench_tsc();
            for (int i = 0; i < 200; i++) {
                give(b, pool, sizes[k]);
                L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(pool, sizes[k]), L4_FullyAccessible));
            }
            runs[r] = (bench_tsc() - t0) / 200;
        }
        printf("bench map_unmap_%d %llu cycles\n", 1 << (sizes[k] - 12), bench_median(runs, REPEATS));
    }
}

static void bench_unmap_deep(L4_ThreadId_t b, L4_ThreadId_t c, L4_ThreadId_t d, L4_Word_t pool)
{
    static const int sizes[] = { 22, 24, 26 };
    for (int k = 0; k < 3; k++) {
        volatile unsigned long long runs[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            give(b, pool, sizes[k]);
            forward(b, c, sizes[k]);
            forward(c, d, sizes[k]);
            unsigned long long t0 = bench_tsc();
            L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(pool, sizes[k]), L4_FullyAccessible));
            runs[r] = bench_tsc() - t0;
        }
        unsigned long long m = bench_median(runs, REPEATS);
        printf("bench unmap_3deep_%dm %llu cycles\n", 1 << (sizes[k] - 20), m);
        /* three derived mappings per page */
        printf("bench unmap_3deep_%dm_per_mapping %llu cycles\n", 1 << (sizes[k] - 20),
               m / (3ULL << (sizes[k] - 12)));
    }
}

int main(void)
{
    L4_Word_t fault_pool = region(24) + 64 * MiB, map_pool = region(26) + 128 * MiB;
    if (L4_IsNilFpage(L4_Sigma0_GetAny(L4_nilthread, 24, L4_FpageLog2(fault_pool, 24))) ||
        L4_IsNilFpage(L4_Sigma0_GetAny(L4_nilthread, 26, L4_FpageLog2(map_pool, 26)))) {
        printf("bench_l4mem: sigma0 gave no memory (boot with sigma0 and memory=256M)\n");
        return 1;
    }
    bench_faults(fault_pool);
    L4_ThreadId_t b = start_task(1, relay), c = start_task(2, relay), d = start_task(3, relay);
    bench_map_unmap(b, map_pool);
    bench_unmap_deep(b, c, d, map_pool);
    return 0;
}
