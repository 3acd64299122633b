/* L4 X.2 thread interfaces as L4Ka::Pistachio names them: the thread
 * control registers, ExchangeRegisters conveniences (ids, pager, user handle,
 * start/stop) and the interrupt association through ThreadControl. */
#ifndef __L4__THREAD_H__
#define __L4__THREAD_H__

#include <l4/types.h>
#include <l4/message.h>
#include __L4_ARCH_INC(syscalls.h)

/* Error codes of the privileged calls (same values as L4_ErrOk...). */
#define L4_ERROR_OK                     (0)
#define L4_ERROR_NO_PRIVILEGE           (1)
#define L4_ERROR_INVALID_THREAD         (2)
#define L4_ERROR_INVALID_SPACE          (3)
#define L4_ERROR_INVALID_SCHEDULER      (4)
#define L4_ERROR_INVALID_PARAM          (5)
#define L4_ERROR_UTCB_AREA              (6)
#define L4_ERROR_KIP_AREA               (7)
#define L4_ERROR_NO_MEM                 (8)

/* Name of a ThreadControl/SpaceControl error code, for messages. */
L4_INLINE const char *L4_ErrorCode_String(L4_Word_t err)
{
    switch (err) {
    case L4_ERROR_OK:                return "l4_error_ok";
    case L4_ERROR_NO_PRIVILEGE:      return "l4_error_no_privilege";
    case L4_ERROR_INVALID_THREAD:    return "l4_error_invalid_thread";
    case L4_ERROR_INVALID_SPACE:     return "l4_error_invalid_space";
    case L4_ERROR_INVALID_SCHEDULER: return "l4_error_invalid_scheduler";
    case L4_ERROR_INVALID_PARAM:     return "l4_error_invalid_param";
    case L4_ERROR_UTCB_AREA:         return "l4_error_utcb_area";
    case L4_ERROR_KIP_AREA:          return "l4_error_kip_area";
    case L4_ERROR_NO_MEM:            return "l4_error_no_mem";
    default:                         return "invalid error code";
    }
}

/*
 * ExchangeRegisters control word.  Single bits as X.2 names them, and the
 * usual combinations.
 */
#define L4_ExRegCtrl_H          (1UL << 0)  /* halt (with h) */
#define L4_ExRegCtrl_R          (1UL << 1)  /* cancel a receive */
#define L4_ExRegCtrl_S          (1UL << 2)  /* cancel a send */
#define L4_ExRegCtrl_s          (1UL << 3)  /* set SP */
#define L4_ExRegCtrl_i          (1UL << 4)  /* set IP */
#define L4_ExRegCtrl_f          (1UL << 5)  /* set flags */
#define L4_ExRegCtrl_u          (1UL << 6)  /* set user-defined handle */
#define L4_ExRegCtrl_p          (1UL << 7)  /* set pager */
#define L4_ExRegCtrl_h          (1UL << 8)  /* H is valid */
#define L4_ExRegCtrl_d          (1UL << 9)  /* deliver the old values */

#define L4_ExReg_sp             L4_ExRegCtrl_s
#define L4_ExReg_ip             L4_ExRegCtrl_i
#define L4_ExReg_sp_ip          (L4_ExRegCtrl_s | L4_ExRegCtrl_i)
#define L4_ExReg_flags          L4_ExRegCtrl_f
#define L4_ExReg_sp_ip_flags    (L4_ExRegCtrl_s | L4_ExRegCtrl_i | L4_ExRegCtrl_f)
#define L4_ExReg_user           L4_ExRegCtrl_u
#define L4_ExReg_pager          L4_ExRegCtrl_p
#define L4_ExReg_Halt           (L4_ExRegCtrl_h | L4_ExRegCtrl_H)
#define L4_ExReg_Resume         L4_ExRegCtrl_h
#define L4_ExReg_AbortRecvIPC   L4_ExRegCtrl_R
#define L4_ExReg_AbortSendIPC   L4_ExRegCtrl_S
#define L4_ExReg_AbortIPC       (L4_ExRegCtrl_R | L4_ExRegCtrl_S)
#define L4_ExReg_Deliver        L4_ExRegCtrl_d

/*
 * Thread state as delivered in the old control word.
 */
typedef struct {
    L4_Word_t raw;
} L4_ThreadState_t;

L4_INLINE L4_Bool_t L4_ThreadWasHalted(L4_ThreadState_t s)
{
    return (s.raw & (1UL << 0)) != 0;
}

L4_INLINE L4_Bool_t L4_ThreadWasReceiving(L4_ThreadState_t s)
{
    return (s.raw & (1UL << 1)) != 0;
}

L4_INLINE L4_Bool_t L4_ThreadWasSending(L4_ThreadState_t s)
{
    return (s.raw & (1UL << 2)) != 0;
}

L4_INLINE L4_Bool_t L4_ThreadWasIpcing(L4_ThreadState_t s)
{
    return (s.raw & (3UL << 1)) != 0;
}

/*
 * Thread control registers.
 */
L4_INLINE L4_ThreadId_t L4_MyGlobalId(void)
{
    L4_ThreadId_t id;
    id.raw = __L4_TCR_MyGlobalId();
    return id;
}

L4_INLINE L4_ThreadId_t L4_MyLocalId(void)
{
    L4_ThreadId_t id;
    id.raw = __L4_TCR_MyLocalId();
    return id;
}

L4_INLINE L4_ThreadId_t L4_Myself(void)
{
    return L4_MyGlobalId();
}

L4_INLINE L4_Word_t L4_ProcessorNo(void)
{
    return __L4_TCR_ProcessorNo();
}

L4_INLINE L4_Word_t L4_UserDefinedHandle(void)
{
    return __L4_TCR_UserDefinedHandle();
}

L4_INLINE void L4_Set_UserDefinedHandle(L4_Word_t NewValue)
{
    __L4_TCR_Set_UserDefinedHandle(NewValue);
}

L4_INLINE L4_ThreadId_t L4_Pager(void)
{
    L4_ThreadId_t id;
    id.raw = __L4_TCR_Pager();
    return id;
}

L4_INLINE void L4_Set_Pager(L4_ThreadId_t NewPager)
{
    __L4_TCR_Set_Pager(NewPager.raw);
}

L4_INLINE L4_ThreadId_t L4_ExceptionHandler(void)
{
    L4_ThreadId_t id;
    id.raw = __L4_TCR_ExceptionHandler();
    return id;
}

L4_INLINE void L4_Set_ExceptionHandler(L4_ThreadId_t NewHandler)
{
    __L4_TCR_Set_ExceptionHandler(NewHandler.raw);
}

L4_INLINE L4_Word_t L4_ErrorCode(void)
{
    return __L4_TCR_ErrorCode();
}

/* Transfer timeouts for string copies: snd << 16 | rcv, as L4_Timeouts. */
L4_INLINE L4_Word_t L4_XferTimeouts(void)
{
    return __L4_TCR_XferTimeout();
}

L4_INLINE void L4_Set_XferTimeouts(L4_Word_t NewValue)
{
    __L4_TCR_Set_XferTimeout(NewValue);
}

L4_INLINE L4_ThreadId_t L4_IntendedReceiver(void)
{
    L4_ThreadId_t id;
    id.raw = __L4_TCR_IntendedReceiver();
    return id;
}

L4_INLINE L4_ThreadId_t L4_ActualSender(void)
{
    L4_ThreadId_t id;
    id.raw = __L4_TCR_ActualSender();
    return id;
}

L4_INLINE void L4_Set_VirtualSender(L4_ThreadId_t t)
{
    __L4_TCR_Set_VirtualSender(t.raw);
}

/* The two thread words (n = 0 or 1), free for the application. */
L4_INLINE L4_Word_t L4_ThreadWord(L4_Word_t n)
{
    return __L4_TCR_ThreadWord(n);
}

L4_INLINE void L4_Set_ThreadWord(L4_Word_t n, L4_Word_t w)
{
    __L4_TCR_Set_ThreadWord(n, w);
}

/* Coprocessor flags (cop flags byte of the flags TCR). */
L4_INLINE void L4_Set_CopFlag(L4_Word_t n)
{
    __L4_TCR_Set_CopFlags(__L4_TCR_CopFlags() | (1UL << n));
}

L4_INLINE void L4_Clr_CopFlag(L4_Word_t n)
{
    __L4_TCR_Set_CopFlags(__L4_TCR_CopFlags() & ~(1UL << n));
}

L4_INLINE L4_Word_t L4_WordSizeMask(void)
{
    return ~(L4_Word_t)0;
}

L4_INLINE void L4_Reset_WordSizeMask(void)
{
}

/*
 * Derived from ExchangeRegisters.
 */
L4_INLINE L4_ThreadId_t __L4_ExReg(L4_ThreadId_t t, L4_Word_t control, L4_Word_t sp, L4_Word_t ip,
                                   L4_Word_t flags, L4_Word_t handle, L4_ThreadId_t pager,
                                   L4_Word_t *old_control, L4_Word_t *old_sp, L4_Word_t *old_ip,
                                   L4_Word_t *old_flags, L4_Word_t *old_handle,
                                   L4_ThreadId_t *old_pager)
{
    L4_Word_t dummy;
    L4_ThreadId_t dummy_id;
    return L4_ExchangeRegisters(t, control, sp, ip, flags, handle, pager,
                                old_control ? old_control : &dummy, old_sp ? old_sp : &dummy,
                                old_ip ? old_ip : &dummy, old_flags ? old_flags : &dummy,
                                old_handle ? old_handle : &dummy, old_pager ? old_pager : &dummy_id);
}

/* The global id of a thread named by its local id (a global id is
 * returned as is). */
L4_INLINE L4_ThreadId_t L4_GlobalIdOf(L4_ThreadId_t t)
{
    if (L4_IsLocalId(t))
        return __L4_ExReg(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    return t;
}

/* The local id of a thread in the caller's space named by its global id. */
L4_INLINE L4_ThreadId_t L4_LocalIdOf(L4_ThreadId_t t)
{
    if (L4_IsGlobalId(t))
        return __L4_ExReg(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    return t;
}

/* Do two ids (local or global) name the same thread? */
L4_INLINE L4_Bool_t L4_SameThreads(L4_ThreadId_t l, L4_ThreadId_t r)
{
    return L4_GlobalIdOf(l).raw == L4_GlobalIdOf(r).raw;
}

L4_INLINE L4_Word_t L4_UserDefinedHandleOf(L4_ThreadId_t t)
{
    L4_Word_t handle = 0;
    (void)__L4_ExReg(t, L4_ExRegCtrl_d, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, &handle, 0);
    return handle;
}

L4_INLINE void L4_Set_UserDefinedHandleOf(L4_ThreadId_t t, L4_Word_t handle)
{
    (void)__L4_ExReg(t, L4_ExRegCtrl_u, 0, 0, 0, handle, L4_nilthread, 0, 0, 0, 0, 0, 0);
}

L4_INLINE L4_ThreadId_t L4_PagerOf(L4_ThreadId_t t)
{
    L4_ThreadId_t pager = L4_nilthread;
    (void)__L4_ExReg(t, L4_ExRegCtrl_d, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, &pager);
    return pager;
}

L4_INLINE void L4_Set_PagerOf(L4_ThreadId_t t, L4_ThreadId_t p)
{
    (void)__L4_ExReg(t, L4_ExRegCtrl_p, 0, 0, 0, 0, p, 0, 0, 0, 0, 0, 0);
}

/* Resume a halted thread, cancelling any IPC it is in. */
L4_INLINE void L4_Start(L4_ThreadId_t t)
{
    (void)__L4_ExReg(t, L4_ExReg_Resume | L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread,
                     0, 0, 0, 0, 0, 0);
}

L4_INLINE void L4_Start_SpIp(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip)
{
    (void)__L4_ExReg(t, L4_ExReg_sp_ip | L4_ExReg_Resume | L4_ExReg_AbortIPC, sp, ip, 0, 0,
                     L4_nilthread, 0, 0, 0, 0, 0, 0);
}

L4_INLINE void L4_Start_SpIpFlags(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip, L4_Word_t flags)
{
    (void)__L4_ExReg(t, L4_ExReg_sp_ip_flags | L4_ExReg_Resume | L4_ExReg_AbortIPC, sp, ip, flags,
                     0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}

/* Halt a thread (optionally cancelling its IPC) and return its old state
 * and, for the _SpIpFlags forms, its registers. */
L4_INLINE L4_ThreadState_t __L4_StopWith(L4_ThreadId_t t, L4_Word_t abort, L4_Word_t *sp,
                                         L4_Word_t *ip, L4_Word_t *flags)
{
    L4_ThreadState_t state;
    state.raw = 0;
    (void)__L4_ExReg(t, L4_ExReg_Halt | L4_ExReg_Deliver | abort, 0, 0, 0, 0, L4_nilthread,
                     &state.raw, sp, ip, flags, 0, 0);
    return state;
}

L4_INLINE L4_ThreadState_t L4_Stop(L4_ThreadId_t t)
{
    return __L4_StopWith(t, 0, 0, 0, 0);
}

L4_INLINE L4_ThreadState_t L4_Stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip,
                                             L4_Word_t *flags)
{
    return __L4_StopWith(t, 0, sp, ip, flags);
}

L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop(L4_ThreadId_t t)
{
    return __L4_StopWith(t, L4_ExReg_AbortRecvIPC, 0, 0, 0);
}

L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp,
                                                              L4_Word_t *ip, L4_Word_t *flags)
{
    return __L4_StopWith(t, L4_ExReg_AbortRecvIPC, sp, ip, flags);
}

L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop(L4_ThreadId_t t)
{
    return __L4_StopWith(t, L4_ExReg_AbortSendIPC, 0, 0, 0);
}

L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp,
                                                           L4_Word_t *ip, L4_Word_t *flags)
{
    return __L4_StopWith(t, L4_ExReg_AbortSendIPC, sp, ip, flags);
}

L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop(L4_ThreadId_t t)
{
    return __L4_StopWith(t, L4_ExReg_AbortIPC, 0, 0, 0);
}

L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp,
                                                          L4_Word_t *ip, L4_Word_t *flags)
{
    return __L4_StopWith(t, L4_ExReg_AbortIPC, sp, ip, flags);
}

/*
 * Interrupts: ThreadControl on the interrupt thread with a UTCB location of
 * -1 sets its handler (pager = handler) or detaches it (pager = itself).
 */
L4_INLINE L4_Word_t L4_AssociateInterrupt(L4_ThreadId_t InterruptThread, L4_ThreadId_t HandlerThread)
{
    return L4_ThreadControl(InterruptThread, InterruptThread, L4_nilthread, HandlerThread,
                            (void *)~(L4_Word_t)0);
}

L4_INLINE L4_Word_t L4_DeassociateInterrupt(L4_ThreadId_t InterruptThread)
{
    return L4_ThreadControl(InterruptThread, InterruptThread, L4_nilthread, InterruptThread,
                            (void *)~(L4_Word_t)0);
}

#endif /* !__L4__THREAD_H__ */
