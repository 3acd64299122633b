/* Hosted boot information: the simulator's KIP points every task at the
 * boot information, and each boot program is already a loaded module
 * instance whose entry point is its record's initial IP. */
#include <chacm/boot.h>
#include <l4/kip.h>

#include "../../arch.h"
#include "generic_client.h"

const void *lib_arch_boot_info(L4_KernelInterfacePage_t *kip)
{
    return kip ? (const void *)kip->BootInfo : NULL;
}

const void *lib_boot_info(void)
{
    return lib_arch_boot_info(L4_GetKernelInterface());
}

int lib_boot_program_load(const L4_BootRec_t *r, task_t memtask, L4_Word_t *entry, const char **why)
{
    (void)memtask;
    *entry = 0;
    if (!r || L4_BootRec_Type(r) != L4_BootInfo_SimpleExec) {
        *why = "not a program record of the boot information";
        return ENOTFOUND;
    }
    *entry = L4_SimpleExec_InitialIP(r);
    return ESUCCESS;
}
