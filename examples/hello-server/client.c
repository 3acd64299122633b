/* greet_client: the root task.  Starts the greeter from the boot list in a
 * task of its own, then greets every name on its command line through the
 * stubs of greet.idl. */
#include <stdio.h>
#include <string.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "greet_client.h"

int main(int argc, char **argv);

/* Starts the boot list's program named name as a new task; returns its
 * thread, or the nil thread. */
static L4_ThreadId_t start(const char *name)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootRec_t *r = L4_BootInfo_FirstEntry((void *)kip->BootInfo);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries((void *)kip->BootInfo); i++, r = L4_BootRec_Next(r)) {
        const char *cmd = L4_SimpleExec_Cmdline(r);
        size_t n = strlen(name);
        if (L4_BootRec_Type(r) != L4_BootInfo_SimpleExec || strncmp(cmd, name, n) || (cmd[n] && cmd[n] != ' '))
            continue;
        L4_ThreadId_t tid = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1);
        if (lib_task_create(tid, L4_Myself()) || lib_task_start(tid, L4_SimpleExec_InitialIP(r), 0))
            break;
        return tid;
    }
    return L4_nilthread;
}

int main(int argc, char **argv)
{
    L4_ThreadId_t server = start("greeter");
    if (L4_IsNilThread(server)) {
        printf("greet_client: no greeter in the boot list\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        char reply[81], *p = reply;
        chacm_env_t env = { 0 };
        int n = greet_hello(server, argv[i], &p, &env);
        if (env.error != CHACM_IDL_OK) {
            printf("greet_client: the call failed (error %lu)\n", (unsigned long)env.error);
            return 1;
        }
        printf("greet_client: %s (greeting %d)\n", reply, n);
    }
    return 0;
}
