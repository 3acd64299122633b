/* Ports on ia32.  Pistachio names the feature "ioflexpages" in its KIP
 * when it is built with CONFIG_X86_IO_FLEXPAGES; then ports are I/O
 * fpages as X.2 specifies.  Built without (its batch configuration), it
 * has no I/O fpages to map and runs every user thread with IOPL 3 instead
 * (X86_USER_FLAGS in its glue/v4-x86/x32/config.h), so `in` and `out`
 * work in every task.  The thread's own EFLAGS say whether that is so. */
#include <chacm/driver.h>
#include <l4/kip.h>

#include "../../arch.h"

bool drv_io_fpages(void)
{
    static int known = -1;          /* the KIP's answer, asked once */
    if (known < 0)
        known = L4_HasFeature("ioflexpages") ? 1 : 0;
    return known == 1;
}

bool lib_arch_ports_open(void)
{
    unsigned long flags;
    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(flags));
    return ((flags >> 12) & 3) == 3;
}
