/* memsvr for protocol tests (pt_vm.h). */
#include <stdio.h>
#include <string.h>
#include <chacm/mach_server.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "ptest.h"
#include "pt_module.h"
#include "pt_vm.h"

#define PV_DONE_LABEL 0x7d0e

static L4_ThreadId_t memsvr;
static void (*task_fn[1 << 12])(void);

/* The entry point of the boot module whose command line starts with name. */
L4_ThreadId_t pv_memsvr(void)
{
    if (!L4_IsNilThread(memsvr))
        return memsvr;
    L4_Word_t ip = pt_module_ip("memsvr");
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadIdUserBase(kip) + 8, 1);
    /* started by this task as its pager (crt0 switches to the module's own
     * stack), then handed to sigma0, whose memory it takes explicitly */
    if (!ip || lib_task_create(t, L4_Myself()) != 0 || lib_task_start(t, ip, 0) != 0 ||
        !L4_ThreadControl(t, t, L4_nilthread, sigma0, (void *)-1UL)) {
        printf("pt_vm: cannot start memsvr (module %s)\n", ip ? "found" : "missing");
        return L4_nilthread;
    }
    memsvr = t;
    mach_set_server(t);
    return t;
}

/* Every test task starts here and reports to the main thread at the end. */
static void task_entry(void)
{
    task_fn[L4_ThreadNo(L4_MyGlobalId()) % (1 << 12)]();
    L4_Set_MsgTag((L4_MsgTag_t){ .raw = (L4_Word_t)PV_DONE_LABEL << 16 });
    L4_Send((L4_ThreadId_t)pt_main_id);
    pt_park();
}

L4_ThreadId_t pv_create(void (*fn)(void), task_t *task)
{
    L4_ThreadId_t srv = pv_memsvr(), t = pt_new_id();
    *task = TASK_NULL;
    if (L4_IsNilThread(srv) || lib_task_create(t, srv) != 0)
        return L4_nilthread;
    pt_track(t);
    task_fn[L4_ThreadNo(t) % (1 << 12)] = fn;
    if (mach_task_register(t, task) != KERN_SUCCESS) {
        printf("pt_vm: memsvr does not take task %lx\n", t.raw);
        return L4_nilthread;
    }
    return t;
}

/* Thread t (made by ThreadControl, memsvr its pager) joins task and runs fn. */
static L4_ThreadId_t join(task_t task, L4_ThreadId_t t, void (*fn)(void))
{
    pt_track(t);
    task_fn[L4_ThreadNo(t) % (1 << 12)] = fn;
    if (mach_task_add_thread(task, t) != KERN_SUCCESS || !pv_start(t, task))
        return L4_nilthread;
    return t;
}

L4_ThreadId_t pv_adopt(task_t task, void (*fn)(void))
{
    L4_ThreadId_t srv = pv_memsvr(), t = pt_new_id();
    if (L4_IsNilThread(srv) || lib_task_create(t, srv) != 0)
        return L4_nilthread;
    return join(task, t, fn);
}

L4_ThreadId_t pv_thread(task_t task, L4_ThreadId_t first, void (*fn)(void), unsigned slot)
{
    L4_ThreadId_t t = pt_new_id();
    /* the UTCB location in this task's layout stands for the same offset there */
    if (!L4_ThreadControl(t, first, L4_Myself(), pv_memsvr(), lib_utcb_slot(slot)))
        return L4_nilthread;
    return join(task, t, fn);
}

bool pv_start(L4_ThreadId_t t, task_t task)
{
    return mach_task_start(task, t, (L4_Word_t)task_entry, (L4_Word_t)pt_stack_top()) == KERN_SUCCESS;
}

L4_ThreadId_t pv_spawn(void (*fn)(void), task_t *task)
{
    L4_ThreadId_t t = pv_create(fn, task);
    if (!L4_IsNilThread(t) && !pv_start(t, *task)) {
        printf("pt_vm: memsvr does not start task %lx\n", t.raw);
        return L4_nilthread;
    }
    return t;
}

bool pv_wait(L4_ThreadId_t t, L4_Word_t ms)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, t, L4_Timeouts(L4_Never, L4_TimePeriod(ms * 1000)), &from);
    return !L4_IpcFailed(tag) && L4_Label(tag) == PV_DONE_LABEL;
}

void pv_end(L4_ThreadId_t t, task_t task)
{
    if (task != TASK_NULL)
        task_terminate(task);
    if (!L4_IsNilThread(t))
        pt_kill(t);
}

bool pv_run(void (*fn)(void))
{
    task_t task;
    L4_ThreadId_t t = pv_spawn(fn, &task);
    bool done = !L4_IsNilThread(t) && pv_wait(t, 10000);
    pv_end(t, task);
    return done;
}

void pv_frames(vm_size_t *received, vm_size_t *free, vm_size_t *in_use)
{
    vm_size_t meta;
    pv_memsvr();
    mach_vm_frames(received, free, in_use, &meta);
}
