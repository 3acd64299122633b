/* bench_l4paging: the global pager against per-group pagers with fixed
 * shares, on the same workload (docs/paging.md, "The experiment").
 * Booted with sigma0 and memsvr (bench_paging.lst); BPG0001 is the full
 * run, BPG0002 the quick one for the suite's smoke test.
 *
 * Memory: memsvr's frames are limited to MEM frames (vm_set_frame_limit),
 * swap is a pt_ramdev served by a thread of this root task.  Three groups
 * of two tasks each allocate 2.4 x MEM pages together and write every
 * page once, then run two phases of random writes over a working set:
 *   group 1  0.25 x MEM in both phases (steady)
 *   group 2  0.55 x MEM, then 0.10 x MEM (shrinks)
 *   group 3  0.10 x MEM, then 0.55 x MEM (grows)
 * so the working sets always add up to 0.9 x MEM, while each group's
 * peak is above a third of it.  The pool holds MEM frames less one chunk
 * (memsvr keeps it for its tables), the shares a third of that each.  "global": every frame is anyone's (one
 * clock over all); "partitioned": each group's pager holds at most MEM/3
 * frames, drawn first come first served, and replaces among its own.
 * Each config prints, per group and in total, page faults, swap I/O
 * (pages in + out) and completion time (virtual ms, from the start of
 * the config to the group's last task's end), and "rss CONFIG MS GROUP
 * PAGES" samples of every group's resident frames every SAMPLE_US. */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_ramdev.h"
#include "pt_vm.h"
#include "vm_client.h"

#define SELF mach_task_self()
#define GROUPS 3
#define PER_GROUP 2
#define TASKS (GROUPS * PER_GROUP)
#define BSIZE 4096
#define SWAP_PAGES 4096
#define SAMPLE_US 1000
#define MAX_SAMPLES 50000
#define SLICE_US 500                    /* the tasks' time slices: the groups run interleaved */
#define WORDS (PAGE_SIZE / sizeof(L4_Word_t))

static unsigned char swap_mem[SWAP_PAGES * PAGE_SIZE];
static struct pt_ramdev swapdev = { .mem = swap_mem, .size = sizeof swap_mem, .bsize = BSIZE };

/* Workload, in hundredths of MEM: allocation, phase 1 and phase 2 working set. */
static const unsigned alloc_pct[GROUPS] = { 60, 90, 90 };
static const unsigned ws_pct[GROUPS][2] = { { 25, 25 }, { 55, 10 }, { 10, 55 } };

static vm_size_t mem, ops;
static volatile L4_Word_t next_task, done_us[TASKS], bad[TASKS], started_us, running;

static L4_Word_t now_us(void)
{
    return (L4_Word_t)L4_SystemClock().raw;
}

static L4_Word_t lcg(L4_Word_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

/* One task: half of its group's region and working sets. */
static void worker(void)
{
    unsigned me = (unsigned)__atomic_fetch_add(&next_task, 1, __ATOMIC_SEQ_CST), g = me / PER_GROUP;
    vm_size_t n = mem * alloc_pct[g] / 100 / PER_GROUP;
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    for (vm_size_t i = 0; i < n; i++)           /* the whole allocation, once */
        ((volatile L4_Word_t *)(a + i * PAGE_SIZE))[0] = i ^ ((L4_Word_t)me << 32);
    L4_Word_t x = me + 1;
    for (unsigned ph = 0; ph < 2; ph++) {
        vm_size_t ws = mem * ws_pct[g][ph] / 100 / PER_GROUP;
        vm_size_t base = ph ? n - ws : 0;       /* the second phase's set lies elsewhere */
        for (vm_size_t k = 0; k < ops; k++) {
            vm_size_t i = base + lcg(&x) % ws;
            volatile L4_Word_t *p = (volatile L4_Word_t *)(a + i * PAGE_SIZE);
            if (p[0] != (i ^ ((L4_Word_t)me << 32)))
                bad[me]++;
            p[1 + k % (WORDS - 1)] = k;
            (void)now_us();                     /* one kernel entry: 1 us of virtual time per write */
        }
    }
    done_us[me] = now_us();
}

static vm_group_info group_info(unsigned g)
{
    vm_group_info i = { 0 };
    chacm_env_t env = { 0 };
    vm_pageout_group_info(pv_memsvr(), g, &i, &env);
    return i;
}

static const char *config_name(bool partitioned)
{
    return partitioned ? "partitioned" : "global";
}

/* Runs the workload once; prints its figures and samples. */
static void run_config(bool partitioned)
{
    const char *name = config_name(partitioned);
    chacm_env_t env = { 0 };
    L4_ThreadId_t t[TASKS];
    task_t task[TASKS];
    vm_swap_info s0 = { 0 }, s1 = { 0 };
    for (unsigned g = 1; g <= GROUPS; g++)
        PT_EQ(vm_pageout_group_set_share(pv_memsvr(), g, partitioned ? (mem - 64) / GROUPS : 0, &env),
              KERN_SUCCESS);
    vm_pageout_swap_info(pv_memsvr(), &s0, &env);
    next_task = 0;
    for (unsigned i = 0; i < TASKS; i++) {
        done_us[i] = bad[i] = 0;
        PT_ASSERT(!L4_IsNilThread(t[i] = pv_create(worker, &task[i])));
        L4_Set_Timeslice(t[i], L4_TimePeriod(SLICE_US), L4_Never);
        PT_EQ(vm_pageout_task_set_group(pv_memsvr(), task[i], 1 + i / PER_GROUP, &env), KERN_SUCCESS);
    }
    started_us = now_us();
    for (unsigned i = 0; i < TASKS; i++)
        PT_ASSERT(pv_start(t[i], task[i]));
    /* samples until every task is done (each sends pv's done message when
     * its function returns: collected afterwards) */
    for (unsigned left = TASKS, k = 0; left; k++) {
        PT_ASSERT(k < MAX_SAMPLES);             /* a task that died never ends */
        pt_sleep_us(SAMPLE_US);
        L4_Word_t ms = (now_us() - started_us) / 1000;
        left = 0;
        for (unsigned i = 0; i < TASKS; i++)
            left += done_us[i] == 0;
        for (unsigned g = 1; g <= GROUPS; g++)
            printf("rss %s %lu %u %lu\n", name, ms, g, group_info(g).resident);
    }
    L4_Word_t faults = 0, io = 0, end = 0, lost = 0;
    vm_group_info gi[GROUPS + 1];
    for (unsigned g = 1; g <= GROUPS; g++)
        gi[g] = group_info(g);
    vm_pageout_swap_info(pv_memsvr(), &s1, &env);
    for (unsigned i = 0; i < TASKS; i++) {
        PT_ASSERT(pv_wait(t[i], 1000));
        pv_end(t[i], task[i]);
        lost += bad[i];
    }
    for (unsigned g = 1; g <= GROUPS; g++) {
        L4_Word_t gend = 0;
        for (unsigned i = (g - 1) * PER_GROUP; i < g * PER_GROUP; i++)
            gend = done_us[i] > gend ? done_us[i] : gend;
        L4_Word_t gio = gi[g].pageins + gi[g].pageouts, ms = (gend - started_us) / 1000;
        printf("bench paging_%s_g%u_faults %lu faults\n", name, g, gi[g].faults);
        printf("bench paging_%s_g%u_swap_io %lu pages\n", name, g, gio);
        printf("bench paging_%s_g%u_time %lu ms\n", name, g, ms);
        faults += gi[g].faults;
        io += gio;
        end = gend > end ? gend : end;
    }
    printf("bench paging_%s_faults %lu faults\n", name, faults);
    printf("bench paging_%s_swap_io %lu pages\n", name, io);
    printf("bench paging_%s_time %lu ms\n", name, (end - started_us) / 1000);
    printf("bench paging_%s_thrash_events %lu events\n", name, s1.thrash_events - s0.thrash_events);
    PT_EQ(lost, 0);
}

static void serve_swap(void)
{
    pt_ramdev_serve(&swapdev);
}

static void experiment(vm_size_t frames, vm_size_t n_ops)
{
    vm_size_t rcv, free, used;
    chacm_env_t env = { 0 };
    mem = frames;
    ops = n_ops;
    L4_ThreadId_t dev = pt_thread(serve_swap);
    pv_frames(&rcv, &free, &used);
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), dev, 0, 0, SWAP_PAGES, &env), KERN_SUCCESS);
    /* the pool may grow to mem frames; memsvr keeps one chunk of the limit for its tables */
    PT_ASSERT(rcv <= mem);
    PT_EQ(mach_vm_set_frame_limit(mem + 64), KERN_SUCCESS);
    printf("paging experiment: %lu frames of memory, %lu pages allocated, %lu writes per task and phase\n",
           (unsigned long)mem, (unsigned long)(mem * (alloc_pct[0] + alloc_pct[1] + alloc_pct[2]) / 100),
           (unsigned long)ops);
    run_config(false);
    run_config(true);
    pv_frames(&rcv, &free, &used);
    printf("paging experiment: memsvr held %lu frames\n", (unsigned long)rcv);
    PT_EQ(vm_pageout_swap_off(pv_memsvr(), &env), KERN_SUCCESS);
    mach_vm_set_frame_limit(0);
}

DEFINE_TEST(BPG0001, "the paging experiment: 3 groups, 2.4x memory, global against partitioned pagers")
{
    experiment(1024, 6000);
}

DEFINE_TEST(BPG0002, "the paging experiment, quick")
{
    experiment(256, 1500);
}
