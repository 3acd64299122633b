/* memsvr: the global pager of every task it is given, Mach's VM calls
 * (ipc/idl/vm.idl) and the calls of external memory managers
 * (memory_object_control.idl).  One generated loop serves page faults
 * (pager.idl's kernelmsg(idl4::pagefault)) and calls: each handler
 * decodes, then acts; the poll hook resends what managers did not take
 * and times out what they did not answer. */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/thread.h>

#include "memsvr.h"

static memsvr_ops_t ops;
static memsvr_buffers_t bufs;

static void reject(const chacm_srvenv_t *env, L4_Word_t why)
{
    if (why != CHACM_IDL_REJECT_FAILED_IPC)
        printf("memsvr: request %lx from %lx rejected (%s)\n", L4_Label(env->tag), env->caller.raw,
               why == CHACM_IDL_REJECT_UNKNOWN ? "unknown method" : "malformed");
}

int main(void)
{
    frames_init();
    tasks_init();
    handles_init();
    mobj_init();
    vmcalls_fill(&ops);
    taskcalls_fill(&ops);
    pageout_fill(&ops);
    mobjcalls_fill(&ops);
    ops.pager_pagefault = pager_fault;
    /* memsvr cannot page a client while it receives from it: a transfer
     * that faults fails at once instead of waiting for memsvr itself */
    L4_Set_XferTimeouts(L4_Timeouts(L4_ZeroTime, L4_ZeroTime));
    chacm_idl_loop_t loop = { .server = &memsvr_server, .ops = &ops, .bufs = &bufs,
                              .rcv_window = L4_Nilpage, .reject = reject,
                              .poll = mobj_poll };
    chacm_idl_serve(&loop);
    return 0;
}
