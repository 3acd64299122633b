/* flakysvr: a server for the reincarnation scenario (restart.lst) that
 * breaks on request: generic::implements on object FLAKY_HANG stops
 * receiving for good (a hang the booter's heartbeat must notice), on
 * FLAKY_CRASH it writes where nothing is mapped (memsvr stops it with a
 * fault).  Object 0 answers as any server does.  Each start says so. */
#include <stdio.h>
#include <chacm/l4util.h>
#include <chacm/object.h>
#include <l4/ipc.h>

#include "generic_server.h"

#define FLAKY_HANG 1
#define FLAKY_CRASH 2

int main(void);

static int do_implements(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    static const int apis[] = { GENERIC_API };
    (void)env;
    if (objID == FLAKY_HANG) {
        printf("flakysvr: hanging\n");
        for (;;)
            L4_Sleep(L4_Never);
    }
    if (objID == FLAKY_CRASH) {
        printf("flakysvr: writing where nothing is mapped\n");
        *(volatile int *)(lib_usable_end() - 4096) = 1;
    }
    return objID == 0 ? chacm_implements(list, n, apis, 1) : EINVALID;
}

int main(void)
{
    static generic_ops_t ops = { .generic_implements = do_implements };
    static generic_buffers_t bufs;
    printf("flakysvr: serving\n");
    generic_serve(&ops, &bufs, NULL);
    return 0;
}
