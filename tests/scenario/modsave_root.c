/* modsave_root: writes "SAVED" at the start and "!" at the end of the first
 * data module of the boot list, through the address its boot record gives
 * (the simulator's memory: only with --isolation=off), for scenario.modsave. */
#include <stdio.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>

int main(void);

int main(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    L4_BootRec_t *r = (L4_BootRec_t *)((L4_Word_t)bi + bi->first_entry);
    for (L4_Word_t i = 0; i < bi->num_entries; i++, r = L4_BootRec_Next(r)) {
        if (r->type != L4_BootInfo_Module)
            continue;
        L4_Boot_Module_t *m = (L4_Boot_Module_t *)r;
        char *p = (char *)m->start;
        for (int k = 0; k < 5; k++)
            p[k] = "SAVED"[k];
        p[m->size - 1] = '!';
        printf("modsave_root: wrote module of %lu bytes\n", (unsigned long)m->size);
        return 0;
    }
    printf("modsave_root: no data module\n");
    return 1;
}
