/* TSKxxxx: tasks as a root task makes them: lib_task_create with a pager of
 * the creator's choice (a thread of another task that starts and pages the
 * new task), addresses named for another task or outside the own window
 * (errors, never taken modulo the window size), and windows used again
 * after their task is deleted, with nothing of the old task left in them.
 * The boot list (task.lst) limits the system to 8 address spaces. */
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <chacm/thread.h>

#include "ptest.h"
#include "pt_mem.h"

#define MiB (1UL << 20)
#define NO_UTCB ((void *)~0UL)
#define SPACES 8                /* spaces=8 in task.lst */
#define TOUCH_OFFSET (4 * MiB)  /* from a task's usable base: the page it touches */

/* The size of this task's window: the usable range ends at the window's
 * end and starts 2 MiB above its base (docs/kernel.md). */
static L4_Word_t window_size(void)
{
    L4_Word_t n = lib_usable_end() - lib_usable_base(), size = 1;
    while (size < n)
        size <<= 1;
    return size;
}

static L4_Word_t window_base(void)
{
    return lib_usable_end() - window_size();
}

static void send_words(L4_ThreadId_t to, unsigned n, const L4_Word_t *w)
{
    L4_LoadMRs(1, (int)n, w);
    L4_LoadMR(0, n);
    L4_Send(to);
}

/* ---- a pager in another task ---- */

/* The child of TSK0001: reads the page it was never given, then reports
 * what it read, its pager and its usable base to the test. */
static void paged_child(void)
{
    L4_Word_t v = *(volatile L4_Word_t *)(lib_usable_base() + TOUCH_OFFSET);
    L4_Word_t w[3] = { v, L4_Pager().raw, lib_usable_base() };
    send_words(pt_main_id, 3, w);
    pt_park();
}

/* Runs in a task of its own: takes a page from sigma0, gets the child's id
 * from the test (MR1..3: child, ip, sp), starts the child, answers its
 * page fault with that page and reports the fault (address, label). */
static void third_party_pager(void)
{
    L4_Word_t page = lib_usable_base() + 16 * MiB;
    L4_Fpage_t want = L4_FpageAddRights(L4_FpageLog2(~0UL, 12), L4_FullyAccessible);
    if (L4_IsNilFpage(L4_Sigma0_GetPage_RcvWindow(L4_nilthread, want, L4_FpageLog2(page, 12))))
        pt_park();
    *(volatile L4_Word_t *)page = 0xfeed;
    L4_ThreadId_t from;
    L4_Word_t w[3];
    L4_Wait(&from);
    L4_StoreMRs(1, 3, w);
    L4_ThreadId_t child = { .raw = w[0] };
    if (lib_task_start(child, w[1], w[2]))
        pt_park();
    L4_MsgTag_t tag = L4_Receive(child);
    L4_Word_t fault[2];
    L4_StoreMRs(1, 2, fault);
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible), fault[0]);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, 2 << 6);
    L4_Reply(child);
    L4_Word_t report[2] = { fault[0], L4_Label(tag) };
    send_words(pt_main_id, 2, report);
    pt_park();
}

DEFINE_TEST(TSK0001, "a task whose pager is a thread of another task is started and paged by that thread")
{
    L4_ThreadId_t pager = pt_task(third_party_pager);
    PT_ASSERT(!L4_IsNilThread(pager));
    L4_ThreadId_t child = pt_new_id();
    PT_EQ(lib_task_create(child, pager), 0);
    pt_track(child);
    PT_EQ(pt_sched_state(child), L4_SCHEDRESULT_WAITING);
    /* the creator is not the pager: its start message is not taken */
    L4_LoadMR(1, (L4_Word_t)paged_child);
    L4_LoadMR(2, (L4_Word_t)pt_stack_top());
    L4_LoadMR(0, 2);
    PT_IPC_ERR(L4_Send_Timeout(child, L4_ZeroTime), 1, 0);
    PT_EQ(pt_sched_state(child), L4_SCHEDRESULT_WAITING);
    L4_Word_t w[3] = { child.raw, (L4_Word_t)paged_child, (L4_Word_t)pt_stack_top() };
    L4_LoadMRs(1, 3, w);
    L4_LoadMR(0, 3);
    PT_IPC_OK(L4_Send(pager));
    L4_Word_t got[3];
    PT_IPC_OK(L4_Receive_Timeout(child, L4_TimePeriod(100000)));
    L4_StoreMRs(1, 3, got);
    PT_EQ(got[0], 0xfeed);                  /* the pager's page */
    PT_EQ(got[1], pager.raw);
    PT_IPC_OK(L4_Receive_Timeout(pager, L4_TimePeriod(100000)));
    L4_StoreMRs(1, 2, w);
    PT_EQ(w[0], got[2] + TOUCH_OFFSET);
    PT_EQ(w[1], lib_proto_label(-2) | L4_Readable);
}

DEFINE_TEST(TSK0002, "lib_task_create refuses a nil pager, and a task made with the caller as pager starts")
{
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(lib_task_create(t, L4_nilthread), L4_ERROR_INVALID_THREAD);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_ERROR);
    PT_EQ(lib_task_create(t, L4_Myself()), 0);
    pt_track(t);
    PT_EQ(lib_task_start(t, (L4_Word_t)paged_child, (L4_Word_t)pt_stack_top()), 0);
    /* its touch faults to us */
    PT_IPC_OK(L4_Receive_Timeout(t, L4_TimePeriod(100000)));
    PT_EQ(L4_Label(L4_MsgTag()) & ~0xfUL, lib_proto_label(-2));
}

/* ---- addresses outside the window ---- */

DEFINE_TEST(TSK0003, "KIP and UTCB areas and UTCB locations outside the caller's and the new task's window fail")
{
    L4_Word_t ws = window_size(), old;
    L4_Fpage_t kip = pt_kip_area(), utcb = pt_utcb_area();
    L4_Word_t kip_off = L4_Address(kip) - window_base(), utcb_off = L4_Address(utcb) - window_base();
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, NO_UTCB), 1);
    pt_track(t);
    /* the same offsets in sigma0's window (below ours) and above every
     * window: neither ours nor the new task's */
    L4_Fpage_t utcb_up = L4_FpageLog2(L4_Address(utcb) + SPACES * ws, LIB_UTCB_AREA_LOG2);
    L4_Fpage_t kip_up = L4_FpageLog2(L4_Address(kip) - ws, L4_KipAreaSizeLog2(L4_GetKernelInterface()));
    PT_EQ(L4_SpaceControl(t, 0, kip, utcb_up, L4_nilthread, &old), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_UTCB_AREA);
    PT_EQ(L4_SpaceControl(t, 0, kip_up, utcb, L4_nilthread, &old), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_KIP_AREA);
    /* offsets alone are addresses below every window */
    PT_EQ(L4_SpaceControl(t, 0, kip, L4_FpageLog2(utcb_off, LIB_UTCB_AREA_LOG2), L4_nilthread, &old), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_UTCB_AREA);
    PT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(kip_off, L4_SizeLog2(kip)), utcb, L4_nilthread, &old), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_KIP_AREA);
    /* the caller's own layout is the new task's */
    PT_EQ(L4_SpaceControl(t, 0, kip, utcb, L4_nilthread, &old), 1);
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)(L4_Address(utcb) - ws)), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_UTCB_AREA);
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)(utcb_off)), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_UTCB_AREA);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_INACTIVE);
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)L4_Address(utcb)), 1);
    PT_EQ(lib_task_start(t, (L4_Word_t)paged_child, (L4_Word_t)pt_stack_top()), 0);
    PT_IPC_OK(L4_Receive_Timeout(t, L4_TimePeriod(100000)));
    L4_Word_t addr;
    L4_StoreMR(1, &addr);
    PT_ASSERT(addr != lib_usable_base() + TOUCH_OFFSET);     /* its own window, not ours */
    PT_EQ(addr & (ws - 1), (lib_usable_base() + TOUCH_OFFSET) & (ws - 1));
}

DEFINE_TEST(TSK0004, "an fpage one window above the own one names nothing: no map, no receive window, no unmap")
{
    L4_Word_t ws = window_size();
    L4_Word_t page = pm_page(12);
    PT_ASSERT(page);
    *(volatile L4_Word_t *)page = 0xabcd;
    L4_ThreadId_t a = pm_agent();
    L4_Word_t base = pm_base(a), v = 0;
    L4_Fpage_t up = L4_FpageAddRights(L4_FpageLog2(page + ws, 12), L4_FullyAccessible);
    L4_Fpage_t own = L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible);
    /* a send fpage outside the sender's window maps nothing */
    pm_map(a, up, base + 8 * MiB, L4_CompleteAddressSpace);
    pm_faults = 0;
    PT_ASSERT(!pm_read(a, base + 8 * MiB, &v));
    PT_EQ(pm_faults, 1);
    /* a receive window outside the receiver's window takes nothing */
    pm_map(a, own, base + 12 * MiB, L4_FpageLog2(base + 12 * MiB + ws, 12));
    PT_ASSERT(!pm_read(a, base + 12 * MiB, &v));
    PT_EQ(pm_faults, 2);
    /* an unmap outside the own window revokes nothing */
    pm_map(a, own, base + 16 * MiB, L4_CompleteAddressSpace);
    PT_ASSERT(pm_read(a, base + 16 * MiB, &v));
    PT_EQ(v, 0xabcd);
    L4_UnmapFpage(up);
    PT_ASSERT(pm_read(a, base + 16 * MiB, &v));
    PT_EQ(v, 0xabcd);
    L4_UnmapFpage(own);
    PT_ASSERT(!pm_read(a, base + 16 * MiB, &v));
}

/* ---- windows used again ---- */

/* A short-lived task: checks its KIP, ids and UTCB are its own and fresh,
 * writes its number (MR1 of its start) to the page it touches, reports its
 * usable base and what it saw, marks its UTCB and waits to be deleted. */
static void reused_child(void)
{
    L4_Word_t base = lib_usable_base();
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    /* bit 0: a fresh UTCB; bit 1: its own KIP, in its window below the base */
    L4_Word_t fresh = (L4_UserDefinedHandle() == 0) |
                      (kip->magic == L4_MAGIC && base - (L4_Word_t)kip < 2 * MiB) << 1;
    volatile L4_Word_t *p = (volatile L4_Word_t *)(base + TOUCH_OFFSET);
    L4_Word_t before = *p;
    *p = pt_shared[1];
    L4_Set_UserDefinedHandle(0xdead);
    L4_Word_t w[4] = { base, fresh, before, L4_MyGlobalId().raw };
    send_words(pt_main_id, 4, w);
    pt_park();
}

/* Serves t's page faults with the page at frame until t reports; returns
 * the number of faults, the report in w[0..3]. */
static unsigned serve_until_report(L4_ThreadId_t t, L4_Word_t frame, L4_Word_t *w)
{
    unsigned faults = 0;
    for (;;) {
        L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(100000));
        if (L4_IpcFailed(tag))
            return ~0u;
        if ((L4_Label(tag) & ~0xfUL) != lib_proto_label(-2)) {
            L4_StoreMRs(1, 4, w);
            return faults;
        }
        faults++;
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(frame, 12), L4_FullyAccessible), addr);
        L4_LoadMRs(1, 2, m.raw);
        L4_LoadMR(0, 2 << 6);
        L4_Reply(t);
    }
}

DEFINE_TEST(TSK0005, "three times as many tasks as windows, one after another: windows come back clean")
{
    L4_Word_t frame = pm_page(12);
    PT_ASSERT(frame);
    L4_Word_t bases[SPACES];
    unsigned nbases = 0;
    for (unsigned i = 0; i < 3 * SPACES; i++) {
        *(volatile L4_Word_t *)frame = 0;
        pt_shared[1] = 1000 + i;
        L4_ThreadId_t t = pt_new_id();
        PT_EQ(lib_task_create(t, L4_Myself()), 0);
        PT_EQ(lib_task_start(t, (L4_Word_t)reused_child, (L4_Word_t)pt_stack_top()), 0);
        L4_Word_t w[4];
        unsigned faults = serve_until_report(t, frame, w);
        pt_kill(t);
        PT_EQ(faults, 1);                   /* nothing stale mapped at the touched page */
        PT_EQ(w[1], 3);                     /* its own KIP and a fresh UTCB */
        PT_EQ(w[2], 0);                     /* our page, cleared */
        PT_EQ(w[3], t.raw);
        PT_EQ(*(volatile L4_Word_t *)frame, 1000 + i);
        unsigned k = 0;
        while (k < nbases && bases[k] != w[0])
            k++;
        PT_ASSERT(k < SPACES);              /* at most as many windows as spaces */
        if (k == nbases)
            bases[nbases++] = w[0];
    }
    PT_EQ(nbases, 1);                       /* one at a time: always the same window */
}

DEFINE_TEST(TSK0006, "with every window in use task creation fails with NoMem; deleting a task frees one")
{
    L4_ThreadId_t made[SPACES];
    unsigned n = 0;
    L4_Word_t err = 0;
    while (n < SPACES) {
        L4_ThreadId_t t = pt_new_id();
        err = lib_task_create(t, L4_Myself());
        if (err)
            break;
        pt_track(t);
        made[n++] = t;
    }
    PT_EQ(err, L4_ERROR_NO_MEM);
    PT_EQ(n, SPACES - 2);                   /* sigma0 and we hold the other two */
    pt_kill(made[0]);
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(lib_task_create(t, L4_Myself()), 0);
    pt_track(t);
    PT_EQ(lib_task_create(pt_new_id(), L4_Myself()), L4_ERROR_NO_MEM);
}
