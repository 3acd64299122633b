/* ia32 arch: the system-call entry table every program fills from its KIP
 * before main (see <l4/ia32/syscalls.h>), and the program's exit. */
#include <l4/ipc.h>
#include <l4/kip.h>

__L4_ia32_entry_t __L4_ia32_entry;

_Static_assert(sizeof(__L4_ia32_entry_t) == __L4_IA32_NUM_ENTRIES * sizeof(L4_Word_t),
               "one entry word per KIP system-call word");
_Static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, SpaceControl) ==
               __L4_IA32_KIP_SYSCALL_WORD * sizeof(L4_Word_t), "KIP system-call words");

void __L4_ia32_init_syscalls(void)
{
    L4_Word_t *kip = L4_GetKernelInterface();
    L4_Word_t *entry = (L4_Word_t *)&__L4_ia32_entry;

    for (int i = 0; i < __L4_IA32_NUM_ENTRIES; i++)
        entry[i] = (L4_Word_t)kip + kip[__L4_IA32_KIP_SYSCALL_WORD + i];
}

_Noreturn void __chacm_exit(int status);

/* X.2 has no exit system call: the thread sleeps forever (a receive from
 * itself that never times out), its status kept here for a debugger. */
volatile int __chacm_exit_status;

_Noreturn void __chacm_exit(int status)
{
    __chacm_exit_status = status;
    for (;;)
        L4_Sleep(L4_Never);
}
