/* The booter's interrupt lines for drivers (ipc/idl/irq.idl): the root
 * task is privileged and associates a line's interrupt thread with the
 * thread that asks (ThreadControl), for the first task that asks; a line
 * of a task that has ended is free again. */
#include <stdio.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "booter.h"

#define BT_MAX_LINES 64

static struct {
    int task;                   /* 0: free */
    L4_Word_t version;          /* the task's version when it attached */
} lines[BT_MAX_LINES];

static bool line_ok(int line)
{
    L4_Word_t n = L4_ThreadIdSystemBase(L4_GetKernelInterface());
    return line >= 0 && line < BT_MAX_LINES && (L4_Word_t)line < n;
}

/* The task holding line, or 0 (it ended, or none). */
static int holder(int line)
{
    int t = lines[line].task;
    if (t && (bt_tasks[t].state != TASK_RUNNING || bt_tasks[t].version != lines[line].version))
        lines[line].task = 0;
    return lines[line].task;
}

static int do_attach(int obj, int line, chacm_srvenv_t *env)
{
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    if (!line_ok(line))
        return EBADPARM;
    int t = bt_task_of(env->caller);
    if (t <= 0)
        return EDENIED;
    int h = holder(line);
    if (h && h != t)
        return ELOCKED;
    L4_ThreadId_t it = L4_GlobalId((L4_Word_t)line, 1);
    if (!L4_AssociateInterrupt(it, env->caller)) {
        printf("booter: interrupt %d for %s refused by the kernel (error %lu)\n", line, bt_tasks[t].name,
               L4_ErrorCode());
        return EAGAIN;
    }
    lines[line].task = t;
    lines[line].version = bt_tasks[t].version;
    return ESUCCESS;
}

static int do_detach(int obj, int line, chacm_srvenv_t *env)
{
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    if (!line_ok(line))
        return EBADPARM;
    int t = bt_task_of(env->caller);
    if (t <= 0 || holder(line) != t)
        return EDENIED;
    L4_DeassociateInterrupt(L4_GlobalId((L4_Word_t)line, 1));
    lines[line].task = 0;
    return ESUCCESS;
}

void irq_fill(booter_ops_t *ops)
{
    ops->irq_attach = do_attach;
    ops->irq_detach = do_detach;
}
