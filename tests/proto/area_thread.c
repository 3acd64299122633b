/* THR0xxx: ThreadControl and SpaceControl: creating threads in the own task
 * and in new tasks, activation and the start message, deletion, versions,
 * the thread's own ids, and every error code of both calls. */
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/thread.h>

#include <chacm/thread.h>

#include "ptest.h"

#define UTCB_SIZE 1024UL
#define NO_UTCB ((void *)~0UL)

/* The X.2 start message: MR1 = IP, MR2 = SP, sent by the thread's pager. */
static L4_MsgTag_t send_start(L4_ThreadId_t t, void (*ip)(void), void *sp)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendWord(&m, (L4_Word_t)ip);
    L4_MsgAppendWord(&m, (L4_Word_t)sp);
    L4_MsgLoad(&m);
    return L4_Send(t);
}

static void report(void)
{
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
}

/* Entered directly by a start message (not through the ptest helpers):
 * records what the thread sees of itself, reports, and parks. */
static void started(void)
{
    volatile L4_Word_t on_stack = 0;
    pt_shared[0] = L4_MyGlobalId().raw;
    pt_shared[1] = L4_MyLocalId().raw;
    pt_shared[2] = L4_Pager().raw;
    pt_shared[3] = (L4_Word_t)&on_stack;
    pt_shared[4] = (L4_Word_t)L4_GetKernelInterface();
    report();
    pt_park();
}

DEFINE_TEST(THR0001, "an active thread created in the own task waits for its start message")
{
    L4_ThreadId_t t = pt_new_id();
    void *slot = pt_utcb_slot();
    PT_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), slot), 1);
    pt_track(t);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    pt_sleep_us(50);
    PT_EQ(pt_shared[0], 0);                 /* it has not run */
    char *sp = pt_stack_top();
    PT_IPC_OK(send_start(t, started, sp));
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], t.raw);
    PT_EQ(pt_shared[1], (L4_Word_t)slot);
    PT_EQ(pt_shared[2], L4_Myself().raw);
    /* it runs on the stack MR2 named */
    PT_ASSERT(pt_shared[3] < (L4_Word_t)sp && pt_shared[3] >= (L4_Word_t)sp - 16 * 1024);
}

DEFINE_TEST(THR0002, "a thread in a new task: create, SpaceControl, activate with UTCB and pager, start")
{
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, NO_UTCB), 1);
    pt_track(t);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_INACTIVE);
    L4_Word_t old;
    PT_EQ(L4_SpaceControl(t, 0, pt_kip_area(), pt_utcb_area(), L4_nilthread, &old), 1);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_INACTIVE);
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)pt_utcb_area_base()), 1);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    PT_IPC_OK(send_start(t, started, pt_stack_top()));
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, t.raw);                 /* another task: global id */
    PT_EQ(pt_shared[0], t.raw);
    PT_EQ(pt_shared[2], L4_Myself().raw);
    /* its UTCB is at the same offset of its own window, in another window */
    L4_Word_t mine = pt_utcb_area_base();
    PT_ASSERT(pt_shared[1] != mine);
    PT_EQ(pt_shared[1] & ((1UL << 20) - 1), 0);
    PT_EQ(pt_shared[4] - pt_shared[1], (L4_Word_t)L4_GetKernelInterface() - mine);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);  /* parked in a receive */
}

DEFINE_TEST(THR0003, "an inactive thread with a UTCB is activated by ThreadControl naming a pager")
{
    L4_ThreadId_t t = pt_new_id();
    void *slot = pt_utcb_slot();
    PT_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, slot), 1);
    pt_track(t);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_INACTIVE);
    /* not active: no start message is taken (it waits for nobody) */
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(t, L4_ZeroTime), 1, 0);
    PT_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_Myself(), NO_UTCB), 1);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    PT_IPC_OK(send_start(t, started, pt_stack_top()));
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], t.raw);
    PT_EQ(pt_shared[1], (L4_Word_t)slot);
}

static void send_to_target(void)
{
    L4_ThreadId_t t = { .raw = pt_shared[8] };
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send_Timeout(t, L4_ZeroTime);
    pt_shared[9] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100;
    report();
}

DEFINE_TEST(THR0004, "only the pager's message starts a thread; another sender is not received")
{
    L4_ThreadId_t t = pt_thread_inactive();
    PT_ASSERT(!L4_IsNilThread(t));
    pt_shared[8] = t.raw;
    L4_ThreadId_t h = pt_thread(send_to_target);
    PT_IPC_OK(L4_Receive(h));
    PT_EQ(pt_shared[9], (1 << 1) | 0);      /* send timeout */
    PT_EQ(pt_shared[0], 0);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    PT_IPC_OK(send_start(t, started, pt_stack_top()));
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], t.raw);
}

DEFINE_TEST(THR0005, "a deleted thread's id is invalid: IPC fails with code 2, ThreadControl and ExchangeRegisters fail")
{
    L4_ThreadId_t t = pt_thread(pt_park);
    pt_sleep_us(10);
    PT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send(t), 2, 0);
    PT_EQ(L4_ErrorCode(), 4);
    PT_IPC_ERR(L4_Receive(t), 2, 1);
    PT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_LocalIdOf(t).raw, L4_nilthread.raw);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_ERROR);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
}

static void receive_from_target(void)
{
    L4_ThreadId_t t = { .raw = pt_shared[8] };
    L4_MsgTag_t tag = L4_Receive(t);
    pt_shared[0] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100;
    pt_park();
}

static void send_blocking_to_target(void)
{
    L4_ThreadId_t t = { .raw = pt_shared[8] };
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send(t);
    pt_shared[1] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100;
    pt_park();
}

DEFINE_TEST(THR0006, "deleting a thread fails the IPC of its partners with code 2 in their phase")
{
    L4_ThreadId_t x = pt_thread(pt_park);
    pt_shared[8] = x.raw;
    L4_ThreadId_t r = pt_thread(receive_from_target);
    L4_ThreadId_t s = pt_thread(send_blocking_to_target);
    pt_sleep_us(10);
    PT_EQ(pt_sched_state(r), L4_SCHEDRESULT_WAITING);
    PT_EQ(pt_sched_state(s), L4_SCHEDRESULT_PENDING_SEND);
    PT_EQ(L4_ThreadControl(x, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], (2 << 1) | 1);      /* receiver: non-existing partner */
    PT_EQ(pt_shared[1], (2 << 1) | 0);      /* sender: non-existing partner */
}

DEFINE_TEST(THR0007, "deleting the last thread of a task ends the task: its id names no space any more")
{
    L4_ThreadId_t t = pt_task(pt_park);
    pt_sleep_us(10);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    PT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send(t), 2, 0);
    L4_ThreadId_t n = pt_new_id();
    PT_EQ(L4_ThreadControl(n, t, L4_Myself(), L4_nilthread, NO_UTCB), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_SPACE);
    L4_Word_t old;
    PT_EQ(L4_SpaceControl(t, 0, pt_kip_area(), pt_utcb_area(), L4_nilthread, &old), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_SPACE);
}

/* Runs in an unprivileged task: every privileged call fails. */
static void unprivileged_calls(void)
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t other = L4_GlobalId(L4_ThreadNo(me) + 7, 1);
    void *kip = L4_GetKernelInterface();
    L4_Word_t old;
    pt_shared[0] = L4_ThreadControl(other, me, me, L4_nilthread, NO_UTCB);
    pt_shared[1] = L4_ErrorCode();
    pt_shared[2] = L4_ThreadControl(me, me, L4_nilthread, me, NO_UTCB);       /* modify itself */
    pt_shared[3] = L4_ErrorCode();
    pt_shared[4] = L4_ThreadControl(pt_main_id, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB);
    pt_shared[5] = L4_ErrorCode();
    pt_shared[6] = L4_SpaceControl(me, 0, L4_FpageLog2((L4_Word_t)kip, 12),
                                   L4_FpageLog2(L4_MyLocalId().raw, 20), L4_nilthread, &old);
    pt_shared[7] = L4_ErrorCode();
    report();
    pt_park();
}

DEFINE_TEST(THR0008, "ThreadControl and SpaceControl from an unprivileged task fail with NoPrivilege")
{
    L4_ThreadId_t t = pt_task(unprivileged_calls);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], 0);
    PT_EQ(pt_shared[1], L4_ERROR_NO_PRIVILEGE);
    PT_EQ(pt_shared[2], 0);
    PT_EQ(pt_shared[3], L4_ERROR_NO_PRIVILEGE);
    PT_EQ(pt_shared[4], 0);
    PT_EQ(pt_shared[5], L4_ERROR_NO_PRIVILEGE);
    PT_EQ(pt_shared[6], 0);
    PT_EQ(pt_shared[7], L4_ERROR_NO_PRIVILEGE);
    /* nothing happened: the other thread does not exist, we do */
    PT_EQ(pt_sched_state(L4_GlobalId(L4_ThreadNo(t) + 7, 1)), L4_SCHEDRESULT_ERROR);
    PT_EQ(pt_sched_state(L4_Myself()), L4_SCHEDRESULT_RUNNING);
}

/* ThreadControl(dest, ...) must fail with err and change nothing. */
#define PT_TC_FAILS(dest, space, sched, pager, utcb, err)                          \
    do {                                                                           \
        PT_EQ(L4_ThreadControl((dest), (space), (sched), (pager), (utcb)), 0);     \
        PT_EQ(L4_ErrorCode(), (err));                                              \
    } while (0)

DEFINE_TEST(THR0009, "InvalidThread: nil, any, local ids, interrupt and kernel thread numbers, versions")
{
    L4_ThreadId_t me = L4_Myself();
    PT_TC_FAILS(L4_nilthread, me, me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    PT_TC_FAILS(L4_anythread, me, me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    PT_TC_FAILS(L4_MyLocalId(), me, me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    /* interrupt thread 3 exists with version 1 only */
    PT_TC_FAILS(L4_GlobalId(3, 2), L4_GlobalId(3, 2), L4_nilthread, me, NO_UTCB, L4_ERROR_INVALID_THREAD);
    /* kernel threads: system base 16 up to the user base 32 */
    PT_TC_FAILS(L4_GlobalId(16, 1), L4_GlobalId(16, 1), me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    PT_TC_FAILS(L4_GlobalId(31, 1), me, me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    PT_TC_FAILS(L4_GlobalId(31, 1), L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB,
                L4_ERROR_INVALID_THREAD);
    /* beyond the 18 thread-number bits the KIP announces */
    PT_TC_FAILS(L4_GlobalId(1UL << 18, 1), me, me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    /* A thread number in use, named with another version.  The hosted
     * kernel refuses both deletion and modification, so a stale id cannot
     * touch the thread that now carries the number (Pistachio finds the
     * TCB by number alone and would delete it, or give it the version). */
    L4_ThreadId_t t = pt_thread(pt_park);
    L4_ThreadId_t stale = L4_GlobalId(L4_ThreadNo(t), L4_Version(t) + 1);
    PT_TC_FAILS(stale, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_THREAD);
    PT_TC_FAILS(stale, me, L4_nilthread, me, NO_UTCB, L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_GlobalIdOf(L4_LocalIdOf(t)).raw, t.raw);
}

DEFINE_TEST(THR0010, "InvalidSpace: unknown space, an active thread in a new or uninitialised space")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = pt_new_id();
    PT_TC_FAILS(t, pt_new_id(), me, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_SPACE);
    /* a new space has no UTCB area yet: the thread cannot be active
     * (Pistachio: InvalidSpace, whether or not a UTCB location is given) */
    PT_TC_FAILS(t, t, me, me, (void *)pt_utcb_area_base(), L4_ERROR_INVALID_SPACE);
    PT_TC_FAILS(t, t, me, me, NO_UTCB, L4_ERROR_INVALID_SPACE);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_ERROR);
    /* the space exists, but SpaceControl has not initialised it */
    PT_EQ(L4_ThreadControl(t, t, me, L4_nilthread, NO_UTCB), 1);
    pt_track(t);
    L4_ThreadId_t u = pt_new_id();
    PT_TC_FAILS(u, t, me, me, (void *)(pt_utcb_area_base() + UTCB_SIZE), L4_ERROR_INVALID_SPACE);
    PT_EQ(pt_sched_state(u), L4_SCHEDRESULT_ERROR);
    /* an inactive second thread in it is fine */
    PT_EQ(L4_ThreadControl(u, t, me, L4_nilthread, NO_UTCB), 1);
    pt_track(u);
    PT_EQ(pt_sched_state(u), L4_SCHEDRESULT_INACTIVE);
}

DEFINE_TEST(THR0011, "InvalidScheduler: creation naming a scheduler that does not exist")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = pt_new_id(), nobody = pt_new_id();
    PT_TC_FAILS(t, me, nobody, me, pt_utcb_slot(), L4_ERROR_INVALID_SCHEDULER);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_ERROR);
    PT_TC_FAILS(t, t, nobody, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_SCHEDULER);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_ERROR);
    /* modification too */
    L4_ThreadId_t h = pt_thread(pt_park);
    PT_TC_FAILS(h, me, nobody, L4_nilthread, NO_UTCB, L4_ERROR_INVALID_SCHEDULER);
}

DEFINE_TEST(THR0012, "UtcbArea: misaligned, outside the area, already used, or a second UTCB")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = pt_new_id();
    L4_Word_t slot = (L4_Word_t)pt_utcb_slot();
    PT_TC_FAILS(t, me, me, me, (void *)(slot + 8), L4_ERROR_UTCB_AREA);
    PT_TC_FAILS(t, me, me, me, (void *)(slot + UTCB_SIZE / 2), L4_ERROR_UTCB_AREA);
    /* the area is 1 MiB: the block just past it, and one just below it */
    PT_TC_FAILS(t, me, me, me, (void *)(pt_utcb_area_base() + (1UL << 20)), L4_ERROR_UTCB_AREA);
    PT_TC_FAILS(t, me, me, me, (void *)(pt_utcb_area_base() - UTCB_SIZE), L4_ERROR_UTCB_AREA);
    /* our own UTCB, and an active thread's */
    PT_TC_FAILS(t, me, me, me, (void *)L4_MyLocalId().raw, L4_ERROR_UTCB_AREA);
    L4_ThreadId_t h = pt_thread(pt_park);
    PT_TC_FAILS(t, me, me, me, (void *)L4_LocalIdOf(h).raw, L4_ERROR_UTCB_AREA);
    /* an active thread cannot move to another UTCB */
    PT_TC_FAILS(h, me, L4_nilthread, L4_nilthread, (void *)slot, L4_ERROR_UTCB_AREA);
    /* an active thread needs a UTCB (Pistachio: UtcbArea) */
    PT_TC_FAILS(t, me, me, me, NO_UTCB, L4_ERROR_UTCB_AREA);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_ERROR);
    /* the free, aligned block works */
    PT_EQ(L4_ThreadControl(t, me, me, me, (void *)slot), 1);
    pt_track(t);
    PT_EQ(L4_LocalIdOf(t).raw, slot);
}

/* SpaceControl(t) with the given areas must fail with err. */
#define PT_SC_FAILS(t, kip, utcb, err)                                                  \
    do {                                                                                \
        L4_Word_t _old;                                                                 \
        PT_EQ(L4_SpaceControl((t), 0, (kip), (utcb), L4_nilthread, &_old), 0);          \
        PT_EQ(L4_ErrorCode(), (err));                                                   \
    } while (0)

DEFINE_TEST(THR0013, "SpaceControl: KipArea for a nil, small, oversized or overlapping KIP area; UtcbArea")
{
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, NO_UTCB), 1);
    pt_track(t);
    L4_Fpage_t kip = pt_kip_area(), utcb = pt_utcb_area();
    L4_Word_t kbase = L4_Address(kip), ubase = L4_Address(utcb);
    PT_SC_FAILS(t, L4_Nilpage, utcb, L4_ERROR_KIP_AREA);
    PT_SC_FAILS(t, L4_FpageLog2(kbase, 11), utcb, L4_ERROR_KIP_AREA);
    PT_SC_FAILS(t, L4_FpageLog2(0, 45), utcb, L4_ERROR_KIP_AREA);      /* larger than any window */
    PT_SC_FAILS(t, L4_FpageLog2(ubase + 0x4000, 12), utcb, L4_ERROR_KIP_AREA);
    PT_SC_FAILS(t, L4_FpageLog2(ubase, 21), utcb, L4_ERROR_KIP_AREA);   /* contains the UTCB area */
    PT_SC_FAILS(t, kip, L4_Nilpage, L4_ERROR_UTCB_AREA);
    PT_SC_FAILS(t, kip, L4_FpageLog2(ubase, 11), L4_ERROR_UTCB_AREA);
    PT_SC_FAILS(t, kip, L4_FpageLog2(0, 45), L4_ERROR_UTCB_AREA);
    /* none of these initialised the space */
    PT_TC_FAILS(t, t, L4_nilthread, L4_Myself(), (void *)ubase, L4_ERROR_UTCB_AREA);
    L4_Word_t old;
    PT_EQ(L4_SpaceControl(t, 0, kip, utcb, L4_nilthread, &old), 1);
    PT_EQ(L4_ThreadControl(t, t, L4_nilthread, L4_Myself(), (void *)ubase), 1);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
}

DEFINE_TEST(THR0014, "SpaceControl on an initialised space succeeds and ignores the new areas")
{
    L4_ThreadId_t t = pt_task(pt_park);
    pt_sleep_us(10);
    /* as Pistachio: success, the areas stay as they are */
    L4_Word_t ubase = pt_utcb_area_base(), old;
    PT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(ubase + (2UL << 20), 12), L4_FpageLog2(ubase + (4UL << 20), 20),
                          L4_nilthread, &old), 1);
    PT_EQ(L4_SpaceControl(L4_Myself(), 0, pt_kip_area(), pt_utcb_area(), L4_nilthread, &old), 1);
    /* a second thread still gets its UTCB in the old area, not the new one */
    L4_ThreadId_t u = pt_new_id();
    PT_TC_FAILS(u, t, L4_Myself(), L4_Myself(), (void *)(ubase + (4UL << 20)), L4_ERROR_UTCB_AREA);
    PT_EQ(L4_ThreadControl(u, t, L4_Myself(), L4_Myself(), (void *)(ubase + UTCB_SIZE)), 1);
    pt_track(u);
    PT_EQ(pt_sched_state(u), L4_SCHEDRESULT_WAITING);
    /* SpaceControl of a thread that names no space */
    PT_SC_FAILS(pt_new_id(), pt_kip_area(), pt_utcb_area(), L4_ERROR_INVALID_SPACE);
}

DEFINE_TEST(THR0021, "SpaceControl of an initialised space without active threads ignores new areas; nil areas of a new space are UtcbArea")
{
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, NO_UTCB), 1);
    pt_track(t);
    L4_Word_t old, ubase = pt_utcb_area_base();
    PT_SC_FAILS(t, L4_Nilpage, L4_Nilpage, L4_ERROR_UTCB_AREA);
    PT_EQ(L4_SpaceControl(t, 0, pt_kip_area(), pt_utcb_area(), L4_nilthread, &old), 1);
    PT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(ubase + (2UL << 20), 12), L4_FpageLog2(ubase + (4UL << 20), 20),
                          L4_nilthread, &old), 1);
    PT_TC_FAILS(t, t, L4_Myself(), L4_Myself(), (void *)(ubase + (4UL << 20)), L4_ERROR_UTCB_AREA);
    PT_EQ(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)ubase), 1);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
}

DEFINE_TEST(THR0015, "a thread number is used again with a new version; the old id stays invalid")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t v1 = pt_new_id();
    PT_EQ(L4_Version(v1), 1);
    PT_EQ(L4_ThreadControl(v1, me, me, me, pt_utcb_slot()), 1);
    PT_EQ(L4_ThreadControl(v1, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    L4_ThreadId_t v2 = L4_GlobalId(L4_ThreadNo(v1), 2);
    void *slot = pt_utcb_slot();
    PT_EQ(L4_ThreadControl(v2, me, me, me, slot), 1);
    pt_track(v2);
    PT_IPC_OK(send_start(v2, started, pt_stack_top()));
    PT_IPC_OK(L4_Receive(v2));
    PT_EQ(pt_shared[0], v2.raw);
    PT_EQ(pt_shared[1], (L4_Word_t)slot);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send(v1), 2, 0);
    PT_EQ(L4_LocalIdOf(v1).raw, L4_nilthread.raw);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_GlobalIdOf(L4_LocalIdOf(v2)).raw, v2.raw);
    /* the number is taken: creating it with a third version is refused */
    PT_TC_FAILS(L4_GlobalId(L4_ThreadNo(v1), 3), me, me, me, pt_utcb_slot(), L4_ERROR_INVALID_THREAD);
}

DEFINE_TEST(THR0016, "L4_MyGlobalId, L4_Myself and L4_MyLocalId of the root task's thread")
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t g = L4_MyGlobalId();
    PT_EQ(L4_ThreadNo(g), L4_ThreadIdUserBase(kip) + 2);
    PT_EQ(L4_Version(g), 1);
    PT_ASSERT(L4_IsGlobalId(g));
    PT_EQ(L4_Myself().raw, g.raw);
    L4_ThreadId_t l = L4_MyLocalId();
    PT_ASSERT(L4_IsLocalId(l));
    PT_EQ(l.raw & 0x3f, 0);
    PT_EQ(l.raw & (L4_UtcbSize(kip) - 1), 0);
    /* the kernel's root task layout: UTCB area 1 MiB after the KIP's page */
    PT_EQ(l.raw, (L4_Word_t)kip - 0x1000 + 0x100000);
    PT_EQ(pt_main_id.raw, g.raw);
}

DEFINE_TEST(THR0017, "ThreadControl on an existing thread sets its pager; nil leaves it")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t h = pt_thread(pt_park);
    L4_ThreadId_t p = pt_new_id();          /* a pager need not exist yet */
    PT_EQ(L4_PagerOf(h).raw, me.raw);
    PT_EQ(L4_ThreadControl(h, h, L4_nilthread, p, NO_UTCB), 1);
    PT_EQ(L4_PagerOf(h).raw, p.raw);
    PT_EQ(L4_ThreadControl(h, me, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    PT_EQ(L4_PagerOf(h).raw, p.raw);
    /* h has run: it cannot move to another task (deviation 26) */
    L4_ThreadId_t t = pt_task(pt_park);
    PT_TC_FAILS(h, t, L4_nilthread, me, NO_UTCB, L4_ERROR_INVALID_SPACE);
    PT_EQ(L4_PagerOf(h).raw, p.raw);
}

/* Runs in whatever task it was started in: records its window's base. */
static void where_am_i(void)
{
    pt_shared[1] = lib_usable_base();
    pt_park();
}

DEFINE_TEST(THR0023, "ThreadControl with another task's thread as space specifier moves a thread that has not run into that task, UTCB and all")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t b = pt_task(pt_park);
    L4_ThreadId_t h = pt_thread_inactive();     /* activated, awaiting its start message */
    PT_ASSERT(!L4_IsNilThread(h));
    L4_Word_t d;
    L4_ThreadId_t old;
    PT_ASSERT(!L4_IsNilThread(L4_ExchangeRegisters(h, 0, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &old)));
    PT_EQ(L4_ThreadControl(h, b, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    /* not in our space any more: ExchangeRegisters reaches only our own */
    PT_ASSERT(L4_IsNilThread(L4_ExchangeRegisters(h, 0, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &old)));
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    /* and back, its UTCB (the pager TCR) with it, and there again */
    PT_EQ(L4_ThreadControl(h, me, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    PT_ASSERT(!L4_IsNilThread(L4_ExchangeRegisters(h, 0, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &old)));
    PT_EQ(L4_PagerOf(h).raw, me.raw);
    PT_EQ(L4_ThreadControl(h, b, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    /* started by its pager (us), it runs in b's window */
    pt_shared[1] = 0;
    PT_EQ(lib_task_start(h, (L4_Word_t)where_am_i, (L4_Word_t)pt_stack_top()), 0);    /* the start message */
    for (int i = 0; i < 5 && !pt_shared[1]; i++)
        L4_ThreadSwitch(h);
    PT_ASSERT(pt_shared[1] != 0);
    PT_ASSERT(pt_shared[1] != lib_usable_base());
}

DEFINE_TEST(THR0024, "moving an activated thread to a task whose UTCB slot at the same offset is taken fails with UtcbArea; the thread stays")
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t b = pt_task(pt_park);
    void *loc = pt_utcb_slot();
    L4_ThreadId_t h = pt_new_id();
    PT_EQ(L4_ThreadControl(h, me, me, me, loc), 1);
    pt_track(h);
    PT_EQ(L4_ThreadControl(h, b, L4_nilthread, L4_nilthread, NO_UTCB), 1);
    /* the slot h left here is free again; b's slot at that offset is h's */
    L4_ThreadId_t h2 = pt_new_id();
    PT_EQ(L4_ThreadControl(h2, me, me, me, loc), 1);
    pt_track(h2);
    PT_TC_FAILS(h2, b, L4_nilthread, L4_nilthread, NO_UTCB, L4_ERROR_UTCB_AREA);
    L4_Word_t d;
    L4_ThreadId_t old;
    PT_ASSERT(!L4_IsNilThread(L4_ExchangeRegisters(h2, 0, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &old)));
}

DEFINE_TEST(THR0018, "ExchangeRegisters that sets SP, IP and the pager and cancels the receive starts a thread awaiting its start message")
{
    L4_ThreadId_t t = pt_new_id();
    void *slot = pt_utcb_slot();
    PT_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), slot), 1);
    pt_track(t);
    PT_EQ(pt_sched_state(t), L4_SCHEDRESULT_WAITING);
    char *sp = pt_stack_top();
    L4_Word_t ctl, osp, oip, flags, udh;
    L4_ThreadId_t pager;
    L4_ThreadId_t r = L4_ExchangeRegisters(t, L4_ExReg_sp_ip | L4_ExReg_pager | L4_ExReg_AbortRecvIPC,
                                           (L4_Word_t)sp, (L4_Word_t)started, 0, 0, L4_Myself(),
                                           &ctl, &osp, &oip, &flags, &udh, &pager);
    PT_ASSERT(!L4_IsNilThread(r));
    PT_EQ(ctl & L4_ExReg_AbortRecvIPC, L4_ExReg_AbortRecvIPC);     /* it was receiving */
    PT_IPC_OK(L4_Receive_Timeout(t, L4_TimePeriod(100000)));
    PT_EQ(pt_shared[0], t.raw);
    PT_EQ(pt_shared[2], L4_Myself().raw);
    PT_ASSERT(pt_shared[3] < (L4_Word_t)sp && pt_shared[3] >= (L4_Word_t)sp - 16 * 1024);
}

DEFINE_TEST(THR0019, "a thread may not delete itself: ThreadControl fails with InvalidThread, the thread goes on")
{
    PT_EQ(L4_ThreadControl(L4_Myself(), L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(pt_sched_state(L4_Myself()), L4_SCHEDRESULT_RUNNING);
}

DEFINE_TEST(THR0020, "creating a thread with a nil scheduler fails with InvalidThread")
{
    L4_ThreadId_t t = pt_new_id();
    PT_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_Myself(), pt_utcb_slot()), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_ThreadControl(t, t, L4_nilthread, L4_nilthread, NO_UTCB), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    /* nothing was created */
    PT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, NO_UTCB), 0);
}
