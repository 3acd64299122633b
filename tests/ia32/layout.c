/* The X.2 types on ia32 against the reference (LAYOUT0001..): sizes and
 * field offsets as static asserts, and bit layouts as a runtime table that
 * sets each bit field to all ones (or builds a value with the API) and
 * compares the raw word with the reference's encoding.  Compiled with -m32
 * against l4/ia32 (tests/ia32/CMakeLists.txt). */
#include <stddef.h>
#include <stdio.h>
#include <l4/bootinfo.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/types.h>

/* Sizes: one word is 32 bits; time is 16 bits; the clock 64. */
_Static_assert(sizeof(L4_Word_t) == 4, "word");
_Static_assert(sizeof(void *) == 4, "pointer");
_Static_assert(sizeof(L4_ThreadId_t) == 4, "thread id");
_Static_assert(sizeof(L4_Fpage_t) == 4, "fpage");
_Static_assert(sizeof(L4_MsgTag_t) == 4, "message tag");
_Static_assert(sizeof(L4_Time_t) == 2, "time");
_Static_assert(sizeof(L4_Clock_t) == 8, "clock");
_Static_assert(sizeof(L4_MapItem_t) == 8 && sizeof(L4_GrantItem_t) == 8, "map/grant item");
_Static_assert(sizeof(L4_StringItem_t) == 8, "string item");
_Static_assert(sizeof(L4_Acceptor_t) == 4, "acceptor");
_Static_assert(sizeof(L4_Msg_t) == 64 * 4, "64 message registers");
_Static_assert(sizeof(L4_MsgBuffer_t) == 32 * 4, "32 buffer registers after BR0");
_Static_assert(sizeof(L4_MemoryDesc_t) == 8, "memory descriptor");
_Static_assert(sizeof(L4_KernelInterfacePage_t) == 72 * 4, "KIP through word 71");
_Static_assert(sizeof(L4_BootInfo_t) == 32 && sizeof(L4_Boot_Module_t) == 24, "boot info");

/* KIP fields at their byte offsets in the 32-bit KIP. */
#define KIP_AT(field, off) \
    _Static_assert(offsetof(L4_KernelInterfacePage_t, field) == (off), "KIP " #field)
KIP_AT(magic, 0x00);
KIP_AT(ApiVersion, 0x04);
KIP_AT(ApiFlags, 0x08);
KIP_AT(KernelDescPtr, 0x0c);
KIP_AT(Kdebug, 0x10);
KIP_AT(Sigma0, 0x20);
KIP_AT(Sigma1, 0x30);
KIP_AT(RootServer, 0x40);
KIP_AT(MemoryInfo, 0x54);
KIP_AT(KdebugConfig, 0x58);
KIP_AT(UtcbAreaInfo, 0xa8);
KIP_AT(KipAreaInfo, 0xac);
KIP_AT(BootInfo, 0xb8);
KIP_AT(ProcDescPtr, 0xbc);
KIP_AT(ClockInfo, 0xc0);
KIP_AT(ThreadInfo, 0xc4);
KIP_AT(PageInfo, 0xc8);
KIP_AT(ProcessorInfo, 0xcc);
KIP_AT(SpaceControl, 0xd0);
KIP_AT(ThreadControl, 0xd4);
KIP_AT(ProcessorControl, 0xd8);
KIP_AT(MemoryControl, 0xdc);
KIP_AT(Ipc, 0xe0);
KIP_AT(Lipc, 0xe4);
KIP_AT(Unmap, 0xe8);
KIP_AT(ExchangeRegisters, 0xec);
KIP_AT(SystemClock, 0xf0);
KIP_AT(ThreadSwitch, 0xf4);
KIP_AT(Schedule, 0xf8);

/* UTCB words (from MR0) as the reference lists them. */
_Static_assert(__L4_TCR_MY_GLOBAL_ID == -15 && __L4_TCR_PROCESSOR_NO == -14, "TCR");
_Static_assert(__L4_TCR_USER_DEFINED_HANDLE == -13 && __L4_TCR_PAGER == -12, "TCR");
_Static_assert(__L4_TCR_EXCEPTION_HANDLER == -11 && __L4_TCR_FLAGS == -10, "TCR");
_Static_assert(__L4_TCR_ERROR_CODE == -9 && __L4_TCR_XFER_TIMEOUT == -8, "TCR");
_Static_assert(__L4_TCR_INTENDED_RECEIVER == -7 && __L4_TCR_ACTUAL_SENDER == -6, "TCR");
_Static_assert(__L4_TCR_THREAD_WORD_1 == -5 && __L4_TCR_THREAD_WORD_0 == -4, "TCR");
_Static_assert(__L4_TCR_BR_OFFSET == -16 && __L4_NUM_MRS == 64 && __L4_NUM_BRS == 33, "MR/BR");

typedef struct {
    const char *what;
    L4_Word64_t got, want;
} row_t;

#define ONES(type, member) ({ type v_; v_.raw = 0; v_.member--; (L4_Word64_t)v_.raw; })
#define ONES2(type, member) ({ type v_; v_.raw[0] = v_.raw[1] = 0; v_.member--; \
                               ((L4_Word64_t)v_.raw[1] << 32) | v_.raw[0]; })
#define ROW(what, got, want) { what, (L4_Word64_t)(got), (L4_Word64_t)(want) }

int main(void);

int main(void)
{
    L4_MsgTag_t tag = L4_Niltag;
    L4_Clock_t clk = { .raw = 0x0000000100000002ULL };
    const row_t rows[] = {
        /* thread ids: version 14 bits, thread number 18 above it */
        ROW("LAYOUT0001 tid version", ONES(L4_ThreadId_t, global.X.version), 0x00003fff),
        ROW("LAYOUT0002 tid thread_no", ONES(L4_ThreadId_t, global.X.thread_no), 0xffffc000),
        ROW("LAYOUT0003 tid local_id", ONES(L4_ThreadId_t, local.X.local_id), 0xffffffc0),
        ROW("LAYOUT0004 L4_GlobalId", L4_GlobalId(0x12345, 0x2a).raw, 0x12345UL << 14 | 0x2a),
        ROW("LAYOUT0005 L4_anythread", L4_anythread.raw, 0xffffffff),
        ROW("LAYOUT0006 L4_anylocalthread", L4_anylocalthread.raw, 0xffffffc0),
        /* fpages: rwx 3, extended 1, s 6, b 22 */
        ROW("LAYOUT0010 fpage rwx", ONES(L4_Fpage_t, X.rwx), 0x7),
        ROW("LAYOUT0011 fpage s", ONES(L4_Fpage_t, X.s), 0x3f0),
        ROW("LAYOUT0012 fpage b", ONES(L4_Fpage_t, X.b), 0xfffffc00),
        ROW("LAYOUT0013 L4_Fpage", L4_Fpage(0x12345000, 0x1000).raw, 0x12345000 | 12 << 4),
        ROW("LAYOUT0014 L4_CompleteAddressSpace", L4_CompleteAddressSpace.raw, 0x10),
        ROW("LAYOUT0015 4 GiB rounds to complete", L4_Fpage(0, 0xffffffff).raw, 0x10),
        /* message tags: u 6, t 6, flags 4, label 16 */
        ROW("LAYOUT0020 tag u", ONES(L4_MsgTag_t, X.u), 0x3f),
        ROW("LAYOUT0021 tag t", ONES(L4_MsgTag_t, X.t), 0xfc0),
        ROW("LAYOUT0022 tag flags", ONES(L4_MsgTag_t, X.flags), 0xf000),
        ROW("LAYOUT0023 tag label", ONES(L4_MsgTag_t, X.label), 0xffff0000),
        ROW("LAYOUT0024 MsgTagAddLabel", L4_MsgTagAddLabel(tag, 0xffe0).raw, 0xffe00000),
        ROW("LAYOUT0025 error flag", (L4_Word_t)1 << 15, 0x8000),
        /* map / grant / string items */
        ROW("LAYOUT0030 map item", L4_MapItem(L4_FpageLog2(0x4000, 12), 0x8000).raw[0], 0x8000 | 8),
        ROW("LAYOUT0031 map item fpage", L4_MapItem(L4_FpageLog2(0x4000, 12), 0x8000).raw[1],
            0x4000 | 12 << 4),
        ROW("LAYOUT0032 grant item", L4_GrantItem(L4_FpageLog2(0x4000, 12), 0x8000).raw[0], 0x8000 | 10),
        ROW("LAYOUT0033 string item", L4_StringItem(100, (void *)0x1234).raw[0], 100 << 10),
        ROW("LAYOUT0034 string address", L4_StringItem(100, (void *)0x1234).raw[1], 0x1234),
        ROW("LAYOUT0035 string max length", L4_StringItem(0x3fffff, (void *)0).raw[0], 0xfffffc00),
        /* time: period m 10, e 5, a 0; point m 10, c 1, e 4, a 1 */
        ROW("LAYOUT0040 period m", ONES(L4_Time_t, period.m), 0x03ff),
        ROW("LAYOUT0041 period e", ONES(L4_Time_t, period.e), 0x7c00),
        ROW("LAYOUT0042 point c", ONES(L4_Time_t, point.c), 0x0400),
        ROW("LAYOUT0043 point e", ONES(L4_Time_t, point.e), 0x7800),
        ROW("LAYOUT0044 point a", ONES(L4_Time_t, point.a), 0x8000),
        ROW("LAYOUT0045 L4_ZeroTime", L4_ZeroTime.raw, 0x0400),
        ROW("LAYOUT0046 L4_Never", L4_Never.raw, 0),
        ROW("LAYOUT0047 timeouts word", L4_Timeouts(L4_ZeroTime, L4_Never), 0x04000000),
        ROW("LAYOUT0048 clock low/high", clk.X.low + ((L4_Word64_t)clk.X.high << 32), clk.raw),
        /* acceptor: s 1, c 1, window from bit 4 */
        ROW("LAYOUT0050 acceptor s", ONES(L4_Acceptor_t, X.s), 0x1),
        ROW("LAYOUT0051 acceptor c", ONES(L4_Acceptor_t, X.c), 0x2),
        ROW("LAYOUT0052 acceptor window", ONES(L4_Acceptor_t, X.RcvWindow), 0xfffffff0),
        /* KIP words */
        ROW("LAYOUT0060 KernelId id", ONES(L4_KernelId_t, x.id), 0xff000000),
        ROW("LAYOUT0061 ApiVersion version", ONES(L4_ApiVersion_t, x.version), 0xff000000),
        ROW("LAYOUT0062 ApiFlags ww", ONES(L4_ApiFlags_t, x.ww), 0xc),
        ROW("LAYOUT0063 UtcbAreaInfo s", ONES(__typeof__(((L4_KernelInterfacePage_t *)0)->UtcbAreaInfo), X.s),
            0x3f0000),
        ROW("LAYOUT0064 ThreadInfo UserBase", ONES(__typeof__(((L4_KernelInterfacePage_t *)0)->ThreadInfo),
                                                  X.UserBase), 0xfff00000),
        ROW("LAYOUT0065 ProcessorInfo s", ONES(__typeof__(((L4_KernelInterfacePage_t *)0)->ProcessorInfo),
                                               X.s), 0xf0000000),
        ROW("LAYOUT0066 memory desc low", ONES2(L4_MemoryDesc_t, x.low), 0xfffffc00ULL),
        ROW("LAYOUT0067 memory desc high", ONES2(L4_MemoryDesc_t, x.high), 0xfffffc00ULL << 32),
        ROW("LAYOUT0068 memory desc v", ONES2(L4_MemoryDesc_t, x.v), 0x200),
        ROW("LAYOUT0069 L4_MAGIC", L4_MAGIC, 0x4be6344c),
    };
    int failed = 0, n = (int)(sizeof rows / sizeof rows[0]);

    for (int i = 0; i < n; i++) {
        if (rows[i].got != rows[i].want) {
            printf("FAIL %s: %#llx, want %#llx\n", rows[i].what, rows[i].got, rows[i].want);
            failed++;
        }
    }
    printf("%d passed, %d failed\n", n - failed, failed);
    return failed != 0;
}
