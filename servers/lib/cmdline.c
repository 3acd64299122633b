/* The program's command line, as crt0 received it from the booter. */
#include <stddef.h>

#include "internal.h"

static const char *lib_cmdline_str = "";

const char *lib_cmdline(void)
{
    return lib_cmdline_str;
}

void lib_set_cmdline(const char *cmdline)
{
    lib_cmdline_str = cmdline ? cmdline : "";
}
