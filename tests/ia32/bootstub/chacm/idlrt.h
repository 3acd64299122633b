/* bootinfo_test: the real <chacm/idlrt.h>, which <chacm/driver.h> includes. */
#include "../../../../ipc/runtime/include/chacm/idlrt.h"
