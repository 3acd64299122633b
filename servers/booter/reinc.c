/* Reincarnation: the booter restarts a server that dies, as MINIX 3's
 * reincarnation server does.  A server is a boot program that answered
 * generic::implements at boot (memsvr, which pages every task, excepted).
 * It dies when memsvr reports its fault (vm_exc), the kernel halts its
 * thread (an exception nobody handles), it ends or is killed, or it stops
 * answering: the booter pings every server (the heartbeat) at most every
 * RS_HEARTBEAT_US of virtual time and ends one that does not take the ping
 * within RS_HANG_US (5 s: on a real kernel that is real time, and a server
 * may be slow under emulation).  A dead server is started again from its boot image in the same
 * task slot, so it keeps its thread id (clients' handles and the /dev
 * entry stay right; calls in flight failed with "non-existing partner"
 * when its thread was deleted) and gets code and data as at boot.  A
 * restarted namesvr gets the root directory and /dev made again with
 * every running server linked, and each server that implements registrant
 * is told to link its own names again; a task::get_root that comes while
 * namesvr is dead waits until the root is there again (the root handle
 * the booter gives out would name nothing before).  Each event is one
 * console line
 * (fixed wording, counted by fault campaigns):
 *   booter: NAME died (WHY); restarting it
 *   booter: NAME restarted (restart K)
 *   booter: NAME cannot be restarted: WHY
 * A server that dies a fifth time within RS_WINDOW_US of its first of
 * those restarts is not restarted again. */
#include <stdio.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/schedule.h>

#include "booter.h"
#include "registrant_client.h"

#define RS_HEARTBEAT_US 20000
#define RS_WINDOW_US 10000000
#define RS_NOTIFY_US 1000000
#define RS_HANG_US 5000000

static L4_Word64_t last_beat;
static bool restarting;         /* no restart inside a restart */
static L4_ThreadId_t root_waiters[8];   /* get_root calls held while namesvr restarts */
static int nroot_waiters;

/* namesvr's task, or -1. */
static int namesvr_task(void)
{
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (bt_tasks[id].server && !strcmp(bt_tasks[id].name, "namesvr"))
            return id;
    return -1;
}

bool rs_hold_root(L4_ThreadId_t caller)
{
    int ns = namesvr_task();
    bool ended;
    if (ns < 0 || nroot_waiters == (int)(sizeof root_waiters / sizeof root_waiters[0]))
        return false;
    if (!bt_tasks[ns].restart_due && bt_tasks[ns].state == TASK_RUNNING)
        bt_end_if_stopped(ns, true, &ended);    /* dead or halted: its restart is due now */
    if (!bt_tasks[ns].restart_due)
        return false;
    root_waiters[nroot_waiters++] = caller;
    return true;
}

bool rs_root_waiter(L4_ThreadId_t thread)
{
    for (int i = 0; i < nroot_waiters; i++)
        if (L4_IsThreadEqual(root_waiters[i], thread))
            return true;
    return false;
}

/* The root handle to the get_root calls held during namesvr's restart. */
static void release_root_waiters(void)
{
    for (int i = 0; i < nroot_waiters; i++) {
        if (chacm_handle_is_nil(bt_root))
            task_get_root_reply(root_waiters[i], ENOTFOUND, L4_nilthread, 0);
        else
            task_get_root_reply(root_waiters[i], ESUCCESS, bt_root.svr, bt_root.obj);
    }
    nroot_waiters = 0;
}

void rs_died(int id, int status, const char *why)
{
    bt_task_t *t = &bt_tasks[id];
    char buf[48];
    if (!t->server || bt_stopping())
        return;
    if (!why) {
        if (status == TASK_STATUS_FAULT)
            why = "stopped by a fault";
        else if (status == TASK_STATUS_KILLED)
            why = "killed";
        else {
            snprintf(buf, sizeof buf, "ended with status %d", status);
            why = buf;
        }
    }
    printf("booter: %s died (%s); restarting it\n", t->name, why);
    t->restart_due = true;
}

bool rs_defer_kill(int id, L4_ThreadId_t caller)
{
    bt_task_t *t = &bt_tasks[id];
    if (!t->restart_due || !L4_IsNilThread(t->kill_caller))
        return false;
    t->kill_caller = caller;
    return true;
}

/* Tells the servers that implement registrant that the name space is new
 * (oneway; one that is busy is tried again while the booter serves). */
static void notify_registrants(void)
{
    static const int apis[] = { GENERIC_API, REGISTRANT_API };
    for (int id = 1; id < BT_MAX_TASKS; id++) {
        bt_task_t *t = &bt_tasks[id];
        chacm_env_t env = { .snd_timeout = L4_TimePeriod(RS_NOTIFY_US), .rcv_timeout = L4_TimePeriod(RS_NOTIFY_US) };
        if (t->state != TASK_RUNNING || !t->server || bt_waiting(t->thread) ||
            generic_implements(t->thread, DEFAULT_OBJECT, 2, apis, &env) != EYES || env.error != CHACM_IDL_OK)
            continue;
        L4_Word64_t deadline = L4_SystemClock().raw + RS_NOTIFY_US;
        for (;;) {
            chacm_env_t one = { .snd_timeout = L4_ZeroTime };
            registrant_names_back(t->thread, DEFAULT_OBJECT, bt_root.svr, bt_root.obj, &one);
            if (one.error == CHACM_IDL_OK || L4_SystemClock().raw >= deadline)
                break;
            bt_serve_one(L4_TimePeriod(1000));
        }
    }
}

/* Has task id been restarted too often lately? */
static bool too_often(bt_task_t *t)
{
    L4_Word64_t now = L4_SystemClock().raw;
    enum { N = sizeof t->restart_times / sizeof t->restart_times[0] };
    bool full = t->restarts >= N && now - t->restart_times[t->restarts % N] < RS_WINDOW_US;
    t->restart_times[t->restarts % N] = now;
    return full;
}

static void restart(int id)
{
    bt_task_t *t = &bt_tasks[id];
    const char *why = NULL;
    t->restart_due = false;
    if (too_often(t))
        why = "it died 5 times within 10 s";
    else if (!t->rec)
        why = "it is no boot program";
    if (!why) {
        t->state = TASK_NEW;
        t->status = 0;
        t->collected = false;
        t->thread = L4_nilthread;
        t->memtask = TASK_NULL;
        if (bt_restart_boot(id, t->rec) != ESUCCESS)
            why = "no thread, memory or image for it";
        else if (!bt_answers(t->thread, &why)) {
            t->server = false;          /* no report of a death again */
            bt_task_end(id, TASK_STATUS_FAULT);
        }
    }
    if (why) {
        printf("booter: %s cannot be restarted: %s\n", t->name, why);
        if (t->state != TASK_ENDED) {
            t->state = TASK_ENDED;
            t->status = TASK_STATUS_FAULT;
        }
        t->server = false;
        t->restart_due = false;
    } else {
        t->restarts++;
        if (!strcmp(t->name, "namesvr")) {
            if (bt_name_space(t->thread))
                notify_registrants();
        } else {
            bt_publish(t->name, t->thread, 0);
        }
        printf("booter: %s restarted (restart %d)\n", t->name, t->restarts);
    }
    if (!L4_IsNilThread(t->kill_caller)) {
        task_kill_reply(t->kill_caller, ESUCCESS);
        t->kill_caller = L4_nilthread;
    }
    if (!strcmp(t->name, "namesvr"))
        release_root_waiters();
}

bool rs_restart_due(void)
{
    bool any = false;
    if (restarting)
        return false;
    restarting = true;
    for (int id = 1; id < BT_MAX_TASKS && !bt_stopping(); id++)
        if (bt_tasks[id].restart_due) {
            restart(id);
            any = true;
        }
    restarting = false;
    return any;
}

void rs_heartbeat(void)
{
    L4_Word64_t now = L4_SystemClock().raw;
    if (restarting || now - last_beat < RS_HEARTBEAT_US)
        return;
    last_beat = now;
    for (int id = 1; id < BT_MAX_TASKS && !bt_stopping(); id++) {
        bt_task_t *t = &bt_tasks[id];
        const char *why;
        bool ended;
        if (t->state != TASK_RUNNING || !t->server || t->restart_due || bt_waiting(t->thread))
            continue;
        if (bt_end_if_stopped(id, true, &ended) || ended ||
            (bt_task_gone(id) && bt_task_end(id, TASK_STATUS_FAULT)))
            continue;
        if (t->state != TASK_RUNNING || bt_answers_within(t->thread, RS_HANG_US, true, &why) ||
            t->state != TASK_RUNNING || bt_end_if_stopped(id, true, &ended) || ended)
            continue;               /* answers, or ended while it was pinged */
        char buf[96];
        snprintf(buf, sizeof buf, "no heartbeat: %s", why);
        rs_died(id, 0, buf);
        t->server = false;          /* bt_task_end must not report it again */
        bt_task_end(id, TASK_STATUS_KILLED);
        t->server = true;
    }
}
