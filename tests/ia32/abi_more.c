/* The ia32 ABI test, continued (ABI0030..): the IPC conveniences reach Ipc
 * or Lipc with the X.2 timeouts and specifiers, the TCRs, MRs and BRs are
 * the UTCB words the reference gives, and the kernel debugger and port I/O
 * are the real traps and instructions. */
#include <string.h>
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/thread.h>

#include "abi.h"

/* Four values live across one call: if the wrapper fails to declare a
 * register the kernel may change, the compiler may keep one of them there,
 * and the junk abi_out puts in it shows. */
static volatile L4_Word_t live[4] = { 0x11, 0x2200, 0x330000, 0x44000000 };

#define LIVE_ACROSS(what, call)                                                 \
    do {                                                                        \
        L4_Word_t a_ = live[0], b_ = live[1], c_ = live[2], d_ = live[3];       \
        abi_junk_out();                                                         \
        abi_enter();                                                            \
        call;                                                                   \
        abi_leave();                                                            \
        abi_check(what, a_ | b_ | c_ | d_, 0x44332211);                         \
        abi_check(what, a_ + b_ + c_ + d_, 0x44332211);                         \
    } while (0)

void abi_live_values(void)
{
    L4_Word_t w, attrs[4] = { 0 };
    L4_ThreadId_t t;

    abi_start("ABI0060 values live across each system call survive what it clobbers");
    LIVE_ACROSS("KernelInterface", (void)L4_KernelInterface(&w, &w, &w));
    LIVE_ACROSS("Ipc", (void)L4_Ipc(tid(1), tid(1), 0, &t));
    LIVE_ACROSS("Lipc", (void)L4_Lipc(tid(1), tid(1), 0, &t));
    LIVE_ACROSS("ExchangeRegisters", (void)L4_ExchangeRegisters(tid(1), 0, 0, 0, 0, 0, tid(0), &w, &w,
                                                                &w, &w, &w, &t));
    LIVE_ACROSS("ThreadControl", (void)L4_ThreadControl(tid(1), tid(1), tid(1), tid(1), (void *)0));
    LIVE_ACROSS("SystemClock", (void)L4_SystemClock());
    LIVE_ACROSS("ThreadSwitch", L4_ThreadSwitch(tid(1)));
    LIVE_ACROSS("Schedule", (void)L4_Schedule(tid(1), 0, 0, 0, 0, &w));
    LIVE_ACROSS("Unmap", L4_Unmap(0));
    LIVE_ACROSS("SpaceControl", (void)L4_SpaceControl(tid(1), 0, L4_Nilpage, L4_Nilpage, tid(0), &w));
    LIVE_ACROSS("ProcessorControl", (void)L4_ProcessorControl(0, 0, 0, 0));
    LIVE_ACROSS("MemoryControl", (void)L4_MemoryControl(0, attrs));
}

/* Checks the registers one IPC convenience entered the kernel with. */
static void ipc_in(int entry, L4_Word_t to, L4_Word_t from_spec, L4_Word_t timeouts)
{
    CALLED(entry);
    CHECK(abi_in.eax, to);
    CHECK(abi_in.edx, from_spec);
    CHECK(abi_in.ecx, timeouts);
    CHECK(abi_in.esi, abi_utcb[0]);
    CHECK(abi_in.edi, abi_utcb);
}

#define NEVER_NEVER     0UL
#define ZERO_NEVER      (0x0400UL << 16)

void abi_conveniences(void)
{
    L4_ThreadId_t from = tid(0);
    L4_Fpage_t f;

    abi_start("ABI0030 L4_Call: to = from = partner, never/never");
    abi_enter();
    (void)L4_Call(tid(0x10001));
    abi_leave();
    ipc_in(ABI_Ipc, 0x10001, 0x10001, NEVER_NEVER);

    abi_start("ABI0031 L4_Send: from nil, never");
    abi_enter();
    (void)L4_Send(tid(0x10001));
    abi_leave();
    ipc_in(ABI_Ipc, 0x10001, 0, NEVER_NEVER);

    abi_start("ABI0032 L4_Reply: from nil, send timeout zero");
    abi_enter();
    (void)L4_Reply(tid(0x10001));
    abi_leave();
    ipc_in(ABI_Ipc, 0x10001, 0, ZERO_NEVER);

    abi_start("ABI0033 L4_Receive: to nil, from the partner");
    abi_enter();
    (void)L4_Receive(tid(0x10001));
    abi_leave();
    ipc_in(ABI_Ipc, 0, 0x10001, NEVER_NEVER);

    abi_start("ABI0034 L4_Wait: to nil, from anythread; sender from EAX");
    abi_out.eax = 0x10009;
    abi_enter();
    (void)L4_Wait(&from);
    abi_leave();
    ipc_in(ABI_Ipc, 0, ~0UL, NEVER_NEVER);
    CHECK(from.raw, 0x10009);

    abi_start("ABI0035 L4_ReplyWait: to the client, from anythread, zero/never");
    abi_enter();
    (void)L4_ReplyWait(tid(0x10001), &from);
    abi_leave();
    ipc_in(ABI_Ipc, 0x10001, ~0UL, ZERO_NEVER);

    abi_start("ABI0036 L4_Lcall: Lipc entry, to = from");
    abi_enter();
    (void)L4_Lcall(tid(0x2000));
    abi_leave();
    ipc_in(ABI_Lipc, 0x2000, 0x2000, NEVER_NEVER);

    abi_start("ABI0037 L4_Sleep: receive from MyGlobalId with the timeout, tag left in MR0");
    abi_utcb[-15] = 0x10042;
    abi_out.esi = 0x00002000;       /* a failed receive's tag */
    abi_enter();
    L4_Sleep(L4_TimePeriod(1000));
    abi_leave();
    CALLED(ABI_Ipc);
    CHECK(abi_in.eax, 0);
    CHECK(abi_in.edx, 0x10042);
    CHECK(abi_in.ecx, L4_TimePeriod(1000).raw);
    CHECK(abi_utcb[0], 0x00002000);

    abi_start("ABI0038 L4_Sigma0_GetPage: call to UserBase.1, label -6<<4, MR1 fpage, BR0 window");
    abi_out.esi = 2 << 6;                           /* reply: one map item */
    abi_out.ebx = 0x600000 | 8;                     /* MR1 send base | map */
    abi_out.ebp = 0x600000 | 12 << 4 | 6;           /* MR2 the fpage */
    abi_enter();
    f = L4_Sigma0_GetPage(L4_nilthread, L4_FpageAddRights(L4_FpageLog2(0x600000, 12), 6));
    abi_leave();
    ipc_in(ABI_Ipc, 0x30 << 14 | 1, 0x30 << 14 | 1, NEVER_NEVER);
    CHECK(abi_in.esi, 0xffa00002);
    CHECK(abi_utcb[-16], L4_CompleteAddressSpace.raw);
    CHECK(f.raw, 0x600000 | 12 << 4 | 6);
}

/* Each TCR accessor against its word (index from MR0). */
static void tcr_words(void)
{
    abi_start("ABI0040 TCRs at their ia32 word indices");
    for (int i = -15; i <= -4; i++)
        abi_utcb[i] = 0x7c00 + (L4_Word_t)(-i);
    abi_enter();
    L4_Word_t gid = L4_MyGlobalId().raw, lid = L4_MyLocalId().raw, cpu = L4_ProcessorNo();
    L4_Word_t udh = L4_UserDefinedHandle(), pager = L4_Pager().raw, exh = L4_ExceptionHandler().raw;
    L4_Word_t err = L4_ErrorCode(), xfer = L4_XferTimeouts(), ir = L4_IntendedReceiver().raw;
    L4_Word_t as = L4_ActualSender().raw, tw0 = L4_ThreadWord(0), tw1 = L4_ThreadWord(1);
    abi_leave();
    CHECK(gid, 0x7c0f);
    CHECK(lid, abi_utcb);
    CHECK(cpu, 0x7c0e);
    CHECK(udh, 0x7c0d);
    CHECK(pager, 0x7c0c);
    CHECK(exh, 0x7c0b);
    CHECK(err, 0x7c09);
    CHECK(xfer, 0x7c08);
    CHECK(ir, 0x7c07);
    CHECK(as, 0x7c06);
    CHECK(tw1, 0x7c05);
    CHECK(tw0, 0x7c04);

    abi_start("ABI0041 TCR setters write their words");
    abi_enter();
    L4_Set_UserDefinedHandle(0xd13);
    L4_Set_Pager(tid(0xd12));
    L4_Set_ExceptionHandler(tid(0xd11));
    L4_Set_XferTimeouts(0xd08);
    L4_Set_VirtualSender(tid(0xd06));
    L4_Set_ThreadWord(0, 0xd04);
    L4_Set_ThreadWord(1, 0xd05);
    L4_Set_CopFlag(3);
    (void)L4_DisablePreemption();
    abi_leave();
    CHECK(abi_utcb[-13], 0xd13);
    CHECK(abi_utcb[-12], 0xd12);
    CHECK(abi_utcb[-11], 0xd11);
    CHECK(abi_utcb[-8], 0xd08);
    CHECK(abi_utcb[-6], 0xd06);
    CHECK(abi_utcb[-4], 0xd04);
    CHECK(abi_utcb[-5], 0xd05);
    CHECK(abi_utcb[-10], (1UL << (8 + 3)) | (1UL << 6));   /* cop byte 1, preempt byte 0 */
}

void abi_vregs(void)
{
    L4_Word_t w[3] = { 0 };
    L4_Msg_t m;

    tcr_words();

    abi_start("ABI0042 MR i is word +i, BR i is word -16-i");
    abi_enter();
    L4_LoadMR(5, 0x55);
    L4_LoadMRs(10, 3, (L4_Word_t[]){ 0xa, 0xb, 0xc });
    L4_LoadBR(0, 0xb0);
    L4_LoadBR(32, 0xb32);
    L4_LoadBRs(1, 2, (L4_Word_t[]){ 0xb1, 0xb2 });
    L4_StoreMRs(10, 3, w);
    abi_leave();
    CHECK(abi_utcb[5], 0x55);
    CHECK(abi_utcb[12], 0xc);
    CHECK(w[0], 0xa);
    CHECK(abi_utcb[-16], 0xb0);
    CHECK(abi_utcb[-17], 0xb1);
    CHECK(abi_utcb[-18], 0xb2);
    CHECK(abi_utcb[-48], 0xb32);

    abi_start("ABI0043 L4_MsgLoad puts the tag in MR0 and the words after it; L4_Accept in BR0");
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x1234);
    L4_MsgAppendWord(&m, 0x11);
    L4_MsgAppendWord(&m, 0x22);
    abi_enter();
    L4_MsgLoad(&m);
    L4_Accept(L4_StringItemsAcceptor);
    abi_leave();
    CHECK(abi_utcb[0], 0x12340002);
    CHECK(abi_utcb[1], 0x11);
    CHECK(abi_utcb[2], 0x22);
    CHECK(abi_utcb[-16], 1);
}

void abi_kdb_io(void)
{
    abi_start("ABI0050 KDB_PrintChar / PrintString: int3; cmpb $0/$1, %al with the argument in EAX");
    abi_enter();
    L4_KDB_PrintChar('x');
    abi_leave();
    CHECK(abi_traps.kdb_op, 0x00);
    CHECK(abi_traps.kdb_eax, 'x');
    static const char msg[] = "hello";
    abi_enter();
    L4_KDB_PrintString(msg);
    abi_leave();
    CHECK(abi_traps.kdb_op, 0x01);
    CHECK(abi_traps.kdb_eax, msg);

    abi_start("ABI0054 KDB_PrintString reads its string before the trap (unmapped pages get mapped)");
    const char *guarded = abi_guarded_string("not mapped yet");
    L4_Word_t traps = abi_traps.kdb_traps;
    abi_enter();
    L4_KDB_PrintString(guarded);
    abi_leave();
    CHECK(abi_traps.guard_faults, 1);
    CHECK(abi_traps.kdb_traps_at_guard, traps);
    CHECK(abi_traps.kdb_traps, traps + 1);
    CHECK(abi_traps.kdb_eax, guarded);

    abi_start("ABI0051 KDB_ReadChar(_Blocked): cmpb $8 / $0xd, result in EAX");
    abi_traps.kdb_reply = 'q';
    abi_enter();
    char c = L4_KDB_ReadChar();
    abi_leave();
    CHECK(abi_traps.kdb_op, 0x08);
    CHECK(c, 'q');
    abi_traps.kdb_reply = 'r';
    abi_enter();
    c = L4_KDB_ReadChar_Blocked();
    abi_leave();
    CHECK(abi_traps.kdb_op, 0x0d);
    CHECK(c, 'r');

    abi_start("ABI0052 KDB_Enter: int3; jmp over mov $message, %eax");
    abi_enter();
    L4_KDB_Enter("stop here");
    abi_leave();
    CHECK(abi_traps.kdb_op, 0x100 + 'E');
    CHECK(strcmp(abi_traps.kdb_string, "stop here"), 0);

    abi_start("ABI0053 outb/outw/outl and inb/inw/inl are in/out instructions");
    abi_enter();
    outb(0x60, 0x5a);
    abi_leave();
    CHECK(abi_traps.io_out, 1);
    CHECK(abi_traps.io_port, 0x60);
    CHECK(abi_traps.io_width, 1);
    CHECK(abi_traps.io_value, 0x5a);
    abi_enter();
    outw(0x1f0, 0xbeef);
    abi_leave();
    CHECK(abi_traps.io_port, 0x1f0);
    CHECK(abi_traps.io_width, 2);
    CHECK(abi_traps.io_value, 0xbeef);
    abi_enter();
    outl(0xcf8, 0x80000010);
    abi_leave();
    CHECK(abi_traps.io_width, 4);
    CHECK(abi_traps.io_value, 0x80000010);
    abi_traps.io_reply = 0x12345678;
    abi_enter();
    L4_Word_t b = inb(0x64), w = inw(0x1f0), l = inl(0xcfc);
    abi_leave();
    CHECK(abi_traps.io_out, 0);
    CHECK(abi_traps.io_port, 0xcfc);
    CHECK(b, 0x78);
    CHECK(w, 0x5678);
    CHECK(l, 0x12345678);
}
