/* Hosted boot information: the simulator's KIP points every task at the
 * boot information, and each boot program is already a loaded module
 * instance whose entry point is its record's initial IP. */
#include <string.h>
#include <chacm/boot.h>
#include <l4/image.h>
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

L4_Word_t lib_boot_loader_end(void)
{
    return 0;
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

int lib_boot_program_reload(const L4_BootRec_t *r, task_t memtask, L4_Word_t *entry, const char **why)
{
    int rc = lib_boot_program_load(r, memtask, entry, why);
    if (rc != ESUCCESS)
        return rc;
    /* the instance is named after the program, the command line's first word */
    char name[L4_IMAGE_NAME_MAX + 1];
    const char *cmd = L4_SimpleExec_Cmdline(r);
    size_t n = 0;
    while (cmd[n] && cmd[n] != ' ' && n < L4_IMAGE_NAME_MAX)
        n++;
    memcpy(name, cmd, n);
    name[n] = 0;
    L4_Word_t err = 0;
    *entry = L4_LoadImage((const void *)L4_SimpleExec_InitialIP(r), 0, n ? name : "program", &err);
    if (!*entry) {
        *why = err == L4_IMAGE_ERR_NO_MEM ? "the kernel cannot load it again" : "the kernel refused its image";
        return err == L4_IMAGE_ERR_NO_MEM ? EFULL : ENOTFOUND;
    }
    return ESUCCESS;
}
