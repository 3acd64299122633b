/* booter: the root task of ChacmOS.  Starts the boot list's programs
 * (boot.c), then serves the task and creator interfaces (tasks.c) until
 * the foreground program ends or someone halts the system; its result is
 * the run's exit status. */
#include <stdio.h>

#include "booter.h"

static booter_ops_t ops;
static booter_buffers_t bufs;

static void reject(const chacm_srvenv_t *env, L4_Word_t why)
{
    if (why != CHACM_IDL_REJECT_FAILED_IPC)
        printf("booter: request %lx from %lx rejected (%s)\n", L4_Label(env->tag), env->caller.raw,
               why == CHACM_IDL_REJECT_UNKNOWN ? "unknown method" : "malformed");
}

int main(void)
{
    printf("booter: ChacmOS booting\n");
    tasks_fill(&ops);
    if (!bt_boot())
        return 0;
    chacm_idl_loop_t loop = { .server = &booter_server, .ops = &ops, .bufs = &bufs,
                              .rcv_window = L4_Nilpage, .reject = reject };
    chacm_idl_serve(&loop);
    return bt_halt_status;
}
