/* Thread and task creation over ThreadControl, SpaceControl and the start
 * message (see chacm/thread.h). */
#include <stddef.h>
#include <chacm/thread.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>

void *lib_utcb_slot(unsigned k)
{
    void *kip = L4_GetKernelInterface();
    L4_Word_t base = L4_MyLocalId().raw & ~((1UL << LIB_UTCB_AREA_LOG2) - 1);
    return (void *)(base + k * L4_UtcbSize(kip));
}

L4_Word_t lib_thread_create(L4_ThreadId_t tid, void *utcb, L4_ThreadId_t pager, void (*fn)(void),
                            void *stack_top)
{
    if (!L4_ThreadControl(tid, L4_Myself(), L4_Myself(), pager, utcb))
        return L4_ErrorCode();
    L4_Start_SpIp(tid, (L4_Word_t)stack_top, (L4_Word_t)fn);
    return 0;
}

L4_Word_t lib_task_create(L4_ThreadId_t tid, L4_ThreadId_t pager)
{
    void *kip = L4_GetKernelInterface();
    L4_Word_t utcb_area = (L4_Word_t)lib_utcb_slot(0);
    L4_Fpage_t kip_area = L4_FpageLog2((L4_Word_t)kip, L4_KipAreaSizeLog2(kip));
    if (L4_IsNilThread(pager))
        return L4_ERROR_INVALID_THREAD;
    if (!L4_ThreadControl(tid, tid, L4_Myself(), L4_nilthread, (void *)-1UL))
        return L4_ErrorCode();
    if (!L4_SpaceControl(tid, 0, kip_area, L4_FpageLog2(utcb_area, LIB_UTCB_AREA_LOG2), L4_nilthread, NULL) ||
        !L4_ThreadControl(tid, tid, L4_Myself(), pager, (void *)utcb_area)) {
        L4_Word_t err = L4_ErrorCode();
        L4_ThreadControl(tid, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1UL);
        return err;
    }
    return 0;
}

L4_Word_t lib_task_start(L4_ThreadId_t tid, L4_Word_t ip, L4_Word_t sp)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendWord(&m, ip);
    L4_MsgAppendWord(&m, sp);
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Send(tid);
    return L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
}
