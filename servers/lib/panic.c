/* panic and assert: report a broken invariant and end the program through
 * crt0's __chacm_exit. */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "internal.h"

#define PANIC_STATUS 255

static bool panicking;

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (panicking) /* the output path itself panicked: just stop */
        __chacm_exit(PANIC_STATUS);
    panicking = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("panic: %s\n", msg);
    __chacm_exit(PANIC_STATUS);
}

void lib_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    panic("%s:%d: %s: assertion '%s' failed", file, line, func, expr);
}
