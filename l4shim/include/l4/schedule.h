/* L4 X.2 scheduling conveniences as L4Ka::Pistachio names them: yield,
 * priority, processor, time slice and preemption delay over the Schedule and
 * ThreadSwitch system calls, the Schedule result states, preemption flags. */
#ifndef __L4__SCHEDULE_H__
#define __L4__SCHEDULE_H__

#include <l4/types.h>
#include <l4/message.h>
#include __L4_ARCH_INC(syscalls.h)

/* Give the rest of the time slice away (to nobody in particular). */
L4_INLINE void L4_Yield(void)
{
    L4_ThreadSwitch(L4_nilthread);
}

/* The Schedule parameters that are all ones are left unchanged. */
#define __L4_SCHED_KEEP         (~(L4_Word_t)0)

L4_INLINE L4_Word_t L4_Set_Priority(L4_ThreadId_t tid, L4_Word_t prio)
{
    L4_Word_t dummy;
    return L4_Schedule(tid, __L4_SCHED_KEEP, __L4_SCHED_KEEP, prio & 0xff, __L4_SCHED_KEEP, &dummy);
}

L4_INLINE L4_Word_t L4_Set_ProcessorNo(L4_ThreadId_t tid, L4_Word_t cpu_no)
{
    L4_Word_t dummy;
    return L4_Schedule(tid, __L4_SCHED_KEEP, cpu_no & 0xffff, __L4_SCHED_KEEP, __L4_SCHED_KEEP, &dummy);
}

/* Time control word: time slice << 16 | total quantum. */
L4_INLINE L4_Word_t L4_Set_Timeslice(L4_ThreadId_t tid, L4_Time_t timeslice, L4_Time_t totalquantum)
{
    L4_Word_t timectrl = ((L4_Word_t)timeslice.raw << 16) | (L4_Word_t)totalquantum.raw;
    L4_Word_t old;
    return L4_Schedule(tid, timectrl, __L4_SCHED_KEEP, __L4_SCHED_KEEP, __L4_SCHED_KEEP, &old);
}

L4_INLINE L4_Word_t L4_Timeslice(L4_ThreadId_t tid, L4_Time_t *timeslice, L4_Time_t *totalquantum)
{
    L4_Word_t timectrl = 0;
    L4_Word_t res = L4_Schedule(tid, __L4_SCHED_KEEP, __L4_SCHED_KEEP, __L4_SCHED_KEEP,
                                __L4_SCHED_KEEP, &timectrl);
    timeslice->raw = (L4_Word16_t)(timectrl >> 16);
    totalquantum->raw = (L4_Word16_t)timectrl;
    return res;
}

/* Preemption control word: sensitive priority << 16 | maximum delay (us). */
L4_INLINE L4_Word_t L4_Set_PreemptionDelay(L4_ThreadId_t tid, L4_Word_t sensitivePrio, L4_Word_t maxDelay)
{
    L4_Word_t dummy;
    L4_Word_t pctrl = ((sensitivePrio & 0xff) << 16) | (maxDelay & 0xffff);
    return L4_Schedule(tid, __L4_SCHED_KEEP, __L4_SCHED_KEEP, __L4_SCHED_KEEP, pctrl, &dummy);
}

/* Result of Schedule (low byte of its return value): the thread's state. */
#define L4_SCHEDRESULT_ERROR            (0)
#define L4_SCHEDRESULT_DEAD             (1)
#define L4_SCHEDRESULT_INACTIVE         (2)
#define L4_SCHEDRESULT_RUNNING          (3)
#define L4_SCHEDRESULT_PENDING_SEND     (4)
#define L4_SCHEDRESULT_SENDING          (5)
#define L4_SCHEDRESULT_WAITING          (6)
#define L4_SCHEDRESULT_RECEIVING        (7)

/*
 * Preemption flags (preempt byte of the flags TCR): bit 5 asks for a
 * preemption fault exception, bit 6 delays preemption, bit 7 is set by the
 * kernel when a preemption is pending.  Each call returns the bit's old value.
 */
#define __L4_PREEMPT_FAULT_BIT          5
#define __L4_PREEMPT_DELAY_BIT          6
#define __L4_PREEMPT_PENDING_BIT        7

L4_INLINE L4_Bool_t __L4_PreemptFlagChange(unsigned bit, int set)
{
    L4_Word_t f = __L4_TCR_PreemptFlags();
    L4_Word_t mask = (L4_Word_t)1 << bit;
    __L4_TCR_Set_PreemptFlags(set ? (f | mask) : (f & ~mask));
    return (f & mask) != 0;
}

L4_INLINE L4_Bool_t L4_EnablePreemptionFaultException(void)
{
    return __L4_PreemptFlagChange(__L4_PREEMPT_FAULT_BIT, 0);
}

L4_INLINE L4_Bool_t L4_DisablePreemptionFaultException(void)
{
    return __L4_PreemptFlagChange(__L4_PREEMPT_FAULT_BIT, 1);
}

L4_INLINE L4_Bool_t L4_EnablePreemption(void)
{
    return __L4_PreemptFlagChange(__L4_PREEMPT_DELAY_BIT, 0);
}

L4_INLINE L4_Bool_t L4_DisablePreemption(void)
{
    return __L4_PreemptFlagChange(__L4_PREEMPT_DELAY_BIT, 1);
}

/* Was a preemption pending?  The flag is cleared. */
L4_INLINE L4_Bool_t L4_PreemptionPending(void)
{
    return __L4_PreemptFlagChange(__L4_PREEMPT_PENDING_BIT, 0);
}

#endif /* !__L4__SCHEDULE_H__ */
