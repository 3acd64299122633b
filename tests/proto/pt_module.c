/* Starting a server program of the boot list (pt_module.h). */
#include <stdio.h>
#include <string.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "pt_module.h"

L4_Word_t pt_module_ip(const char *name)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    size_t n = strlen(name);
    if (!bi || bi->magic != L4_BOOTINFO_MAGIC)
        return 0;
    L4_BootRec_t *r = (L4_BootRec_t *)((L4_Word_t)bi + bi->first_entry);
    for (L4_Word_t i = 0; i < bi->num_entries; i++, r = L4_BootRec_Next(r)) {
        if (r->type != L4_BootInfo_SimpleExec)
            continue;
        L4_Boot_SimpleExec_t *e = (L4_Boot_SimpleExec_t *)r;
        const char *cmd = (const char *)r + e->cmdline_offset;
        if (strncmp(cmd, name, n) == 0 && (cmd[n] == 0 || cmd[n] == ' '))
            return e->initial_ip;
    }
    return 0;
}

L4_ThreadId_t pt_start_server(const char *name, L4_Word_t slot)
{
    L4_Word_t ip = pt_module_ip(name);
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadIdUserBase(kip) + slot, 1);
    /* started by this task as its pager, then handed to sigma0 */
    if (!ip || lib_task_create(t, L4_Myself()) != 0 || lib_task_start(t, ip, 0) != 0 ||
        !L4_ThreadControl(t, t, L4_nilthread, sigma0, (void *)-1UL)) {
        printf("pt_module: cannot start %s (module %s)\n", name, ip ? "found" : "missing");
        return L4_nilthread;
    }
    return t;
}
