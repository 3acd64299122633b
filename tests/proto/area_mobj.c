/* MOB00xx: external memory managers at memsvr (ipc/idl/memory_object.idl):
 * a manager task made here serves an object whose page i holds words
 * PATTERN(i, k); client tasks map it shared or as a copy and fault its
 * pages in, write them back with vm_msync, and meet managers that answer
 * with errors, zeros or not at all.  Test code runs in tasks memsvr pages
 * (pt_vm.h); the main thread is the root task. */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "memory_object_server.h"
#include "memory_object_control_client.h"
#include "vm_client.h"
#include "ptest.h"
#include "pt_vm.h"

#define PAGES 40
#define OBJECT 0x5eed
#define PATTERN(pg, k) (((L4_Word_t)(pg) << 20) | 0xa000 | (k))
#define WORDS (PAGE_SIZE / sizeof(L4_Word_t))

enum { ANSWER, SILENT, ERROR, ZEROS, LOCKED };

/* Shared by the tasks of a case (module data, visible to every task that
 * runs this module's code): [1] entry, [2] control, [3] mode, [4] requests, [5] returns,
 * [6] dirty pages returned, [7] terminates, [8] inits, [9] client thread,
 * [10] last data_return offset, [11] requested bytes, [12] manager ready; the cases use
 * [13] and up. */
static volatile L4_Word_t sh[24];   /* [22] lock_completed, [23] data_unlock messages */
#define STORE_MAX 1024
static unsigned obj_pages = PAGES;      /* the object's size */
static L4_Word_t store[STORE_MAX][4];
static vm_address_t buf;                /* the manager's staging buffer (made on its first request) */       /* first words of returned pages, by page */
static L4_Word_t returned_at[STORE_MAX];    /* 1 + how many times each page came back */

static volatile L4_Word_t *word(vm_address_t a, unsigned pg, unsigned k)
{
    return (volatile L4_Word_t *)(a + pg * PAGE_SIZE) + k;
}

static void mo_init(L4_Word_t object, L4_Word_t control, L4_Word_t page_size, chacm_srvenv_t *env)
{
    (void)env;
    if (object == OBJECT && page_size == PAGE_SIZE && control == sh[2])
        sh[8]++;
}

static void mo_request(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t access,
                       chacm_srvenv_t *env)
{
    (void)object;
    (void)access;
    (void)env;
    sh[4]++;
    sh[11] += length;
    L4_ThreadId_t memsvr = L4_Pager();
    chacm_env_t ce = { 0 };
    if (sh[3] == SILENT)
        return;
    if (sh[3] == ERROR) {
        memory_object_control_data_error(memsvr, control, offset, length, 0xbad, &ce);
        return;
    }
    if (sh[3] == ZEROS) {
        memory_object_control_data_unavailable(memsvr, control, offset, length, &ce);
        return;
    }
    if (!buf && vm_allocate(SELF, &buf, MEMORY_OBJECT_XFER_MAX, TRUE) != KERN_SUCCESS)
        return;
    for (L4_Word_t p = 0; p < length / PAGE_SIZE; p++) {
        unsigned pg = (unsigned)(offset / PAGE_SIZE + p);
        for (unsigned k = 0; k < WORDS; k++)
            *word(buf, (unsigned)p, k) = pg < STORE_MAX && returned_at[pg] && k < 4 ? store[pg][k] : PATTERN(pg, k);
    }
    memory_object_control_data_supply(memsvr, control, offset, buf, length,
                                      sh[3] == LOCKED ? VM_PROT_WRITE : 0, FALSE, &ce);
}

static void mo_unlock(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t access,
                      chacm_srvenv_t *env)
{
    (void)object;
    (void)env;
    chacm_env_t ce = { 0 };
    sh[23]++;
    if (access & VM_PROT_WRITE)
        memory_object_control_lock_request(L4_Pager(), control, offset, length, MEMORY_OBJECT_RETURN_NONE, FALSE,
                                           0, &ce);
}

static void mo_locked(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t length, chacm_srvenv_t *env)
{
    (void)object;
    (void)control;
    (void)offset;
    (void)length;
    (void)env;
    sh[22]++;
}

static void mo_return(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t data, L4_Word_t length,
                      bool dirty, chacm_srvenv_t *env)
{
    (void)object;
    (void)control;
    (void)env;
    sh[5]++;
    sh[10] = offset;
    for (L4_Word_t p = 0; p < length / PAGE_SIZE; p++) {
        unsigned pg = (unsigned)(offset / PAGE_SIZE + p);
        if (pg >= STORE_MAX)
            continue;
        for (unsigned k = 0; k < 4; k++)
            store[pg][k] = *word(data, (unsigned)p, k);
        returned_at[pg]++;
        if (dirty)
            sh[6]++;
    }
    vm_deallocate(SELF, data, length);
}

static void mo_terminate(L4_Word_t object, L4_Word_t control, chacm_srvenv_t *env)
{
    (void)object;
    (void)control;
    (void)env;
    sh[7]++;
}

/* The manager: makes the object and its entry for the client task, then
 * serves memsvr's messages. */
static void manager(void)
{
    static memory_object_ops_t ops = { .memory_object_init = mo_init, .memory_object_data_request = mo_request,
                                       .memory_object_data_return = mo_return,
                                       .memory_object_data_unlock = mo_unlock,
                                       .memory_object_lock_completed = mo_locked,
                                       .memory_object_terminate = mo_terminate };
    static memory_object_buffers_t bufs;
    chacm_env_t ce = { 0 };
    L4_Word_t entry = 0, control = 0;
    int r = memory_object_control_memory_object_entry(L4_Pager(), OBJECT, obj_pages * PAGE_SIZE, VM_PROT_ALL,
                                                      (L4_ThreadId_t){ .raw = sh[9] }, &entry, &control, &ce);
    sh[2] = control;
    sh[1] = r == KERN_SUCCESS ? entry : 0;
    if (r != KERN_SUCCESS || ce.error)
        printf("area_mobj: memory_object_entry: %d (IDL error %lu)\n", r, ce.error);
    sh[12] = 1;
    memory_object_serve(&ops, &bufs, NULL);
}

/* Starts the manager for a client made (not started) by pv_create; false
 * if the entry was not made. */
static bool start_manager(L4_ThreadId_t client, unsigned mode, L4_ThreadId_t *mgr, task_t *mtask)
{
    for (unsigned i = 1; i <= 12; i++)
        sh[i] = 0;
    sh[22] = sh[23] = 0;
    for (unsigned i = 0; i < STORE_MAX; i++)
        returned_at[i] = 0;
    buf = 0;
    sh[3] = mode;
    sh[9] = client.raw;
    *mgr = pv_spawn(manager, mtask);
    for (unsigned i = 0; i < 1000 && !sh[12]; i++)
        pt_sleep_us(100);
    return !L4_IsNilThread(*mgr) && sh[1] != 0;
}

static vm_address_t map_object(boolean_t copy)
{
    vm_address_t a = 0;
    kern_return_t r = vm_map(SELF, &a, obj_pages * PAGE_SIZE, 0, TRUE, (memory_object_t)sh[1], 0, copy,
                             VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY);
    return r == KERN_SUCCESS ? a : 0;
}

/* Runs client fn against a manager in mode; the client's result is
 * whether fn finished. */
static bool run_pair(void (*fn)(void), unsigned mode, L4_Word_t wait_ms)
{
    task_t ct, mt;
    L4_ThreadId_t mgr, c = pv_create(fn, &ct);
    if (L4_IsNilThread(c) || !start_manager(c, mode, &mgr, &mt) || !pv_start(c, ct))
        return false;
    bool done = pv_wait(c, wait_ms);
    pv_end(c, ct);
    pt_sleep_us(2000);                  /* the manager takes what the client's end sends */
    pv_end(mgr, mt);
    return done;
}

/* ---- MOB0001: pages come from the manager ---- */

static void read_shared(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    for (unsigned pg = 0; pg < PAGES; pg++)
        for (unsigned k = 0; k < WORDS; k += 101)
            PT_EQ(*word(a, pg, k), PATTERN(pg, k));
    sh[13] = 1;
}

DEFINE_TEST(MOB0001, "a shared mapping of an external object faults its pages in from the manager, 16 pages per data_request, after init")
{
    sh[13] = 0;
    PT_ASSERT(run_pair(read_shared, ANSWER, 5000));
    PT_EQ(sh[13], 1);
    PT_EQ(sh[8], 1);             /* init, with the control memsvr gave */
    PT_EQ(sh[4], 3);             /* 40 pages: 16 + 16 + 8 */
    PT_EQ(sh[11], PAGES * PAGE_SIZE);
    PT_EQ(sh[7], 1);             /* terminate once the client ended */
    PT_EQ(sh[5], 0);             /* nothing written, nothing returned */
}

/* ---- MOB0002: vm_msync returns what was written ---- */

static void write_sync(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    *word(a, 3, 0) = 0x3333;
    *word(a, 4, 1) = 0x4444;
    *word(a, 9, 2) = 0x9999;
    PT_EQ(*word(a, 5, 0), PATTERN(5, 0));
    PT_EQ(vm_msync(SELF, a, PAGES * PAGE_SIZE, VM_SYNC_SYNCHRONOUS), KERN_SUCCESS);
    sh[14] = sh[6];       /* dirty pages the manager had taken when msync returned */
    PT_EQ(vm_msync(SELF, a, PAGES * PAGE_SIZE, 0), KERN_SUCCESS);   /* clean now: nothing to send */
    sh[15] = sh[6];
    *word(a, 3, 1) = 0x3334;            /* write-protected when returned: written again, dirty again */
    PT_EQ(vm_msync(SELF, a + 3 * PAGE_SIZE, 1, VM_SYNC_SYNCHRONOUS), KERN_SUCCESS);
    sh[16] = sh[6];
    PT_EQ(vm_msync(SELF, a, PAGES * PAGE_SIZE, VM_SYNC_ASYNCHRONOUS | VM_SYNC_SYNCHRONOUS), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_msync(SELF, a + PAGES * PAGE_SIZE + 64 * PAGE_SIZE, PAGE_SIZE, 0), KERN_INVALID_ADDRESS);
    sh[13] = 1;
}

DEFINE_TEST(MOB0002, "writes through a shared mapping go back with vm_msync (dirty pages only, taken by the manager before msync returns); a page written again is dirty again")
{
    sh[13] = 0;
    PT_ASSERT(run_pair(write_sync, ANSWER, 5000));
    PT_EQ(sh[13], 1);
    PT_EQ(sh[14], 3);
    PT_EQ(sh[15], 3);
    PT_EQ(sh[16], 4);
    PT_EQ(store[3][0], 0x3333);
    PT_EQ(store[3][1], 0x3334);
    PT_EQ(store[4][1], 0x4444);
    PT_EQ(store[9][2], 0x9999);
    PT_EQ(store[4][0], PATTERN(4, 0));
    PT_EQ(sh[7], 1);
}

/* ---- MOB0003: eviction and refault ---- */

static void evict_refault(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    for (unsigned pg = 0; pg < PAGES; pg++)
        *word(a, pg, 0) = 0x7000 + pg;
    L4_Word_t req = sh[4];
    PT_EQ(vm_msync(SELF, a, PAGES * PAGE_SIZE, VM_SYNC_INVALIDATE), KERN_SUCCESS);   /* the pages leave memsvr */
    for (unsigned pg = 0; pg < PAGES; pg++) {
        PT_EQ(*word(a, pg, 0), 0x7000 + pg);                                         /* and come back intact */
        PT_EQ(*word(a, pg, 1), PATTERN(pg, 1));
    }
    sh[14] = sh[4] - req;
    sh[13] = 1;
}

DEFINE_TEST(MOB0003, "pages written and then evicted (vm_msync with VM_SYNC_INVALIDATE) go to the manager and fault in again from it with their contents")
{
    sh[13] = 0;
    PT_ASSERT(run_pair(evict_refault, ANSWER, 5000));
    PT_EQ(sh[13], 1);
    PT_EQ(sh[14], 3);            /* the refaults asked the manager again */
    PT_EQ(sh[6], PAGES);
}

/* ---- MOB0004: a manager that does not answer ---- */

static void touch_silent(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    sh[13] = 1;
    sh[14] = *word(a, 0, 0);     /* never answered: KERN_MEMORY_ERROR after the timeout */
    sh[15] = 1;
}

static void bystander(void)
{
    vm_address_t b = 0;
    while (!sh[13])
        pt_sleep_us(100);
    for (unsigned i = 0; i < 50; i++) {
        PT_EQ(vm_allocate(SELF, &b, 4 * PAGE_SIZE, TRUE), KERN_SUCCESS);
        *word(b, 3, 0) = i;
        PT_EQ(*word(b, 3, 0), i);
        PT_EQ(vm_deallocate(SELF, b, 4 * PAGE_SIZE), KERN_SUCCESS);
        pt_sleep_us(10000);
    }
    sh[16] = L4_SystemClock().raw;
}

static void exc_handler(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t w[6];
    L4_StoreMRs(1, 6, w);
    sh[17] = L4_Label(tag);
    sh[18] = w[2];               /* code */
    sh[19] = L4_SystemClock().raw;
    pt_park();
}

/* A client running fn against a manager in mode, with the root's thread
 * exc_handler as its exception handler; not started.  false on failure. */
static bool handled_pair(void (*fn)(void), unsigned mode, L4_ThreadId_t *c, task_t *ct, L4_ThreadId_t *mgr,
                         task_t *mt)
{
    L4_ThreadId_t h = pt_thread(exc_handler);
    *c = pv_create(fn, ct);
    for (unsigned i = 13; i <= 19; i++)
        sh[i] = 0;
    if (L4_IsNilThread(*c) || !start_manager(*c, mode, mgr, mt) ||
        mach_task_set_exception_port(*ct, h) != KERN_SUCCESS)
        return false;
    pt_sleep_us(100);                   /* the handler waits */
    return true;
}

DEFINE_TEST(MOB0004, "a manager that never answers: the faulting thread gets KERN_MEMORY_ERROR after MEMORY_OBJECT_TIMEOUT_MS, while another task's calls and faults go on meanwhile")
{
    task_t ct, mt, bt;
    L4_ThreadId_t c, mgr;
    PT_ASSERT(handled_pair(touch_silent, SILENT, &c, &ct, &mgr, &mt));
    L4_Word_t t0 = L4_SystemClock().raw;
    PT_ASSERT(pv_start(c, ct));
    L4_ThreadId_t b = pv_spawn(bystander, &bt);
    PT_ASSERT(pv_wait(b, 5000));        /* 500 ms of calls and faults while the fault waits */
    for (unsigned i = 0; i < 400 && !sh[17]; i++)
        pt_sleep_us(10000);
    pv_end(b, bt);
    pv_end(c, ct);
    pv_end(mgr, mt);
    PT_EQ(sh[13], 1);
    PT_EQ(sh[15], 0);            /* the read never completed */
    PT_EQ(sh[17], (18 << 6) | 0);
    PT_EQ(sh[18], KERN_MEMORY_ERROR);
    PT_ASSERT(sh[16] != 0 && sh[16] < sh[19]);   /* the bystander finished first */
    PT_ASSERT(sh[19] - t0 >= MEMORY_OBJECT_TIMEOUT_MS * 1000UL);
    PT_EQ(sh[4], 1);
}

/* ---- MOB0005, MOB0006: data_error and data_unavailable ---- */

static void touch_once(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    sh[13] = 1;
    sh[14] = *word(a, 2, 5) + 1;
    sh[15] = 1;
}

DEFINE_TEST(MOB0005, "data_error: the faulting thread gets KERN_MEMORY_ERROR at once")
{
    task_t ct, mt;
    L4_ThreadId_t c, mgr;
    PT_ASSERT(handled_pair(touch_once, ERROR, &c, &ct, &mgr, &mt));
    L4_Word_t t0 = L4_SystemClock().raw;
    PT_ASSERT(pv_start(c, ct));
    for (unsigned i = 0; i < 100 && !sh[17]; i++)
        pt_sleep_us(1000);
    pv_end(c, ct);
    pv_end(mgr, mt);
    PT_EQ(sh[18], KERN_MEMORY_ERROR);
    PT_EQ(sh[15], 0);
    PT_ASSERT(sh[19] - t0 < 100000);
}

DEFINE_TEST(MOB0006, "data_unavailable: the pages are zero-filled")
{
    sh[13] = sh[15] = 0;
    PT_ASSERT(run_pair(touch_once, ZEROS, 5000));
    PT_EQ(sh[15], 1);
    PT_EQ(sh[14], 1);
}

/* ---- MOB0007: a private copy ---- */

static void private_copy(void)
{
    vm_address_t a = map_object(TRUE), s = map_object(FALSE);
    PT_ASSERT(a != 0 && s != 0);
    PT_EQ(*word(a, 6, 7), PATTERN(6, 7));
    *word(a, 6, 7) = 0x6666;            /* the copy's own */
    PT_EQ(*word(s, 6, 7), PATTERN(6, 7));
    PT_EQ(*word(a, 6, 7), 0x6666);
    PT_EQ(vm_msync(SELF, a, PAGES * PAGE_SIZE, 0), KERN_SUCCESS);
    sh[14] = sh[5];       /* nothing returned for a copy */
    sh[13] = 1;
}

DEFINE_TEST(MOB0007, "a private copy (vm_map copy TRUE) reads the manager's pages and keeps its writes to itself")
{
    sh[13] = 0;
    PT_ASSERT(run_pair(private_copy, ANSWER, 5000));
    PT_EQ(sh[13], 1);
    PT_EQ(sh[14], 0);
    PT_EQ(sh[6], 0);
}

/* ---- MOB0008: bad calls ---- */

static void bad_calls(void)
{
    chacm_env_t ce = { 0 };
    L4_ThreadId_t m = L4_Pager();
    L4_Word_t control = sh[2], e, c;
    vm_address_t buf = 0;
    PT_EQ(vm_allocate(SELF, &buf, PAGE_SIZE, TRUE), KERN_SUCCESS);
    /* the client is not the manager */
    PT_EQ(memory_object_control_data_supply(m, control, 0, buf, PAGE_SIZE, 0, FALSE, &ce), KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_lock_request(m, control, 0, PAGE_SIZE, 0, FALSE, 0, &ce), KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_destroy(m, control, 0, &ce), KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_data_supply(m, 12345, 0, buf, PAGE_SIZE, 0, FALSE, &ce), KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_memory_object_entry(m, 1, 0, VM_PROT_ALL, L4_Myself(), &e, &c, &ce),
          KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_memory_object_entry(m, 1, PAGE_SIZE, 0x80, L4_Myself(), &e, &c, &ce),
          KERN_INVALID_ARGUMENT);
    PT_EQ(ce.error, CHACM_IDL_OK);
    sh[13] = 1;
}

DEFINE_TEST(MOB0008, "memory_object_control refuses callers that are not the object's manager, unknown controls and bad sizes")
{
    sh[13] = 0;
    PT_ASSERT(run_pair(bad_calls, ANSWER, 5000));
    PT_EQ(sh[13], 1);
}

/* ---- MOB0009: the manager's own checks of data_supply ---- */

static void supply_checks(void)
{
    chacm_env_t ce = { 0 };
    L4_ThreadId_t m = L4_Pager();
    L4_Word_t control = 0, entry = 0;
    vm_address_t buf = 0;
    PT_EQ(memory_object_control_memory_object_entry(m, 99, 4 * PAGE_SIZE, VM_PROT_ALL, L4_Myself(), &entry,
                                                    &control, &ce), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &buf, 2 * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(memory_object_control_data_supply(m, control, 1, buf, PAGE_SIZE, 0, FALSE, &ce), KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_data_supply(m, control, 0, buf, 0, 0, FALSE, &ce), KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_data_supply(m, control, 0, buf, 2 * MEMORY_OBJECT_XFER_MAX, 0, FALSE, &ce),
          KERN_INVALID_ARGUMENT);
    PT_EQ(memory_object_control_data_supply(m, control, 8 * PAGE_SIZE, buf, PAGE_SIZE, 0, FALSE, &ce),
          KERN_INVALID_ARGUMENT);       /* beyond the object */
    PT_EQ(memory_object_control_data_supply(m, control, 0, buf, 4 * PAGE_SIZE, 0, FALSE, &ce),
          KERN_INVALID_ADDRESS);        /* the source is 2 pages */
    *word(buf, 1, 0) = 0x1234;
    PT_EQ(memory_object_control_data_supply(m, control, PAGE_SIZE, buf, 2 * PAGE_SIZE, 0, FALSE, &ce),
          KERN_SUCCESS);
    vm_address_t a = 0;
    PT_EQ(vm_map(SELF, &a, 4 * PAGE_SIZE, 0, TRUE, entry, 0, FALSE, VM_PROT_READ, VM_PROT_ALL, VM_INHERIT_COPY),
          KERN_SUCCESS);
    PT_EQ(*word(a, 2, 0), 0x1234);      /* supplied before any fault: resident, no request */
    PT_EQ(memory_object_control_ready(m, control, TRUE, &ce), KERN_SUCCESS);
    PT_EQ(memory_object_control_destroy(m, control, 0, &ce), KERN_SUCCESS);
    PT_EQ(memory_object_control_destroy(m, control, 0, &ce), KERN_INVALID_ARGUMENT);
    sh[13] = 1;
}

DEFINE_TEST(MOB0009, "data_supply checks alignment, length, the object's extent and the source range; supplied pages are resident without a request")
{
    sh[13] = 0;
    PT_ASSERT(pv_run(supply_checks));
    PT_EQ(sh[13], 1);
}

/* ---- MOB0010: the manager takes pages back (lock_request, flush) ---- */

static void write_then_wait(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    for (unsigned pg = 0; pg < 20; pg++)
        *word(a, pg, 0) = 0x1000 + pg;
    sh[20] = 1;
    for (unsigned i = 0; i < 1000 && !sh[22]; i++)
        pt_sleep_us(1000);
    PT_EQ(sh[22], 1);                   /* lock_completed reached the manager */
    L4_Word_t req = sh[4];
    for (unsigned pg = 0; pg < 20; pg++) {
        PT_EQ(*word(a, pg, 0), 0x1000 + pg);
        PT_EQ(*word(a, pg, 5), PATTERN(pg, 5));
    }
    sh[14] = sh[4] - req;
    sh[13] = 1;
}

/* A second thread of the manager's task: takes the pages back once the
 * client wrote them. */
static void taker(void)
{
    chacm_env_t ce = { 0 };
    while (!sh[20])
        pt_sleep_us(1000);
    sh[21] = (L4_Word_t)memory_object_control_lock_request(L4_Pager(), sh[2], 0, 20 * PAGE_SIZE,
                                                           MEMORY_OBJECT_RETURN_DIRTY, TRUE, 0, &ce);
}

DEFINE_TEST(MOB0010, "lock_request with should_flush: the manager takes the written pages back (then lock_completed), and they fault in again from it intact")
{
    task_t ct, mt;
    L4_ThreadId_t mgr, c = pv_create(write_then_wait, &ct);
    for (unsigned i = 13; i <= 23; i++)
        sh[i] = 0;
    PT_ASSERT(!L4_IsNilThread(c));
    PT_ASSERT(start_manager(c, ANSWER, &mgr, &mt));
    PT_ASSERT(!L4_IsNilThread(pv_thread(mt, mgr, taker, 1)));
    PT_ASSERT(pv_start(c, ct));
    PT_ASSERT(pv_wait(c, 5000));
    pv_end(c, ct);
    pt_sleep_us(2000);
    pv_end(mgr, mt);
    PT_EQ(sh[13], 1);
    PT_EQ(sh[21], KERN_SUCCESS);
    PT_EQ(sh[6], 20);                   /* every written page came back dirty */
    PT_EQ(sh[14], 2);                   /* and faulted in again: 16 + 4 pages */
}

/* ---- MOB0011: a killed task's writes reach the manager ---- */

static void write_and_stay(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    *word(a, 7, 0) = 0x7777;
    *word(a, 30, 1) = 0x3030;
    sh[13] = 1;
    pt_park();
}

DEFINE_TEST(MOB0011, "a task killed with written pages of a shared mapping: they go back to the manager, then terminate")
{
    task_t ct, mt;
    L4_ThreadId_t mgr, c = pv_create(write_and_stay, &ct);
    sh[13] = 0;
    PT_ASSERT(!L4_IsNilThread(c));
    PT_ASSERT(start_manager(c, ANSWER, &mgr, &mt));
    PT_ASSERT(pv_start(c, ct));
    for (unsigned i = 0; i < 1000 && !sh[13]; i++)
        pt_sleep_us(1000);
    pv_end(c, ct);
    for (unsigned i = 0; i < 1000 && !sh[7]; i++)
        pt_sleep_us(1000);
    pv_end(mgr, mt);
    PT_EQ(sh[13], 1);
    PT_EQ(sh[6], 2);
    PT_EQ(store[7][0], 0x7777);
    PT_EQ(store[30][1], 0x3030);
    PT_EQ(sh[7], 1);
}

/* ---- MOB0012: the manager ends while a fault waits ---- */

DEFINE_TEST(MOB0012, "a manager that ends while a thread waits for its page: the thread gets KERN_MEMORY_ERROR at once, not after the timeout")
{
    task_t ct, mt;
    L4_ThreadId_t c, mgr;
    PT_ASSERT(handled_pair(touch_once, SILENT, &c, &ct, &mgr, &mt));
    PT_ASSERT(pv_start(c, ct));
    for (unsigned i = 0; i < 100 && !sh[4]; i++)
        pt_sleep_us(1000);
    PT_EQ(sh[4], 1);                    /* the request reached the manager */
    L4_Word_t t0 = L4_SystemClock().raw;
    pv_end(mgr, mt);
    for (unsigned i = 0; i < 100 && !sh[17]; i++)
        pt_sleep_us(1000);
    pv_end(c, ct);
    PT_EQ(sh[18], KERN_MEMORY_ERROR);
    PT_EQ(sh[15], 0);
    PT_ASSERT(sh[19] - t0 < 100000);
}

/* ---- MOB0013: write locks and data_unlock ---- */

static void write_locked(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    PT_EQ(*word(a, 1, 0), PATTERN(1, 0));   /* reading a write-locked page needs nothing */
    L4_Word_t unlocks = sh[23];
    *word(a, 1, 0) = 0x1111;                /* writing it asks the manager first */
    sh[14] = sh[23] - unlocks;
    PT_EQ(*word(a, 1, 0), 0x1111);
    *word(a, 1, 1) = 0x1112;                /* unlocked now: no second request */
    sh[15] = sh[23] - unlocks;
    sh[13] = 1;
}

DEFINE_TEST(MOB0013, "pages supplied write-locked: reads go on, the first write sends data_unlock and waits until the manager's lock_request lifts the lock")
{
    sh[13] = 0;
    PT_ASSERT(run_pair(write_locked, LOCKED, 5000));
    PT_EQ(sh[13], 1);
    PT_EQ(sh[14], 1);
    PT_EQ(sh[15], 1);
}

/* ---- MOB0014: memory pressure evicts a mapped object's pages ---- */

#define BIG 600
#define ROOM 64                         /* frames memsvr may take beyond what it holds */
#define LEFT 200                        /* frames left for the case's tasks */

static volatile L4_Word_t hog_ready;

/* Wires all but LEFT of the frames memsvr can still give (sh[21] pages). */
static void hog_fn(void)
{
    vm_address_t a = 0;
    chacm_env_t env = { 0 };
    PT_EQ(vm_allocate(SELF, &a, sh[21] * PAGE_SIZE, TRUE), KERN_SUCCESS);
    PT_EQ(vm_pageout_vm_wire(L4_Pager(), SELF, a, sh[21] * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, &env),
          KERN_SUCCESS);
    hog_ready = 1;
    pt_park();
}

static void write_big(void)
{
    vm_address_t a = map_object(FALSE);
    PT_ASSERT(a != 0);
    for (unsigned pg = 0; pg < BIG; pg++)
        *word(a, pg, 0) = 0xe000 + pg;
    sh[14] = sh[6];                     /* pages memsvr had to give back meanwhile */
    for (unsigned pg = 0; pg < BIG; pg++) {
        PT_EQ(*word(a, pg, 0), 0xe000 + pg);
        PT_EQ(*word(a, pg, 1), PATTERN(pg, 1));
    }
    sh[13] = 1;
}

DEFINE_TEST(MOB0014, "memory pressure: memsvr's clock evicts written pages of a shared mapping to their manager (never to swap) and they fault in again intact")
{
    vm_size_t rcv, free, used;
    task_t ht = TASK_NULL;
    L4_ThreadId_t hog = L4_nilthread;
    sh[13] = sh[14] = 0;
    pv_frames(&rcv, &free, &used);
    PT_EQ(mach_vm_set_frame_limit(rcv + ROOM), KERN_SUCCESS);
    if (free + ROOM > LEFT + 64) {
        sh[21] = free + ROOM - LEFT;
        hog_ready = 0;
        hog = pv_spawn(hog_fn, &ht);
        for (unsigned k = 0; k < 1000 && !hog_ready; k++)
            pt_sleep_us(1000);
    }
    obj_pages = BIG;
    bool done = run_pair(write_big, ANSWER, 60000);
    obj_pages = PAGES;
    if (!L4_IsNilThread(hog))
        pv_end(hog, ht);
    mach_vm_set_frame_limit(0);
    PT_ASSERT(done);
    PT_EQ(sh[13], 1);
    PT_ASSERT(sh[14] > 0);
}
