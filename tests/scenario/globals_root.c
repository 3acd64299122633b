/* globals_root: starts every program of the boot list in a task of its own,
 * like a root task would, and checks that two tasks running the same module
 * have separate globals: each reports its counter's address and value. */
#include <stdio.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>

int main(void);
extern void _start(void);

static L4_Word_t started;

static void start_task(L4_Word_t ip)
{
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1 + started++, 1);
    L4_Word_t err = lib_task_create(t, L4_Myself());
    if (!err)
        err = lib_task_start(t, ip, 0);
    if (err)
        printf("globals: cannot start a task: error %lu\n", err);
}

int main(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    L4_BootRec_t *r = (L4_BootRec_t *)((L4_Word_t)bi + bi->first_entry);
    for (L4_Word_t i = 0; i < bi->num_entries; i++, r = L4_BootRec_Next(r)) {
        L4_Boot_SimpleExec_t *e = (L4_Boot_SimpleExec_t *)r;
        if (r->type == L4_BootInfo_SimpleExec && e->initial_ip != (L4_Word_t)_start)
            start_task(e->initial_ip);
    }
    L4_Word_t addr[2] = { 0, 0 }, value[2] = { 0, 0 };
    for (L4_Word_t k = 0; k < started && k < 2; k++) {
        L4_ThreadId_t from;
        L4_Wait(&from);
        L4_StoreMR(1, &addr[k]);
        L4_StoreMR(2, &value[k]);
        printf("globals: task %lx: counter at %lx is %lu\n", L4_ThreadNo(from), addr[k], value[k]);
    }
    if (started != 2 || addr[0] == addr[1] || value[0] != 1 || value[1] != 1) {
        printf("globals: FAILED: the two instances share their globals\n");
        return 1;
    }
    printf("globals: separate\n");
    return 0;
}
