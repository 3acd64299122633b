/* MAP0xxx: map and grant items, receive windows, Unmap and Flush
 * (recursive, partial, rights reduction, status bits), and memory
 * isolation through the API: a task cannot map, grant or unmap what it
 * does not hold. */
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/space.h>
#include <l4/thread.h>

#include "ptest.h"
#include "pt_mem.h"

#define R L4_Readable
#define W L4_Writable
#define X L4_eXecutable
#define RW (R | W)

static L4_Fpage_t fp(L4_Word_t base, int log2, L4_Word_t rights)
{
    return L4_FpageAddRights(L4_FpageLog2(base, log2), rights);
}

/* A page of ours holding `value` in its first word. */
static L4_Word_t page_with(L4_Word_t value)
{
    L4_Word_t p = pm_page(12);
    if (p)
        ((L4_Word_t *)p)[0] = value;
    return p;
}

/* Maps our page to agent a at its address at (a 4 KiB receive window). */
static void give(L4_ThreadId_t a, L4_Word_t page, L4_Word_t rights, L4_Word_t at)
{
    pm_map(a, fp(page, 12, rights), at, L4_FpageLog2(at, 12));
}

static bool reads(L4_ThreadId_t a, L4_Word_t at, L4_Word_t want)
{
    L4_Word_t v;
    return pm_read(a, at, &v) && v == want;
}

DEFINE_TEST(MAP0001, "a mapped page shows the sender's data in the receiver")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(0x1111), at = pm_base(a) + 0x10000;
    give(a, p, RW, at);
    PT_ASSERT(reads(a, at, 0x1111));
}

DEFINE_TEST(MAP0002, "sender and receiver share the frame: writes are seen both ways")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(1), at = pm_base(a) + 0x11000;
    give(a, p, RW, at);
    PT_ASSERT(pm_write(a, at + 8, 0x2222));
    PT_EQ(((L4_Word_t *)p)[1], 0x2222);
    ((L4_Word_t *)p)[2] = 0x3333;
    PT_ASSERT(reads(a, at + 16, 0x3333));
}

DEFINE_TEST(MAP0003, "a read-only mapping can be read, a write to it faults")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(3), at = pm_base(a) + 0x12000;
    give(a, p, R, at);
    PT_ASSERT(reads(a, at, 3));
    PT_ASSERT(!pm_write(a, at, 4));
    PT_EQ(pm_fault_label, lib_proto_label(-2) | W);
}

DEFINE_TEST(MAP0004, "never more rights than the sender holds: rw sent from a read-only page arrives read-only")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(4), at = pm_base(a) + 0x13000, bt = pm_base(b) + 0x13000;
    give(a, p, R, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    PT_ASSERT(reads(b, bt, 4));
    PT_ASSERT(!pm_write(b, bt, 5));
    PT_EQ(((L4_Word_t *)p)[0], 4);
}

DEFINE_TEST(MAP0005, "a receiver gets the map item in its MRs, typed words 2")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(5), at = pm_base(a) + 0x14000;
    L4_MapItem_t m = pm_map(a, fp(p, 12, RW), at, L4_FpageLog2(at, 12));
    PT_ASSERT(L4_IsMapItem(m));
    PT_EQ(L4_MapItemSndFpage(m).raw, fp(p, 12, RW).raw);
    PT_EQ(L4_MapItemSndBase(m), at);
}

DEFINE_TEST(MAP0006, "a grant moves the page: the granter loses it, the receiver has it")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(6), at = pm_base(a) + 0x15000, bt = pm_base(b) + 0x15000;
    give(a, p, RW, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), true);
    PT_ASSERT(reads(b, bt, 6));
    PT_ASSERT(!reads(a, at, 6));
    PT_EQ(pm_fault_addr, at);
}

DEFINE_TEST(MAP0007, "a grant item from us to an agent: the agent holds the page, we do not")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(7), at = pm_base(a) + 0x16000;
    pm_grant(a, fp(p, 12, RW), at, L4_FpageLog2(at, 12));
    PT_ASSERT(reads(a, at, 7));
    /* our address now faults to sigma0, which gives us a fresh zero page */
    PT_EQ(((volatile L4_Word_t *)p)[0], 0);
    PT_ASSERT(reads(a, at, 7));
}

DEFINE_TEST(MAP0008, "unmap revokes the receiver's mapping; the sender keeps its own")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(8), at = pm_base(a) + 0x17000;
    give(a, p, RW, at);
    PT_ASSERT(reads(a, at, 8));
    L4_UnmapFpage(fp(p, 12, L4_FullyAccessible));
    PT_ASSERT(!reads(a, at, 8));
    PT_EQ(((L4_Word_t *)p)[0], 8);
}

DEFINE_TEST(MAP0009, "unmap is recursive: mappings derived from the receiver's go too")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(9), at = pm_base(a) + 0x18000, bt = pm_base(b) + 0x18000;
    give(a, p, RW, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    PT_ASSERT(reads(b, bt, 9));
    L4_UnmapFpage(fp(p, 12, L4_FullyAccessible));
    PT_ASSERT(!reads(b, bt, 9));
    PT_ASSERT(!reads(a, at, 9));
}

DEFINE_TEST(MAP0010, "an agent's unmap revokes only what it mapped on, not its own page or ours")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(10), at = pm_base(a) + 0x19000, bt = pm_base(b) + 0x19000;
    give(a, p, RW, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    pm_unmap(a, fp(at, 12, L4_FullyAccessible), false);
    PT_ASSERT(!reads(b, bt, 10));
    PT_ASSERT(reads(a, at, 10));
    PT_EQ(((L4_Word_t *)p)[0], 10);
}

DEFINE_TEST(MAP0011, "flush revokes the caller's own mapping as well")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(11), at = pm_base(a) + 0x1a000, bt = pm_base(b) + 0x1a000;
    give(a, p, RW, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    pm_unmap(a, fp(at, 12, L4_FullyAccessible), true);
    PT_ASSERT(!reads(a, at, 11));
    PT_ASSERT(!reads(b, bt, 11));
    PT_EQ(((L4_Word_t *)p)[0], 11);
}

DEFINE_TEST(MAP0012, "partial unmap of a larger fpage: only the named 4 KiB page goes")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = pm_page(14), at = pm_base(a) + 0x20000;
    for (int i = 0; i < 4; i++)
        ((L4_Word_t *)(p + i * 4096))[0] = 100 + i;
    pm_map(a, fp(p, 14, RW), at, L4_FpageLog2(at, 14));
    for (int i = 0; i < 4; i++)
        PT_ASSERT(reads(a, at + i * 4096, 100 + i));
    L4_UnmapFpage(fp(p + 4096, 12, L4_FullyAccessible));
    PT_ASSERT(reads(a, at, 100));
    PT_ASSERT(!reads(a, at + 4096, 101));
    PT_ASSERT(reads(a, at + 2 * 4096, 102));
    PT_ASSERT(reads(a, at + 3 * 4096, 103));
}

DEFINE_TEST(MAP0013, "rights reduction: unmapping w leaves a readable mapping")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(13), at = pm_base(a) + 0x1b000;
    give(a, p, RW, at);
    PT_ASSERT(pm_write(a, at + 8, 1));
    L4_UnmapFpage(fp(p, 12, W));
    PT_ASSERT(reads(a, at, 13));
    PT_ASSERT(!pm_write(a, at + 8, 2));
    PT_EQ(pm_fault_label, lib_proto_label(-2) | W);
}

DEFINE_TEST(MAP0014, "rights reduction is recursive")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(14), at = pm_base(a) + 0x1c000, bt = pm_base(b) + 0x1c000;
    give(a, p, RW, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    L4_UnmapFpage(fp(p, 12, W));
    PT_ASSERT(reads(b, bt, 14));
    PT_ASSERT(!pm_write(b, bt, 1));
    PT_ASSERT(!pm_write(a, at, 1));
}

DEFINE_TEST(MAP0015, "a send fpage larger than the window: snd_base picks the window-sized part")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = pm_page(14), at = pm_base(a) + 0x30000;
    for (int i = 0; i < 4; i++)
        ((L4_Word_t *)(p + i * 4096))[0] = 150 + i;
    pm_map(a, fp(p, 14, RW), 3 * 4096, L4_FpageLog2(at, 12));
    PT_ASSERT(reads(a, at, 153));
}

DEFINE_TEST(MAP0016, "a send fpage smaller than the window lands at snd_base within it")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(16), win = pm_base(a) + 0x40000;
    pm_map(a, fp(p, 12, RW), 0x5000, L4_FpageLog2(win, 16));
    PT_ASSERT(reads(a, win + 0x5000, 16));
    PT_ASSERT(!reads(a, win, 16));
}

DEFINE_TEST(MAP0017, "snd_base is taken modulo the window size")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(17), win = pm_base(a) + 0x50000;
    pm_map(a, fp(p, 12, RW), 0x12347000, L4_FpageLog2(win, 16));
    PT_ASSERT(reads(a, win + 0x7000, 17));
}

DEFINE_TEST(MAP0019, "the complete address space as window: the page lands at snd_base")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(19), at = pm_base(a) + 0x1e000;
    pm_map(a, fp(p, 12, RW), at, L4_CompleteAddressSpace);
    PT_ASSERT(reads(a, at, 19));
}

DEFINE_TEST(MAP0020, "a page the sender does not hold is not mapped")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t at = pm_base(a) + 0x1f000;
    L4_Word_t mine = lib_usable_end() - 0x80000;        /* never touched, not held */
    pm_map(a, fp(mine, 12, RW), at, L4_FpageLog2(at, 12));
    PT_ASSERT(!reads(a, at, 0));
}

DEFINE_TEST(MAP0021, "isolation: an agent cannot map pages of our window that it names")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(21), bt = pm_base(b) + 0x21000;
    /* a names our page's address: in a's space that is a's own (empty) page */
    pm_pass(a, b, fp(p, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    PT_ASSERT(!reads(b, bt, 21));
}

DEFINE_TEST(MAP0022, "isolation: an agent cannot grant what it does not hold")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(22), bt = pm_base(b) + 0x22000;
    pm_pass(a, b, fp(p, 12, RW), bt, L4_FpageLog2(bt, 12), true);
    PT_ASSERT(!reads(b, bt, 22));
    PT_EQ(((L4_Word_t *)p)[0], 22);
}

DEFINE_TEST(MAP0023, "isolation: an agent's unmap of addresses it does not hold revokes nothing of ours")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(23), bt = pm_base(b) + 0x23000;
    give(b, p, RW, bt);
    pm_unmap(a, fp(p, 12, L4_FullyAccessible), true);
    pm_unmap(a, fp(bt, 12, L4_FullyAccessible), true);
    pm_unmap(a, L4_FpageAddRights(L4_CompleteAddressSpace, L4_FullyAccessible), true);
    PT_ASSERT(reads(b, bt, 23));
}

DEFINE_TEST(MAP0024, "status: unmap reports the accesses of derived mappings and resets them")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(24), at = pm_base(a) + 0x24000;
    give(a, p, RW, at);
    L4_GetStatus(fp(p, 12, 0));
    PT_ASSERT(pm_write(a, at, 1));
    L4_Fpage_t s = L4_UnmapFpage(fp(p, 12, 0));
    PT_ASSERT(L4_WasWritten(s));
    PT_ASSERT(L4_WasReferenced(s));
    s = L4_UnmapFpage(fp(p, 12, 0));
    PT_EQ(L4_Rights(s), 0);
    PT_ASSERT(reads(a, at, 1));         /* unmapping no rights revokes nothing */
}

DEFINE_TEST(MAP0025, "mapping over a receiver's different page replaces it")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(25), q = page_with(26), at = pm_base(a) + 0x25000;
    give(a, p, RW, at);
    PT_ASSERT(reads(a, at, 25));
    give(a, q, RW, at);
    PT_ASSERT(reads(a, at, 26));
    L4_UnmapFpage(fp(p, 12, L4_FullyAccessible));
    PT_ASSERT(reads(a, at, 26));
}

DEFINE_TEST(MAP0026, "mapping the same page again with more rights extends the mapping")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(27), at = pm_base(a) + 0x26000;
    give(a, p, R, at);
    PT_ASSERT(!pm_write(a, at + 8, 1));
    give(a, p, RW, at);
    PT_ASSERT(pm_write(a, at + 8, 2));
    PT_EQ(((L4_Word_t *)p)[1], 2);
}

DEFINE_TEST(MAP0027, "a grant with fewer rights reduces the moved mapping and what derives from it")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent(), c = pm_agent();
    L4_Word_t p = page_with(28), at = pm_base(a) + 0x27000, bt = pm_base(b) + 0x27000,
              ct = pm_base(c) + 0x27000;
    give(a, p, RW, at);
    pm_pass(a, c, fp(at, 12, RW), ct, L4_FpageLog2(ct, 12), false);
    pm_pass(a, b, fp(at, 12, R), bt, L4_FpageLog2(bt, 12), true);
    PT_ASSERT(reads(b, bt, 28));
    PT_ASSERT(reads(c, ct, 28));
    PT_ASSERT(!pm_write(c, ct, 1));
    /* (b's fault is served with another page, which flushes c's: last) */
    PT_ASSERT(!pm_write(b, bt, 1));
}

DEFINE_TEST(MAP0028, "a grant keeps derived mappings; unmapping at the source still reaches them")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent(), c = pm_agent();
    L4_Word_t p = page_with(29), at = pm_base(a) + 0x28000, bt = pm_base(b) + 0x28000,
              ct = pm_base(c) + 0x28000;
    give(a, p, RW, at);
    pm_pass(a, c, fp(at, 12, RW), ct, L4_FpageLog2(ct, 12), false);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), true);
    PT_ASSERT(reads(c, ct, 29));
    L4_UnmapFpage(fp(p, 12, L4_FullyAccessible));
    PT_ASSERT(!reads(b, bt, 29));
    PT_ASSERT(!reads(c, ct, 29));
}

DEFINE_TEST(MAP0029, "deleting a task flushes the mappings derived from its pages")
{
    L4_ThreadId_t a = pm_agent(), b = pm_agent();
    L4_Word_t p = page_with(30), at = pm_base(a) + 0x29000, bt = pm_base(b) + 0x29000;
    give(a, p, RW, at);
    pm_pass(a, b, fp(at, 12, RW), bt, L4_FpageLog2(bt, 12), false);
    pt_kill(a);
    PT_ASSERT(!reads(b, bt, 30));
    PT_EQ(((L4_Word_t *)p)[0], 30);
}

DEFINE_TEST(MAP0030, "mappings into the receiver's UTCB or KIP area are ignored")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(31);
    L4_Word_t utcb = pt_utcb_area_base() - lib_usable_base() + pm_base(a);   /* same layout */
    L4_Word_t v;
    PT_ASSERT(pm_read(a, utcb + 0x200 - 15 * 8, &v));   /* its own MyGlobalId TCR */
    pm_map(a, fp(p, 12, RW), utcb, L4_FpageLog2(utcb, 12));
    PT_ASSERT(pm_read(a, utcb + 0x200 - 15 * 8, &v));
    PT_ASSERT(v != 31);
}

DEFINE_TEST(MAP0031, "two map items in one message both arrive")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(32), q = page_with(33), at = pm_base(a) + 0x60000;
    /* two 4 KiB items into a 64 KiB window, at offsets 0 and 0x1000 */
    L4_ThreadId_t self = L4_Myself();
    (void)self;
    pm_map(a, fp(p, 12, RW), 0, L4_FpageLog2(at, 16));
    pm_map(a, fp(q, 12, RW), 0x1000, L4_FpageLog2(at, 16));
    PT_ASSERT(reads(a, at, 32));
    PT_ASSERT(reads(a, at + 0x1000, 33));
}

DEFINE_TEST(MAP0032, "Unmap of several fpages at once (L4_UnmapFpages)")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t at = pm_base(a) + 0x70000;
    L4_Fpage_t f[3];
    for (int i = 0; i < 3; i++) {
        L4_Word_t p = page_with(40 + i);
        give(a, p, RW, at + i * 4096);
        f[i] = fp(p, 12, L4_FullyAccessible);
    }
    L4_UnmapFpages(3, f);
    for (int i = 0; i < 3; i++)
        PT_ASSERT(!reads(a, at + i * 4096, 40 + i));
}

DEFINE_TEST(MAP0033, "unmapping the complete address space revokes everything derived from us")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(34), q = page_with(35), at = pm_base(a) + 0x2a000;
    give(a, p, RW, at);
    give(a, q, RW, at + 4096);
    L4_UnmapFpage(L4_FpageAddRights(L4_CompleteAddressSpace, L4_FullyAccessible));
    PT_ASSERT(!reads(a, at, 34));
    PT_ASSERT(!reads(a, at + 4096, 35));
    PT_EQ(((L4_Word_t *)p)[0], 34);
}

DEFINE_TEST(MAP0034, "a 2 MiB fpage maps 512 pages")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = pm_page(21), at = (pm_base(a) + 0x400000) & ~0x1fffffUL;
    PT_ASSERT(p != 0);
    ((L4_Word_t *)p)[0] = 36;
    ((L4_Word_t *)(p + 0x1ff000))[0] = 37;
    pm_map(a, fp(p, 21, RW), at, L4_FpageLog2(at, 21));
    PT_ASSERT(reads(a, at, 36));
    PT_ASSERT(reads(a, at + 0x1ff000, 37));
    L4_UnmapFpage(fp(p, 21, L4_FullyAccessible));
    PT_ASSERT(!reads(a, at + 0x1ff000, 37));
}

DEFINE_TEST(MAP0035, "a nil fpage item maps nothing")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t at = pm_base(a) + 0x2b000;
    pm_map(a, L4_Nilpage, at, L4_FpageLog2(at, 12));
    PT_ASSERT(!reads(a, at, 0));
}

static void string_receiver(void)
{
    L4_Word_t buf = pt_shared[0];
    L4_StringItem_t si = L4_StringItem(64, (void *)buf);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, si);
    L4_AcceptStrings(L4_StringItemsAcceptor, &b);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[1] = !L4_IpcFailed(tag);
    pt_shared[2] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

DEFINE_TEST(MAP0036, "a string copy into a mapped page the receiver never touched arrives")
{
    L4_Word_t p = page_with(0);
    L4_Word_t at = lib_usable_base() + 0x2c00000;
    /* map our page to ourselves at another address (never touched there) */
    L4_ThreadId_t t = pt_thread(string_receiver);
    (void)t;
    pt_shared[0] = p + 128;
    static const char text[] = "through a mapped page";
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendSimpleStringItem(&m, L4_StringItem(sizeof text, (void *)text));
    L4_MsgLoad(&m);
    PT_IPC_OK(L4_Send(t));
    while (!pt_shared[2])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(((char *)p)[128], 't');
    (void)at;
}

/* Receives with an acceptor that takes no map items (BR0 = 0) and records
 * [1] failed, [2] the ErrorCode, [3] done. */
static void nil_window_receiver(void)
{
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[1] = L4_IpcFailed(tag);
    pt_shared[2] = L4_ErrorCode();
    pt_shared[3] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

/* X.2 and Pistachio's ipcx.cc: an acceptor without a receive window
 * accepts no map or grant item; the IPC fails with message overflow in
 * both phases (it used to succeed with the item's fpage cleared). */
DEFINE_TEST(MAP0037, "a map item to an acceptor without receive window: message overflow in both phases, nothing mapped")
{
    L4_Word_t p = page_with(37), at = p + 0x10000;
    L4_ThreadId_t t = pt_thread(nil_window_receiver);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendMapItem(&m, L4_MapItem(fp(p, 12, RW), at));
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Send(t);
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(L4_ErrorCode() & 0xf, 4 << 1 | 0);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2] & 0xf, 4 << 1 | 1);
    L4_GrantItem_t g = L4_GrantItem(fp(p, 12, RW), at);
    L4_MsgClear(&m);
    L4_MsgAppendGrantItem(&m, g);
    L4_MsgLoad(&m);
    pt_shared[3] = 0;
    t = pt_thread(nil_window_receiver);
    tag = L4_Send(t);
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(((L4_Word_t *)p)[0], 37);     /* the grant did not take our page */
}

static const char other_text[] = "not for another task's window";

static void text_sender(void)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendSimpleStringItem(&m, L4_StringItem(sizeof other_text, (void *)other_text));
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Send(pt_main_id);
    pt_shared[1] = L4_IpcFailed(tag);
    pt_shared[2] = L4_ErrorCode();
    pt_shared[3] = 1;
}

DEFINE_TEST(MAP0038, "a receive buffer in another task's window, at a page that task holds: overflow, its page unchanged")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(38), at = pm_base(a) + 0x2d000;
    give(a, p, RW, at);
    PT_ASSERT(reads(a, at, 38));        /* the agent holds the page and has touched it */
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(sizeof other_text, (void *)at));
    L4_AcceptStrings(L4_StringItemsAcceptor, &b);
    L4_ThreadId_t t = pt_thread(text_sender);
    L4_MsgTag_t tag = L4_Receive(t);
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(L4_ErrorCode() & 0xf, 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(L4_ErrorCode()), 0);
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(((L4_Word_t *)p)[0], 38);
}

/* Soft faults the kernel has served so far (test device, devices.c). */
#define TESTDEV_SOFT_FAULTS 0xFC

/* Writes word i into each of 16 pages at its base + pt_shared[5], then
 * reads them back; pt_shared[2] = 1 if each held its word, [3] = done. */
static void touch16(void)
{
    L4_Word_t base = lib_usable_base();
    volatile L4_Word_t *p = (volatile L4_Word_t *)(base + pt_shared[5]);
    pt_shared[0] = base;
    for (L4_Word_t i = 0; i < 16; i++)
        p[i * 512] = i;
    bool ok = true;
    for (L4_Word_t i = 0; i < 16; i++)
        ok &= p[i * 512] == i;
    pt_shared[2] = ok;
    pt_shared[3] = 1;
    for (;;)
        L4_Sleep(L4_Never);
}

DEFINE_TEST(MAP0039, "a page-fault reply mapping 16 pages installs them all at once: touching them costs no soft fault")
{
    L4_Word_t page = pm_page(16);
    PT_ASSERT(page != 0);
    pt_shared[2] = pt_shared[3] = 0;
    pt_shared[5] = 0x400000;
    L4_ThreadId_t t = pt_task(touch16);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(1000000));
    PT_ASSERT(!L4_IpcFailed(tag));
    PT_EQ(L4_Label(tag) & ~(L4_Word_t)0xf, lib_proto_label(-2));
    PT_ASSERT(L4_Label(tag) & W);
    L4_Word_t addr;
    L4_StoreMR(1, &addr);
    PT_EQ(addr, pt_shared[0] + 0x400000);
    L4_Word32_t before = inl(TESTDEV_SOFT_FAULTS);
    L4_MapItem_t m = L4_MapItem(fp(page, 16, RW), addr);
    L4_LoadMRs(1, 2, m.raw);
    L4_LoadMR(0, 2 << 6);
    PT_IPC_OK(L4_Send(t));
    while (!pt_shared[3])
        L4_ThreadSwitch(t);
    PT_EQ(inl(TESTDEV_SOFT_FAULTS) - before, 0);
    PT_EQ(pt_shared[2], 1);
    PT_EQ(((L4_Word_t *)page)[15 * 512], 15);
    /* the pages touched ahead count as accessed (never missed) */
    PT_ASSERT(L4_WasWritten(L4_GetStatus(fp(page + 15 * 4096, 12, 0))));
}

DEFINE_TEST(MAP0040, "Unmap without flush neither reports nor resets the caller's own accesses; with flush it reports them")
{
    L4_ThreadId_t a = pm_agent();
    L4_Word_t p = page_with(40), at = pm_base(a) + 0x40000;
    give(a, p, RW, at);
    PT_ASSERT(reads(a, at, 40));
    L4_Flush(fp(p, 12, 0));             /* reset our own bits */
    L4_GetStatus(fp(p, 12, 0));         /* and the agent's */
    ((volatile L4_Word_t *)p)[1] = 1;   /* our own write */
    L4_Word32_t before = inl(TESTDEV_SOFT_FAULTS);
    L4_Fpage_t s = L4_GetStatus(fp(p, 12, 0));
    PT_EQ(L4_Rights(s), 0);             /* nothing derived was touched; ours is not asked */
    ((volatile L4_Word_t *)p)[1] = 2;   /* still installed: no soft fault */
    PT_EQ(inl(TESTDEV_SOFT_FAULTS) - before, 0);
    PT_ASSERT(pm_write(a, at + 8, 3));  /* the agent writes */
    s = L4_GetStatus(fp(p, 12, 0));
    PT_ASSERT(L4_WasWritten(s));
    PT_EQ(L4_Rights(L4_GetStatus(fp(p, 12, 0))), 0);
    s = L4_Flush(fp(p, 12, 0));         /* flush of no rights: ours, and what was kept for us */
    PT_ASSERT(L4_WasWritten(s));
    PT_EQ(L4_Rights(L4_Flush(fp(p, 12, 0))), 0);
    PT_ASSERT(reads(a, at, 40));        /* no rights revoked */
}
