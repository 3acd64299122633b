/* Valgrind client requests, so that memcheck understands windows: a first
 * touch of a window page is a page fault the kernel resolves, not an
 * invalid access; pages the kernel installs hold defined data (another
 * space may have written them through its own mapping).  Signal stacks
 * need no request: Valgrind follows sigaltstack.  Outside Valgrind every request costs a few instructions. */
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#include "kern_mem.h"

void kern_vg_window(L4_Word_t base, L4_Word_t size)
{
    VALGRIND_DISABLE_ADDR_ERROR_REPORTING_IN_RANGE(base, size);
}

/* The window's space is gone; until a new space takes the window, any
 * access to it is a bug memcheck should report. */
void kern_vg_window_gone(L4_Word_t base, L4_Word_t size)
{
    VALGRIND_ENABLE_ADDR_ERROR_REPORTING_IN_RANGE(base, size);
}

void kern_vg_mapped(L4_Word_t addr, L4_Word_t size)
{
    VALGRIND_MAKE_MEM_DEFINED(addr, size);
}
