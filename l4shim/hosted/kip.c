/* The kernel interface page.  One template is filled at start-up; every
 * space gets a copy in its KIP area whose virtual-memory descriptor names
 * that space's own usable range (hosted spaces are windows at different
 * host addresses, see docs/kernel.md). */
#include <string.h>

#include <l4/kip.h>
#include "kern.h"
#include "kern_iso.h"
#include "kern_boot.h"
#include "kern_mem.h"

#define KIP_MEMDESC_OFFSET   0x400   /* memory descriptors */
#define KIP_PROCDESC_OFFSET  0x600
#define KIP_KERNDESC_OFFSET  0x800
#define KIP_MAX_MEMDESC      32

static char kip_page[4096] __attribute__((aligned(4096)));
static L4_Word_t boot_info;

void kern_set_boot_info(L4_Word_t addr)
{
    boot_info = addr;
    ((L4_KernelInterfacePage_t *)kip_page)->BootInfo = addr;
}

static void set_memdesc(L4_MemoryDesc_t *d, unsigned type, bool virt, L4_Word_t low, L4_Word_t high)
{
    memset(d, 0, sizeof *d);
    d->x.type = type;
    d->x.v = virt;
    d->x.low = low >> 10;
    d->x.high = high >> 10;
}

void kern_kip_build(void)
{
    L4_KernelInterfacePage_t *k = (L4_KernelInterfacePage_t *)kip_page;
    memset(kip_page, 0, sizeof kip_page);
    k->magic = L4_MAGIC;
    k->ApiVersion.raw = ((L4_Word_t)L4_APIVERSION_X2 << 24) | ((L4_Word_t)L4_APISUBVERSION_X2 << 16);
    k->ApiFlags.raw = (L4_Word_t)L4_APIFLAG_64BIT << 2 | L4_APIFLAG_LE;
    k->KernelDescPtr = KIP_KERNDESC_OFFSET;
    k->MemoryInfo.n = 0;
    k->MemoryInfo.MemDescPtr = KIP_MEMDESC_OFFSET;
    k->UtcbAreaInfo.X.m = 1;
    k->UtcbAreaInfo.X.a = KERN_UTCB_ALIGN_LOG2;
    k->UtcbAreaInfo.X.s = 12;
    k->KipAreaInfo.X.s = KERN_KIP_SIZE_LOG2;
    k->BootInfo = boot_info;
    k->ProcDescPtr = KIP_PROCDESC_OFFSET;
    k->ClockInfo.X.ReadPrecision = 1;
    k->ClockInfo.X.SchedulePrecision = 1;
    k->ThreadInfo.X.t = KERN_THREAD_BITS;
    k->ThreadInfo.X.SystemBase = KERN_SYSTEM_BASE;
    k->ThreadInfo.X.UserBase = KERN_USER_BASE;
    k->PageInfo.raw = (1UL << 12) | 7;     /* 4 KiB pages; read, write, execute */
    k->ProcessorInfo.X.processors = 0;
    k->ProcessorInfo.X.s = 5;               /* 32-byte processor descriptors */

    L4_ProcDesc_t *pd = (L4_ProcDesc_t *)(kip_page + KIP_PROCDESC_OFFSET);
    pd->X.ExternalFreq = 1000000;           /* kHz of the virtual clock's "CPU" */
    pd->X.InternalFreq = 1000000;

    L4_KernelDesc_t *kd = (L4_KernelDesc_t *)(kip_page + KIP_KERNDESC_OFFSET);
    kd->KernelId.raw = (L4_Word_t)L4_KID_L4KA_PISTACHIO << 16;
    kd->KernelGenDate.raw = (26u << 9) | (11u << 5) | 1;
    kd->KernelVer.raw = (0UL << 24) | (1UL << 16);
    kd->Supplier = ('c') | ('h' << 8) | ('a' << 16) | ('c' << 24);
    /* the version string, then feature strings: "ioflexpages" (Pistachio's
     * name on x86) says that ports are held in I/O fpages (ioport.c),
     * "hostpreempt" that busy threads are preempted by host CPU time
     * (preempt.c), "isolation" that protection keys keep tasks out of each
     * other's memory, and "isolation-strict" out of the kernel's too
     * (isolation.c) */
    const char strings[] = "chacmsim hosted L4 X.2 kernel\0hosted\0ioflexpages\0";
    memcpy(kd->VersionString, strings, sizeof strings);
    char *end = kd->VersionString + sizeof strings - 1;
    const char *features[] = { kern.preempt ? "hostpreempt" : NULL, kern_iso_level ? "isolation" : NULL,
                               kern_iso_level == KERN_ISO_LEVEL_STRICT ? "isolation-strict" : NULL };
    for (unsigned i = 0; i < sizeof features / sizeof features[0]; i++)
        if (features[i]) {
            memcpy(end, features[i], strlen(features[i]) + 1);
            end += strlen(features[i]) + 1;
        }
    *end = 0;
    kern.kip_template = (L4_Word_t *)kip_page;
}

/* Writes s's KIP copy: the template plus s's virtual memory range. */
void kern_kip_fill_space(kern_space_t *s)
{
    memcpy(s->kip, kip_page, sizeof kip_page);
    L4_KernelInterfacePage_t *k = (L4_KernelInterfacePage_t *)s->kip;
    L4_MemoryDesc_t *md = (L4_MemoryDesc_t *)((char *)s->kip + KIP_MEMDESC_OFFSET);
    unsigned n = kern_phys_memdesc((L4_Word_t *)md, KIP_MAX_MEMDESC - 1);
    set_memdesc(&md[n++], L4_ConventionalMemoryType, true, s->base + KERN_BOOT_USER_OFFSET,
                s->base + s->size - 1);
    k->MemoryInfo.n = n;
}
