/* bootinfo_test: the real <chacm/driver.h> (drv_io_fpages, arch/ia32/ports.c),
 * without putting servers/lib's freestanding C headers on the include path. */
#include "../../../../servers/lib/include/chacm/driver.h"
