/* Hosted arch: the 12 X.2 system calls.
 *
 * Each one calls a __L4_hosted_* entry point of the simulator.  The entry
 * switches from the guest stack to the thread's kernel stack before any
 * kernel code runs (see docs/kernel.md).  Arguments travel in registers;
 * where X.2 returns several values, two come back in registers (a two-word
 * struct) and larger sets through a small array the kernel copies in and
 * out.  Everything above this file is portable. */
#ifndef __L4__HOSTED__SYSCALLS_H__
#define __L4__HOSTED__SYSCALLS_H__

typedef struct { L4_Word_t w0, w1; } __L4_hosted_pair_t;

extern L4_Word_t *__L4_hosted_KernelInterface(void);
extern __L4_hosted_pair_t __L4_hosted_Ipc(L4_Word_t to, L4_Word_t from_spec, L4_Word_t timeouts);
extern __L4_hosted_pair_t __L4_hosted_Lipc(L4_Word_t to, L4_Word_t from_spec, L4_Word_t timeouts);
extern L4_Word_t __L4_hosted_ExchangeRegisters(L4_Word_t dest, L4_Word_t regs[6]);
extern L4_Word_t __L4_hosted_ThreadControl(L4_Word_t dest, L4_Word_t space, L4_Word_t scheduler,
                                           L4_Word_t pager, L4_Word_t utcb);
extern L4_Word_t __L4_hosted_SystemClock(void);
extern void __L4_hosted_ThreadSwitch(L4_Word_t dest);
extern __L4_hosted_pair_t __L4_hosted_Schedule(L4_Word_t dest, L4_Word_t time, L4_Word_t proc,
                                               L4_Word_t prio, L4_Word_t preempt);
extern void __L4_hosted_Unmap(L4_Word_t control);
extern __L4_hosted_pair_t __L4_hosted_SpaceControl(L4_Word_t space, L4_Word_t control, L4_Word_t kip,
                                                   L4_Word_t utcb, L4_Word_t redirector);
extern L4_Word_t __L4_hosted_ProcessorControl(L4_Word_t proc, L4_Word_t internal, L4_Word_t external,
                                              L4_Word_t voltage);
extern L4_Word_t __L4_hosted_MemoryControl(L4_Word_t control, L4_Word_t a0, L4_Word_t a1,
                                           L4_Word_t a2, L4_Word_t a3);

/* The KIP's first words: magic, API version, API flags, kernel descriptor offset. */
static inline void *L4_KernelInterface(L4_Word_t *ApiVersion, L4_Word_t *ApiFlags, L4_Word_t *KernelId)
{
    L4_Word_t *kip = __L4_hosted_KernelInterface();
    if (ApiVersion)
        *ApiVersion = kip[1];
    if (ApiFlags)
        *ApiFlags = kip[2];
    if (KernelId)
        *KernelId = *(L4_Word_t *)((char *)kip + kip[3]);
    return kip;
}

static inline L4_ThreadId_t L4_ExchangeRegisters(L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp,
                                                 L4_Word_t ip, L4_Word_t flags, L4_Word_t UserDefHandle,
                                                 L4_ThreadId_t pager, L4_Word_t *old_control,
                                                 L4_Word_t *old_sp, L4_Word_t *old_ip,
                                                 L4_Word_t *old_flags, L4_Word_t *old_UserDefHandle,
                                                 L4_ThreadId_t *old_pager)
{
    L4_Word_t regs[6] = { control, sp, ip, flags, UserDefHandle, pager.raw };
    L4_ThreadId_t r;
    r.raw = __L4_hosted_ExchangeRegisters(dest.raw, regs);
    *old_control = regs[0];
    *old_sp = regs[1];
    *old_ip = regs[2];
    *old_flags = regs[3];
    *old_UserDefHandle = regs[4];
    old_pager->raw = regs[5];
    return r;
}

static inline L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t SpaceSpecifier,
                                         L4_ThreadId_t Scheduler, L4_ThreadId_t Pager,
                                         void *UtcbLocation)
{
    return __L4_hosted_ThreadControl(dest.raw, SpaceSpecifier.raw, Scheduler.raw, Pager.raw,
                                     (L4_Word_t)UtcbLocation);
}

static inline L4_Clock_t L4_SystemClock(void)
{
    L4_Clock_t c;
    c.raw = __L4_hosted_SystemClock();
    return c;
}

static inline void L4_ThreadSwitch(L4_ThreadId_t dest)
{
    __L4_hosted_ThreadSwitch(dest.raw);
}

static inline L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t TimeControl, L4_Word_t ProcessorControl,
                                    L4_Word_t PrioControl, L4_Word_t PreemptionControl,
                                    L4_Word_t *old_TimeControl)
{
    __L4_hosted_pair_t r = __L4_hosted_Schedule(dest.raw, TimeControl, ProcessorControl, PrioControl,
                                                PreemptionControl);
    if (old_TimeControl)
        *old_TimeControl = r.w1;
    return r.w0;
}

static inline L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier, L4_Word_t Timeouts,
                                 L4_ThreadId_t *from)
{
    __L4_hosted_pair_t r = __L4_hosted_Ipc(to.raw, FromSpecifier.raw, Timeouts);
    L4_MsgTag_t tag;
    tag.raw = r.w0;
    from->raw = r.w1;
    return tag;
}

static inline L4_MsgTag_t L4_Lipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier, L4_Word_t Timeouts,
                                  L4_ThreadId_t *from)
{
    __L4_hosted_pair_t r = __L4_hosted_Lipc(to.raw, FromSpecifier.raw, Timeouts);
    L4_MsgTag_t tag;
    tag.raw = r.w0;
    from->raw = r.w1;
    return tag;
}

static inline void L4_Unmap(L4_Word_t control)
{
    __L4_hosted_Unmap(control);
}

static inline L4_Word_t L4_SpaceControl(L4_ThreadId_t SpaceSpecifier, L4_Word_t control,
                                        L4_Fpage_t KernelInterfacePageArea, L4_Fpage_t UtcbArea,
                                        L4_ThreadId_t redirector, L4_Word_t *old_control)
{
    __L4_hosted_pair_t r = __L4_hosted_SpaceControl(SpaceSpecifier.raw, control, KernelInterfacePageArea.raw,
                                                    UtcbArea.raw, redirector.raw);
    if (old_control)
        *old_control = r.w1;
    return r.w0;
}

static inline L4_Word_t L4_ProcessorControl(L4_Word_t ProcessorNo, L4_Word_t InternalFrequency,
                                            L4_Word_t ExternalFrequency, L4_Word_t voltage)
{
    return __L4_hosted_ProcessorControl(ProcessorNo, InternalFrequency, ExternalFrequency, voltage);
}

static inline L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t *attributes)
{
    return __L4_hosted_MemoryControl(control, attributes[0], attributes[1], attributes[2], attributes[3]);
}

#endif /* !__L4__HOSTED__SYSCALLS_H__ */
