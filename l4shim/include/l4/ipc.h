/* L4 X.2 IPC conveniences as L4Ka::Pistachio names them for C: call, send,
 * reply, receive, wait, reply-and-wait and the local variants over the Ipc
 * and Lipc system calls, plus timeout words and IPC error code decoding. */
#ifndef __L4__IPC_H__
#define __L4__IPC_H__

#include <l4/types.h>
#include <l4/message.h>
#include __L4_ARCH_INC(syscalls.h)
#include <l4/thread.h>

/*
 * IPC error codes (ErrorCode TCR after L4_IpcFailed): bit 0 is the phase,
 * bits 1..3 the code, the bits above an offset (words or bytes already
 * transferred, for message overflows and transfer timeouts).
 */
#define L4_ErrSendPhase                 (0)
#define L4_ErrRecvPhase                 (1)

#define L4_ErrTimeout                   (1)
#define L4_ErrNonExist                  (2)
#define L4_ErrCanceled                  (3)
#define L4_ErrMsgOverflow               (4)
#define L4_ErrXferTimeoutInvoker        (5)     /* transfer timeout in the invoker's space */
#define L4_ErrXferTimeoutPartner        (6)     /* transfer timeout in the partner's space */
#define L4_ErrAborted                   (7)

L4_INLINE L4_Word_t L4_IpcErrorPhase(L4_Word_t err)
{
    return err & 0x1;
}

L4_INLINE L4_Word_t L4_IpcErrorCode(L4_Word_t err)
{
    return (err >> 1) & 0x7;
}

L4_INLINE L4_Word_t L4_IpcErrorOffset(L4_Word_t err)
{
    return err >> 4;
}

/* Phase of an IPC error (L4_ErrSendPhase / L4_ErrRecvPhase); the code goes
 * to *err_code if that is not null. */
L4_INLINE L4_Word_t L4_IpcError(L4_Word_t err, L4_Word_t *err_code)
{
    if (err_code)
        *err_code = L4_IpcErrorCode(err);
    return L4_IpcErrorPhase(err);
}

/* Name of an IPC error code (bits 1..3), for messages. */
L4_INLINE const char *L4_IpcErrorCode_String(L4_Word_t err)
{
    switch (L4_IpcErrorCode(err)) {
    case L4_ErrTimeout:             return "timeout";
    case L4_ErrNonExist:            return "non-existing partner";
    case L4_ErrCanceled:            return "cancelled";
    case L4_ErrMsgOverflow:         return "message overflow";
    case L4_ErrXferTimeoutInvoker:  return "transfer timeout in invoker's space";
    case L4_ErrXferTimeoutPartner:  return "transfer timeout in partner's space";
    case L4_ErrAborted:             return "aborted";
    default:                        return "no error";
    }
}

/* Mark a tag for propagation (sent on behalf of L4_Set_VirtualSender's id). */
L4_INLINE void L4_Set_Propagation(L4_MsgTag_t *t)
{
    t->raw = (t->raw & ~((L4_Word_t)0xf << 12)) | ((L4_Word_t)__L4_TAG_FLAG_P << 12);
}

/* The timeouts word of an IPC: send timeout in the high 16 bits. */
L4_INLINE L4_Word_t L4_Timeouts(L4_Time_t SndTimeout, L4_Time_t RcvTimeout)
{
    return ((L4_Word_t)SndTimeout.raw << 16) | (L4_Word_t)RcvTimeout.raw;
}

/* The clock value `at` as a time point (see L4_TimePointAt in types.h). */
L4_INLINE L4_Time_t L4_TimePoint(L4_Clock_t at)
{
    return L4_TimePointAt(at, L4_SystemClock());
}

/*
 * Derived IPC operations.  C has no overloading, so the variants with
 * timeouts carry Pistachio's suffixes (_Timeout, _Timeouts).
 */
L4_INLINE L4_MsgTag_t L4_Call_Timeouts(L4_ThreadId_t to, L4_Time_t SndTimeout, L4_Time_t RcvTimeout)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(to, to, L4_Timeouts(SndTimeout, RcvTimeout), &dummy);
}

L4_INLINE L4_MsgTag_t L4_Call(L4_ThreadId_t to)
{
    return L4_Call_Timeouts(to, L4_Never, L4_Never);
}

L4_INLINE L4_MsgTag_t L4_Send_Timeout(L4_ThreadId_t to, L4_Time_t SndTimeout)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(to, L4_nilthread, L4_Timeouts(SndTimeout, L4_Never), &dummy);
}

L4_INLINE L4_MsgTag_t L4_Send(L4_ThreadId_t to)
{
    return L4_Send_Timeout(to, L4_Never);
}

/* Send to a partner that is expected to be waiting already. */
L4_INLINE L4_MsgTag_t L4_Reply(L4_ThreadId_t to)
{
    return L4_Send_Timeout(to, L4_ZeroTime);
}

L4_INLINE L4_MsgTag_t L4_Receive_Timeout(L4_ThreadId_t from, L4_Time_t RcvTimeout)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(L4_nilthread, from, L4_Timeouts(L4_Never, RcvTimeout), &dummy);
}

L4_INLINE L4_MsgTag_t L4_Receive(L4_ThreadId_t from)
{
    return L4_Receive_Timeout(from, L4_Never);
}

/* Open receive; the sender's id goes to *from (if not null). */
L4_INLINE L4_MsgTag_t L4_Wait_Timeout(L4_Time_t RcvTimeout, L4_ThreadId_t *from)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, RcvTimeout), from ? from : &dummy);
}

L4_INLINE L4_MsgTag_t L4_Wait(L4_ThreadId_t *from)
{
    return L4_Wait_Timeout(L4_Never, from);
}

/* Reply to `to` (without waiting for it), then receive from anyone. */
L4_INLINE L4_MsgTag_t L4_ReplyWait_Timeout(L4_ThreadId_t to, L4_Time_t RcvTimeout, L4_ThreadId_t *from)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(to, L4_anythread, L4_Timeouts(L4_ZeroTime, RcvTimeout), from ? from : &dummy);
}

L4_INLINE L4_MsgTag_t L4_ReplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_ReplyWait_Timeout(to, L4_Never, from);
}

/* Block for the given time: a receive from oneself that can only time out.
 * The returned tag is left in MR0 as a real receive would. */
L4_INLINE void L4_Sleep(L4_Time_t t)
{
    L4_LoadMR(0, L4_Receive_Timeout(L4_MyGlobalId(), t).raw);
}

/* Local IPC (partner in the same address space, named by local id). */
L4_INLINE L4_MsgTag_t L4_Lcall(L4_ThreadId_t to)
{
    L4_ThreadId_t dummy;
    return L4_Lipc(to, to, L4_Timeouts(L4_Never, L4_Never), &dummy);
}

L4_INLINE L4_MsgTag_t L4_LreplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    L4_ThreadId_t dummy;
    return L4_Lipc(to, L4_anylocalthread, L4_Timeouts(L4_ZeroTime, L4_Never), from ? from : &dummy);
}

/* The spelling used in Pistachio's comments. */
L4_INLINE L4_MsgTag_t L4_Lreply_Wait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_LreplyWait(to, from);
}

#endif /* !__L4__IPC_H__ */
