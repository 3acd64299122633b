/* The booter's server loop, one request at a time with a receive timeout,
 * so that it also serves while it waits for a server to answer at boot
 * (boot.c: a server may ask the booter for its root before it serves
 * itself) and notices, while someone waits for a task, that the kernel
 * halted the task's thread (a fault no handler took: the thread is
 * inactive and stays so).  Such a task ends with TASK_STATUS_FAULT. */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/schedule.h>

#include "booter.h"

#define WATCH_US 20000          /* how often waited-for tasks are looked at */

static booter_ops_t ops;
static booter_buffers_t bufs;
static chacm_idl_loop_t loop;
static bool stopping;

static void reject(const chacm_srvenv_t *env, L4_Word_t why)
{
    if (why != CHACM_IDL_REJECT_FAILED_IPC)
        printf("booter: request %lx from %lx rejected (%s)\n", L4_Label(env->tag), env->caller.raw,
               why == CHACM_IDL_REJECT_UNKNOWN ? "unknown method" : "malformed");
}

void bt_serve_init(void)
{
    tasks_fill(&ops);
    loop = (chacm_idl_loop_t){ .server = &booter_server, .ops = &ops, .bufs = &bufs,
                               .rcv_window = L4_Nilpage, .reject = reject };
}

bool bt_stopping(void)
{
    return stopping;
}

void bt_stop(void)
{
    stopping = true;
}

bool bt_serve_one(L4_Time_t timeout)
{
    chacm_srvenv_t env = { .user = NULL };
    chacm_idl_accept(&loop);
    env.tag = L4_Wait_Timeout(timeout, &env.caller);
    if (L4_IpcFailed(env.tag))
        return false;           /* the timeout, or a sender that went */
    L4_Word_t reply = chacm_idl_dispatch(&loop, &env);
    if (env.stop)
        stopping = true;
    if (reply != CHACM_IDL_NO_REPLY) {
        L4_Set_MsgTag((L4_MsgTag_t){ .raw = reply });
        L4_Reply(env.caller);
    }
    return true;
}

/* Is task id's thread halted by the kernel?  A running task's started
 * thread is never inactive otherwise. */
static bool halted(int id)
{
    L4_Word_t old;
    bt_task_t *t = &bt_tasks[id];
    if (t->state != TASK_RUNNING || L4_IsNilThread(t->thread) || !t->nwaiters)
        return false;
    return L4_Schedule(t->thread, ~0UL, ~0UL, ~0UL, ~0UL, &old) == L4_SCHEDRESULT_INACTIVE;
}

/* Ends the waited-for tasks the kernel halted; true if one of them was the
 * foreground program (the run ends). */
static bool watch(bool *any)
{
    *any = false;
    for (int id = 1; id < BT_MAX_TASKS; id++) {
        if (bt_tasks[id].state != TASK_RUNNING || !bt_tasks[id].nwaiters)
            continue;
        if (halted(id)) {
            printf("booter: %s was halted by the kernel (a fault no one handled); ending it\n",
                   bt_tasks[id].name);
            if (bt_task_end(id, TASK_STATUS_FAULT))
                return true;
            continue;
        }
        *any = true;
    }
    return false;
}

void bt_serve(void)
{
    bool any = false;
    while (!stopping) {
        bt_serve_one(any ? L4_TimePeriod(WATCH_US) : L4_Never);
        if (watch(&any))
            stopping = true;
    }
}
