/* The booter's server loop, one request at a time with a receive timeout,
 * so that it also serves while it waits for a server to answer at boot
 * (boot.c: a server may ask the booter for its root before it serves
 * itself) and notices that the kernel halted the thread of a task someone
 * waits for, or of the foreground program (a fault no handler took: the
 * thread is inactive and stays so).  Such a task ends with
 * TASK_STATUS_FAULT.  The kernel sends no word of a halt, so the booter
 * asks (L4_Schedule) after each request and whenever its receive times
 * out; the timeout starts at WATCH_US after a request and doubles while
 * none comes, so that a system where everything waits costs a few wakeups
 * of the virtual clock, not a busy loop, and the kernel still sees a
 * deadlock in the end (the timeout grows to never).  Servers are
 * watched too: the ones that died are restarted here, and the heartbeat
 * (reinc.c) rides on the same wakeups. */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/schedule.h>

#include "booter.h"

#define WATCH_US 20000          /* how often watched tasks are looked at at first */

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
    irq_fill(&ops);
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
    if (!stopping)
        rs_restart_due();       /* a server the request ended (also while booting) */
    return true;
}

/* Does the booter look after task id's thread: someone waits for the task,
 * or it is the foreground program? */
static bool watched(int id)
{
    return bt_tasks[id].state == TASK_RUNNING &&
           (bt_tasks[id].nwaiters || bt_tasks[id].foreground || bt_tasks[id].server);
}

/* A running task's started thread is inactive only when the kernel
 * halted it (an exception nobody handled), and dead when the kernel
 * stopped it for good (a fault plan's kill). */
bool bt_end_if_halted(int id, bool *ended)
{
    return bt_end_if_stopped(id, false, ended);
}

bool bt_end_if_stopped(int id, bool dead_too, bool *ended)
{
    L4_Word_t old;
    bt_task_t *t = &bt_tasks[id];
    *ended = false;
    if (t->state != TASK_RUNNING || L4_IsNilThread(t->thread))
        return false;
    L4_Word_t state = L4_Schedule(t->thread, ~0UL, ~0UL, ~0UL, ~0UL, &old);
    if (state == L4_SCHEDRESULT_INACTIVE)
        printf("booter: %s was halted by the kernel (a fault no one handled); ending it\n", t->name);
    else if (dead_too && state == L4_SCHEDRESULT_DEAD)
        printf("booter: %s was stopped by the kernel; ending it\n", t->name);
    else
        return false;
    *ended = true;
    return bt_task_end(id, TASK_STATUS_FAULT);
}

/* Ends the watched tasks the kernel halted; true if one of them was the
 * foreground program (the run ends).  *any: are there watched tasks left? */
static bool watch(bool *any)
{
    *any = false;
    for (int id = 1; id < BT_MAX_TASKS; id++) {
        if (!watched(id))
            continue;
        bool ended;
        if (bt_end_if_stopped(id, true, &ended))
            return true;
        if (!ended)
            *any = true;
    }
    return false;
}

/* A watched task that is not a server (the heartbeat looks after those)
 * whose memsvr task ended while its thread still waits (a fault memsvr
 * could not give to an exception handler): ended here, on the booter's
 * idle wakeups only (one memsvr call per such task).  True if it was the
 * foreground program. */
static bool watch_gone(void)
{
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (watched(id) && !bt_tasks[id].server && bt_task_gone(id) && bt_task_end(id, TASK_STATUS_FAULT))
            return true;
    return false;
}

void bt_serve(void)
{
    bool any = false;
    L4_Word64_t period = WATCH_US;
    if (watch(&any))
        return;
    while (!stopping) {
        bool idle = !bt_serve_one(any ? L4_TimePeriod(period) : L4_Never);
        if (!idle)
            period = WATCH_US;
        else if (period < ((L4_Word64_t)1 << 42))
            period *= 2;        /* beyond 1023 * 2^31 us: never */
        if (watch(&any) || (idle && watch_gone()))
            stopping = true;
        if (!stopping && rs_restart_due())
            period = WATCH_US;
        if (!stopping)
            rs_heartbeat();
    }
}
