/* Ports on ia32 without I/O fpages: Pistachio built without
 * CONFIG_X86_IO_FLEXPAGES has no I/O fpages to map (its KIP lacks the
 * feature "ioflexpages") and runs every user thread with IOPL 3 instead
 * (X86_USER_FLAGS in its glue/v4-x86/x32/config.h), so `in` and `out`
 * work in every task.  The thread's own EFLAGS say whether that is so. */
#include "../../arch.h"

bool lib_arch_ports_open(void)
{
    unsigned long flags;
    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(flags));
    return ((flags >> 12) & 3) == 3;
}
