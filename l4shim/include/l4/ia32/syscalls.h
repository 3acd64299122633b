/* ia32 arch: the 12 X.2 system calls with the ia32 register convention.
 *
 * KernelInterface is the "lock; nop" trap.  The other eleven are calls to
 * entry points in the KIP: crt0 runs __L4_ia32_init_syscalls(), which adds
 * each system-call offset of the KIP (words 52..62) to the KIP's address
 * and stores the result in __L4_ia32_entry; every call below is an
 * indirect "call *__L4_ia32_entry+k", so the code is not position
 * independent (programs are static executables at a fixed address).
 *
 * Registers in -> out (every register not listed out is clobbered, ESP is
 * kept; EBP is saved and restored here because it is the frame pointer):
 *   Ipc, Lipc        EAX to, ECX timeouts, EDX FromSpecifier, ESI MR0, EDI UTCB
 *                    -> EAX from, ESI MR0, EBX MR1, EBP MR2
 *   ExchangeRegisters EAX dest, ECX control, EDX SP, ESI IP, EDI flags,
 *                    EBX UserDefinedHandle, EBP pager -> the same registers
 *   ThreadControl    EAX dest, ESI SpaceSpecifier, EDX scheduler, ECX pager,
 *                    EDI UtcbLocation -> EAX result
 *   SystemClock      -> EDX:EAX clock
 *   ThreadSwitch     EAX dest
 *   Schedule         EAX dest, EDX TimeControl, ESI ProcessorControl,
 *                    ECX PrioControl, EDI PreemptionControl
 *                    -> EAX result, EDX old TimeControl
 *   Unmap            EAX control, ESI MR0, EDI UTCB -> ESI MR0
 *   SpaceControl     EAX SpaceSpecifier, ECX control, EDX KIP area,
 *                    ESI UTCB area, EDI redirector -> EAX result, ECX control
 *   ProcessorControl EAX processor, ECX internal freq, EDX external freq,
 *                    ESI voltage -> EAX result
 *   MemoryControl    EAX control, ECX, EDX, EBX, EBP attributes 0..3,
 *                    ESI MR0, EDI UTCB -> EAX result
 *   KernelInterface  -> EAX KIP, ECX API version, EDX API flags, ESI kernel id
 */
#ifndef __L4__IA32__SYSCALLS_H__
#define __L4__IA32__SYSCALLS_H__

#include <l4/ia32/vregs.h>

/* Entry addresses, in the order of the KIP's system-call words. */
typedef struct {
    L4_Word_t SpaceControl;
    L4_Word_t ThreadControl;
    L4_Word_t ProcessorControl;
    L4_Word_t MemoryControl;
    L4_Word_t Ipc;
    L4_Word_t Lipc;
    L4_Word_t Unmap;
    L4_Word_t ExchangeRegisters;
    L4_Word_t SystemClock;
    L4_Word_t ThreadSwitch;
    L4_Word_t Schedule;
} __L4_ia32_entry_t;

#define __L4_IA32_KIP_SYSCALL_WORD      52      /* SpaceControl's offset */
#define __L4_IA32_NUM_ENTRIES           11

extern __L4_ia32_entry_t __L4_ia32_entry;

/* Fills __L4_ia32_entry from the KIP (l4shim/ia32/syscalls.c). */
void __L4_ia32_init_syscalls(void);

#define __L4_IA32_CALL          "call *%c[entry]"
#define __L4_IA32_ENTRY(name)   [entry] "i"(&__L4_ia32_entry.name)

static inline void *L4_KernelInterface(L4_Word_t *ApiVersion, L4_Word_t *ApiFlags, L4_Word_t *KernelId)
{
    void *kip;
    L4_Word_t version, flags, id;
    __asm__ __volatile__("lock; nop" : "=a"(kip), "=c"(version), "=d"(flags), "=S"(id));
    if (ApiVersion)
        *ApiVersion = version;
    if (ApiFlags)
        *ApiFlags = flags;
    if (KernelId)
        *KernelId = id;
    return kip;
}

static inline L4_ThreadId_t L4_ExchangeRegisters(L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp,
                                                 L4_Word_t ip, L4_Word_t flags, L4_Word_t UserDefHandle,
                                                 L4_ThreadId_t pager, L4_Word_t *old_control,
                                                 L4_Word_t *old_sp, L4_Word_t *old_ip,
                                                 L4_Word_t *old_flags, L4_Word_t *old_UserDefHandle,
                                                 L4_ThreadId_t *old_pager)
{
    /* EBP, EDI, EBX and ESI go in and come back through this block, whose
     * address travels in ESI. */
    struct { L4_Word_t ebp, edi, ebx, esi; } io = { pager.raw, flags, UserDefHandle, ip };
    L4_Word_t eax = dest.raw, ecx = control, edx = sp, esi = (L4_Word_t)&io, edi, ebx;
    L4_ThreadId_t r;

    __asm__ __volatile__("pushl %%ebp\n\t"
                         "pushl %%esi\n\t"
                         "movl 0(%%esi), %%ebp\n\t"
                         "movl 4(%%esi), %%edi\n\t"
                         "movl 8(%%esi), %%ebx\n\t"
                         "movl 12(%%esi), %%esi\n\t"
                         __L4_IA32_CALL "\n\t"
                         "xchgl %%esi, (%%esp)\n\t"
                         "movl %%ebp, 0(%%esi)\n\t"
                         "movl %%edi, 4(%%esi)\n\t"
                         "movl %%ebx, 8(%%esi)\n\t"
                         "popl 12(%%esi)\n\t"
                         "popl %%ebp"
                         : "+a"(eax), "+c"(ecx), "+d"(edx), "+S"(esi), "=D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(ExchangeRegisters)
                         : "memory", "cc");
    r.raw = eax;
    *old_control = ecx;
    *old_sp = edx;
    *old_ip = io.esi;
    *old_flags = io.edi;
    *old_UserDefHandle = io.ebx;
    old_pager->raw = io.ebp;
    return r;
}

static inline L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t SpaceSpecifier,
                                         L4_ThreadId_t Scheduler, L4_ThreadId_t Pager,
                                         void *UtcbLocation)
{
    L4_Word_t eax = dest.raw, esi = SpaceSpecifier.raw, edx = Scheduler.raw, ecx = Pager.raw;
    L4_Word_t edi = (L4_Word_t)UtcbLocation, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "+a"(eax), "+S"(esi), "+d"(edx), "+c"(ecx), "+D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(ThreadControl)
                         : "memory", "cc");
    return eax;
}

static inline L4_Clock_t L4_SystemClock(void)
{
    L4_Word_t eax, edx, ecx, esi, edi, ebx;
    L4_Clock_t c;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "=a"(eax), "=d"(edx), "=c"(ecx), "=S"(esi), "=D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(SystemClock)
                         : "memory", "cc");
    c.raw = ((L4_Word64_t)edx << 32) | eax;
    return c;
}

static inline void L4_ThreadSwitch(L4_ThreadId_t dest)
{
    L4_Word_t eax = dest.raw, edx, ecx, esi, edi, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "+a"(eax), "=d"(edx), "=c"(ecx), "=S"(esi), "=D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(ThreadSwitch)
                         : "memory", "cc");
}

static inline L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t TimeControl, L4_Word_t ProcessorControl,
                                    L4_Word_t PrioControl, L4_Word_t PreemptionControl,
                                    L4_Word_t *old_TimeControl)
{
    L4_Word_t eax = dest.raw, edx = TimeControl, esi = ProcessorControl, ecx = PrioControl;
    L4_Word_t edi = PreemptionControl, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "+a"(eax), "+d"(edx), "+S"(esi), "+c"(ecx), "+D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(Schedule)
                         : "memory", "cc");
    if (old_TimeControl)
        *old_TimeControl = edx;
    return eax;
}

/* Ipc and Lipc differ only in the entry point, whose address comes in EBX
 * (the register returns MR1). */
static inline L4_MsgTag_t __L4_ia32_Ipc(const L4_Word_t *entry, L4_ThreadId_t to,
                                        L4_ThreadId_t FromSpecifier, L4_Word_t Timeouts,
                                        L4_ThreadId_t *from)
{
    L4_Word_t *utcb = __L4_Utcb();
    L4_Word_t eax = to.raw, ecx = Timeouts, edx = FromSpecifier.raw;
    L4_Word_t esi = utcb[0], edi = (L4_Word_t)utcb, ebx = (L4_Word_t)entry;
    L4_MsgTag_t tag;

    __asm__ __volatile__("pushl %%ebp\n\t"
                         "call *(%%ebx)\n\t"
                         "movl %%ebp, %%ecx\n\t"
                         "popl %%ebp"
                         : "+a"(eax), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi), "+b"(ebx)
                         :
                         : "memory", "cc");
    tag.raw = esi;
    if (!L4_IsNilThread(FromSpecifier)) {
        from->raw = eax;
        utcb[1] = ebx;
        utcb[2] = ecx;
    }
    return tag;
}

static inline L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier, L4_Word_t Timeouts,
                                 L4_ThreadId_t *from)
{
    return __L4_ia32_Ipc(&__L4_ia32_entry.Ipc, to, FromSpecifier, Timeouts, from);
}

static inline L4_MsgTag_t L4_Lipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier, L4_Word_t Timeouts,
                                  L4_ThreadId_t *from)
{
    return __L4_ia32_Ipc(&__L4_ia32_entry.Lipc, to, FromSpecifier, Timeouts, from);
}

static inline void L4_Unmap(L4_Word_t control)
{
    L4_Word_t *utcb = __L4_Utcb();
    L4_Word_t eax = control, esi = utcb[0], edi = (L4_Word_t)utcb, edx, ecx, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "+a"(eax), "+S"(esi), "+D"(edi), "=d"(edx), "=c"(ecx), "=b"(ebx)
                         : __L4_IA32_ENTRY(Unmap)
                         : "memory", "cc");
    utcb[0] = esi;
}

static inline L4_Word_t L4_SpaceControl(L4_ThreadId_t SpaceSpecifier, L4_Word_t control,
                                        L4_Fpage_t KernelInterfacePageArea, L4_Fpage_t UtcbArea,
                                        L4_ThreadId_t redirector, L4_Word_t *old_control)
{
    L4_Word_t eax = SpaceSpecifier.raw, ecx = control, edx = KernelInterfacePageArea.raw;
    L4_Word_t esi = UtcbArea.raw, edi = redirector.raw, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "+a"(eax), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(SpaceControl)
                         : "memory", "cc");
    if (old_control)
        *old_control = ecx;
    return eax;
}

static inline L4_Word_t L4_ProcessorControl(L4_Word_t ProcessorNo, L4_Word_t InternalFrequency,
                                            L4_Word_t ExternalFrequency, L4_Word_t voltage)
{
    L4_Word_t eax = ProcessorNo, ecx = InternalFrequency, edx = ExternalFrequency, esi = voltage;
    L4_Word_t edi, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t" __L4_IA32_CALL "\n\tpopl %%ebp"
                         : "+a"(eax), "+c"(ecx), "+d"(edx), "+S"(esi), "=D"(edi), "=b"(ebx)
                         : __L4_IA32_ENTRY(ProcessorControl)
                         : "memory", "cc");
    return eax;
}

static inline L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t *attributes)
{
    /* The attributes' address comes in ECX and is replaced by attribute 0. */
    L4_Word_t *utcb = __L4_Utcb();
    L4_Word_t eax = control, ecx = (L4_Word_t)attributes, esi = utcb[0], edi = (L4_Word_t)utcb;
    L4_Word_t edx, ebx;

    __asm__ __volatile__("pushl %%ebp\n\t"
                         "movl 12(%%ecx), %%ebp\n\t"
                         "movl 8(%%ecx), %%ebx\n\t"
                         "movl 4(%%ecx), %%edx\n\t"
                         "movl 0(%%ecx), %%ecx\n\t"
                         __L4_IA32_CALL "\n\t"
                         "popl %%ebp"
                         : "+a"(eax), "+c"(ecx), "+S"(esi), "+D"(edi), "=d"(edx), "=b"(ebx)
                         : __L4_IA32_ENTRY(MemoryControl)
                         : "memory", "cc");
    return eax;
}

#endif /* !__L4__IA32__SYSCALLS_H__ */
