/* The ia32 ABI test (ABI0001..): every X.2 system call through l4/ia32/
 * must enter the kernel with the registers the ia32 convention names and
 * take back its results from the registers the convention names; every
 * convenience function must reach the right call with the right words; the
 * TCRs, MRs and BRs must be the UTCB words the reference gives; KDB and
 * port I/O must be the real traps and instructions.  Runs as a normal
 * 32-bit Linux process (abi_env.c). */
#include <stdio.h>
#include <string.h>
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/kip.h>
#include <l4/misc.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>

#include "abi.h"

static int passed, failed;
static const char *current;

void abi_check(const char *what, L4_Word_t got, L4_Word_t want)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL %s: %s = %#lx, want %#lx\n", current, what, got, want);
}

void abi_start(const char *id)
{
    current = id;
    abi_junk_out();
    abi_called = 0;
    memset(abi_utcb - 64, 0, 128 * sizeof(L4_Word_t));
    for (int i = 0; i < 64; i++)
        abi_utcb[i] = 0x3300 + (L4_Word_t)i;
}

static void abi_kernel_interface(void)
{
    L4_Word_t v = 0, f = 1, id = 0;
    void *kip;

    abi_start("ABI0001 KernelInterface: lock;nop gives EAX KIP, ECX version, EDX flags, ESI id");
    abi_enter();
    kip = L4_KernelInterface(&v, &f, &id);
    abi_leave();
    CHECK(kip, abi_kip);
    CHECK(v, ABI_API_VERSION);
    CHECK(f, ABI_API_FLAGS);
    CHECK(id, ABI_KERNEL_ID);
    CHECK(abi_traps.kip_traps > 0, 1);

    abi_start("ABI0002 entry table: KIP + system-call offset, words 52..62");
    abi_enter();
    __L4_ia32_init_syscalls();
    abi_leave();
    for (int i = 0; i < ABI_NUM_ENTRIES; i++)
        abi_check("entry", ((L4_Word_t *)&__L4_ia32_entry)[i], (L4_Word_t)abi_entries[i]);
}

static void abi_ipc_one(const char *id, int entry, int local)
{
    L4_ThreadId_t from = tid(0x111);
    L4_MsgTag_t tag;
    volatile L4_Word_t canary = 0x5eed;

    abi_start(id);
    abi_out.eax = 0x00c0ffeeUL;      /* from */
    abi_out.esi = 0x00050002UL;      /* MR0 */
    abi_out.ebx = 0xb0b1;            /* MR1 */
    abi_out.ebp = 0xb0b2;            /* MR2 */
    abi_utcb[0] = 0x00070003UL;
    abi_enter();
    if (local)
        tag = L4_Lipc(tid(0x4000), tid(0x8000), 0x12345678, &from);
    else
        tag = L4_Ipc(tid(0x4001), tid(0x8001), 0x12345678, &from);
    abi_leave();
    CALLED(entry);
    CHECK(abi_in.eax, local ? 0x4000 : 0x4001);
    CHECK(abi_in.edx, local ? 0x8000 : 0x8001);
    CHECK(abi_in.ecx, 0x12345678);
    CHECK(abi_in.esi, 0x00070003UL);
    CHECK(abi_in.edi, abi_utcb);
    CHECK(tag.raw, 0x00050002UL);
    CHECK(from.raw, 0x00c0ffeeUL);
    CHECK(abi_utcb[1], 0xb0b1);
    CHECK(abi_utcb[2], 0xb0b2);
    CHECK(canary, 0x5eed);          /* EBP (the frame) survived */
}

static void abi_ipc(void)
{
    L4_ThreadId_t from = tid(0x111);

    abi_ipc_one("ABI0003 Ipc: EAX to, EDX from, ECX timeouts, ESI MR0, EDI UTCB; EBX MR1, EBP MR2", ABI_Ipc, 0);
    abi_ipc_one("ABI0004 Lipc: as Ipc through the Lipc entry", ABI_Lipc, 1);

    abi_start("ABI0005 Ipc send only: MR1, MR2 and from untouched");
    abi_enter();
    (void)L4_Ipc(tid(0x4001), L4_nilthread, 0, &from);
    abi_leave();
    CALLED(ABI_Ipc);
    CHECK(abi_in.edx, 0);
    CHECK(from.raw, 0x111);
    CHECK(abi_utcb[1], 0x3301);
    CHECK(abi_utcb[2], 0x3302);
}

static void abi_exreg(void)
{
    L4_Word_t c, sp, ip, fl, h;
    L4_ThreadId_t pager, r;

    abi_start("ABI0006 ExchangeRegisters: EAX ECX EDX ESI EDI EBX EBP in and out");
    abi_out.eax = 0xa0; abi_out.ecx = 0xa1; abi_out.edx = 0xa2; abi_out.esi = 0xa3;
    abi_out.edi = 0xa4; abi_out.ebx = 0xa5; abi_out.ebp = 0xa6;
    abi_enter();
    r = L4_ExchangeRegisters(tid(0x10001), 0x3f8, 0x1000, 0x2000, 0x202, 0x77, tid(0x20001),
                             &c, &sp, &ip, &fl, &h, &pager);
    abi_leave();
    CALLED(ABI_ExchangeRegisters);
    CHECK(abi_in.eax, 0x10001);
    CHECK(abi_in.ecx, 0x3f8);
    CHECK(abi_in.edx, 0x1000);
    CHECK(abi_in.esi, 0x2000);
    CHECK(abi_in.edi, 0x202);
    CHECK(abi_in.ebx, 0x77);
    CHECK(abi_in.ebp, 0x20001);
    CHECK(r.raw, 0xa0);
    CHECK(c, 0xa1);
    CHECK(sp, 0xa2);
    CHECK(ip, 0xa3);
    CHECK(fl, 0xa4);
    CHECK(h, 0xa5);
    CHECK(pager.raw, 0xa6);

    abi_start("ABI0007 L4_Start_SpIp: control = h | R | S | s | i, SP in EDX, IP in ESI");
    abi_enter();
    L4_Start_SpIp(tid(0x10001), 0x9000, 0x8000);
    abi_leave();
    CALLED(ABI_ExchangeRegisters);
    CHECK(abi_in.ecx, L4_ExRegCtrl_h | L4_ExRegCtrl_R | L4_ExRegCtrl_S | L4_ExRegCtrl_s | L4_ExRegCtrl_i);
    CHECK(abi_in.edx, 0x9000);
    CHECK(abi_in.esi, 0x8000);

    abi_start("ABI0008 L4_Stop: control = h | H | d, old control from ECX");
    abi_out.ecx = 0x1;
    abi_enter();
    L4_ThreadState_t st = L4_Stop(tid(0x10001));
    abi_leave();
    CHECK(abi_in.ecx, L4_ExRegCtrl_h | L4_ExRegCtrl_H | L4_ExRegCtrl_d);
    CHECK(L4_ThreadWasHalted(st), 1);

    abi_start("ABI0009 L4_GlobalIdOf a local id: ExchangeRegisters with control 0, result EAX");
    abi_out.eax = 0x40002;
    abi_enter();
    r = L4_GlobalIdOf(tid(0x1000));
    abi_leave();
    CHECK(abi_in.eax, 0x1000);
    CHECK(abi_in.ecx, 0);
    CHECK(r.raw, 0x40002);
}

static void abi_thread_space(void)
{
    L4_Word_t r, old = 0;

    abi_start("ABI0010 ThreadControl: EAX dest, ESI space, EDX scheduler, ECX pager, EDI UTCB; EAX result");
    abi_out.eax = 1;
    abi_enter();
    r = L4_ThreadControl(tid(0x10001), tid(0x10002), tid(0x10003), tid(0x10004), (void *)0x5000);
    abi_leave();
    CALLED(ABI_ThreadControl);
    CHECK(abi_in.eax, 0x10001);
    CHECK(abi_in.esi, 0x10002);
    CHECK(abi_in.edx, 0x10003);
    CHECK(abi_in.ecx, 0x10004);
    CHECK(abi_in.edi, 0x5000);
    CHECK(r, 1);

    abi_start("ABI0011 L4_AssociateInterrupt: ThreadControl on the IRQ thread, UTCB -1");
    abi_enter();
    (void)L4_AssociateInterrupt(tid(0x1 << 14 | 1), tid(0x10001));
    abi_leave();
    CHECK(abi_in.eax, 0x4001);
    CHECK(abi_in.esi, 0x4001);
    CHECK(abi_in.ecx, 0x10001);
    CHECK(abi_in.edi, ~0UL);

    abi_start("ABI0012 SpaceControl: EAX space, ECX control, EDX KIP area, ESI UTCB area, EDI redirector");
    abi_out.eax = 1;
    abi_out.ecx = 0x55;
    abi_enter();
    r = L4_SpaceControl(tid(0x10001), 7, L4_FpageLog2(0x100000, 12), L4_FpageLog2(0x200000, 14),
                        tid(0x10005), &old);
    abi_leave();
    CALLED(ABI_SpaceControl);
    CHECK(abi_in.eax, 0x10001);
    CHECK(abi_in.ecx, 7);
    CHECK(abi_in.edx, 0x100000 | 12 << 4);
    CHECK(abi_in.esi, 0x200000 | 14 << 4);
    CHECK(abi_in.edi, 0x10005);
    CHECK(r, 1);
    CHECK(old, 0x55);

    abi_start("ABI0013 ProcessorControl: EAX, ECX, EDX, ESI; EAX result");
    abi_out.eax = 1;
    abi_enter();
    r = L4_ProcessorControl(1, 2, 3, 4);
    abi_leave();
    CALLED(ABI_ProcessorControl);
    CHECK(abi_in.eax, 1);
    CHECK(abi_in.ecx, 2);
    CHECK(abi_in.edx, 3);
    CHECK(abi_in.esi, 4);
    CHECK(r, 1);
}

static void abi_sched_clock(void)
{
    L4_Word_t r, old = 0;
    L4_Clock_t clk;

    abi_start("ABI0014 Schedule: EAX dest, EDX time, ESI processor, ECX prio, EDI preemption; EAX, EDX out");
    abi_out.eax = 3;
    abi_out.edx = 0x04000400;
    abi_enter();
    r = L4_Schedule(tid(0x10001), 0x11, 0x22, 0x33, 0x44, &old);
    abi_leave();
    CALLED(ABI_Schedule);
    CHECK(abi_in.eax, 0x10001);
    CHECK(abi_in.edx, 0x11);
    CHECK(abi_in.esi, 0x22);
    CHECK(abi_in.ecx, 0x33);
    CHECK(abi_in.edi, 0x44);
    CHECK(r, 3);
    CHECK(old, 0x04000400);

    abi_start("ABI0015 L4_Set_Priority: Schedule with only the priority set");
    abi_enter();
    (void)L4_Set_Priority(tid(0x10001), 200);
    abi_leave();
    CHECK(abi_in.ecx, 200);
    CHECK(abi_in.edx, ~0UL);
    CHECK(abi_in.esi, ~0UL);
    CHECK(abi_in.edi, ~0UL);

    abi_start("ABI0016 SystemClock: EDX:EAX");
    abi_out.eax = 0x89abcdef;
    abi_out.edx = 0x01234567;
    abi_enter();
    clk = L4_SystemClock();
    abi_leave();
    CALLED(ABI_SystemClock);
    CHECK(clk.raw == 0x0123456789abcdefULL, 1);

    abi_start("ABI0017 ThreadSwitch: EAX dest; L4_Yield switches to nilthread");
    abi_enter();
    L4_ThreadSwitch(tid(0x10007));
    abi_leave();
    CALLED(ABI_ThreadSwitch);
    CHECK(abi_in.eax, 0x10007);
    abi_called = 0;
    abi_in.eax = 1;
    abi_enter();
    L4_Yield();
    abi_leave();
    CALLED(ABI_ThreadSwitch);
    CHECK(abi_in.eax, 0);
}

static void abi_unmap_memctl(void)
{
    L4_Fpage_t f;
    L4_Word_t attrs[4] = { 0xa0, 0xa1, 0xa2, 0xa3 }, r;

    abi_start("ABI0018 Unmap: EAX control, ESI MR0, EDI UTCB; MR0 back from ESI");
    abi_out.esi = 0x300000 | 12 << 4 | 6;
    abi_enter();
    f = L4_Flush(L4_FpageLog2(0x300000, 12));
    abi_leave();
    CALLED(ABI_Unmap);
    CHECK(abi_in.eax, 0x40);
    CHECK(abi_in.esi, 0x300000 | 12 << 4);
    CHECK(abi_in.edi, abi_utcb);
    CHECK(abi_utcb[0], 0x300000 | 12 << 4 | 6);
    CHECK(f.raw, 0x300000 | 12 << 4 | 6);

    abi_start("ABI0019 MemoryControl: EAX control, ECX EDX EBX EBP attributes, ESI MR0, EDI UTCB");
    abi_out.eax = 1;
    abi_utcb[0] = 0x400000 | 12 << 4;
    abi_enter();
    r = L4_MemoryControl(2, attrs);
    abi_leave();
    CALLED(ABI_MemoryControl);
    CHECK(abi_in.eax, 2);
    CHECK(abi_in.ecx, 0xa0);
    CHECK(abi_in.edx, 0xa1);
    CHECK(abi_in.ebx, 0xa2);
    CHECK(abi_in.ebp, 0xa3);
    CHECK(abi_in.esi, 0x400000 | 12 << 4);
    CHECK(abi_in.edi, abi_utcb);
    CHECK(r, 1);

    abi_start("ABI0020 L4_Set_PageAttribute: fpage without rights in MR0, control 0");
    abi_enter();
    (void)L4_Set_PageAttribute(L4_FpageAddRights(L4_FpageLog2(0x500000, 12), 7), L4_UncacheableMemory);
    abi_leave();
    CHECK(abi_in.eax, 0);
    CHECK(abi_in.esi, 0x500000 | 12 << 4);
    CHECK(abi_in.ecx, L4_UncacheableMemory);
}

int main(void);

int main(void)
{
    abi_env_init();
    abi_kernel_interface();
    abi_ipc();
    abi_exreg();
    abi_thread_space();
    abi_sched_clock();
    abi_unmap_memctl();
    abi_conveniences();
    abi_vregs();
    abi_kdb_io();
    abi_live_values();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
