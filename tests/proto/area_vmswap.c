/* SWP00xx: memsvr's page replacement and swap.  Each case gives memsvr a
 * swap device (pt_ramdev, served by a thread of the root task, paged by
 * sigma0) and a frame limit a little above what it holds, runs tasks
 * whose memory is larger than that, and at its end checks the balance:
 * every slot free again (swap_off succeeds), as many frames in use as
 * before.  Sizes follow what memsvr really has (free frames plus the
 * limit's room), never a constant. */
#include <l4/ipc.h>
#include <l4/thread.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_ramdev.h"
#include "pt_vm.h"
#include "vm_client.h"

#define BSIZE 1024
#define FIRST_BLOCK 8                   /* swap starts inside the device */
#define SWAP_PAGES_MAX 2048
#define LIMIT_ROOM 256                  /* frames memsvr may take beyond what it holds */
#define WORDS (PAGE_SIZE / sizeof(L4_Word_t))

static unsigned char swap_mem[(SWAP_PAGES_MAX + 2) * PAGE_SIZE];
static struct pt_ramdev swapdev = { .mem = swap_mem, .size = sizeof swap_mem, .bsize = BSIZE };
#define MEM_MAX 320                     /* frames the cases' tasks get at most */
static vm_size_t base_in_use, hog_pages;
static L4_ThreadId_t hog;
static task_t hog_task;
static volatile L4_Word_t hog_ready;

/* Wires hog_pages pages, so that the memory left is what the case wants
 * even when memsvr already holds more frames (from earlier cases). */
static void hog_task_fn(void)
{
    vm_address_t a = 0;
    chacm_env_t env = { 0 };
    PT_EQ(vm_allocate(SELF, &a, hog_pages * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, a, hog_pages * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, &env),
          KERN_SUCCESS);
    hog_ready = 1;
    pt_park();
}

static void serve_swap(void)
{
    pt_ramdev_serve(&swapdev);
}

static vm_swap_info swap_now(void)
{
    vm_swap_info i = { 0 };
    chacm_env_t env = { 0 };
    vm_pageout_swap_info(pv_memsvr(), &i, &env);
    return i;
}

static vm_stats stats_of(task_t task)
{
    vm_stats s = { 0 };
    chacm_env_t env = { 0 };
    vm_vm_statistics(pv_memsvr(), task, &s, &env);
    return s;
}

/* Swap of `pages` pages on, memory limited; returns the frames tasks may
 * use (free now plus the limit's room less memsvr's heap reserve). */
static vm_size_t setup(unsigned pages)
{
    vm_size_t rcv, free;
    chacm_env_t env = { 0 };
    swapdev.mute = 0;
    vm_pageout_swap_off(pv_memsvr(), &env);     /* after a case that failed */
    L4_ThreadId_t dev = pt_thread(serve_swap);
    pv_frames(&rcv, &free, &base_in_use);
    if (vm_pageout_swap_on(pv_memsvr(), dev, 0, FIRST_BLOCK, pages * (PAGE_SIZE / BSIZE), &env) != KERN_SUCCESS)
        return 0;
    if (mach_vm_set_frame_limit(rcv + LIMIT_ROOM) != KERN_SUCCESS)
        return 0;
    vm_size_t avail = free + LIMIT_ROOM - 64;
    hog = L4_nilthread;
    if (avail > MEM_MAX + 64) {
        hog_pages = avail - MEM_MAX - 32;       /* its own tables and stack take a few */
        hog_ready = 0;
        hog = pv_spawn(hog_task_fn, &hog_task);
        for (unsigned k = 0; k < 1000 && !hog_ready; k++)
            pt_sleep_us(1000);
        if (!hog_ready)
            return 0;
        avail = MEM_MAX;
    }
    return avail;
}

/* Every slot back, swap off, the frames of the case's tasks back. */
static bool teardown(void)
{
    chacm_env_t env = { 0 };
    vm_size_t rcv, free, used;
    if (!L4_IsNilThread(hog))
        pv_end(hog, hog_task);
    hog = L4_nilthread;
    vm_swap_info i = swap_now();
    kern_return_t off = vm_pageout_swap_off(pv_memsvr(), &env);
    mach_vm_set_frame_limit(0);
    pv_frames(&rcv, &free, &used);
    return i.used == 0 && off == KERN_SUCCESS && used == base_in_use && rcv == free + used;
}

/* pv_run with time for paging: up to two minutes of virtual time. */
static bool run_long(void (*fn)(void))
{
    task_t task;
    L4_ThreadId_t t = pv_spawn(fn, &task);
    bool done = !L4_IsNilThread(t) && pv_wait(t, 120000);
    pv_end(t, task);
    return done;
}

/* Waits (up to a minute of virtual time) until pt_shared[i] is set. */
static bool wait_flag(unsigned i)
{
    for (unsigned k = 0; k < 6000 && !pt_shared[i]; k++)
        pt_sleep_us(10000);
    return pt_shared[i] != 0;
}

/* Makes a task that will run fn, with a thread of this task running
 * handler as its exception handler, and starts it; *task is its handle. */
static L4_ThreadId_t spawn_handled(void (*fn)(void), void (*handler)(void), task_t *task)
{
    L4_ThreadId_t h = pt_thread(handler);
    L4_ThreadId_t t = pv_create(fn, task);
    if (L4_IsNilThread(t) || mach_task_set_exception_port(*task, h) != KERN_SUCCESS)
        return L4_nilthread;
    pt_sleep_us(100);                           /* the handler waits */
    return pv_start(t, *task) ? t : L4_nilthread;
}

/* Receives one exception_raise: its label in pt_shared[7], its code in
 * [8]; w gets the words (task, thread, code, address, ip, access). */
static void take_exception(L4_Word_t w[6])
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_StoreMRs(1, 6, w);
    pt_shared[7] = L4_Label(tag);
    pt_shared[8] = w[2];
}

static L4_Word_t pattern(L4_Word_t seed, L4_Word_t page, L4_Word_t w)
{
    return (seed * 0x9E3779B97F4A7C15ULL) ^ (page << 20) ^ (w * 0x10001);
}

static void fill(vm_address_t a, vm_size_t pages, L4_Word_t seed)
{
    for (vm_size_t i = 0; i < pages; i++) {
        volatile L4_Word_t *p = (volatile L4_Word_t *)(a + i * PAGE_SIZE);
        for (unsigned w = 0; w < WORDS; w++)
            p[w] = pattern(seed, i, w);
    }
}

/* Pages of [a, a + pages) whose contents differ from seed's pattern. */
static unsigned bad_pages(vm_address_t a, vm_size_t pages, L4_Word_t seed)
{
    unsigned bad = 0;
    for (vm_size_t i = 0; i < pages; i++) {
        volatile L4_Word_t *p = (volatile L4_Word_t *)(a + i * PAGE_SIZE);
        for (unsigned w = 0; w < WORDS; w++)
            if (p[w] != pattern(seed, i, w)) {
                bad++;
                break;
            }
    }
    return bad;
}

static L4_Word_t lcg(L4_Word_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

/* ---- SWP0001: anonymous pages ---- */

static void anon_task(void)
{
    vm_size_t n = pt_shared[1];
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    fill(a, n, 7);
    PT_EQ(bad_pages(a, n, 7), 0);
    PT_EQ(bad_pages(a, n, 7), 0);               /* a second pass: back from swap again */
    L4_Word_t x = 1;
    for (unsigned k = 0; k < n; k++) {           /* scattered reads and rewrites */
        vm_size_t i = lcg(&x) % n;
        volatile L4_Word_t *p = (volatile L4_Word_t *)(a + i * PAGE_SIZE);
        PT_EQ(p[k % WORDS], pattern(7, i, k % WORDS));
    }
    vm_statistics_data_t s;
    PT_EQ(vm_statistics(SELF, &s), KERN_SUCCESS);
    pt_shared[2] = (L4_Word_t)s.pageouts;
    pt_shared[3] = (L4_Word_t)s.pageins;
    PT_EQ(vm_deallocate(SELF, a, n * PAGE_SIZE), KERN_SUCCESS);
}

DEFINE_TEST(SWP0001, "anonymous memory 3x the frames: pages go to swap and come back on the next fault, intact")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    pt_shared[1] = 3 * avail;
    PT_ASSERT(run_long(anon_task));
    PT_ASSERT(pt_shared[2] >= 2 * avail);       /* at least the excess went out ... */
    PT_ASSERT(pt_shared[3] >= 2 * avail);       /* ... and came back */
    PT_ASSERT(teardown());
}

/* ---- SWP0002: copy-on-write pages ---- */

static void cow_task(void)
{
    vm_size_t n = pt_shared[1];
    vm_address_t a = 0, b = 0, ballast = 0;
    vm_prot_t cur, max;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &ballast, 2 * n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    fill(a, n, 11);
    PT_EQ(vm_remap(SELF, &b, n * PAGE_SIZE, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &cur, &max,
                   VM_INHERIT_COPY), KERN_SUCCESS);
    fill(ballast, 2 * n, 1);                    /* both sides' pages go to swap */
    PT_EQ(bad_pages(b, n, 11), 0);
    fill(ballast, 2 * n, 2);
    for (vm_size_t i = 0; i < n; i += 2)        /* copy-on-write from pages in swap */
        ((volatile L4_Word_t *)(b + i * PAGE_SIZE))[0] = ~pattern(11, i, 0);
    fill(ballast, 2 * n, 3);
    PT_EQ(bad_pages(a, n, 11), 0);              /* the source never sees the copy's writes */
    unsigned changed = 0;
    for (vm_size_t i = 0; i < n; i++) {
        volatile L4_Word_t *p = (volatile L4_Word_t *)(b + i * PAGE_SIZE);
        PT_EQ(p[0], i % 2 ? pattern(11, i, 0) : ~pattern(11, i, 0));
        PT_EQ(p[1], pattern(11, i, 1));
        changed += i % 2 == 0;
    }
    PT_EQ(changed, (n + 1) / 2);
    vm_statistics_data_t s;
    PT_EQ(vm_statistics(SELF, &s), KERN_SUCCESS);
    pt_shared[2] = (L4_Word_t)s.pageins;
    pt_shared[3] = (L4_Word_t)s.cow_faults;
}

DEFINE_TEST(SWP0002, "copy-on-write pages: both sides evicted, a write to the copy copies from swap, neither side sees the other's data")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    pt_shared[1] = avail;
    PT_ASSERT(run_long(cow_task));
    PT_ASSERT(pt_shared[2] >= avail);
    PT_ASSERT(pt_shared[3] >= avail / 2);
    PT_ASSERT(teardown());
}

/* ---- SWP0003: swap full ---- */

/* Fills keep (32 pages) and spare (64), then writes big until the pages
 * no longer fit; the handler frees spare and resumes, and the task checks
 * that nothing written was lost. */
static void full_task(void)
{
    vm_size_t n = pt_shared[1];
    vm_address_t keep = 0, big = 0, spare = 0;
    PT_EQ(vm_allocate(SELF, &keep, 32 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &spare, 64 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &big, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    fill(keep, 32, 21);
    fill(spare, 64, 22);
    pt_shared[4] = spare;
    vm_size_t i;
    for (i = 0; i < n && !pt_shared[5]; i++)
        fill(big + i * PAGE_SIZE, 1, 23 + i);
    pt_shared[6] = i;                           /* pages of big written */
    PT_EQ(bad_pages(keep, 32, 21), 0);
    for (vm_size_t k = 0; k < i; k++)
        PT_EQ(bad_pages(big + k * PAGE_SIZE, 1, 23 + k), 0);
}

static void full_handler(void)
{
    L4_Word_t w[6];
    take_exception(w);
    pt_shared[5] = 1;                           /* the task stops after this page */
    if (vm_deallocate(w[0], pt_shared[4], 64 * PAGE_SIZE) == KERN_SUCCESS)
        mach_task_resume_fault(w[0], (L4_ThreadId_t){ .raw = w[1] });
    pt_park();
}

DEFINE_TEST(SWP0003, "swap full: the fault gets KERN_RESOURCE_SHORTAGE at the task's handler, no hang, no page lost, and it goes on once memory is freed")
{
    enum { SWAP = 128 };
    vm_size_t avail = setup(SWAP);
    PT_ASSERT(avail > 64);
    task_t task;
    pt_shared[1] = avail + SWAP + 64;           /* more than memory and swap hold */
    L4_ThreadId_t t = spawn_handled(full_task, full_handler, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_ASSERT(pv_wait(t, 60000));
    PT_EQ(pt_shared[7], (18 << 6) | 0);         /* vm_exc::exception_raise */
    PT_EQ(pt_shared[8], KERN_RESOURCE_SHORTAGE);
    PT_ASSERT(pt_shared[6] > avail);            /* it got well into swap first */
    PT_ASSERT(pt_shared[6] < avail + SWAP + 64);
    vm_swap_info i = swap_now();
    PT_ASSERT(i.used > SWAP - 64);
    pv_end(t, task);
    PT_ASSERT(teardown());
}

/* ---- SWP0004: a killed task's pages ---- */

static void touch_and_wait(void)
{
    vm_size_t n = pt_shared[1];
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    fill(a, n, 31);
    pt_shared[2] = 1;
    pt_park();
}

DEFINE_TEST(SWP0004, "a killed task's pages leave memory and swap: every slot and frame it held is free again")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    task_t task;
    pt_shared[1] = 3 * avail;
    L4_ThreadId_t t = pv_spawn(touch_and_wait, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_ASSERT(wait_flag(2));
    vm_stats s = stats_of(task);
    PT_ASSERT(s.task_swapped >= 2 * avail);
    PT_ASSERT(swap_now().used >= s.task_swapped);
    pv_end(t, task);                            /* task_terminate, then the thread */
    PT_EQ(swap_now().used, 0);
    PT_ASSERT(teardown());
}

/* ---- SWP0005: wired memory ---- */

static void wired_task(void)
{
    enum { W = 16 };
    vm_size_t n = pt_shared[1];
    vm_address_t w = 0, c = 0, ballast = 0;
    vm_statistics_data_t s0, s1, s2;
    chacm_env_t env = { 0 };
    PT_EQ(vm_allocate(SELF, &w, W * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &c, W * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &ballast, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, w, W * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, &env),
          KERN_SUCCESS);
    fill(w, W, 41);
    fill(c, W, 42);
    fill(ballast, n, 43);                       /* memory is full twice over */
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    PT_EQ(bad_pages(w, W, 41), 0);              /* the wired pages are all still there */
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_EQ(s1.faults - s0.faults, 0);
    PT_EQ(bad_pages(c, W, 42), 0);              /* the others had gone */
    PT_EQ(task_vm_statistics(SELF, &s2), KERN_SUCCESS);
    PT_ASSERT(s2.faults - s1.faults >= W / 2);
    /* unwired, they go like any page */
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, w, W * PAGE_SIZE, VM_PROT_NONE, &env), KERN_SUCCESS);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, w, W * PAGE_SIZE, VM_PROT_NONE, &env), KERN_INVALID_ARGUMENT);
    fill(ballast, n, 44);
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    PT_EQ(bad_pages(w, W, 41), 0);
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_ASSERT(s1.faults - s0.faults >= W / 2);
    /* bad requests */
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, w, W * PAGE_SIZE, 0x100, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_protect(SELF, c, W * PAGE_SIZE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, c, W * PAGE_SIZE, VM_PROT_WRITE, &env), KERN_PROTECTION_FAILURE);
    PT_EQ(vm_deallocate(SELF, c, W * PAGE_SIZE), KERN_SUCCESS);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, c, W * PAGE_SIZE, VM_PROT_READ, &env), KERN_INVALID_ADDRESS);
    /* a wired range that goes is unwired with it */
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, w, W * PAGE_SIZE, VM_PROT_READ, &env), KERN_SUCCESS);
    PT_EQ(vm_deallocate(SELF, w, W * PAGE_SIZE), KERN_SUCCESS);
}

DEFINE_TEST(SWP0005, "vm_wire: wired pages are never evicted under pressure, unwired ones are; bad requests get errors")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    pt_shared[1] = 2 * avail;
    PT_ASSERT(run_long(wired_task));
    PT_ASSERT(teardown());
}

/* ---- SWP0006: thrashing ---- */

static void thrash_task(void)
{
    vm_size_t n = pt_shared[1];
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    fill(a, n, 51);
    L4_Word_t x = 5;
    for (unsigned k = 0; k < 2 * n; k++) {
        vm_size_t i = lcg(&x) % n;
        PT_EQ(((volatile L4_Word_t *)(a + i * PAGE_SIZE))[3], pattern(51, i, 3));
    }
}

DEFINE_TEST(SWP0006, "random touches of 3x memory: memsvr reports thrashing in vm_statistics")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    vm_swap_info s0 = swap_now();
    pt_shared[1] = 3 * avail;
    PT_ASSERT(run_long(thrash_task));
    vm_swap_info s1 = swap_now();
    PT_ASSERT(s1.thrash_events > s0.thrash_events);
    PT_ASSERT(s1.pageins - s0.pageins >= avail);
    PT_ASSERT(teardown());
}

/* ---- SWP0007: eight tasks ---- */

#define STRESS_TASKS 8
#define STRESS_OPS 1500
#define STRESS_MAXP 512

static uint16_t version[STRESS_TASKS][STRESS_MAXP];
static volatile L4_Word_t stress_bad[STRESS_TASKS], stress_next;

static void stress_task(void)
{
    unsigned me = (unsigned)__atomic_fetch_add(&stress_next, 1, __ATOMIC_SEQ_CST);
    vm_size_t n = pt_shared[1];
    vm_address_t a = 0;
    PT_ASSERT(me < STRESS_TASKS && n <= STRESS_MAXP);
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    L4_Word_t x = me + 1, seq = 0;
    for (unsigned k = 0; k < STRESS_OPS; k++) {
        /* runs of sequential pages, then scattered ones */
        vm_size_t i = (k / 64) % 2 ? lcg(&x) % n : seq++ % n;
        volatile L4_Word_t *p = (volatile L4_Word_t *)(a + i * PAGE_SIZE);
        L4_Word_t seed = me * 65536 + version[me][i];
        if (version[me][i] && p[k % WORDS] != pattern(seed, i, k % WORDS))
            stress_bad[me]++;
        if (k % 3) {
            seed = me * 65536 + ++version[me][i];
            for (unsigned w = 0; w < WORDS; w++)
                p[w] = pattern(seed, i, w);
        }
    }
    for (vm_size_t i = 0; i < n; i++) {          /* the checksums at the end */
        volatile L4_Word_t *p = (volatile L4_Word_t *)(a + i * PAGE_SIZE);
        L4_Word_t sum = 0, want = 0, seed = me * 65536 + version[me][i];
        for (unsigned w = 0; w < WORDS; w++) {
            sum += p[w] * (w + 1);
            want += (version[me][i] ? pattern(seed, i, w) : 0) * (w + 1);
        }
        stress_bad[me] += sum != want;
    }
}

DEFINE_TEST(SWP0007, "eight tasks touch 3x memory in sequential and random runs: every checksum matches, no page lost")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    vm_size_t per = 3 * avail / STRESS_TASKS;
    PT_ASSERT(per <= STRESS_MAXP);
    pt_shared[1] = per;
    stress_next = 0;
    L4_ThreadId_t t[STRESS_TASKS];
    task_t task[STRESS_TASKS];
    for (unsigned i = 0; i < STRESS_TASKS; i++) {
        stress_bad[i] = 0;
        for (unsigned p = 0; p < STRESS_MAXP; p++)
            version[i][p] = 0;
    }
    for (unsigned i = 0; i < STRESS_TASKS; i++)
        PT_ASSERT(!L4_IsNilThread(t[i] = pv_spawn(stress_task, &task[i])));
    unsigned done = 0;
    for (unsigned i = 0; i < STRESS_TASKS; i++)
        done += pv_wait(t[i], 120000);
    vm_swap_info s = swap_now();
    for (unsigned i = 0; i < STRESS_TASKS; i++)
        pv_end(t[i], task[i]);
    PT_EQ(done, STRESS_TASKS);
    for (unsigned i = 0; i < STRESS_TASKS; i++)
        PT_EQ(stress_bad[i], 0);
    PT_ASSERT(s.pageouts >= avail);
    PT_ASSERT(teardown());
}

/* ---- SWP0008: a swap device that stops answering ---- */

static void mute_task(void)
{
    vm_size_t n = pt_shared[1];
    vm_address_t a = 0;
    PT_EQ(vm_allocate(SELF, &a, n * PAGE_SIZE, TRUE), KERN_SUCCESS);
    fill(a, n, 61);
    pt_shared[2] = 1;
    while (!pt_shared[3])                       /* the root mutes the device */
        pt_sleep_us(1000);
    PT_EQ(bad_pages(a, n, 61), 0);              /* the first page in swap fails, then comes back */
}

static void mute_handler(void)
{
    L4_Word_t w[6];
    take_exception(w);
    swapdev.mute = 0;                           /* the device is back */
    mach_task_resume_fault(w[0], (L4_ThreadId_t){ .raw = w[1] });
    pt_park();
}

DEFINE_TEST(SWP0008, "a swap device that does not answer: the fault fails with KERN_FAILURE after the timeout, memsvr goes on, the page is still in swap once the device is back")
{
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    task_t task;
    pt_shared[1] = 2 * avail;
    L4_ThreadId_t t = spawn_handled(mute_task, mute_handler, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_ASSERT(wait_flag(2));
    swapdev.mute = 1;
    pt_shared[3] = 1;
    PT_ASSERT(pv_wait(t, 60000));
    PT_EQ(pt_shared[7], (18 << 6) | 0);
    PT_EQ(pt_shared[8], KERN_FAILURE);
    PT_ASSERT(swap_now().read_errors >= 1);
    pv_end(t, task);
    PT_ASSERT(teardown());
}

/* ---- SWP0009: bad requests ---- */

static void not_the_creator(void)
{
    chacm_env_t env = { 0 };
    vm_group_info gi;
    PT_EQ(vm_pageout_swap_on(L4_Pager(), L4_Myself(), 0, 0, 64, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_swap_off(L4_Pager(), &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_task_set_group(L4_Pager(), SELF, 1, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_group_set_share(L4_Pager(), 1, 10, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_group_info(L4_Pager(), 1, &gi, &env), KERN_SUCCESS);
    PT_EQ(vm_pageout_group_info(L4_Pager(), 99, &gi, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), 0x12345678, 0, PAGE_SIZE, VM_PROT_READ, &env), KERN_INVALID_ARGUMENT);
}

DEFINE_TEST(SWP0009, "bad vm_pageout requests get errors and change nothing; swap_off waits for every slot")
{
    chacm_env_t env = { 0 };
    L4_ThreadId_t nobody = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 200, 1);
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), nobody, 0, 0, 64, &env), KERN_FAILURE);   /* does not answer */
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), L4_nilthread, 0, 0, 64, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_swap_off(pv_memsvr(), &env), KERN_INVALID_ARGUMENT);          /* none on */
    L4_ThreadId_t dev = pt_thread(serve_swap);
    L4_Word_t blocks = sizeof swap_mem / BSIZE;
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), dev, 0, 0, 3, &env), KERN_INVALID_ARGUMENT);      /* no page */
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), dev, 0, blocks - 4, 8, &env), KERN_INVALID_ARGUMENT); /* past the end */
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), dev, 0, ~(L4_Word_t)0, 8, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_task_set_group(pv_memsvr(), 0x12345678, 1, &env), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_pageout_group_set_share(pv_memsvr(), 8, 10, &env), KERN_INVALID_ARGUMENT);
    PT_ASSERT(run_long(not_the_creator));
    PT_EQ(swap_now().slots, 0);                 /* still no swap */
    /* swap off refuses while a page is in swap */
    vm_size_t avail = setup(SWAP_PAGES_MAX);
    PT_ASSERT(avail > 64);
    PT_EQ(vm_pageout_swap_on(pv_memsvr(), dev, 0, 0, 64, &env), KERN_INVALID_ARGUMENT);     /* on already */
    task_t task;
    pt_shared[1] = 2 * avail;
    L4_ThreadId_t t = pv_spawn(touch_and_wait, &task);
    PT_ASSERT(!L4_IsNilThread(t));
    PT_ASSERT(wait_flag(2));
    PT_EQ(vm_pageout_swap_off(pv_memsvr(), &env), KERN_FAILURE);
    pv_end(t, task);
    PT_ASSERT(teardown());
}
