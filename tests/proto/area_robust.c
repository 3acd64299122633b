/* ROB0xxx: the kernel survives what a hostile or buggy program asks of it:
 * threads started on bad stacks, and other cases a system-call fuzzer
 * (tests/fuzz) found.  Each case failed on the kernel before its fix. */
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <chacm/thread.h>

#include "ptest.h"
#include "pt_mem.h"

/* Marks pt_shared[1] and sleeps: proof that a thread ran. */
static void mark_and_park(void)
{
    pt_shared[1] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

/* Stopped by an unhandled fault: halted, as Pistachio leaves such a
 * thread (Schedule says inactive). */
static bool is_dead(L4_ThreadId_t t)
{
    return (pt_sched_state(t) & 0xff) == 2;
}

DEFINE_TEST(ROB0001, "a thread started by ExchangeRegisters on a stack outside its window stops; the kernel writes nothing there")
{
    L4_ThreadId_t agent = pm_agent();
    const L4_Word_t sps[] = { ~0UL, 8, 0x0000800000000000UL, pm_base(agent) + 0x40000 };
    for (unsigned i = 0; i < sizeof sps / sizeof sps[0]; i++) {
        pt_shared[1] = 0;
        L4_ThreadId_t t = pt_thread_inactive();
        L4_Start_SpIp(t, sps[i], (L4_Word_t)mark_and_park);
        L4_ThreadSwitch(t);
        pt_sleep_us(100);
        PT_EQ(pt_shared[1], 0);                 /* it never ran its function */
        PT_ASSERT(is_dead(t));
    }
}

DEFINE_TEST(ROB0002, "a new thread whose stack page is unmapped faults on it to its pager; the reply lets it run")
{
    L4_Word_t page = lib_usable_end() - 0x200000;       /* nothing is mapped there */
    L4_ThreadId_t t = pt_thread_inactive();
    pt_shared[1] = 0;
    L4_Start_SpIp(t, page + 0x1000, (L4_Word_t)mark_and_park);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(100000));
    PT_IPC_OK(tag);
    PT_EQ(L4_Label(tag) & ~(L4_Word_t)L4_Readable, lib_proto_label(-2) | L4_Writable);
    L4_Word_t addr;
    L4_StoreMR(1, &addr);
    PT_EQ(addr, page + 0x1000 - 8);                     /* the return address */
    PT_EQ(pt_shared[1], 0);
    L4_Word_t mem = pm_page(12);
    PT_ASSERT(mem != 0);
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(mem, 12), L4_FullyAccessible), page);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, 2 << 6);
    PT_IPC_OK(L4_Send(t));
    pt_sleep_us(100);
    PT_EQ(pt_shared[1], 1);
}

DEFINE_TEST(ROB0003, "a task whose start message carries a bad stack pointer stops; the kernel survives")
{
    const L4_Word_t sps[] = { ~0UL, 0x10, 0xdead00000000UL };
    for (unsigned i = 0; i < sizeof sps / sizeof sps[0]; i++) {
        pt_shared[1] = 0;
        L4_ThreadId_t t = pt_new_id();
        PT_EQ(lib_task_create(t, L4_Myself()), 0);
        pt_track(t);
        PT_EQ(lib_task_start(t, (L4_Word_t)mark_and_park, sps[i]), 0);
        L4_ThreadSwitch(t);
        pt_sleep_us(100);
        PT_EQ(pt_shared[1], 0);
        PT_ASSERT(is_dead(t));
    }
}

DEFINE_TEST(ROB0005, "a thread that faults on its first stack access has its entry point as its IP; given only a new stack, it starts there")
{
    L4_Word_t page = lib_usable_end() - 0x300000;       /* nothing is mapped there (ROB0002 maps one page) */
    L4_ThreadId_t t = pt_thread_inactive();
    pt_shared[1] = 0;
    L4_Start_SpIp(t, page + 0x1000, (L4_Word_t)mark_and_park);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(100000));
    PT_IPC_OK(tag);
    L4_Word_t fault_ip;
    L4_StoreMR(2, &fault_ip);
    PT_EQ(fault_ip, (L4_Word_t)mark_and_park);          /* not the kernel's push */
    L4_Word_t oc, osp, oip, of, oh;
    L4_ThreadId_t op;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &oc, &osp, &oip, &of, &oh, &op);
    PT_EQ(oip, (L4_Word_t)mark_and_park);
    PT_EQ(osp, page + 0x1000);
    /* a new SP only: the thread starts again at its entry point, once
     * (resumed at the push, it would push its return address for ever,
     * down through every stack below the new one) */
    L4_ThreadId_t r = L4_ExchangeRegisters(t, L4_ExReg_sp | L4_ExReg_AbortIPC | L4_ExReg_Resume,
                                           (L4_Word_t)pt_stack_top(), 0, 0, 0, L4_nilthread, &oc, &osp, &oip, &of,
                                           &oh, &op);
    PT_ASSERT(!L4_IsNilThread(r));
    pt_sleep_us(100);
    PT_EQ(pt_shared[1], 1);
    PT_ASSERT(!is_dead(t));
}

/* The test device (devices.c): the mapping database's work counter, and
 * a word of the kernel's own memory set to TESTDEV_CANARY. */
#define TESTDEV_MDB_WORK 0xF8
#define TESTDEV_KWORD 0xE0
#define TESTDEV_KWORD_LO 0xE4
#define TESTDEV_KWORD_HI 0xE8
#define TESTDEV_KWORD_VAL 0xEC
#define TESTDEV_CANARY 0x15015015UL

/* The kernel word `which` (0 static data, 1 heap, 2 a kernel stack), 8
 * bytes below a 16-byte boundary; 3: the last word of the boot
 * information's first page.  Its value now in *value. */
static L4_Word_t target_word(unsigned which, L4_Word_t *value)
{
    if (which == 3) {
        L4_Word_t bi = L4_BootInfo(L4_GetKernelInterface());
        L4_Word_t w = (bi | 0xfff) - 7;
        *value = *(volatile L4_Word_t *)w;
        return w;
    }
    outl(TESTDEV_KWORD, which);
    *value = inl(TESTDEV_KWORD_VAL);
    return (L4_Word_t)inl(TESTDEV_KWORD_LO) | (L4_Word_t)inl(TESTDEV_KWORD_HI) << 32;
}

static L4_Word_t target_now(unsigned which, L4_Word_t w)
{
    return which == 3 ? *(volatile L4_Word_t *)w : inl(TESTDEV_KWORD_VAL);
}

/* Takes the main thread as its exception handler, then sleeps until
 * ExchangeRegisters sends it elsewhere. */
static void handled_then_sleep(void)
{
    L4_Set_ExceptionHandler(pt_main_id);
    pt_shared[2] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

DEFINE_TEST(ROB0006, "a start stack whose first push would land in the kernel's data, heap or stacks or on the boot "
                     "information is the first instruction's page-fault exception; the word stays as it was")
{
    for (unsigned which = 0; which < 4; which++) {
        L4_Word_t before, w = target_word(which, &before);
        PT_ASSERT(w && (w & 15) == 8);
        /* without an exception handler: the thread halts where it starts */
        pt_shared[1] = 0;
        L4_ThreadId_t t = pt_thread_inactive();
        L4_Start_SpIp(t, w + 8, (L4_Word_t)mark_and_park);
        L4_ThreadSwitch(t);
        pt_sleep_us(100);
        PT_EQ(pt_shared[1], 0);
        PT_ASSERT(is_dead(t));
        PT_EQ(target_now(which, w), before);
        L4_Word_t oc, osp, oip, of, oh;
        L4_ThreadId_t op;
        L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &oc, &osp, &oip, &of, &oh, &op);
        PT_EQ(osp, w + 8);
        PT_EQ(oip, (L4_Word_t)mark_and_park);
        pt_kill(t);

        /* with one: the exception IPC names the word; its reply's new
         * stack lets the thread run */
        pt_shared[2] = 0;
        t = pt_thread(handled_then_sleep);
        L4_ThreadSwitch(t);
        PT_EQ(pt_shared[2], 1);
        L4_ExchangeRegisters(t, L4_ExReg_sp | L4_ExReg_ip | L4_ExReg_AbortIPC, w + 8,
                             (L4_Word_t)mark_and_park, 0, 0, L4_nilthread, &oc, &osp, &oip, &of, &oh, &op);
        L4_Word_t exc[5];
        PT_ASSERT(pt_receive_exception(t, 100000, exc));
        PT_EQ(exc[0], (L4_Word_t)mark_and_park);
        PT_EQ(exc[1], w + 8);
        PT_EQ(exc[2], 14);
        PT_EQ(exc[3], 2);                       /* a write */
        PT_EQ(exc[4], w);
        PT_EQ(target_now(which, w), before);
        PT_EQ(pt_shared[1], 0);
        pt_resume_exception(t, (L4_Word_t)mark_and_park, (L4_Word_t)pt_stack_top());
        pt_sleep_us(100);
        PT_EQ(pt_shared[1], 1);
        pt_kill(t);
    }
}

/* Sleeps through a few nested calls, so that its frames reach well below
 * its start stack. */
static void deep_sleeper(void)
{
    volatile char pad[256];
    pad[0] = 1;
    pt_shared[1] += pad[0];
    L4_Sleep(L4_Never);
}

DEFINE_TEST(ROB0007, "threads started on stacks in the simulator's heap and kernel stacks, left there while the "
                     "run ends: the words stay and the run ends cleanly (issue 16, finding 5)")
{
    /* every thread started before anything is checked, so that on a
     * kernel that lets them run they are all there when the run ends */
    L4_Word_t before[3], after[3];
    pt_shared[1] = 0;
    for (unsigned which = 0; which < 3; which++) {
        L4_Word_t w = target_word(which, &before[which]);
        for (unsigned k = 0; w && k < 8; k++) {
            L4_ThreadId_t t = pt_thread_inactive();
            L4_Start_SpIp(t, w + 8 + 16 * k, (L4_Word_t)deep_sleeper);
            L4_ThreadSwitch(t);
        }
        after[which] = w ? target_now(which, w) : ~before[which];
    }
    PT_EQ(pt_shared[1], 0);                     /* none of them ran */
    for (unsigned which = 0; which < 3; which++)
        PT_EQ(after[which], before[which]);
}

DEFINE_TEST(ROB0004, "Unmap of 64 complete-address-space fpages costs work in proportion to the mappings, not to the fpages' size")
{
    L4_ThreadId_t a = pm_agent();
    enum { PAGES = 16 };
    for (unsigned i = 0; i < PAGES; i++) {
        L4_Word_t page = pm_page(12), at = pm_base(a) + 0x100000 + i * 0x1000;
        PT_ASSERT(page != 0);
        pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible), at, L4_FpageLog2(at, 12));
    }
    L4_Word32_t before = inl(TESTDEV_MDB_WORK);
    L4_Fpage_t r = pm_unmap_n(a, L4_CompleteAddressSpace, 64, false);
    L4_Word32_t work = inl(TESTDEV_MDB_WORK) - before;
    PT_EQ(r.raw & ~7UL, L4_CompleteAddressSpace.raw);
    /* each fpage: a few steps per page the agent holds (the node, the
     * bitmap words that lead to it), one per 64 empty slots or tables,
     * nothing per empty page (a 1 GiB window has 262144 of them) */
    PT_ASSERT(work >= 64 * PAGES);
    PT_ASSERT(work <= 64 * (4 * PAGES + 32));

    /* twice the mappings, twice the work for them */
    for (unsigned i = PAGES; i < 2 * PAGES; i++) {
        L4_Word_t page = pm_page(12), at = pm_base(a) + 0x100000 + i * 0x1000;
        PT_ASSERT(page != 0);
        pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible), at, L4_FpageLog2(at, 12));
    }
    before = inl(TESTDEV_MDB_WORK);
    pm_unmap_n(a, L4_CompleteAddressSpace, 64, false);
    L4_Word32_t work2 = inl(TESTDEV_MDB_WORK) - before;
    PT_ASSERT(work2 - work >= 64 * PAGES && work2 - work <= 64 * 4 * PAGES);
}
