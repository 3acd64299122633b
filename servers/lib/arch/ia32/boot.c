/* ia32 boot information as L4Ka::Pistachio's kickstart passes it: the
 * KIP's BootInfo is the physical address of kickstart's record chain,
 * readable where physical memory is mapped 1:1 (the tasks sigma0 pages).
 * With kickstart's decode-all (scripts/mkboot-ia32) every ELF module is
 * loaded to its physical link address and described by a SimpleExec
 * record; such a program is copied from there into its task's memory at
 * memsvr (text and data page by page, the bss zero-filled). */
#include <stdbool.h>
#include <stdint.h>
#include <chacm/boot.h>
#include <l4/kip.h>
#include <l4/thread.h>
#include <mach/mach.h>

#include "../../arch.h"
#include "generic_client.h"

#define PAGE 4096u
#define TRUNC(a) ((a) & ~(L4_Word_t)(PAGE - 1))
#define ROUND(a) (((a) + PAGE - 1) & ~(L4_Word_t)(PAGE - 1))

const void *lib_boot_info(void)
{
    return lib_arch_boot_info(L4_GetKernelInterface());
}

const void *lib_arch_boot_info(L4_KernelInterfacePage_t *kip)
{
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    /* sigma0's own space and those it pages see physical memory 1:1 */
    if (!kip->BootInfo || !(L4_IsThreadEqual(L4_Myself(), sigma0) || L4_IsThreadEqual(L4_Pager(), sigma0)))
        return NULL;
    return (const void *)kip->BootInfo;
}

L4_Word_t lib_boot_loader_end(void)
{
    void *kip = L4_GetKernelInterface();
    L4_Word_t top = 0;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
        if (!L4_IsMemoryDescVirtual(d) && (L4_MemoryDescType(d) & 0xf) == L4_BootLoaderSpecificMemoryType &&
            L4_MemoryDescHigh(d) + 1 > top)
            top = L4_MemoryDescHigh(d) + 1;
    }
    return top;
}

/* One part of the program: [vstart, vstart + size) of the task, copied
 * from physical address pstart unless it is bss (copy false). */
typedef struct {
    L4_Word_t vstart, pstart, size;
    bool copy;
} part_t;

/* What is wrong with the parts (ascending, not wrapping), or NULL. */
static const char *check(const part_t *p, int n)
{
    L4_Word_t prev = 0;
    for (int i = 0; i < n; i++) {
        if (!p[i].size)
            continue;
        if (p[i].vstart + p[i].size < p[i].vstart || ROUND(p[i].vstart + p[i].size) == 0)
            return "a part of the program wraps around the address space";
        if (p[i].vstart < prev)
            return "text, data and bss are not in ascending order";
        if (p[i].copy && p[i].pstart - p[i].vstart != 0)
            return "a part is not loaded at its link address";
        prev = p[i].vstart + p[i].size;
    }
    return prev ? NULL : "the record describes no text, data or bss";
}

int lib_boot_program_load(const L4_BootRec_t *r, task_t memtask, L4_Word_t *entry, const char **why)
{
    *entry = 0;
    if (!r || L4_BootRec_Type(r) != L4_BootInfo_SimpleExec) {
        *why = "not a program record of the boot information";
        return ENOTFOUND;
    }
    part_t parts[3] = {
        { L4_SimpleExec_TextVstart(r), L4_SimpleExec_TextPstart(r), L4_SimpleExec_TextSize(r), true },
        { L4_SimpleExec_DataVstart(r), L4_SimpleExec_DataPstart(r), L4_SimpleExec_DataSize(r), true },
        { L4_SimpleExec_BssVstart(r), L4_SimpleExec_BssPstart(r), L4_SimpleExec_BssSize(r), false },
    };
    const char *bad = check(parts, 3);
    if (bad) {
        *why = bad;
        return ENOTFOUND;
    }
    /* memory for the pages of every part, each page once */
    L4_Word_t mapped = 0;
    for (int i = 0; i < 3; i++) {
        if (!parts[i].size)
            continue;
        vm_address_t lo = TRUNC(parts[i].vstart), hi = ROUND(parts[i].vstart + parts[i].size);
        if (lo < mapped)
            lo = mapped;
        if (lo < hi && vm_allocate(memtask, &lo, hi - lo, FALSE) != KERN_SUCCESS) {
            *why = "no memory at memsvr for the program";
            return EFULL;
        }
        if (hi > mapped)
            mapped = hi;
    }
    /* whole pages of text and data: kickstart zeroed the bss behind the
     * data in its last page */
    for (int i = 0; i < 2; i++) {
        if (!parts[i].size)
            continue;
        L4_Word_t lo = TRUNC(parts[i].vstart), hi = ROUND(parts[i].vstart + parts[i].size);
        /* fault the pages in first (sigma0 maps them 1:1), so that the
         * transfer does not wait for the pager */
        for (L4_Word_t a = lo; a < hi; a += PAGE)
            (void)*(volatile const char *)a;
        if (lib_vm_write_bytes(memtask, lo, (const void *)lo, hi - lo) != KERN_SUCCESS) {
            *why = "cannot write the program into its task";
            return EFULL;
        }
    }
    *entry = L4_SimpleExec_InitialIP(r);
    return ESUCCESS;
}

int lib_boot_program_reload(const L4_BootRec_t *r, task_t memtask, L4_Word_t *entry, const char **why)
{
    return lib_boot_program_load(r, memtask, entry, why);   /* the copy is made afresh */
}
