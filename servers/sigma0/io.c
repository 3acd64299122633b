/* Who owns which I/O port.  sigma0 holds every port from boot and hands
 * out I/O fpages as it hands out pages: a port belongs to the first thread
 * that asks (by the sigma0 protocol or by an I/O fault); asking again for
 * ports one owns succeeds again, asking for someone else's is refused,
 * and "any ports" is not a request sigma0 grants (as Pistachio's).  A
 * kernel without I/O fpages (drv_io_fpages) cannot map one, so every
 * request is refused there: mapping it would be a kernel error, and on
 * such a kernel the ports are not sigma0's to give (drv_get_ports). */
#include <chacm/driver.h>
#include <l4/ioport.h>

#include "sigma0.h"

#define S0_IO_PORTS 65536

static L4_Word_t io_owner[S0_IO_PORTS];     /* raw thread id; 0: free */

L4_Fpage_t s0_io_alloc(L4_ThreadId_t who, L4_Fpage_t want)
{
    L4_Word_t s = L4_IoFpageSizeLog2(want);
    if (!L4_IsIoFpage(want) || s > 16 || !drv_io_fpages())
        return L4_Nilpage;
    L4_Word_t n = 1UL << s, first = L4_IoFpagePort(want) & ~(n - 1);
    if (first + n > S0_IO_PORTS)
        return L4_Nilpage;
    for (L4_Word_t p = first; p < first + n; p++)
        if (io_owner[p] != 0 && io_owner[p] != who.raw)
            return L4_Nilpage;
    for (L4_Word_t p = first; p < first + n; p++)
        io_owner[p] = who.raw;
    return L4_IoFpageLog2(first, (int)s);
}
