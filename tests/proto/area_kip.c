/* KIP0xxx: the kernel interface page: identification, thread-id layout,
 * UTCB and KIP areas, the per-task virtual memory descriptor, descriptors,
 * the boot information, and SystemClock on the virtual clock (1 us per
 * kernel entry with the default --entry-cost). */
#include <string.h>
#include <l4/bootinfo.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "ptest.h"

#define KIP_OFFSET   0x1000UL       /* the kernel's task layout, docs/kernel.md */
#define UTCB_OFFSET  0x100000UL
#define USER_OFFSET  0x200000UL

extern void _start(void);

static L4_KernelInterfacePage_t *kip(void)
{
    return L4_GetKernelInterface();
}

static void report(void)
{
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
}

/* The one conventional virtual-memory descriptor, or NULL. */
static L4_MemoryDesc_t *vm_desc(void *k, unsigned *index)
{
    L4_MemoryDesc_t *found = 0;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(k); i++) {
        L4_MemoryDesc_t *d = L4_MemoryDesc(k, i);
        if (L4_IsMemoryDescVirtual(d) && L4_MemoryDescType(d) == L4_ConventionalMemoryType) {
            if (found)
                return 0;
            found = d;
            *index = (unsigned)i;
        }
    }
    return found;
}

DEFINE_TEST(KIP0001, "magic, API version X.2 (0x84), 64-bit little-endian flags, Pistachio's kernel id")
{
    L4_Word_t version, flags, id;
    L4_KernelInterfacePage_t *k = L4_KernelInterface(&version, &flags, &id);
    PT_EQ(k, kip());
    PT_EQ(k->magic, L4_MAGIC);
    PT_EQ(memcmp(k, "L4\xe6K", 4), 0);
    PT_EQ(version, k->ApiVersion.raw);
    PT_EQ(version >> 24, L4_APIVERSION_X2);
    PT_EQ(version >> 24, 0x84);
    PT_EQ((version >> 16) & 0xff, L4_APISUBVERSION_X2);
    PT_EQ(version & 0xffff, 0);
    PT_EQ(flags, k->ApiFlags.raw);
    PT_EQ(k->ApiFlags.x.ww, L4_APIFLAG_64BIT);
    PT_EQ(k->ApiFlags.x.ee, L4_APIFLAG_LE);
    PT_EQ(flags, 0x4);
    PT_EQ(id >> 16, L4_KID_L4KA_PISTACHIO);
    PT_EQ(L4_ApiVersion(), version);
    PT_EQ(L4_ApiFlags(), flags);
    PT_EQ(L4_KernelId(), id);
}

DEFINE_TEST(KIP0002, "thread info: 18 thread-number bits, system base 16, user base 32; root task is user base + 2")
{
    void *k = kip();
    PT_EQ(L4_ThreadIdBits(k), 18);
    PT_EQ(L4_ThreadIdSystemBase(k), 16);
    PT_EQ(L4_ThreadIdUserBase(k), 32);
    PT_EQ(L4_ThreadNo(L4_Myself()), L4_ThreadIdUserBase(k) + 2);
    /* the numbers below the system base are interrupts, the ones between
     * the bases kernel threads: no ThreadControl for either */
    PT_EQ(L4_ThreadControl(L4_GlobalId(L4_ThreadIdSystemBase(k), 1), L4_Myself(), L4_Myself(),
                           L4_nilthread, (void *)~0UL), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_AssociateInterrupt(L4_GlobalId(L4_ThreadIdSystemBase(k) - 1, 1), L4_Myself()), 1);
    PT_EQ(L4_DeassociateInterrupt(L4_GlobalId(L4_ThreadIdSystemBase(k) - 1, 1)), 1);
}

DEFINE_TEST(KIP0003, "UTCB size 1 KiB aligned 1 KiB, minimal UTCB area 4 KiB, KIP area 4 KiB, 4 KiB pages")
{
    void *k = kip();
    PT_EQ(L4_UtcbSize(k), 1024);
    PT_EQ(L4_UtcbAlignmentLog2(k), 10);
    PT_EQ(kip()->UtcbAreaInfo.X.m, 1);
    PT_EQ(L4_UtcbAreaSizeLog2(k), 12);
    PT_EQ(L4_UtcbAreaSize(k), 4096);
    PT_EQ(L4_KipAreaSizeLog2(k), 12);
    PT_EQ(L4_KipAreaSize(k), 4096);
    PT_EQ((L4_Word_t)k & (L4_KipAreaSize(k) - 1), 0);
    PT_EQ(L4_MyLocalId().raw & ((1UL << L4_UtcbAlignmentLog2(k)) - 1), 0);
    PT_ASSERT(L4_PageSizeMask(k) & (1UL << 12));
    PT_EQ(L4_PageSizeMask(k) & ((1UL << 12) - 1), 0);
    PT_EQ(L4_PageRights(k), 7);
    /* the root task's areas: KIP at window + 4 KiB, UTCBs from window + 1 MiB */
    PT_EQ(L4_MyLocalId().raw - (L4_Word_t)k, UTCB_OFFSET - KIP_OFFSET);
}

DEFINE_TEST(KIP0004, "the virtual memory descriptor covers this task's window above its kernel areas")
{
    void *k = kip();
    unsigned i;
    L4_MemoryDesc_t *d = vm_desc(k, &i);
    PT_ASSERT(d != 0);
    L4_Word_t base = (L4_Word_t)k - KIP_OFFSET;
    L4_Word_t low = L4_MemoryDescLow(d), high = L4_MemoryDescHigh(d);
    PT_EQ(low, base + USER_OFFSET);
    L4_Word_t size = high + 1 - base;      /* the window: a power of two */
    PT_EQ(size & (size - 1), 0);
    PT_ASSERT(size >= 4 * USER_OFFSET);
    PT_EQ(base & (size - 1), 0);            /* size-aligned */
    /* the KIP and the UTCBs lie in the window, below the usable range */
    PT_ASSERT(L4_MyLocalId().raw >= base && L4_MyLocalId().raw < low);
    PT_EQ(d->x.type, L4_ConventionalMemoryType);
}

static L4_Word_t task_kip_copy[4096 / sizeof(L4_Word_t)];

static void copy_my_kip(void)
{
    L4_Word_t *k = L4_GetKernelInterface();
    memcpy(task_kip_copy, k, sizeof task_kip_copy);
    pt_shared[0] = (L4_Word_t)k;
    pt_shared[1] = L4_MyLocalId().raw;
    report();
    pt_park();
}

DEFINE_TEST(KIP0005, "a new task's KIP copy differs from the root task's in exactly its memory descriptor")
{
    L4_ThreadId_t t = pt_task(copy_my_kip);
    PT_IPC_OK(L4_Receive(t));
    L4_Word_t *mine = (L4_Word_t *)kip();
    unsigned i;
    L4_MemoryDesc_t *d = vm_desc(mine, &i);
    PT_ASSERT(d != 0);
    unsigned w0 = (unsigned)(((L4_Word_t)d - (L4_Word_t)mine) / sizeof(L4_Word_t));
    unsigned ndiff = 0;
    for (unsigned w = 0; w < 4096 / sizeof(L4_Word_t); w++) {
        if (task_kip_copy[w] == mine[w])
            continue;
        ndiff++;
        PT_ASSERT(w == w0 || w == w0 + 1);
    }
    PT_EQ(ndiff, 2);
    /* its descriptor describes its own window, of the same size */
    L4_MemoryDesc_t *td = (L4_MemoryDesc_t *)&task_kip_copy[w0];
    L4_Word_t tbase = pt_shared[1] - UTCB_OFFSET;
    PT_EQ(L4_MemoryDescLow(td), tbase + USER_OFFSET);
    PT_EQ(L4_MemoryDescHigh(td) - L4_MemoryDescLow(td), L4_MemoryDescHigh(d) - L4_MemoryDescLow(d));
    PT_ASSERT(tbase != (L4_Word_t)mine - KIP_OFFSET);
}

DEFINE_TEST(KIP0006, "the boot information is valid and holds the root task's SimpleExec record")
{
    L4_Word_t b = L4_BootInfo(kip());
    PT_ASSERT(b != 0);
    L4_BootInfo_t *bi = (L4_BootInfo_t *)b;
    PT_EQ(bi->magic, L4_BOOTINFO_MAGIC);
    PT_EQ(bi->version, L4_BOOTINFO_VERSION);
    PT_ASSERT(L4_BootInfo_Valid(bi));
    PT_ASSERT(bi->num_entries >= 1);
    PT_ASSERT(bi->first_entry >= sizeof *bi && bi->first_entry < bi->size);
    L4_BootRec_t *r = (L4_BootRec_t *)(b + bi->first_entry);
    unsigned found = 0;
    for (L4_Word_t n = 0; n < bi->num_entries; n++) {
        PT_ASSERT((L4_Word_t)r >= b + bi->first_entry && (L4_Word_t)r < b + bi->size);
        if (L4_BootRec_Type(r) == L4_BootInfo_SimpleExec && L4_SimpleExec_InitialIP(r) == (L4_Word_t)_start) {
            found++;
            PT_EQ(r->version, 1);
            const char *cmd = L4_SimpleExec_Cmdline(r);
            PT_ASSERT(cmd != 0);
            PT_EQ(strncmp(cmd, "proto_kip", 9), 0);
        }
        if (n + 1 < bi->num_entries)
            PT_ASSERT(r->offset_next != 0);
        else
            PT_EQ(r->offset_next, 0);
        r = L4_BootRec_Next(r);
    }
    PT_EQ(found, 1);
}

DEFINE_TEST(KIP0007, "SystemClock: +1 us per kernel entry, monotonic across sleeps; clock precision 1 us")
{
    void *k = kip();
    PT_EQ(L4_ReadPrecision(k), 1);
    PT_EQ(L4_SchedulePrecision(k), 1);
    L4_Word_t c1 = L4_SystemClock().raw;
    L4_Word_t c2 = L4_SystemClock().raw;
    PT_EQ(c2, c1 + 1);
    /* the sleep's entry at c2+1 sets the deadline c2+101, the clock jumps
     * there when nothing else runs, and our next read costs one more */
    pt_sleep_us(100);
    L4_Word_t c3 = L4_SystemClock().raw;
    PT_EQ(c3, c2 + 102);
    L4_Word_t prev = c3;
    for (int i = 0; i < 100; i++) {
        L4_Word_t c = L4_SystemClock().raw;
        PT_EQ(c, prev + 1);
        prev = c;
    }
}

static void task_kip(void)
{
    L4_Word_t version, flags, id;
    L4_KernelInterfacePage_t *k = L4_KernelInterface(&version, &flags, &id);
    pt_shared[0] = (L4_Word_t)k;
    pt_shared[1] = L4_MyLocalId().raw;
    pt_shared[2] = k->magic;
    pt_shared[3] = version;
    pt_shared[4] = (L4_Word_t)L4_GetKernelInterface();
    report();
    pt_park();
}

DEFINE_TEST(KIP0008, "KernelInterface in another task returns that task's own KIP copy in its KIP area")
{
    L4_ThreadId_t t = pt_task(task_kip);
    PT_IPC_OK(L4_Receive(t));
    L4_Word_t tkip = pt_shared[0];
    PT_ASSERT(tkip != (L4_Word_t)kip());
    /* pt_task gave it our layout: KIP area at window + 4 KiB, UTCB at + 1 MiB */
    PT_EQ(tkip, pt_shared[1] - UTCB_OFFSET + KIP_OFFSET);
    PT_EQ(pt_shared[4], tkip);
    PT_EQ(pt_shared[2], L4_MAGIC);
    PT_EQ(pt_shared[3], kip()->ApiVersion.raw);
}

static void same_task_kip(void)
{
    pt_shared[0] = (L4_Word_t)L4_GetKernelInterface();
    report();
    pt_park();
}

DEFINE_TEST(KIP0009, "every thread of a task sees the same KIP")
{
    L4_ThreadId_t t = pt_thread(same_task_kip);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], (L4_Word_t)kip());
}

DEFINE_TEST(KIP0010, "processor and kernel descriptors: one processor, version string and features")
{
    void *k = kip();
    PT_EQ(L4_NumProcessors(k), 1);
    L4_ProcDesc_t *p = L4_ProcDesc(k, 0);
    PT_ASSERT(p != 0);
    PT_ASSERT(L4_ProcDescInternalFreq(p) != 0);
    PT_ASSERT(L4_ProcDesc(k, 1) == 0);
    PT_ASSERT((L4_Word_t)p - (L4_Word_t)k < 4096);
    L4_KernelDesc_t *kd = __L4_KernelDesc(k);
    PT_ASSERT((L4_Word_t)kd - (L4_Word_t)k < 4096);
    PT_EQ(kd->KernelId.raw, L4_KernelId());
    const char *v = L4_KernelVersionString(k);
    PT_ASSERT(strlen(v) > 0);
    PT_ASSERT(strstr(v, "X.2") != 0);
    PT_ASSERT(L4_HasFeature("hosted"));
    PT_ASSERT(L4_HasFeature("ioflexpages"));
    PT_ASSERT(!L4_HasFeature("smp"));
    L4_Word_t year, month, day;
    L4_KernelGenDate(k, &year, &month, &day);
    PT_ASSERT(year >= 2000 && month >= 1 && month <= 12 && day >= 1 && day <= 31);
}
