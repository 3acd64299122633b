/* memsvr: the global pager of every task it is given, and Mach's VM calls
 * (ipc/idl/vm.idl).  One loop serves page faults and calls: decode, then
 * act, then reply (or stay silent for a fault that waits). */
#include <stdio.h>
#include <chacm/l4util.h>
#include <l4/ipc.h>

#include "memsvr.h"

static memsvr_ops_t ops;
static memsvr_buffers_t bufs;

static void reject(const chacm_srvenv_t *env, L4_Word_t why)
{
    if (why != CHACM_IDL_REJECT_FAILED_IPC)
        printf("memsvr: request %lx from %lx rejected (%s)\n", L4_Label(env->tag), env->caller.raw,
               why == CHACM_IDL_REJECT_UNKNOWN ? "unknown method" : "malformed");
}

static bool is_fault(L4_MsgTag_t tag)
{
    return (L4_Label(tag) & ~(L4_Word_t)0xf) == lib_proto_label(-2);
}

static void serve(const chacm_idl_loop_t *loop)
{
    chacm_srvenv_t env = { .user = loop->user };
    chacm_idl_accept(loop);
    L4_MsgTag_t tag = L4_Wait(&env.caller);
    for (;;) {
        L4_Word_t reply = CHACM_IDL_NO_REPLY;
        if (!L4_IpcFailed(tag)) {
            env.tag = tag;
            reply = is_fault(tag) ? pager_fault(env.caller, tag) : chacm_idl_dispatch(loop, &env);
        }
        chacm_idl_accept(loop);
        if (reply == CHACM_IDL_NO_REPLY) {
            tag = L4_Wait(&env.caller);
        } else {
            L4_Set_MsgTag((L4_MsgTag_t){ .raw = reply });
            tag = L4_ReplyWait(env.caller, &env.caller);
        }
    }
}

int main(void)
{
    frames_init();
    tasks_init();
    handles_init();
    vmcalls_fill(&ops);
    taskcalls_fill(&ops);
    chacm_idl_loop_t loop = { .server = &memsvr_server, .ops = &ops, .bufs = &bufs,
                              .rcv_window = L4_Nilpage, .reject = reject };
    serve(&loop);
    return 0;
}
