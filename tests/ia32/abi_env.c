/* The ia32 ABI harness's machine: a fake KIP whose system-call words lead to
 * abi_fake.S, a UTCB reached through a TLS segment in %gs, and signal
 * handlers that emulate the traps a real kernel would take: "lock; nop"
 * (SIGILL), the kernel debugger's int3 (SIGTRAP) and port I/O (SIGSEGV). */
#include <asm/ldt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>
#include <l4/kip.h>

#include "abi.h"

abi_regs_t abi_in, abi_out;
volatile L4_Word_t abi_called;
abi_traps_t abi_traps;
L4_Word_t *abi_kip, *abi_utcb;

void abi_fake_SpaceControl(void), abi_fake_ThreadControl(void), abi_fake_ProcessorControl(void),
    abi_fake_MemoryControl(void), abi_fake_Ipc(void), abi_fake_Lipc(void), abi_fake_Unmap(void),
    abi_fake_ExchangeRegisters(void), abi_fake_SystemClock(void), abi_fake_ThreadSwitch(void),
    abi_fake_Schedule(void);

void (*const abi_entries[ABI_NUM_ENTRIES])(void) = {
    abi_fake_SpaceControl, abi_fake_ThreadControl, abi_fake_ProcessorControl, abi_fake_MemoryControl,
    abi_fake_Ipc, abi_fake_Lipc, abi_fake_Unmap, abi_fake_ExchangeRegisters, abi_fake_SystemClock,
    abi_fake_ThreadSwitch, abi_fake_Schedule,
};

static _Alignas(4096) L4_Word_t kip_page[1024];
static _Alignas(4096) L4_Word_t utcb_block[512];   /* MR0 at word 256 */
static L4_Word_t gs_slot;                           /* %gs:0 */
static unsigned short libc_gs, utcb_gs;

static void fake_kip(void)
{
    L4_KernelInterfacePage_t *kip = (L4_KernelInterfacePage_t *)kip_page;
    L4_Word_t *sys = &kip->SpaceControl;

    kip->magic = L4_MAGIC;
    kip->ApiVersion.raw = ABI_API_VERSION;
    kip->ApiFlags.raw = ABI_API_FLAGS;
    kip->KernelDescPtr = 0x800;
    kip_page[0x800 / 4] = ABI_KERNEL_ID;
    kip->ThreadInfo.X.UserBase = 0x30;
    for (int i = 0; i < ABI_NUM_ENTRIES; i++)
        sys[i] = (L4_Word_t)abi_entries[i] - (L4_Word_t)kip;
    abi_kip = kip_page;
}

/* A TLS segment whose base is gs_slot, which holds the UTCB pointer. */
static void utcb_segment(void)
{
    struct user_desc d;

    memset(&d, 0, sizeof d);
    d.entry_number = (unsigned)-1;
    d.base_addr = (unsigned)(uintptr_t)&gs_slot;
    d.limit = 0xfff;
    d.seg_32bit = 1;
    d.useable = 1;
    if (syscall(SYS_set_thread_area, &d) != 0) {
        perror("abi: set_thread_area");
        exit(2);
    }
    utcb_gs = (unsigned short)(d.entry_number * 8 + 3);
    __asm__ __volatile__("movw %%gs, %0" : "=r"(libc_gs));
    abi_utcb = &utcb_block[256];
    gs_slot = (L4_Word_t)abi_utcb;
}

void abi_enter(void)
{
    __asm__ __volatile__("movw %0, %%gs" : : "r"(utcb_gs) : "memory");
}

void abi_leave(void)
{
    __asm__ __volatile__("movw %0, %%gs" : : "r"(libc_gs) : "memory");
}

static _Alignas(4096) char guard_page[4096];

const char *abi_guarded_string(const char *s)
{
    mprotect(guard_page, sizeof guard_page, PROT_READ | PROT_WRITE);
    strncpy(guard_page, s, sizeof guard_page - 1);
    mprotect(guard_page, sizeof guard_page, PROT_NONE);
    return guard_page;
}

/* mprotect without the C library (whose system-call path goes through %gs,
 * which may be the UTCB segment in a handler). */
static void raw_mprotect_readable(void *page)
{
    long r;
    __asm__ __volatile__("pushl %%ebx\n\tmovl %2, %%ebx\n\tint $0x80\n\tpopl %%ebx"
                         : "=a"(r) : "0"(SYS_mprotect), "r"(page), "c"(4096), "d"(PROT_READ) : "memory");
    (void)r;
}

void abi_junk_out(void)
{
    L4_Word_t *w = (L4_Word_t *)&abi_out;
    for (unsigned i = 0; i < sizeof abi_out / sizeof *w; i++)
        w[i] = 0x7a6b0000UL + i * 0x111;
}

#define REG(uc, r) ((uc)->uc_mcontext.gregs[REG_##r])

/* lock; nop: the KernelInterface trap. */
static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const unsigned char *ip = (const unsigned char *)REG(uc, EIP);

    (void)sig, (void)si;
    if (ip[0] != 0xf0 || ip[1] != 0x90)
        _exit(3);
    REG(uc, EAX) = (greg_t)(uintptr_t)abi_kip;
    REG(uc, ECX) = (greg_t)ABI_API_VERSION;
    REG(uc, EDX) = (greg_t)ABI_API_FLAGS;
    REG(uc, ESI) = (greg_t)ABI_KERNEL_ID;
    REG(uc, EIP) += 2;
    abi_traps.kip_traps++;
}

/* int3 followed by "cmpb $op, %al", or by "jmp 1f; mov $string, %eax". */
static void on_sigtrap(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const unsigned char *ip = (const unsigned char *)REG(uc, EIP);

    (void)sig, (void)si;
    abi_traps.kdb_traps++;
    abi_traps.kdb_eax = (L4_Word_t)REG(uc, EAX);
    if (ip[0] == 0x3c) {
        abi_traps.kdb_op = ip[1];
        if (ip[1] == 0x08 || ip[1] == 0x0d)
            REG(uc, EAX) = (greg_t)abi_traps.kdb_reply;
    } else if (ip[0] == 0xeb && ip[2] == 0xb8) {
        abi_traps.kdb_op = 0x100 + 'E';
        memcpy(&abi_traps.kdb_string, ip + 3, 4);
    } else {
        abi_traps.kdb_op = 0xdead;
    }
}

/* A read of the guarded page: make it readable.  Otherwise in/out without
 * I/O permission: decode, record, skip. */
static void on_sigsegv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const unsigned char *ip = (const unsigned char *)REG(uc, EIP);
    unsigned len = 1, wide = 4, op;

    (void)sig;
    if ((char *)si->si_addr >= guard_page && (char *)si->si_addr < guard_page + sizeof guard_page) {
        abi_traps.guard_faults++;
        abi_traps.kdb_traps_at_guard = abi_traps.kdb_traps;
        raw_mprotect_readable(guard_page);
        return;     /* the read is retried */
    }
    if (ip[0] == 0x66) {
        wide = 2;
        ip++;
        len++;
    }
    op = ip[0];
    if ((op & 0xf4) != 0xe4)    /* e4..e7 (imm8 port), ec..ef (port in DX) */
        _exit(4);
    abi_traps.io_width = (op & 1) ? wide : 1;
    abi_traps.io_out = (op & 2) != 0;
    if (op & 0x08) {
        abi_traps.io_port = (L4_Word_t)REG(uc, EDX) & 0xffff;
    } else {
        abi_traps.io_port = ip[1];
        len++;
    }
    L4_Word_t mask = abi_traps.io_width == 4 ? ~0UL : (1UL << (8 * abi_traps.io_width)) - 1;
    if (abi_traps.io_out)
        abi_traps.io_value = (L4_Word_t)REG(uc, EAX) & mask;
    else
        REG(uc, EAX) = (greg_t)(((L4_Word_t)REG(uc, EAX) & ~mask) | (abi_traps.io_reply & mask));
    REG(uc, EIP) += len;
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

void abi_env_init(void)
{
    fake_kip();
    utcb_segment();
    handle(SIGILL, on_sigill);
    handle(SIGTRAP, on_sigtrap);
    handle(SIGSEGV, on_sigsegv);
}
