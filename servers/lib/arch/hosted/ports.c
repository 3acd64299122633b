/* Ports hosted: the simulated kernel always has I/O fpages (its KIP names
 * "ioflexpages", KIP0010), so a task reaches exactly the ports it holds
 * and none is open without them. */
#include <chacm/driver.h>

#include "../../arch.h"

bool drv_io_fpages(void)
{
    return true;
}

bool lib_arch_ports_open(void)
{
    return false;
}
