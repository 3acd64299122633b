/* bench_l4vm: memsvr's costs, measured in a task that memsvr pages, booted
 * with sigma0 and memsvr (bench_vm.lst).  Case BVM0001 is the full run
 * (64 MiB), BVM0002 the quick one (4 MiB) for the suite's smoke test:
 *   vm_touch_page          first touch of freshly vm_allocate'd memory, per
 *                          page, and the fault-ahead window seen (pages per
 *                          fault, from task_vm_statistics)
 *   zerofill_fault         one zero-fill fault (pages touched in scattered
 *   cow_fault              order, so one page per fault) and one copy-on-write
 *                          fault of a vm_remap copy, per fault
 *   vm_alloc_pair          vm_allocate + vm_deallocate of one page
 *   l4_call_rt             a hand-written L4_Call round trip (4 words out,
 *                          2 back) to a thread of another task
 *   vm_remap_copy_per_mib  vm_remap copy of touched memory, per MiB; no page
 *                          may be copied (checked with memsvr's frame count)
 * Times are TSC cycles ("bench NAME CYCLES cycles", medians of 3 runs);
 * bench_vm converts them to microseconds. */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_vm.h"
#include "../bench.h"

#define SELF mach_task_self()
#define PG PAGE_SIZE
#define MiB (1UL << 20)
#define REPEATS 3
#define SCATTER 512 /* pages per scattered fault run (a power of two) */
#define PAIRS 1000
#define CALLS 1000

static vm_size_t bench_size;

static void report(const char *name, const volatile unsigned long long *v)
{
    printf("bench %s %llu cycles\n", name, bench_median(v, REPEATS));
}

static vm_address_t fresh(vm_size_t size)
{
    vm_address_t a = 0;

    return vm_allocate(SELF, &a, size, TRUE) == KERN_SUCCESS ? a : 0;
}

static integer_t stat_of(int which)
{
    vm_statistics_data_t s;

    if (task_vm_statistics(SELF, &s) != KERN_SUCCESS)
        return -1;
    return which == 0 ? s.faults : which == 1 ? s.zero_fill_count : s.cow_faults;
}

static void touch_run(void)
{
    static volatile unsigned long long t[REPEATS];
    vm_size_t pages = bench_size / PG;
    integer_t faults = 0;

    for (int r = 0; r < REPEATS; r++) {
        vm_address_t a = fresh(bench_size);
        integer_t f0 = stat_of(0);

        PT_ASSERT(a != 0);
        unsigned long long t0 = bench_tsc();
        for (vm_size_t i = 0; i < pages; i++)
            ((volatile char *)a)[i * PG] = 1;
        t[r] = (bench_tsc() - t0) / pages;
        faults = stat_of(0) - f0;
        PT_EQ(vm_deallocate(SELF, a, bench_size), KERN_SUCCESS);
    }
    PT_ASSERT(faults > 0);
    report("vm_touch_page", t);
    printf("bench vm_touch_pages_per_fault %lu pages\n", (unsigned long)(pages / (vm_size_t)faults));
}

/* Writes one byte of each of n pages at a in a scattered order (a stride
 * that is coprime with n), so that no fault looks sequential; returns the
 * cycles per fault and checks that each page took one fault of kind. */
static unsigned long long scattered(vm_address_t a, int kind)
{
    integer_t f0 = stat_of(kind);
    unsigned long long t0 = bench_tsc();

    for (unsigned i = 0; i < SCATTER; i++)
        ((volatile char *)a)[((i * 97u) % SCATTER) * PG] = 1;
    unsigned long long t = bench_tsc() - t0;
    integer_t f = stat_of(kind) - f0;
    if (f != SCATTER)
        printf("bench_l4vm: %d faults of kind %d for %d pages\n", f, kind, SCATTER);
    return t / (unsigned long long)(f > 0 ? f : 1);
}

static void fault_run(void)
{
    static volatile unsigned long long zf[REPEATS], cow[REPEATS];

    for (int r = 0; r < REPEATS; r++) {
        vm_address_t a = fresh(SCATTER * PG), b = 0;
        vm_prot_t c, x;

        PT_ASSERT(a != 0);
        zf[r] = scattered(a, 1);
        PT_EQ(vm_remap(SELF, &b, SCATTER * PG, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &c, &x,
                       VM_INHERIT_COPY), KERN_SUCCESS);
        cow[r] = scattered(b, 2);
        PT_EQ(vm_deallocate(SELF, a, SCATTER * PG), KERN_SUCCESS);
        PT_EQ(vm_deallocate(SELF, b, SCATTER * PG), KERN_SUCCESS);
    }
    report("zerofill_fault", zf);
    report("cow_fault", cow);
}

static void pair_run(void)
{
    static volatile unsigned long long t[REPEATS], rt[REPEATS];
    L4_ThreadId_t echo = {.raw = pt_shared[0]};
    L4_Msg_t m;

    for (int r = 0; r < REPEATS; r++) {
        unsigned long long t0 = bench_tsc();
        for (int i = 0; i < PAIRS; i++) {
            vm_address_t a = 0;
            PT_EQ(vm_allocate(SELF, &a, PG, TRUE), KERN_SUCCESS);
            PT_EQ(vm_deallocate(SELF, a, PG), KERN_SUCCESS);
        }
        t[r] = (bench_tsc() - t0) / PAIRS;
        t0 = bench_tsc();
        for (int i = 0; i < CALLS; i++) {
            L4_MsgClear(&m);
            for (L4_Word_t w = 0; w < 4; w++)
                L4_MsgAppendWord(&m, w);
            L4_MsgLoad(&m);
            PT_IPC_OK(L4_Call(echo));
        }
        rt[r] = (bench_tsc() - t0) / CALLS;
    }
    report("vm_alloc_pair", t);
    report("l4_call_rt", rt);
}

/* The other side of l4_call_rt: answers every call with two words. */
static void echo_server(void)
{
    L4_ThreadId_t from;
    L4_Msg_t m;
    L4_MsgTag_t tag = L4_Wait(&from);

    for (;;) {
        (void)tag;
        L4_MsgClear(&m);
        L4_MsgAppendWord(&m, 0);
        L4_MsgAppendWord(&m, 1);
        L4_MsgLoad(&m);
        tag = L4_ReplyWait(from, &from);
    }
}

static void remap_run(void)
{
    static volatile unsigned long long t[REPEATS];
    vm_address_t a = fresh(bench_size);
    vm_size_t rcv, fr, used0, used1, meta;

    PT_ASSERT(a != 0);
    for (vm_size_t i = 0; i < bench_size / PG; i++)
        ((volatile char *)a)[i * PG] = 1;
    for (int r = 0; r < REPEATS; r++) {
        vm_address_t b = 0;
        vm_prot_t c, x;
        integer_t cow0 = stat_of(2);

        PT_EQ(mach_vm_frames(&rcv, &fr, &used0, &meta), KERN_SUCCESS);
        unsigned long long t0 = bench_tsc();
        PT_EQ(vm_remap(SELF, &b, bench_size, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &c, &x,
                       VM_INHERIT_COPY), KERN_SUCCESS);
        t[r] = (bench_tsc() - t0) / (bench_size / MiB);
        PT_EQ(mach_vm_frames(&rcv, &fr, &used1, &meta), KERN_SUCCESS);
        PT_EQ(used1, used0);          /* no page copied */
        PT_EQ(stat_of(2), cow0);
        PT_EQ(vm_deallocate(SELF, b, bench_size), KERN_SUCCESS);
    }
    report("vm_remap_copy_per_mib", t);
}

static void all_runs(void)
{
    touch_run();
    if (!pt_failed())
        fault_run();
    if (!pt_failed())
        pair_run();
    if (!pt_failed())
        remap_run();
}

static void run(vm_size_t size)
{
    L4_ThreadId_t echo = pt_thread(echo_server);

    bench_size = size;
    pt_shared[0] = echo.raw;
    PT_ASSERT(pv_run(all_runs));
}

DEFINE_TEST(BVM0001, "memsvr benchmark over 64 MiB")
{
    run(64 * MiB);
}

DEFINE_TEST(BVM0002, "memsvr benchmark over 4 MiB (smoke run)")
{
    run(4 * MiB);
}
