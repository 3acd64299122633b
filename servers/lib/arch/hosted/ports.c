/* Ports hosted: the simulated kernel always has I/O fpages (its KIP names
 * "ioflexpages"), so a task reaches exactly the ports it holds and none
 * is open without them. */
#include "../../arch.h"

bool lib_arch_ports_open(void)
{
    return false;
}
