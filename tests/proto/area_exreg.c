/* EXR0xxx: ExchangeRegisters: reading a thread's state and registers,
 * global/local id conversion, SP/IP, halt and resume, cancelling IPC, the
 * user-defined handle, the pager, flags, and who may use it on whom. */
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>

#include "ptest.h"

#define STACK_SIZE (16 * 1024UL)

typedef struct {
    L4_Word_t ctl, sp, ip, flags, udh;
    L4_ThreadId_t pager;
    L4_ThreadId_t result;
} exreg_t;

/* ExchangeRegisters with every old value delivered into *r. */
static void exreg(L4_ThreadId_t t, L4_Word_t control, L4_Word_t sp, L4_Word_t ip, exreg_t *r)
{
    r->result = L4_ExchangeRegisters(t, control | L4_ExRegCtrl_d, sp, ip, 0, 0, L4_nilthread, &r->ctl,
                                     &r->sp, &r->ip, &r->flags, &r->udh, &r->pager);
}

/* A thread of this task that starts at fn on a stack whose top is *top. */
static L4_ThreadId_t start_at(void (*fn)(void), void **top)
{
    L4_ThreadId_t t = pt_thread_inactive();
    *top = pt_stack_top();
    L4_Start_SpIp(t, (L4_Word_t)*top, (L4_Word_t)fn);
    return t;
}

static bool on_stack(L4_Word_t sp, void *top)
{
    return sp < (L4_Word_t)top && sp >= (L4_Word_t)top - STACK_SIZE;
}

/* The IP of a thread blocked in a system call is its return address: in
 * the function that made the call. */
static bool in_function(L4_Word_t ip, void (*fn)(void))
{
    return ip > (L4_Word_t)fn && ip < (L4_Word_t)fn + 0x1000;
}

/* The IP of a thread blocked in IPC that fn started: in fn, where the API's
 * inline functions are inlined, or else (a build without optimisation) in
 * this module's copy of L4_Ipc, which makes the call. */
static bool blocked_in(L4_Word_t ip, void (*fn)(void))
{
    return in_function(ip, fn) || in_function(ip, (void (*)(void))(L4_Word_t)&L4_Ipc);
}

__attribute__((noinline)) static void receive_from_main(void)
{
    L4_MsgTag_t tag = L4_Receive(pt_main_id);
    pt_shared[0] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100 + L4_UntypedWords(tag);
    L4_StoreMR(1, (L4_Word_t *)&pt_shared[1]);
    pt_park();
}

DEFINE_TEST(EXR0001, "d delivers a thread's state, SP, IP, flags, handle and pager without changing them")
{
    void *top;
    L4_ThreadId_t t = start_at(receive_from_main, &top);
    pt_sleep_us(10);
    exreg_t r;
    exreg(t, 0, 0, 0, &r);
    PT_EQ(r.result.raw, L4_LocalIdOf(t).raw);
    PT_EQ(r.ctl, L4_ExRegCtrl_R);           /* receiving, not halted, not sending */
    PT_ASSERT(L4_ThreadWasReceiving((L4_ThreadState_t){ r.ctl }));
    PT_ASSERT(!L4_ThreadWasHalted((L4_ThreadState_t){ r.ctl }));
    PT_ASSERT(on_stack(r.sp, top));
    PT_ASSERT(blocked_in(r.ip, receive_from_main));
    PT_EQ(r.flags, 0);
    PT_EQ(r.udh, 0);
    PT_EQ(r.pager.raw, L4_Myself().raw);
    /* nothing changed: it still waits and takes our message */
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    exreg_t again;
    exreg(t, 0, 0, 0, &again);
    PT_EQ(again.sp, r.sp);
    PT_EQ(again.ip, r.ip);
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0xfeed);
    PT_IPC_OK(L4_Send(t));
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 0x101);
    PT_EQ(pt_shared[1], 0xfeed);
}

DEFINE_TEST(EXR0002, "ExchangeRegisters returns the other form of the id: L4_LocalIdOf, L4_GlobalIdOf")
{
    L4_ThreadId_t t = pt_thread_inactive();
    L4_ThreadId_t l = L4_LocalIdOf(t);
    PT_ASSERT(L4_IsLocalId(l));
    PT_EQ(l.raw & (1024 - 1), 0);
    PT_EQ(L4_GlobalIdOf(l).raw, t.raw);
    PT_ASSERT(L4_SameThreads(l, t));
    PT_EQ(L4_LocalIdOf(L4_Myself()).raw, L4_MyLocalId().raw);
    PT_EQ(L4_GlobalIdOf(L4_MyLocalId()).raw, L4_Myself().raw);
    /* a raw call: a global id in, the local id out, and back */
    exreg_t r;
    exreg(t, 0, 0, 0, &r);
    PT_EQ(r.result.raw, l.raw);
    exreg(l, 0, 0, 0, &r);
    PT_EQ(r.result.raw, t.raw);
    /* a local id that no thread of this task has */
    L4_ThreadId_t unused = { .raw = (L4_Word_t)pt_utcb_slot() };
    PT_EQ(L4_GlobalIdOf(unused).raw, L4_nilthread.raw);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
}

__attribute__((noinline)) static void counting(void)
{
    for (;;) {
        pt_shared[0]++;
        L4_Sleep(L4_TimePeriod(5));
    }
}

static void second_life(void)
{
    volatile L4_Word_t local = 0;
    pt_shared[1] = (L4_Word_t)&local;
    pt_shared[2] = L4_Myself().raw;
    pt_park();
}

DEFINE_TEST(EXR0003, "a halted thread given a new SP and IP and resumed runs the new function there")
{
    void *top1;
    L4_ThreadId_t t = start_at(counting, &top1);
    pt_sleep_us(20);
    PT_ASSERT(pt_shared[0] > 0);
    L4_Word_t sp, ip, flags;
    L4_ThreadState_t s = L4_Stop_SpIpFlags(t, &sp, &ip, &flags);
    PT_ASSERT(!L4_ThreadWasHalted(s));
    PT_ASSERT(on_stack(sp, top1));
    PT_ASSERT(blocked_in(ip, counting));
    L4_Word_t count = pt_shared[0];
    pt_sleep_us(100);
    PT_EQ(pt_shared[0], count);             /* halted: no more rounds */
    void *top2 = pt_stack_top();
    L4_Start_SpIp(t, (L4_Word_t)top2, (L4_Word_t)second_life);
    pt_sleep_us(100);
    PT_EQ(pt_shared[2], t.raw);
    PT_ASSERT(on_stack(pt_shared[1], top2));
    PT_EQ(pt_shared[0], count);             /* the old function is gone */
    exreg_t r;
    exreg(t, 0, 0, 0, &r);
    PT_ASSERT(on_stack(r.sp, top2));
    PT_EQ(r.ctl, L4_ExRegCtrl_R);           /* parked in its receive */
}

static void yielder(void)
{
    for (;;) {
        pt_shared[0]++;
        L4_Yield();
    }
}

DEFINE_TEST(EXR0004, "L4_Stop halts a ready thread and reports H the second time; L4_Start resumes it")
{
    L4_ThreadId_t t = pt_thread(yielder);
    /* same priority: each yield of ours lets it run exactly one round */
    for (int i = 0; i < 3; i++)
        L4_Yield();
    PT_EQ(pt_shared[0], 3);
    L4_ThreadState_t s = L4_Stop(t);
    PT_EQ(s.raw, 0);                        /* was ready: no H, no IPC */
    for (int i = 0; i < 3; i++)
        L4_Yield();
    PT_EQ(pt_shared[0], 3);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_INACTIVE);
    s = L4_Stop(t);
    PT_EQ(s.raw, L4_ExRegCtrl_H);
    exreg_t r;
    exreg(t, L4_ExReg_Resume, 0, 0, &r);
    PT_EQ(r.ctl, L4_ExRegCtrl_H);
    for (int i = 0; i < 2; i++)
        L4_Yield();
    PT_EQ(pt_shared[0], 5);
    exreg(t, 0, 0, 0, &r);
    PT_EQ(r.ctl, 0);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_RUNNING);
}

DEFINE_TEST(EXR0005, "halting a thread blocked in a receive: the IPC completes, the thread stays halted")
{
    void *top;
    L4_ThreadId_t t = start_at(receive_from_main, &top);
    pt_sleep_us(10);
    L4_ThreadState_t s = L4_Stop(t);
    PT_EQ(s.raw, L4_ExRegCtrl_R);
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0xabc);
    PT_IPC_OK(L4_Send(t));                  /* it still receives */
    pt_sleep_us(100);
    PT_EQ(pt_shared[0], 0);                 /* but does not run */
    s = L4_Stop(t);
    PT_EQ(s.raw, L4_ExRegCtrl_H);           /* halted, no IPC any more */
    L4_Start(t);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 0x101);
    PT_EQ(pt_shared[1], 0xabc);
}

static void send_to_main(void)
{
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x5e5d);
    L4_MsgTag_t tag = L4_Send(pt_main_id);
    pt_shared[2] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100;
    pt_park();
}

DEFINE_TEST(EXR0006, "halting a thread blocked in a send: the receiver gets the message, the sender stays halted")
{
    L4_ThreadId_t t = pt_thread(send_to_main);
    pt_sleep_us(10);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_PENDING_SEND);
    L4_ThreadState_t s = L4_Stop(t);
    PT_EQ(s.raw, L4_ExRegCtrl_S);
    L4_MsgTag_t tag = L4_Receive(t);
    PT_IPC_OK(tag);
    PT_EQ(L4_UntypedWords(tag), 1);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x5e5d);
    pt_sleep_us(100);
    PT_EQ(pt_shared[2], 0);
    L4_Start(t);
    pt_sleep_us(10);
    PT_EQ(pt_shared[2], 0x100);
}

static void send_forever(void)
{
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send(pt_main_id);
    pt_shared[2] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100;
    pt_park();
}

DEFINE_TEST(EXR0007, "AbortIPC cancels a receive and a send: the victim sees code 3 in that phase")
{
    void *top;
    L4_ThreadId_t r = start_at(receive_from_main, &top);
    L4_ThreadId_t s = pt_thread(send_forever);
    pt_sleep_us(10);
    exreg_t x;
    /* cancelling the phase a thread is not in does nothing */
    exreg(s, L4_ExReg_AbortRecvIPC, 0, 0, &x);
    PT_EQ(x.ctl, L4_ExRegCtrl_S);
    PT_EQ(pt_sched_state(s), L4_SCHEDRESULT_PENDING_SEND);
    exreg(r, L4_ExReg_AbortSendIPC, 0, 0, &x);
    PT_EQ(x.ctl, L4_ExRegCtrl_R);
    PT_EQ(pt_sched_state(r), L4_SCHEDRESULT_WAITING);
    exreg(r, L4_ExReg_AbortRecvIPC, 0, 0, &x);
    PT_EQ(x.ctl, L4_ExRegCtrl_R);
    exreg(s, L4_ExReg_AbortIPC, 0, 0, &x);
    PT_EQ(x.ctl, L4_ExRegCtrl_S);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], (3 << 1) | 1);      /* cancelled, receive phase */
    PT_EQ(pt_shared[2], (3 << 1) | 0);      /* cancelled, send phase */
    exreg(r, 0, 0, 0, &x);
    PT_EQ(x.ctl, L4_ExRegCtrl_R);           /* parked again */
}

/* Runs in an unprivileged task. */
static void task_exregs(void)
{
    exreg_t r;
    exreg(pt_main_id, 0, 0, 0, &r);
    pt_shared[0] = r.result.raw;
    pt_shared[1] = L4_ErrorCode();
    pt_shared[2] = L4_LocalIdOf(L4_Myself()).raw;
    pt_shared[3] = L4_MyLocalId().raw;
    pt_shared[4] = L4_UserDefinedHandle();
    L4_Set_UserDefinedHandleOf(pt_main_id, 0xbad);
    pt_shared[5] = L4_ErrorCode();
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(EXR0008, "across tasks: ExchangeRegisters fails with InvalidThread, for the privileged root task too")
{
    L4_ThreadId_t t = pt_task(task_exregs);
    L4_Set_UserDefinedHandle(0);
    /* as on Pistachio, only threads of the caller's own address space */
    exreg_t r;
    exreg(t, 0, 0, 0, &r);
    PT_EQ(r.result.raw, L4_nilthread.raw);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    L4_Set_UserDefinedHandleOf(t, 0x77);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_IPC_OK(L4_Receive(t));
    /* the other task on ours: InvalidThread as well */
    PT_EQ(pt_shared[0], L4_nilthread.raw);
    PT_EQ(pt_shared[1], L4_ERROR_INVALID_THREAD);
    PT_EQ(pt_shared[5], L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_UserDefinedHandle(), 0);
    /* on itself: fine, and its handle was not changed by us */
    PT_EQ(pt_shared[2], pt_shared[3]);
    PT_EQ(pt_shared[4], 0);
}

DEFINE_TEST(EXR0014, "a thread with a UTCB that was never activated (no pager given) is InvalidThread")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(L4_ThreadControl(t, me, me, L4_nilthread, pt_utcb_slot()), 1);
    pt_track(t);
    exreg_t r;
    exreg(t, L4_ExRegCtrl_u, 0, 0, &r);
    PT_EQ(r.result.raw, L4_nilthread.raw);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    /* activated by naming a pager: now it may be read */
    PT_EQ(L4_ThreadControl(t, me, L4_nilthread, me, (void *)~0UL), 1);
    exreg(t, 0, 0, 0, &r);
    PT_ASSERT(!L4_IsNilThread(r.result));
}

static void handle_user(void)
{
    pt_shared[0] = L4_UserDefinedHandle();
    L4_Set_UserDefinedHandle(0x5678);
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(EXR0009, "the user-defined handle: set by ExchangeRegisters, read in the UTCB, and back")
{
    L4_ThreadId_t t = pt_thread_inactive();
    PT_EQ(L4_UserDefinedHandleOf(t), 0);
    L4_Set_UserDefinedHandleOf(t, 0x1234);
    PT_EQ(L4_UserDefinedHandleOf(t), 0x1234);
    L4_Start_SpIp(t, (L4_Word_t)pt_stack_top(), (L4_Word_t)handle_user);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], 0x1234);
    PT_EQ(L4_UserDefinedHandleOf(t), 0x5678);
    /* our own */
    L4_Set_UserDefinedHandle(0x99);
    PT_EQ(L4_UserDefinedHandleOf(L4_Myself()), 0x99);
    L4_Set_UserDefinedHandleOf(L4_MyLocalId(), 0x98);
    PT_EQ(L4_UserDefinedHandle(), 0x98);
    L4_Set_UserDefinedHandle(0);
}

static void pager_user(void)
{
    pt_shared[0] = L4_Pager().raw;
    L4_Set_Pager(L4_GlobalId(0x4321, 9));
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(EXR0010, "the pager: L4_Pager and L4_Set_Pager in the UTCB, L4_PagerOf and L4_Set_PagerOf")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = pt_thread_inactive();
    PT_EQ(L4_PagerOf(t).raw, me.raw);
    L4_ThreadId_t p = L4_GlobalId(0x1234, 5);
    L4_Set_PagerOf(t, p);
    PT_EQ(L4_PagerOf(t).raw, p.raw);
    L4_Start_SpIp(t, (L4_Word_t)pt_stack_top(), (L4_Word_t)pager_user);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], p.raw);
    PT_EQ(L4_PagerOf(t).raw, L4_GlobalId(0x4321, 9).raw);
    L4_ThreadId_t mine = L4_Pager();
    L4_Set_PagerOf(me, p);
    PT_EQ(L4_Pager().raw, p.raw);
    L4_Set_Pager(mine);
    PT_EQ(L4_PagerOf(me).raw, mine.raw);
}

DEFINE_TEST(EXR0011, "flags set with f are returned; other registers stay")
{
    L4_ThreadId_t t = pt_thread(pt_park);
    pt_sleep_us(10);
    exreg_t r;
    L4_ThreadId_t dummy;
    L4_Word_t w;
    (void)L4_ExchangeRegisters(t, L4_ExRegCtrl_f, 0, 0, 0x5, 0, L4_nilthread, &w, &w, &w, &w, &w, &dummy);
    exreg(t, 0, 0, 0, &r);
    PT_EQ(r.flags, 0x5);
    PT_EQ(r.pager.raw, L4_Myself().raw);
    PT_EQ(r.ctl, L4_ExRegCtrl_R);
}

DEFINE_TEST(EXR0012, "InvalidThread: no such thread, wrong version, interrupt thread, no UTCB, nil, any")
{
    L4_ThreadId_t me = L4_Myself();
    exreg_t r;
    L4_ThreadId_t bad[6];
    bad[0] = pt_new_id();
    L4_ThreadId_t h = pt_thread(pt_park);
    bad[1] = L4_GlobalId(L4_ThreadNo(h), L4_Version(h) + 1);
    bad[2] = L4_GlobalId(3, 1);
    /* a thread that exists but has no UTCB: not active */
    bad[3] = pt_new_id();
    PT_EQ(L4_ThreadControl(bad[3], me, me, L4_nilthread, (void *)~0UL), 1);
    pt_track(bad[3]);
    bad[4] = L4_nilthread;
    bad[5] = L4_anythread;
    for (int i = 0; i < 6; i++) {
        L4_Set_UserDefinedHandle(0);
        exreg(bad[i], L4_ExRegCtrl_u, 0, 0, &r);
        PT_EQ(r.result.raw, L4_nilthread.raw);
        PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    }
    PT_EQ(L4_UserDefinedHandleOf(h), 0);
}

static void halt_myself(void)
{
    pt_shared[0] = 1;
    L4_ThreadState_t s = L4_Stop(L4_Myself());
    pt_shared[1] = s.raw;
    pt_shared[0] = 2;
    pt_park();
}

DEFINE_TEST(EXR0013, "a thread that halts itself stops at once and continues when another resumes it")
{
    L4_ThreadId_t t = pt_thread(halt_myself);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 1);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_INACTIVE);
    L4_ThreadState_t s = L4_Stop(t);
    PT_EQ(s.raw, L4_ExRegCtrl_H);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 1);
    L4_Start(t);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 2);
    PT_EQ(pt_shared[1], 0);                 /* it was running when it halted */
}

/* The register array is read from the caller's memory only where its
 * address space lies (window pages it holds, its program image): the
 * simulator's own code is not, so the call fails before it looks at the
 * destination. */
DEFINE_TEST(EXR0030, "a register array outside the caller's address space: InvalidParam, nothing read")
{
    L4_Word_t r = __L4_hosted_ExchangeRegisters(L4_nilthread.raw, (L4_Word_t *)(L4_Word_t)&__L4_hosted_Ipc);
    PT_EQ(r, L4_nilthread.raw);
    PT_EQ(L4_ErrorCode(), 5);           /* InvalidParam, not InvalidThread */
}
