/* namesvr: the bootstrap name space (see README.md).  One generated loop
 * serves directories (dir.c) and their listings (listing.c). */
#include <stdio.h>

#include "names.h"

static namesvr_ops_t ops;
static namesvr_buffers_t bufs;

static void reject(const chacm_srvenv_t *env, L4_Word_t why)
{
    if (why != CHACM_IDL_REJECT_FAILED_IPC)
        printf("namesvr: request %lx from %lx rejected (%s)\n", L4_Label(env->tag), env->caller.raw,
               why == CHACM_IDL_REJECT_UNKNOWN ? "unknown method" : "malformed");
}

int main(void)
{
    dir_fill(&ops);
    listing_fill(&ops);
    chacm_idl_loop_t loop = { .server = &namesvr_server, .ops = &ops, .bufs = &bufs,
                              .rcv_window = L4_Nilpage, .reject = reject };
    chacm_idl_serve(&loop);
    return 0;
}
