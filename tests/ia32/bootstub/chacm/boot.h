/* bootinfo_test: the real <chacm/boot.h>, without putting servers/lib's
 * freestanding C headers on the test's include path. */
#include "../../../../servers/lib/include/chacm/boot.h"
