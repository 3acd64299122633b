/* The booter's task objects: the task interface (command line, root,
 * memory, execute, kill, exit, wait, listing) and the creator of tasks.
 * Task object 0 is the booter itself; killing it halts the system.  Every
 * handler checks the object id and the caller's right first (decode, then
 * act): only a task's creator may set or run it, a task may end itself. */
#include <stdio.h>
#include <string.h>
#include <chacm/mach_server.h>
#include <l4/thread.h>

#include "booter.h"

bt_task_t bt_tasks[BT_MAX_TASKS];
int bt_halt_status;

static const int task_apis[] = { TASK_API, CREATOR_API };

/* The program's name: the first word of cmdline without directories and
 * ".so", at most BT_NAME_MAX characters. */
static void first_word(char *name, const char *cmdline)
{
    size_t n = 0;
    while (cmdline[n] && cmdline[n] != ' ' && cmdline[n] != '\t')
        n++;
    for (size_t i = n; i > 0; i--)
        if (cmdline[i - 1] == '/') {
            cmdline += i;
            n -= i;
            break;
        }
    if (n > 3 && !strncmp(cmdline + n - 3, ".so", 3))
        n -= 3;
    if (n > BT_NAME_MAX)
        n = BT_NAME_MAX;
    memcpy(name, cmdline, n);
    name[n] = 0;
}

static unsigned long ends;   /* tasks ended so far */

/* A slot for a new task: a free one, else the one that ended first among
 * those whose creator has collected the status; -1 if there is none. */
static int free_slot(void)
{
    int best = -1;
    for (int id = 1; id < BT_MAX_TASKS; id++) {
        bt_task_t *t = &bt_tasks[id];
        if (!t->state)
            return id;
        if (t->state == TASK_ENDED && t->collected && (best < 0 || t->ended_at < bt_tasks[best].ended_at))
            best = id;
    }
    return best;
}

int bt_task_new(const char *cmdline, L4_ThreadId_t owner)
{
    int id = free_slot();
    if (id > 0) {
        bt_task_t *t = &bt_tasks[id];
        /* a reused slot's thread gets a new version: stale ids miss it */
        L4_Word_t version = t->version + 1 < (1UL << 14) ? t->version + 1 : 1;
        memset(t, 0, sizeof *t);
        t->version = version;
        t->state = TASK_NEW;
        strncpy(t->cmdline, cmdline, CHACM_CMDLINE_MAX);
        first_word(t->name, cmdline);
        t->root = bt_root;
        t->owner = owner;
        t->thread = L4_nilthread;
        t->memtask = TASK_NULL;
    }
    return id;
}

int bt_task_of(L4_ThreadId_t thread)
{
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (bt_tasks[id].state == TASK_RUNNING && L4_IsThreadEqual(bt_tasks[id].thread, thread))
            return id;
    return -1;
}

bool bt_task_end(int id, int status)
{
    bt_task_t *t = &bt_tasks[id];
    if (t->state == TASK_RUNNING)
        bt_kill_threads(id);
    t->state = TASK_ENDED;
    t->status = status;
    t->ended_at = ++ends;
    for (int i = 0; i < t->nwaiters; i++)
        if (L4_IsThreadEqual(t->waiters[i], t->owner))
            t->collected = true;
    for (int i = 0; i < t->nwaiters; i++)
        task_wait_reply(t->waiters[i], ESUCCESS, status);
    t->nwaiters = 0;
    rs_died(id, status, NULL);
    if (t->foreground) {
        printf("booter: %s ended with status %d; halting\n", t->name, status);
        bt_halt_status = status;
    }
    return t->foreground;
}

bool bt_task_gone(int id)
{
    bt_task_t *t = &bt_tasks[id];
    vm_size_t alive = 1, pages;
    if (t->state != TASK_RUNNING || t->memtask == TASK_NULL ||
        mach_task_info(t->memtask, &alive, &pages) != KERN_SUCCESS || alive)
        return false;
    printf("booter: %s was stopped by a fault\n", t->name);
    return true;
}

bool bt_waiting(L4_ThreadId_t thread)
{
    if (rs_root_waiter(thread))
        return true;
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (L4_IsThreadEqual(bt_tasks[id].kill_caller, thread))
            return true;
    for (int id = 1; id < BT_MAX_TASKS; id++)
        for (int i = 0; i < bt_tasks[id].nwaiters; i++)
            if (L4_IsThreadEqual(bt_tasks[id].waiters[i], thread))
                return true;
    return false;
}

/* The task objID names for caller (TASK_SELF: the caller's own), or -1;
 * 0 is the booter. */
static int lookup(int objID, const chacm_srvenv_t *env)
{
    if (objID == TASK_SELF)
        return bt_task_of(env->caller);
    if (objID == 0)
        return 0;
    if (objID < 0 || objID >= BT_MAX_TASKS || !bt_tasks[objID].state)
        return -1;
    return objID;
}

/* May the caller change task id (set, execute)? */
static bool is_owner(int id, const chacm_srvenv_t *env)
{
    return id > 0 && L4_IsThreadEqual(bt_tasks[id].owner, env->caller);
}

static int do_implements(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    if (lookup(objID, env) < 0)
        return EINVALID;
    return chacm_implements(list, n, task_apis, objID == 0 ? 2 : 1);
}

static int do_can_create(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    (void)env;
    if (objID != 0)
        return ESUPP;
    return chacm_implements(list, n, task_apis, 1) == EYES ? EYES : ENO;
}

static int do_create(int objID, int n, const int *list, L4_ThreadId_t *svr, int *obj, chacm_srvenv_t *env)
{
    if (objID != 0 || chacm_implements(list, n, task_apis, 1) != EYES)
        return ESUPP;
    int id = bt_task_new("", env->caller);
    if (id < 0)
        return EFULL;
    *svr = L4_Myself();
    *obj = id;
    return ESUCCESS;
}

static int do_set_cmdline(int objID, const char *cmdline, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    if (!is_owner(id, env))
        return EDENIED;
    strncpy(bt_tasks[id].cmdline, cmdline, CHACM_CMDLINE_MAX);
    first_word(bt_tasks[id].name, cmdline);
    return ESUCCESS;
}

static int do_set_root(int objID, L4_ThreadId_t svr, int obj, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    if (!is_owner(id, env))
        return EDENIED;
    bt_tasks[id].root = chacm_handle(svr, obj);
    return ESUCCESS;
}

static int do_set_memory(int objID, L4_ThreadId_t svr, int obj, chacm_srvenv_t *env)
{
    (void)svr, (void)obj;
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    /* every task's memory is its own at memsvr */
    return is_owner(id, env) ? ESUPP : EDENIED;
}

static int do_execute(int objID, L4_ThreadId_t svr, int obj, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    if (!is_owner(id, env) || bt_tasks[id].state != TASK_NEW)
        return EDENIED;
    return bt_execute(id, svr, obj);
}

static int do_kill(int objID, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    if (id == 0) {
        printf("booter: halt requested by %lx\n", env->caller.raw);
        bt_halt_status = 0;
        chacm_srv_stop(env);
        return ESUCCESS;
    }
    bool owner = is_owner(id, env);     /* the creator needs no wait then */
    if (bt_tasks[id].state != TASK_ENDED && bt_task_end(id, TASK_STATUS_KILLED))
        chacm_srv_stop(env);
    if (rs_defer_kill(id, env->caller))
        chacm_srv_defer(env);           /* a server: the reply comes once it runs again */
    if (owner)
        bt_tasks[id].collected = true;
    return ESUCCESS;
}

static int do_get_cmdline(int objID, char **cmdline, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    *cmdline = id == 0 ? (char *)"booter" : bt_tasks[id].cmdline;
    return ESUCCESS;
}

static int do_get_root(int objID, L4_ThreadId_t *svr, int *obj, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    chacm_handle_t h = id == 0 ? bt_root : bt_tasks[id].root;
    if (chacm_handle_is_nil(h))
        return ENOTFOUND;
    if (L4_IsThreadEqual(h.svr, bt_root.svr) && !rs_root_waiter(env->caller) && rs_hold_root(env->caller)) {
        chacm_srv_defer(env);           /* namesvr is restarting: the reply comes with the new root */
        return ESUCCESS;
    }
    *svr = h.svr;
    *obj = h.obj;
    return ESUCCESS;
}

static int do_get_threadid(int objID, L4_ThreadId_t *thread, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    *thread = id == 0 ? L4_Myself() : bt_tasks[id].thread;
    return ESUCCESS;
}

static int do_get_memory(int objID, L4_ThreadId_t *svr, int *obj, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    if (id == 0 || bt_tasks[id].memtask == TASK_NULL)
        return ENOTFOUND;
    *svr = bt_memsvr;
    *obj = (int)bt_tasks[id].memtask;
    return ESUCCESS;
}

static int do_get_self(int objID, int *taskobj, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id < 0)
        return EINVALID;
    *taskobj = id;
    return ESUCCESS;
}

static int do_exit(int objID, int status, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id <= 0 || !L4_IsThreadEqual(bt_tasks[id].thread, env->caller))
        return EDENIED;
    chacm_srv_defer(env);       /* its thread goes: no reply */
    if (bt_task_end(id, status))
        chacm_srv_stop(env);
    return ESUCCESS;
}

static int do_wait(int objID, int *status, chacm_srvenv_t *env)
{
    int id = lookup(objID, env);
    if (id <= 0)
        return EINVALID;
    bt_task_t *t = &bt_tasks[id];
    if (bt_task_gone(id) && bt_task_end(id, TASK_STATUS_FAULT))
        chacm_srv_stop(env);
    if (t->state == TASK_ENDED) {
        *status = t->status;
        if (L4_IsThreadEqual(env->caller, t->owner))
            t->collected = true;
        return ESUCCESS;
    }
    if (t->nwaiters == BT_MAX_WAITERS || L4_IsThreadEqual(t->thread, env->caller))
        return EFULL;
    t->waiters[t->nwaiters++] = env->caller;
    chacm_srv_defer(env);
    return ESUCCESS;
}

static int do_get_info(int objID, int *state, int *status, char **name, chacm_srvenv_t *env)
{
    if (objID < 0 || objID >= BT_MAX_TASKS)
        return EINVALID;
    int highest = 0;
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (bt_tasks[id].state)
            highest = id;
    if (objID > highest)
        return EINVALID;
    if (objID == 0) {
        *state = TASK_RUNNING;
        *status = 0;
        *name = (char *)"booter";
        return ESUCCESS;
    }
    bt_task_t *t = &bt_tasks[objID];
    if (!t->state)
        return ENOTFOUND;
    bool ended;
    if (bt_end_if_halted(objID, &ended))
        chacm_srv_stop(env);    /* a listing tells the truth about halted tasks */
    *state = t->state;
    *status = t->state == TASK_ENDED ? t->status : 0;
    *name = t->name;
    return ESUCCESS;
}

/* memsvr: a thread of task made an access its regions do not allow. */
static void do_exception(L4_Word_t task, L4_ThreadId_t thread, L4_Word_t code, L4_Word_t address,
                         L4_Word_t ip, L4_Word_t access, chacm_srvenv_t *env)
{
    (void)thread, (void)ip, (void)access;
    if (!L4_IsThreadEqual(env->caller, bt_memsvr))
        return;
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (bt_tasks[id].state == TASK_RUNNING && bt_tasks[id].memtask == (task_t)task) {
            printf("booter: %s stopped by a fault at %lx (memsvr code %lu)\n", bt_tasks[id].name, address,
                   code);
            if (bt_task_end(id, TASK_STATUS_FAULT))
                chacm_srv_stop(env);
            return;
        }
}

void tasks_fill(booter_ops_t *ops)
{
    ops->vm_exc_exception_raise = do_exception;
    ops->generic_implements = do_implements;
    ops->creator_can_create = do_can_create;
    ops->creator_create = do_create;
    ops->task_set_cmdline = do_set_cmdline;
    ops->task_set_root = do_set_root;
    ops->task_set_memory = do_set_memory;
    ops->task_execute = do_execute;
    ops->task_kill = do_kill;
    ops->task_get_cmdline = do_get_cmdline;
    ops->task_get_root = do_get_root;
    ops->task_get_threadid = do_get_threadid;
    ops->task_get_memory = do_get_memory;
    ops->task_get_self = do_get_self;
    ops->task_exit = do_exit;
    ops->task_wait = do_wait;
    ops->task_get_info = do_get_info;
}
