/* S0xxxx: the sigma0 protocol: a specific page, any page of a size, device
 * memory, idempotence for the same requester, refusal (nil fpage) for
 * someone else's or reserved memory, malformed requests, the KIP's
 * physical memory map, and sigma0 as the root task's pager. */
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/sigma0.h>
#include <l4/space.h>

#include "ptest.h"
#include "pt_mem.h"

#define MiB (1UL << 20)

static L4_ThreadId_t sigma0(void)
{
    return L4_GlobalId(L4_ThreadIdUserBase(L4_GetKernelInterface()), 1);
}

/* A window of 2^log2 bytes in our own space, fresh for every call. */
static L4_Word_t window(int log2)
{
    static L4_Word_t next;
    L4_Word_t size = 1UL << log2;
    L4_Word_t lo = lib_usable_base() + 40 * MiB, hi = lib_usable_end() - MiB;
    if (next < lo || next + size > hi)
        next = lo;
    L4_Word_t at = (next + size - 1) & ~(size - 1);
    next = at + size;
    return at;
}

static L4_Fpage_t get(L4_Word_t phys, int log2, L4_Word_t rights, L4_Word_t *at)
{
    *at = window(log2);
    L4_Fpage_t f = L4_FpageLog2(phys, log2);
    L4_Set_Rights(&f, rights);
    return L4_Sigma0_GetPage_RcvWindow(sigma0(), f, L4_FpageLog2(*at, log2));
}

/* The physical range of the first KIP descriptor of a type. */
static bool phys_range(L4_Word_t type, L4_Word_t *lo, L4_Word_t *hi)
{
    void *kip = L4_GetKernelInterface();
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
        if (!L4_IsMemoryDescVirtual(d) && L4_MemoryDescType(d) == type) {
            *lo = L4_MemoryDescLow(d);
            *hi = L4_MemoryDescHigh(d);
            return true;
        }
    }
    return false;
}

DEFINE_TEST(S00001, "the KIP describes conventional memory, reserved low memory and the VGA buffer")
{
    L4_Word_t lo, hi;
    PT_ASSERT(phys_range(L4_ConventionalMemoryType, &lo, &hi));
    PT_EQ(lo, 0);
    PT_ASSERT(hi + 1 >= 16 * MiB);
    PT_ASSERT(phys_range(L4_ReservedMemoryType, &lo, &hi));
    PT_EQ(lo, 0);
    PT_EQ(hi + 1, 2 * MiB);
    PT_ASSERT(phys_range(L4_DedicatedMemoryType, &lo, &hi));
    PT_EQ(lo, 0xB8000);
    PT_EQ(hi + 1, 0xC0000);
}

DEFINE_TEST(S00002, "a specific page: sigma0 maps it where asked, zero-filled and writable")
{
    L4_Word_t at;
    L4_Fpage_t f = get(8 * MiB, 12, L4_FullyAccessible, &at);
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(L4_Address(f), 8 * MiB);
    PT_EQ(L4_Size(f), 4096);
    PT_EQ(((volatile L4_Word_t *)at)[3], 0);
    ((volatile L4_Word_t *)at)[3] = 0x5050;
    PT_EQ(((volatile L4_Word_t *)at)[3], 0x5050);
}

DEFINE_TEST(S00003, "asking again for one's own page succeeds again, with the same frame")
{
    L4_Word_t at, at2;
    L4_Fpage_t f = get(8 * MiB + 0x1000, 12, L4_FullyAccessible, &at);
    PT_ASSERT(!L4_IsNilFpage(f));
    ((volatile L4_Word_t *)at)[0] = 0x6060;
    L4_Fpage_t g = get(8 * MiB + 0x1000, 12, L4_FullyAccessible, &at2);
    PT_EQ(g.raw, f.raw);
    PT_EQ(((volatile L4_Word_t *)at2)[0], 0x6060);
}

DEFINE_TEST(S00004, "someone else's page is refused with the nil fpage")
{
    L4_Word_t at;
    PT_ASSERT(!L4_IsNilFpage(get(8 * MiB + 0x2000, 12, L4_FullyAccessible, &at)));
    L4_ThreadId_t a = pm_agent();
    L4_Word_t win = pm_base(a) + 0x10000;
    PT_ASSERT(L4_IsNilFpage(pm_sigma0(a, L4_FpageLog2(8 * MiB + 0x2000, 12), L4_FpageLog2(win, 12))));
}

DEFINE_TEST(S00005, "another task gets a different specific page and sees its own data")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t win = pm_base(a) + 0x11000, v;
    L4_Fpage_t f = pm_sigma0(a, L4_FpageAddRights(L4_FpageLog2(9 * MiB, 12), L4_ReadWriteOnly),
                             L4_FpageLog2(win, 12));
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_ASSERT(pm_write(a, win, 0x7070));
    PT_ASSERT(pm_read(a, win, &v));
    PT_EQ(v, 0x7070);
}

DEFINE_TEST(S00006, "any page of 4 KiB: a free conventional page above reserved memory")
{
    L4_Word_t at = window(12);
    L4_Fpage_t f = L4_Sigma0_GetAny(sigma0(), 12, L4_FpageLog2(at, 12));
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(L4_Size(f), 4096);
    PT_ASSERT(L4_Address(f) >= 2 * MiB);
    PT_EQ(L4_Address(f) & 0xfff, 0);
    ((volatile L4_Word_t *)at)[0] = 1;
}

DEFINE_TEST(S00007, "two requests for any page give two different pages")
{
    L4_Fpage_t f = L4_Sigma0_GetAny(sigma0(), 12, L4_FpageLog2(window(12), 12));
    L4_Fpage_t g = L4_Sigma0_GetAny(sigma0(), 12, L4_FpageLog2(window(12), 12));
    PT_ASSERT(!L4_IsNilFpage(f) && !L4_IsNilFpage(g));
    PT_ASSERT(L4_Address(f) != L4_Address(g));
}

DEFINE_TEST(S00008, "any page of 64 KiB is aligned to its size and fully usable")
{
    L4_Word_t at = window(16);
    L4_Fpage_t f = L4_Sigma0_GetAny(sigma0(), 16, L4_FpageLog2(at, 16));
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(L4_Size(f), 0x10000);
    PT_EQ(L4_Address(f) & 0xffff, 0);
    for (L4_Word_t off = 0; off < 0x10000; off += 0x1000)
        ((volatile L4_Word_t *)(at + off))[0] = off;
    PT_EQ(((volatile L4_Word_t *)(at + 0xf000))[0], 0xf000);
}

DEFINE_TEST(S00009, "any page of 2 MiB")
{
    L4_Word_t at = window(21);
    L4_Fpage_t f = L4_Sigma0_GetAny(sigma0(), 21, L4_FpageLog2(at, 21));
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(L4_Address(f) & (2 * MiB - 1), 0);
    ((volatile L4_Word_t *)(at + 2 * MiB - 8))[0] = 9;
}

DEFINE_TEST(S00010, "device memory: the VGA text buffer page is handed out on request")
{
    L4_Word_t at;
    L4_Fpage_t f = get(0xB8000, 12, L4_ReadWriteOnly, &at);
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(L4_Address(f), 0xB8000);
    ((volatile unsigned short *)at)[0] = 0x0741;     /* 'A', grey on black */
    PT_EQ(((volatile unsigned short *)at)[0], 0x0741);
}

DEFINE_TEST(S00011, "device memory belongs to its first requester; others are refused")
{
    L4_Word_t at;
    PT_ASSERT(!L4_IsNilFpage(get(0xB9000, 12, L4_ReadWriteOnly, &at)));
    L4_ThreadId_t a = pm_agent();
    L4_Word_t win = pm_base(a) + 0x12000;
    PT_ASSERT(L4_IsNilFpage(pm_sigma0(a, L4_FpageLog2(0xB9000, 12), L4_FpageLog2(win, 12))));
}

DEFINE_TEST(S00012, "device memory is never handed out as any page")
{
    for (int i = 0; i < 8; i++) {
        L4_Fpage_t f = L4_Sigma0_GetAny(sigma0(), 12, L4_FpageLog2(window(12), 12));
        PT_ASSERT(!L4_IsNilFpage(f));
        PT_ASSERT(L4_Address(f) >= 2 * MiB);
    }
}

DEFINE_TEST(S00013, "L4_Sigma0_GetSpecial maps the dedicated (VGA) memory at a given address")
{
    L4_Word_t at = window(15);
    void *p = L4_Sigma0_GetSpecial(L4_DedicatedMemoryType, (void *)at, 4096);
    PT_EQ((L4_Word_t)p, at);
    /* pages 0xB8000, 0xB9000 are ours already; the rest arrive now */
    ((volatile unsigned short *)(at + 0x7000))[0] = 0x0742;
    PT_EQ(((volatile unsigned short *)(at + 0x7000))[0], 0x0742);
}

DEFINE_TEST(S00014, "reserved memory is refused: physical 0, the 1 MiB kernel area, an fpage over it")
{
    L4_Word_t at;
    PT_ASSERT(L4_IsNilFpage(get(0, 12, L4_FullyAccessible, &at)));
    PT_ASSERT(L4_IsNilFpage(get(1 * MiB, 12, L4_FullyAccessible, &at)));
    PT_ASSERT(L4_IsNilFpage(get(0, 21, L4_FullyAccessible, &at)));
    PT_ASSERT(L4_IsNilFpage(get(0x9F000, 12, L4_FullyAccessible, &at)));
}

DEFINE_TEST(S00015, "memory beyond the physical map is refused")
{
    L4_Word_t lo, hi, at;
    PT_ASSERT(phys_range(L4_ConventionalMemoryType, &lo, &hi));
    PT_ASSERT(L4_IsNilFpage(get(hi + 1, 12, L4_FullyAccessible, &at)));
    PT_ASSERT(L4_IsNilFpage(get(hi + 1 + 64 * MiB, 12, L4_FullyAccessible, &at)));
}

DEFINE_TEST(S00016, "pages smaller than 4 KiB are refused")
{
    L4_Word_t at;
    PT_ASSERT(L4_IsNilFpage(get(10 * MiB, 10, L4_FullyAccessible, &at)));
    PT_ASSERT(L4_IsNilFpage(L4_Sigma0_GetAny(sigma0(), 11, L4_FpageLog2(window(12), 12))));
}

DEFINE_TEST(S00017, "a large page overlapping someone else's page is refused as a whole")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t win = pm_base(a) + 0x20000, at;
    PT_ASSERT(!L4_IsNilFpage(pm_sigma0(a, L4_FpageLog2(11 * MiB + 0x3000, 12), L4_FpageLog2(win, 12))));
    PT_ASSERT(L4_IsNilFpage(get(11 * MiB, 16, L4_FullyAccessible, &at)));
    PT_ASSERT(!L4_IsNilFpage(get(11 * MiB + 0x10000, 16, L4_FullyAccessible, &at)));
}

DEFINE_TEST(S00018, "rights asked for are the rights given: a read-only page cannot be written")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t win = pm_base(a) + 0x13000, v;
    L4_Fpage_t f = pm_sigma0(a, L4_FpageAddRights(L4_FpageLog2(12 * MiB, 12), L4_Readable),
                             L4_FpageLog2(win, 12));
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(L4_Rights(f), L4_Readable);
    PT_ASSERT(pm_read(a, win, &v));
    PT_EQ(v, 0);
    PT_ASSERT(!pm_write(a, win, 1));
    PT_EQ(pm_fault_label, lib_proto_label(-2) | L4_Writable);
}

/* Sends sigma0 a raw message and returns the fpage word of its reply. */
static L4_Word_t raw_request(L4_Word_t label, unsigned u, L4_Word_t w1, L4_Word_t w2, L4_MsgTag_t *tag)
{
    L4_Word_t w[2] = { w1, w2 };
    L4_LoadMRs(1, 2, w);
    L4_LoadMR(0, (label << 16) | u);
    L4_Accept(L4_MapGrantItems(L4_FpageLog2(window(12), 12)));
    /* sigma0 answers at once or never: a request it does not understand
     * gets no reply, so the receive phase times out */
    *tag = L4_Call_Timeouts(sigma0(), L4_Never, L4_TimePeriod(10000));
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_Word_t f;
    L4_StoreMR(2, &f);
    return f;
}

DEFINE_TEST(S00019, "a malformed sigma0 request (one word) gets no reply; the next good one is served")
{
    L4_MsgTag_t tag;
    raw_request(lib_proto_label(-6), 1, L4_FpageLog2(13 * MiB, 12).raw, 0, &tag);
    PT_IPC_ERR(tag, 1, 1);                  /* receive timeout */
    L4_Word_t f = raw_request(lib_proto_label(-6), 2, L4_FpageLog2(13 * MiB, 12).raw, 0, &tag);
    PT_IPC_OK(tag);
    PT_EQ(L4_Address((L4_Fpage_t){ .raw = f }), 13 * MiB);
}

DEFINE_TEST(S00020, "an unknown label gets no reply, as from Pistachio's sigma0")
{
    L4_MsgTag_t tag;
    raw_request(0x1234, 2, L4_FpageLog2(13 * MiB, 12).raw, 0, &tag);
    PT_IPC_ERR(tag, 1, 1);
}

DEFINE_TEST(S00021, "the request label is -6<<4 sign-extended; the 16-bit form is not sigma0's")
{
    L4_MsgTag_t tag;
    raw_request(0xffa0, 2, L4_FpageLog2(13 * MiB, 12).raw, 0, &tag);
    PT_IPC_ERR(tag, 1, 1);
    L4_Word_t f = raw_request(lib_proto_label(-6), 2, L4_FpageLog2(13 * MiB, 12).raw, 0, &tag);
    PT_EQ(L4_Address((L4_Fpage_t){ .raw = f }), 13 * MiB);
}

DEFINE_TEST(S00025, "a request of four untyped words, or a page fault of one, gets no reply")
{
    L4_MsgTag_t tag;
    raw_request(lib_proto_label(-6), 4, L4_FpageLog2(13 * MiB, 12).raw, 0, &tag);
    PT_IPC_ERR(tag, 1, 1);
    raw_request(lib_proto_label(-2) | 4, 1, 13 * MiB, 0, &tag);  /* a page fault of one word */
    PT_IPC_ERR(tag, 1, 1);
}

DEFINE_TEST(S00022, "sigma0 pages the root task: a touch of fresh window memory reads zero")
{
    volatile L4_Word_t *p = (volatile L4_Word_t *)(lib_usable_end() - 3 * MiB + 0x40);
    PT_EQ(p[0], 0);
    p[1] = 0xabc;
    PT_EQ(p[1], 0xabc);
}

DEFINE_TEST(S00023, "a page fault to sigma0 from another task is answered with a page")
{
    L4_ThreadId_t a = pm_agent();
    /* make sigma0 the agent's pager: ask it to fault at a fresh address */
    L4_Word_t addr = pm_base(a) + 0x30000;
    L4_MsgTag_t tag;
    L4_Word_t w[2] = { addr, 0x1234 };
    L4_LoadMRs(1, 2, w);
    L4_LoadMR(0, ((lib_proto_label(-2) | L4_Readable) << 16) | 2);
    L4_Accept(L4_MapGrantItems(L4_FpageLog2(window(12), 12)));
    tag = L4_Call(sigma0());
    L4_Accept(L4_UntypedWordsAcceptor);
    PT_IPC_OK(tag);
    PT_EQ(L4_TypedWords(tag), 2);
    L4_MapItem_t m;
    L4_StoreMRs(1, 2, m.raw);
    PT_ASSERT(!L4_IsNilFpage(L4_MapItemSndFpage(m)));
    PT_EQ(L4_MapItemSndBase(m), addr);
}

DEFINE_TEST(S00024, "a page unmapped by its owner can be asked for again and arrives again")
{
    L4_Word_t at, at2;
    L4_Fpage_t f = get(14 * MiB, 12, L4_FullyAccessible, &at);
    PT_ASSERT(!L4_IsNilFpage(f));
    ((volatile L4_Word_t *)at)[0] = 0x1414;
    L4_Flush(L4_FpageAddRights(L4_FpageLog2(at, 12), L4_FullyAccessible));
    f = get(14 * MiB, 12, L4_FullyAccessible, &at2);
    PT_ASSERT(!L4_IsNilFpage(f));
    PT_EQ(((volatile L4_Word_t *)at2)[0], 0x1414);
}
