/* slowsvr: a server that takes a while before it serves (as one that
 * waits for its device at start: a disk spinning up), for the boot
 * scenario's start wait.  Command line: `slowsvr MS`, the milliseconds
 * it sleeps before it answers; then it serves the generic interface. */
#include <stdio.h>
#include <stdlib.h>
#include <chacm/lib.h>
#include <chacm/object.h>
#include <l4/ipc.h>
#include <l4/schedule.h>

#include "generic_server.h"

int main(int argc, char **argv);

static int do_implements(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    static const int apis[] = { GENERIC_API };
    (void)env;
    return objID == 0 ? chacm_implements(list, n, apis, 1) : EINVALID;
}

int main(int argc, char **argv)
{
    static generic_ops_t ops = { .generic_implements = do_implements };
    static generic_buffers_t bufs;
    unsigned long ms = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
    printf("slowsvr: serving in %lu ms\n", ms);
    L4_Sleep(L4_TimePeriod((L4_Word64_t)ms * 1000));
    generic_serve(&ops, &bufs, NULL);
    return 0;
}
