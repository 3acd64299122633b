/* PF0xxx: page faults: read, write and execute faults as X.2 page-fault
 * IPC to the pager, the reply's mapping and the restarted access, the
 * faulting thread's registers, nested faults, faults without a pager or
 * outside the window, and the access bits the kernel reports. */
#include <string.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/thread.h>

#include <chacm/thread.h>

#include "ptest.h"
#include "pt_mem.h"

#define R L4_Readable
#define W L4_Writable
#define X L4_eXecutable

/* x86-64: mov $42, %eax; ret */
static const unsigned char code42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

static L4_Word_t pf_label(L4_Word_t rwx)
{
    return lib_proto_label(-2) | rwx;
}

/* Waits for one page fault from t; returns its label, MR1 and MR2 (all 0
 * when none came). */
static L4_Word_t wait_fault(L4_ThreadId_t t, L4_Word_t *addr, L4_Word_t *ip)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(1000000));
    *addr = *ip = 0;
    if (L4_IpcFailed(tag))
        return 0;
    L4_StoreMR(1, addr);
    L4_StoreMR(2, ip);
    return L4_Label(tag);
}

/* Answers t's page fault with page `page` of ours (rights) at `where`. */
static void answer(L4_ThreadId_t t, L4_Word_t page, L4_Word_t rights, L4_Word_t where)
{
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), rights), where);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, 2 << 6);
    L4_Send(t);
}

DEFINE_TEST(PF0001, "a read of an unmapped page sends label -2<<4|r, the address and the IP to the pager")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t addr = pm_base(a) + 0x10008, v;
    PT_ASSERT(!pm_read(a, addr, &v));
    PT_EQ(pm_fault_label, pf_label(R));
    PT_EQ(pm_fault_addr, addr);
    PT_ASSERT(pm_fault_ip != 0);
    PT_EQ(v, PM_SCRATCH);               /* the access restarted on the page we mapped */
}

DEFINE_TEST(PF0002, "a write to an unmapped page faults with w and completes once mapped")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t addr = pm_base(a) + 0x20010, v;
    PT_ASSERT(!pm_write(a, addr, 77));
    PT_EQ(pm_fault_label & ~(L4_Word_t)R, pf_label(W));
    PT_ASSERT(pm_read(a, addr, &v));
    PT_EQ(v, 77);
}

DEFINE_TEST(PF0003, "a write to a read-only mapping faults with w")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), v;
    ((L4_Word_t *)page)[0] = 5;
    L4_Word_t at = pm_base(a) + 0x30000;
    pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), R), at, L4_FpageLog2(at, 12));
    PT_ASSERT(pm_read(a, at, &v));
    PT_EQ(v, 5);
    PT_ASSERT(!pm_write(a, at, 6));
    PT_EQ(pm_fault_label, pf_label(W));
    PT_EQ(pm_fault_addr, at);
}

DEFINE_TEST(PF0004, "a jump into an unmapped page faults with x; the code runs once mapped executable")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), r;
    for (unsigned i = 0; i < sizeof code42; i++)
        ((unsigned char *)page)[i] = code42[i];
    L4_Word_t at = pm_base(a) + 0x40000;
    L4_Word_t w[1] = { at };
    L4_LoadMRs(1, 1, w);
    L4_LoadMR(0, (4UL << 16) | 1);        /* CMD_EXEC */
    L4_MsgTag_t tag = L4_Call(a);
    PT_EQ(L4_Label(tag), pf_label(X));
    L4_Word_t addr, ip;
    L4_StoreMR(1, &addr);
    L4_StoreMR(2, &ip);
    PT_EQ(addr, at);
    PT_EQ(ip, at);
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), R | X), at);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, 2 << 6);
    tag = L4_Call(a);
    PT_IPC_OK(tag);
    L4_StoreMR(1, &r);
    PT_EQ(r, 42);
}

DEFINE_TEST(PF0005, "executing a page mapped without x faults with x")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), r;
    for (unsigned i = 0; i < sizeof code42; i++)
        ((unsigned char *)page)[i] = code42[i];
    L4_Word_t at = pm_base(a) + 0x50000;
    pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), R | W), at, L4_FpageLog2(at, 12));
    PT_ASSERT(pm_read(a, at, &r));
    PT_ASSERT(!pm_exec(a, at, &r));
    PT_EQ(pm_fault_label, pf_label(X));
}

DEFINE_TEST(PF0006, "a page mapped r|w|x executes, reads and writes without faults")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), r;
    for (unsigned i = 0; i < sizeof code42; i++)
        ((unsigned char *)page)[i] = code42[i];
    L4_Word_t at = pm_base(a) + 0x60000;
    pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), R | W | X), at, L4_FpageLog2(at, 12));
    unsigned before = pm_faults;
    PT_ASSERT(pm_exec(a, at, &r));
    PT_EQ(r, 42);
    PT_ASSERT(pm_write(a, at + 64, 3));
    PT_EQ(pm_faults, before);
}

static void toucher(void)
{
    L4_Word_t base = lib_usable_base();
    pt_shared[0] = base;
    pt_shared[6] = (L4_Word_t)__builtin_frame_address(0);
    volatile L4_Word_t *p = (volatile L4_Word_t *)(base + pt_shared[5]);
    for (int i = 1; i < 64; i++)
        L4_LoadMR(i, 0x1000 + i);
    L4_LoadBR(0, 0x4240);
    L4_Set_VirtualSender((L4_ThreadId_t){ .raw = 0x4241 });
    pt_shared[2] = p[0];
    L4_Word_t ok = 1;
    for (int i = 1; i < 64; i++) {
        L4_Word_t m;
        L4_StoreMR(i, &m);
        ok &= m == 0x1000 + (L4_Word_t)i;
    }
    L4_Word_t br;
    L4_StoreBR(0, &br);
    pt_shared[1] = ok && br == 0x4240 && L4_ActualSender().raw == 0x4241;
    pt_shared[3] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

DEFINE_TEST(PF0007, "MRs, BR0 and ActualSender are preserved across a page fault in another task")
{
    L4_Word_t page = pm_page(12);
    ((L4_Word_t *)page)[0] = 99;
    pt_shared[5] = 0x70000;
    L4_ThreadId_t t = pt_task(toucher);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    PT_EQ(addr, pt_shared[0] + 0x70000);
    answer(t, page, R | W, addr);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[2], 99);
    PT_EQ(pt_shared[1], 1);
}

DEFINE_TEST(PF0008, "a reply that does not cover the address makes the access fault again")
{
    L4_Word_t page = pm_page(12), other = pm_page(12);
    ((L4_Word_t *)page)[0] = 7;
    pt_shared[5] = 0x80000;
    L4_ThreadId_t t = pt_task(toucher);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    answer(t, other, R, addr + 0x1000);   /* the neighbouring page */
    L4_Word_t addr2;
    PT_EQ(wait_fault(t, &addr2, &ip), pf_label(R));
    PT_EQ(addr2, addr);
    answer(t, page, R, addr);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[2], 7);
}

DEFINE_TEST(PF0009, "a fault with rights the reply lacks faults again with the missing right")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), v;
    L4_Word_t at = pm_base(a) + 0x90000;
    pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), R), at, L4_FpageLog2(at, 12));
    PT_ASSERT(!pm_write(a, at, 1));     /* served with the scratch page, rw */
    PT_EQ(pm_fault_label, pf_label(W));
    PT_ASSERT(pm_read(a, at, &v));
    PT_EQ(v, 1);
}

static void no_pager_toucher(void)
{
    pt_shared[3] = 1;
    *(volatile L4_Word_t *)(lib_usable_base() + 0x1000) = 1;
    pt_shared[4] = 1;                    /* never reached */
}

DEFINE_TEST(PF0010, "a thread without a pager that faults is halted and reported, the system goes on")
{
    L4_ThreadId_t t = pt_thread_inactive();
    PT_ASSERT(!L4_IsNilThread(t));
    L4_ThreadId_t old;
    L4_Word_t dummy;
    L4_ExchangeRegisters(t, 0x80 /* pager */, 0, 0, 0, 0, L4_nilthread, &dummy, &dummy, &dummy, &dummy,
                         &dummy, &old);
    L4_Start_SpIp(t, (L4_Word_t)pt_stack_top(), (L4_Word_t)no_pager_toucher);
    for (int i = 0; i < 5 && !pt_shared[3]; i++)
        L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[4], 0);
    L4_Word_t old_time;
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old_time) & 0xff, 2);   /* halted: inactive */
}

static void recovered(void)
{
    pt_shared[6] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

/* Receives t's exception (pt_receive_exception's w[0..4]). */
static bool receive_exception(L4_ThreadId_t t, L4_Word_t w[5])
{
    return pt_receive_exception(t, 1000000, w);
}

/* Replies to t's exception: resume at `recovered` on a fresh stack, and
 * let it run. */
static void resume_recovered(L4_ThreadId_t t)
{
    pt_resume_exception(t, (L4_Word_t)recovered, (L4_Word_t)pt_stack_top() - 8);
    L4_ThreadSwitch(t);
}

static void null_toucher_with_handler(void)
{
    L4_Set_ExceptionHandler(pt_main_id);
    pt_shared[3] = *(volatile L4_Word_t *)pt_shared[12];      /* address 8 */
    pt_shared[4] = 1;
}

DEFINE_TEST(PF0011, "the exception message carries IP, SP, #PF, error code and address; the reply resumes")
{
    pt_shared[12] = 8;
    L4_ThreadId_t t = pt_thread(null_toucher_with_handler);
    L4_Word_t w[5];
    PT_ASSERT(receive_exception(t, w));
    PT_ASSERT(w[0] != 0 && w[1] != 0);
    PT_EQ(w[2], 14);
    PT_EQ(w[4], 8);
    resume_recovered(t);
    PT_EQ(pt_shared[6], 1);
    PT_EQ(pt_shared[4], 0);
}

static void foreign_toucher(void)
{
    /* pt_shared[0] is an address in the test task's window */
    pt_shared[3] = *(volatile L4_Word_t *)(pt_shared[0] + 0x123000);
    pt_shared[4] = 1;
}

DEFINE_TEST(PF0012, "touching another task's window is a fault outside the window: halted, no pager IPC")
{
    pt_shared[0] = lib_usable_base();
    L4_ThreadId_t t = pt_task(foreign_toucher);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(2000));
    PT_IPC_ERR(tag, 1, 1);              /* no page-fault IPC arrived */
    PT_EQ(pt_shared[4], 0);
    L4_Word_t old_time;
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old_time) & 0xff, 2);   /* halted: inactive */
}

static void pf_nonexistent_pager(void)
{
    L4_Set_Pager(L4_GlobalId(0x3fff0, 7));
    pt_shared[3] = 1;
    pt_shared[2] = *(volatile L4_Word_t *)(lib_usable_base() + 0x5000);
    pt_shared[4] = 1;
}

DEFINE_TEST(PF0013, "a fault whose pager does not exist halts the thread")
{
    L4_ThreadId_t t = pt_thread(pf_nonexistent_pager);
    L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[4], 0);
    L4_Word_t old_time;
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old_time) & 0xff, 2);   /* halted: inactive */
}

/* A pager task: waits for a fault, touches its own page at its own
 * address (faulting itself, nested, to its own pager: the test), then
 * maps that page to the faulter. */
static void nested_pager(void)
{
    L4_Word_t mine = lib_usable_base() + 0x400000;
    pt_shared[7] = mine;
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t addr;
    L4_StoreMR(1, &addr);
    pt_shared[8] = L4_Label(tag);
    *(volatile L4_Word_t *)mine = 1234;     /* nested fault, to our pager */
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(mine, 12), L4_FullyAccessible), addr);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, 2 << 6);
    L4_Reply(from);
    for (;;)
        L4_Sleep(L4_Never);
}

static void paged_by_task(void)
{
    L4_Set_Pager((L4_ThreadId_t){ .raw = pt_shared[9] });
    pt_shared[10] = *(volatile L4_Word_t *)(lib_usable_base() + 0x6000);
    pt_shared[11] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

DEFINE_TEST(PF0014, "nested faults: a pager that touches its own unmapped memory while serving a fault")
{
    L4_Word_t page = pm_page(12);
    L4_ThreadId_t p = pt_task(nested_pager);
    pt_shared[9] = p.raw;
    L4_ThreadId_t c = pt_task(paged_by_task);
    L4_Word_t addr, ip;
    /* the pager's own fault comes to us (its pager) */
    PT_EQ(wait_fault(p, &addr, &ip) & ~(L4_Word_t)0xf, lib_proto_label(-2));
    PT_EQ(addr, pt_shared[7]);
    answer(p, page, L4_FullyAccessible, addr);
    for (int i = 0; i < 10 && !pt_shared[11]; i++)
        L4_ThreadSwitch(c);
    PT_EQ(pt_shared[11], 1);
    PT_EQ(pt_shared[10], 1234);
    PT_EQ(((L4_Word_t *)page)[0], 1234);
    PT_EQ(pt_shared[8], pf_label(R));
}

DEFINE_TEST(PF0015, "the root task's own fault goes to sigma0, which maps a zero page")
{
    volatile L4_Word_t *p = (volatile L4_Word_t *)(lib_usable_end() - 0x100000 + 0x18);
    PT_EQ(*p, 0);
    *p = 5;
    PT_EQ(*p, 5);
}

DEFINE_TEST(PF0016, "a thread of the same task faults to the test thread as its pager")
{
    L4_Word_t page = pm_page(12);
    ((L4_Word_t *)page)[0] = 31;
    pt_shared[5] = 0x3100000;
    L4_ThreadId_t t = pt_thread(toucher);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    PT_EQ(addr, lib_usable_base() + 0x3100000);
    answer(t, page, R, addr);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[2], 31);
}

DEFINE_TEST(PF0017, "deleting a thread that waits for its pager leaves the system intact")
{
    pt_shared[5] = 0xa0000;
    L4_ThreadId_t t = pt_task(toucher);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    pt_kill(t);
    L4_Word_t old_time;
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old_time) & 0xff, 0);   /* gone: error */
}

DEFINE_TEST(PF0018, "faults on 64 pages in a row are each resolved once")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t base = pm_base(a) + 0x800000, v;
    unsigned before = pm_faults;
    for (L4_Word_t i = 0; i < 64; i++)
        PT_ASSERT(!pm_write(a, base + i * 4096, i));
    PT_EQ(pm_faults - before, 64);
    for (L4_Word_t i = 0; i < 64; i += 9) {
        PT_ASSERT(pm_read(a, base + i * 4096, &v));
        PT_EQ(v, 63);                   /* every page is the same scratch frame */
    }
    PT_EQ(pm_faults - before, 64);
}

DEFINE_TEST(PF0019, "status bits: a read sets referenced, a write written, a query resets them")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), v;
    L4_Word_t at = pm_base(a) + 0xb0000;
    pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), R | W), at, L4_FpageLog2(at, 12));
    L4_Fpage_t f = L4_FpageLog2(page, 12);
    L4_GetStatus(f);                    /* reset (our own first touch) */
    PT_EQ(L4_Rights(L4_GetStatus(f)), 0);
    PT_ASSERT(pm_read(a, at, &v));
    L4_Fpage_t s = L4_GetStatus(f);
    PT_ASSERT(L4_WasReferenced(s));
    PT_ASSERT(!L4_WasWritten(s));
    PT_ASSERT(pm_write(a, at, 1));
    s = L4_GetStatus(f);
    PT_ASSERT(L4_WasWritten(s));
    PT_EQ(L4_Rights(L4_GetStatus(f)), 0);
}

DEFINE_TEST(PF0020, "the executed bit reports a jump into the page")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t page = pm_page(12), r;
    for (unsigned i = 0; i < sizeof code42; i++)
        ((unsigned char *)page)[i] = code42[i];
    L4_Word_t at = pm_base(a) + 0xc0000;
    pm_map(a, L4_FpageAddRights(L4_FpageLog2(page, 12), R | X), at, L4_FpageLog2(at, 12));
    L4_GetStatus(L4_FpageLog2(page, 12));
    PT_ASSERT(pm_exec(a, at, &r));
    PT_EQ(r, 42);
    PT_ASSERT(L4_WasExecuted(L4_GetStatus(L4_FpageLog2(page, 12))));
}

DEFINE_TEST(PF0021, "ExchangeRegisters of a thread waiting for its pager reports the faulting IP and SP")
{
    L4_Word_t page = pm_page(12);
    pt_shared[5] = 0x3200000;
    L4_ThreadId_t t = pt_thread(toucher);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    L4_Word_t ctl, sp, xip, flags, udh;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, L4_ExReg_Deliver, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &xip, &flags, &udh, &pager);
    PT_EQ(xip, ip);
    /* the faulting frame's stack pointer is in the helper's own frame */
    L4_Word_t frame = pt_shared[6];
    PT_ASSERT(sp <= frame && sp > frame - 1024);
    answer(t, page, R, addr);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
}

/* Cancels the IPC phases `abort` (L4_ExReg_AbortSendIPC/RecvIPC) of t;
 * returns the control bits t had before. */
static L4_Word_t cancel_ipc(L4_ThreadId_t t, L4_Word_t abort)
{
    L4_Word_t ctl, sp, ip, flags, udh;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, abort, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &udh, &pager);
    return ctl;
}

DEFINE_TEST(PF0022, "a page-fault IPC cancelled while awaiting the reply is sent again: the access faults again")
{
    L4_Word_t page = pm_page(12);
    ((L4_Word_t *)page)[0] = 22;
    pt_shared[5] = 0x3300000;
    L4_ThreadId_t t = pt_thread(toucher);
    L4_Word_t addr, addr2, ip, ip2;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    PT_EQ(cancel_ipc(t, L4_ExReg_AbortRecvIPC) & L4_ExReg_AbortRecvIPC, L4_ExReg_AbortRecvIPC);
    PT_EQ(wait_fault(t, &addr2, &ip2), pf_label(R));
    PT_EQ(addr2, addr);
    PT_EQ(ip2, ip);
    answer(t, page, R, addr);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[2], 22);
    PT_EQ(pt_shared[1], 1);             /* its registers survived both faults */
}

DEFINE_TEST(PF0023, "a page-fault IPC cancelled in its send phase is sent again")
{
    L4_Word_t page = pm_page(12);
    ((L4_Word_t *)page)[0] = 23;
    pt_shared[5] = 0x3400000;
    L4_ThreadId_t t = pt_thread(toucher);
    L4_ThreadSwitch(t);                 /* it faults; we are not receiving */
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_PENDING_SEND);
    PT_EQ(cancel_ipc(t, L4_ExReg_AbortSendIPC) & L4_ExReg_AbortSendIPC, L4_ExReg_AbortSendIPC);
    L4_ThreadSwitch(t);                 /* it faults again */
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_PENDING_SEND);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    PT_EQ(addr, lib_usable_base() + 0x3400000);
    answer(t, page, R, addr);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[2], 23);
}

/* Replies to the fault of pt_shared[12] on behalf of the test's main
 * thread (propagation): 40 untyped words and three map items of the pages
 * in pt_shared[13..15] at the fault address and the two pages after it. */
static void long_replier(void)
{
    L4_Word_t addr = pt_shared[11];
    L4_Msg_t m;
    L4_MsgClear(&m);
    for (L4_Word_t i = 0; i < 40; i++)
        L4_MsgAppendWord(&m, 0xdead0000 + i);
    for (int i = 0; i < 3; i++)
        L4_MsgAppendMapItem(&m, L4_MapItem(L4_FpageAddRights(L4_FpageLog2(pt_shared[13 + i], 12), R | W),
                                           addr + (L4_Word_t)i * 4096));
    L4_MsgTag_t tag = L4_MsgMsgTag(&m);
    L4_Set_Propagation(&tag);
    L4_Set_MsgMsgTag(&m, tag);
    L4_MsgLoad(&m);
    L4_Set_VirtualSender(pt_main_id);
    pt_shared[10] = L4_IpcSucceeded(L4_Send((L4_ThreadId_t){ .raw = pt_shared[12] }));
    pt_park();
}

DEFINE_TEST(PF0024, "a pager reply of 46 words and propagation leaves every MR, BR0 and ActualSender of the faulter")
{
    for (int i = 0; i < 3; i++)
        pt_shared[13 + i] = pm_page(12);
    ((L4_Word_t *)pt_shared[13])[0] = 24;
    pt_shared[5] = 0x78000;
    L4_ThreadId_t t = pt_task(toucher);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(t, &addr, &ip), pf_label(R));
    pt_shared[11] = addr;
    pt_shared[12] = t.raw;
    L4_ThreadId_t h = pt_thread(long_replier);
    for (int i = 0; i < 20 && !pt_shared[3]; i++)
        L4_ThreadSwitch(h);
    PT_EQ(pt_shared[10], 1);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[2], 24);
    PT_EQ(pt_shared[1], 1);
}

static void bad_opcode_with_handler(void)
{
    L4_Set_ExceptionHandler(pt_main_id);
    pt_shared[3] = 1;
    __asm__ volatile("ud2");
    pt_shared[4] = 1;
}

DEFINE_TEST(PF0025, "an invalid opcode is an exception IPC (#UD, 6) with IP and SP; the reply resumes elsewhere")
{
    L4_ThreadId_t t = pt_thread(bad_opcode_with_handler);
    L4_Word_t w[5];
    PT_ASSERT(receive_exception(t, w));
    PT_EQ(w[2], 6);
    PT_EQ(w[4], 0);                     /* no address: not a page fault */
    PT_EQ(*(const unsigned char *)w[0], 0x0f);      /* ud2 is 0f 0b */
    PT_EQ(pt_shared[3], 1);
    resume_recovered(t);
    PT_EQ(pt_shared[6], 1);
    PT_EQ(pt_shared[4], 0);
}

static void divide_by_zero(void)
{
    volatile int zero = 0;
    pt_shared[7] = (L4_Word_t)&zero;
    pt_shared[3] = 1;
    pt_shared[2] = (L4_Word_t)(100 / zero);
    pt_shared[4] = 1;
}

DEFINE_TEST(PF0026, "a divide error without an exception handler halts the thread with a report; the system goes on")
{
    L4_ThreadId_t t = pt_thread(divide_by_zero);
    L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[4], 0);
    L4_Word_t old_time;
    PT_EQ(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old_time) & 0xff, 2);   /* halted: inactive */
}

/* Runs two ud2 with RAX and RBX set; records them after each. */
static void regs_ud2(void)
{
    L4_Set_ExceptionHandler(pt_main_id);
    L4_Word_t a = 0x1111, b = 0x2222;
    __asm__ volatile("ud2" : "+a"(a), "+b"(b) : : "memory");
    pt_shared[2] = a;
    pt_shared[3] = b;
    __asm__ volatile("ud2" : "+a"(a), "+b"(b) : : "memory");
    pt_shared[4] = a;
    pt_shared[5] = b;
    pt_park();
}

DEFINE_TEST(PF0046, "the exception frame is Pistachio's x86-64 one: registers in MR1-MR18, number, error code (and MR21); the reply's words set the registers, the others keep theirs")
{
    pt_shared[2] = pt_shared[3] = pt_shared[4] = pt_shared[5] = 0;
    L4_ThreadId_t t = pt_thread(regs_ud2);
    L4_Word_t f[22];
    for (unsigned round = 0; round < 2; round++) {
        L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(1000000));
        PT_IPC_OK(tag);
        PT_EQ(L4_Label(tag), lib_proto_label(-5));
        PT_EQ(L4_UntypedWords(tag), 21);
        L4_StoreMRs(1, 21, &f[1]);
        PT_EQ(*(const unsigned char *)f[1], 0x0f);      /* MR1 RIP at the ud2 */
        PT_EQ(f[2], 0x2222);                            /* MR2 RBX */
        PT_EQ(f[8], 0x1111);                            /* MR8 RAX, kept by the first reply */
        PT_ASSERT(f[17] != 0);                          /* MR17 RSP */
        PT_EQ(f[19], 6);                                /* #UD */
        PT_EQ(f[20], 0);
        PT_EQ(f[21], 0);                                /* not a page fault */
        f[1] += 2;                                      /* past the ud2 */
        if (round == 0) {
            /* one word: only RIP changes */
            L4_LoadMR(1, f[1]);
            L4_LoadMR(0, 1);
        } else {
            f[8] = 0x3333;
            L4_LoadMRs(1, 8, &f[1]);
            L4_LoadMR(0, 8);
        }
        PT_IPC_OK(L4_Send(t));
        L4_ThreadSwitch(t);
        pt_sleep_us(10);
    }
    PT_EQ(pt_shared[2], 0x1111);
    PT_EQ(pt_shared[3], 0x2222);
    PT_EQ(pt_shared[4], 0x3333);
    PT_EQ(pt_shared[5], 0x2222);
}

DEFINE_TEST(PF0047, "a thread halted by an unhandled exception reports the IP and SP of the fault, and resumes where ExchangeRegisters sets them")
{
    pt_shared[3] = pt_shared[4] = pt_shared[6] = 0;
    L4_ThreadId_t t = pt_thread(divide_by_zero);
    L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_sched_state(t) & 0xff, 2);                 /* halted: inactive */
    L4_Word_t dummy;
    L4_ThreadId_t old;
    /* ExchangeRegisters reports where it halted: in divide_by_zero, on its stack */
    L4_Word_t osp = 0, oip = 0;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &dummy, &osp, &oip, &dummy, &dummy, &old);
    PT_ASSERT(oip >= (L4_Word_t)divide_by_zero && oip < (L4_Word_t)divide_by_zero + 256);
    PT_ASSERT(osp + 4096 > pt_shared[7] && osp < pt_shared[7] + 4096);   /* near its local */
    /* s, i and h (halt flag valid, value 0: resume) */
    L4_ExchangeRegisters(t, 0x100 | 0x10 | 0x08, (L4_Word_t)pt_stack_top() - 8, (L4_Word_t)recovered, 0, 0,
                         L4_nilthread, &dummy, &dummy, &dummy, &dummy, &dummy, &old);
    L4_ThreadSwitch(t);
    pt_sleep_us(10);
    PT_EQ(pt_shared[6], 1);
    PT_EQ(pt_shared[4], 0);
}

DEFINE_TEST(PF0048, "a thread started at a non-canonical IP is halted there: ExchangeRegisters reports that IP, never the kernel's jump, and a new SP alone makes it fault there again")
{
    const L4_Word_t bad = 0x0000800000000000UL;
    L4_ThreadId_t t = pt_thread_inactive();
    PT_ASSERT(!L4_IsNilThread(t));
    PT_EQ(lib_task_start(t, bad, (L4_Word_t)pt_stack_top()), 0);
    pt_sleep_us(1000);
    PT_EQ(pt_sched_state(t) & 0xff, 2);                 /* halted: inactive */
    L4_Word_t d, osp = 0, oip = 0;
    L4_ThreadId_t old;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &d, &osp, &oip, &d, &d, &old);
    PT_EQ(oip, bad);
    /* s and h (valid, 0: resume): the same IP again */
    L4_ExchangeRegisters(t, 0x100 | 0x08, (L4_Word_t)pt_stack_top(), 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d,
                         &old);
    pt_sleep_us(1000);
    PT_EQ(pt_sched_state(t) & 0xff, 2);
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &d, &osp, &oip, &d, &d, &old);
    PT_EQ(oip, bad);
}

/* ---- page faults during string transfers ---- */

/* One string transfer between two threads of ours whose pager is the test
 * thread: the receiver takes `len` bytes into rbuf, the sender sends them
 * from sbuf; either waits `delay` µs first, so that the other blocks
 * first and the one that comes second runs the transfer. */
static volatile struct {
    L4_Word_t rbuf, sbuf, len;
    L4_Word_t rcv_xfer, snd_xfer;       /* their XferTimeouts */
    L4_Word_t rcv_delay, snd_delay;
    L4_ThreadId_t receiver, sender;
    L4_Word_t rcv_done, rcv_failed, rcv_err;
    L4_Word_t snd_done, snd_failed, snd_err;
} xf;

static const char xfer_text[] = "a string that crosses into a page the pager maps on demand";

static void xfer_receiver(void)
{
    if (xf.rcv_delay)
        L4_Sleep(L4_TimePeriod(xf.rcv_delay));
    L4_Set_XferTimeouts(xf.rcv_xfer);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem((int)xf.len, (void *)xf.rbuf));
    L4_AcceptStrings(L4_StringItemsAcceptor, &b);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    xf.rcv_failed = L4_IpcFailed(tag);
    xf.rcv_err = L4_ErrorCode();
    xf.rcv_done = 1;
}

static void xfer_sender(void)
{
    if (xf.snd_delay)
        L4_Sleep(L4_TimePeriod(xf.snd_delay));
    L4_Set_XferTimeouts(xf.snd_xfer);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendSimpleStringItem(&m, L4_StringItem((int)xf.len, (void *)xf.sbuf));
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Send(xf.receiver);
    xf.snd_failed = L4_IpcFailed(tag);
    xf.snd_err = L4_ErrorCode();
    xf.snd_done = 1;
}

/* Starts the pair for buffers rbuf and sbuf; the receiver blocks first
 * unless sender_first. */
static void xfer_start(L4_Word_t rbuf, L4_Word_t sbuf, L4_Word_t len, bool sender_first)
{
    xf.rbuf = rbuf;
    xf.sbuf = sbuf;
    xf.len = len;
    xf.rcv_delay = sender_first ? 50 : 0;
    xf.snd_delay = sender_first ? 0 : 50;
    xf.rcv_done = xf.snd_done = 0;
    xf.receiver = pt_thread(xfer_receiver);
    xf.sender = pt_thread(xfer_sender);
}

static void xfer_wait(void)
{
    while (!xf.rcv_done || !xf.snd_done)
        L4_Sleep(L4_TimePeriod(100));
}

DEFINE_TEST(PF0040, "a string into a page the receiver's pager has not mapped: a write fault from the receiver, then the string arrives")
{
    for (int order = 0; order < 2; order++) {
        L4_Word_t page = pm_page(12);
        L4_Word_t at = lib_usable_base() + 0x3400000 + (L4_Word_t)order * 0x10000;
        xf.rcv_xfer = xf.snd_xfer = 0;
        xfer_start(at + 0x40, (L4_Word_t)xfer_text, sizeof xfer_text, order);
        L4_Word_t addr, ip;
        PT_EQ(wait_fault(xf.receiver, &addr, &ip), pf_label(W));
        PT_EQ(addr, at + 0x40);
        PT_EQ(ip, ~0UL);
        answer(xf.receiver, page, R | W, at);
        xfer_wait();
        PT_EQ(xf.rcv_failed, 0);
        PT_EQ(xf.snd_failed, 0);
        PT_ASSERT(memcmp((const char *)page + 0x40, xfer_text, sizeof xfer_text) == 0);
    }
}

DEFINE_TEST(PF0041, "a string from a page the sender's pager has not mapped: a read fault from the sender, then the string arrives")
{
    static char rbuf[64];
    for (int order = 0; order < 2; order++) {
        L4_Word_t page = pm_page(12);
        memcpy((char *)page + 0x80, xfer_text, sizeof xfer_text);
        L4_Word_t at = lib_usable_base() + 0x3500000 + (L4_Word_t)order * 0x10000;
        memset(rbuf, 0, sizeof rbuf);
        xf.rcv_xfer = xf.snd_xfer = 0;
        xfer_start((L4_Word_t)rbuf, at + 0x80, sizeof xfer_text, order);
        L4_Word_t addr, ip;
        PT_EQ(wait_fault(xf.sender, &addr, &ip), pf_label(R));
        PT_EQ(addr, at + 0x80);
        PT_EQ(ip, ~0UL);
        answer(xf.sender, page, R, at);
        xfer_wait();
        PT_EQ(xf.rcv_failed, 0);
        PT_EQ(xf.snd_failed, 0);
        PT_ASSERT(memcmp(rbuf, xfer_text, sizeof xfer_text) == 0);
    }
}

/* A string of 0x80 bytes whose first 0x40 land in a mapped page and the
 * rest in the next, unmapped one; the pager (we) never answers. */
static void xfer_timeout_case(L4_Word_t rcv_xfer, L4_Word_t snd_xfer, bool sender_first)
{
    static char sbuf[0x80];
    memset(sbuf, 0x5a, sizeof sbuf);
    L4_Word_t page = pm_page(12);       /* the page after it is not mapped */
    xf.rcv_xfer = rcv_xfer;
    xf.snd_xfer = snd_xfer;
    xfer_start(page + 0x1000 - 0x40, (L4_Word_t)sbuf, sizeof sbuf, sender_first);
}

DEFINE_TEST(PF0042, "transfer timeouts bound the fault: the nearer one expires, 5 for its owner, 6 for the other, offset = bytes copied")
{
    for (int order = 0; order < 2; order++) {
        /* the receiver's timeout (200 µs) is the nearer one */
        xfer_timeout_case(L4_Timeouts(L4_Never, L4_TimePeriod(200)), L4_Timeouts(L4_TimePeriod(5000), L4_Never),
                          order);
        L4_Word_t addr, ip;
        PT_EQ(wait_fault(xf.receiver, &addr, &ip), pf_label(W));
        L4_Clock_t t0 = L4_SystemClock();
        xfer_wait();
        PT_ASSERT(L4_SystemClock().raw - t0.raw < 1000);
        PT_EQ(xf.rcv_failed, 1);
        PT_EQ(xf.snd_failed, 1);
        PT_EQ(xf.rcv_err & 0xf, 5 << 1 | 1);
        PT_EQ(xf.snd_err & 0xf, 6 << 1 | 0);
        PT_EQ(L4_IpcErrorOffset(xf.rcv_err), 0x40);
        PT_EQ(L4_IpcErrorOffset(xf.snd_err), 0x40);
        /* the sender's timeout is the nearer one */
        xfer_timeout_case(L4_Timeouts(L4_Never, L4_TimePeriod(5000)), L4_Timeouts(L4_TimePeriod(300), L4_Never),
                          order);
        PT_EQ(wait_fault(xf.receiver, &addr, &ip), pf_label(W));
        xfer_wait();
        PT_EQ(xf.rcv_err & 0xf, 6 << 1 | 1);
        PT_EQ(xf.snd_err & 0xf, 5 << 1 | 0);
        PT_EQ(L4_IpcErrorOffset(xf.snd_err), 0x40);
    }
}

DEFINE_TEST(PF0043, "a zero transfer timeout fails a faulting transfer at once, without a fault IPC")
{
    xfer_timeout_case(L4_Timeouts(L4_Never, L4_ZeroTime), 0, false);
    xfer_wait();
    PT_EQ(xf.rcv_err & 0xf, 5 << 1 | 1);
    PT_EQ(xf.snd_err & 0xf, 6 << 1 | 0);
    PT_EQ(L4_IpcErrorOffset(xf.rcv_err), 0x40);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(xf.receiver, &addr, &ip), 0);
}

DEFINE_TEST(PF0044, "deleting one side of a transfer that waits for a page fault: the other fails with aborted")
{
    /* the receiver, in its fault IPC, is deleted: the sender (which runs
     * the transfer) fails */
    L4_Word_t page = pm_page(12);
    xf.rcv_xfer = xf.snd_xfer = 0;
    xfer_start(page + 0x1000 - 0x10, (L4_Word_t)xfer_text, sizeof xfer_text, false);
    L4_Word_t addr, ip;
    PT_EQ(wait_fault(xf.receiver, &addr, &ip), pf_label(W));
    pt_kill(xf.receiver);
    while (!xf.snd_done)
        L4_Sleep(L4_TimePeriod(100));
    PT_EQ(xf.snd_failed, 1);
    PT_EQ(xf.snd_err & 0xf, 7 << 1 | 0);
    PT_EQ(L4_IpcErrorOffset(xf.snd_err), 0x10);
    /* the sender, which runs the transfer, is deleted while the receiver
     * waits for its pager: the receiver's fault IPC completes, and its
     * receive fails */
    L4_Word_t next = pm_page(12);
    xfer_start(next + 0x1000 - 0x10, (L4_Word_t)xfer_text, sizeof xfer_text, false);
    PT_EQ(wait_fault(xf.receiver, &addr, &ip), pf_label(W));
    pt_kill(xf.sender);
    answer(xf.receiver, pm_page(12), R | W, addr & ~0xfffUL);
    while (!xf.rcv_done)
        L4_Sleep(L4_TimePeriod(100));
    PT_EQ(xf.rcv_failed, 1);
    PT_EQ(xf.rcv_err & 0xf, 7 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(xf.rcv_err), 0x10);
}

/* Pistachio's unwind: ExchangeRegisters aborting the IPC of either side of
 * a transfer that waits for a page fault aborts the transfer for both. */
DEFINE_TEST(PF0045, "ExchangeRegisters abort on either side of a transfer waiting for a fault: both fail with aborted")
{
    for (int which = 0; which < 2; which++) {
        L4_Word_t page = pm_page(12);
        xf.rcv_xfer = xf.snd_xfer = 0;
        xfer_start(page + 0x1000 - 0x10, (L4_Word_t)xfer_text, sizeof xfer_text, false);
        L4_Word_t addr, ip;
        PT_EQ(wait_fault(xf.receiver, &addr, &ip), pf_label(W));
        /* the sender is locked in the transfer, the receiver waits for us */
        cancel_ipc(which ? xf.receiver : xf.sender, L4_ExReg_AbortIPC);
        xfer_wait();
        PT_EQ(xf.snd_failed, 1);
        PT_EQ(xf.rcv_failed, 1);
        PT_EQ(xf.snd_err & 0xf, 7 << 1 | 0);
        PT_EQ(xf.rcv_err & 0xf, 7 << 1 | 1);
        PT_EQ(L4_IpcErrorOffset(xf.snd_err), 0x10);
        PT_EQ(L4_IpcErrorOffset(xf.rcv_err), 0x10);
    }
}
