/* Tasks' threads: each task is one L4 task whose first thread the booter
 * creates (it alone is privileged) with memsvr as its pager, registers
 * with memsvr and has memsvr start (docs/vm.md, "Tasks and names").
 * memsvr itself is paged by sigma0.  Program files are read through the
 * file interface into a buffer in the booter's own memory and loaded by
 * servers/lib's loader (chacm/loader.h). */
#include <stdio.h>
#include <chacm/boot.h>
#include <chacm/l4util.h>
#include <chacm/loader.h>
#include <chacm/mach_server.h>
#include <chacm/thread.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "booter.h"

#define FIRST_TASK_NO 16            /* thread numbers above the user base */
#define IMAGE_OFFSET (8UL << 20)    /* the file buffer: 8 MiB into the usable range */
#define IMAGE_MAX (32UL << 20)
#define IMAGE_ALIGN (1UL << 20)

L4_ThreadId_t bt_memsvr;

/* The thread id of task id's first thread (one task per slot). */
static L4_ThreadId_t first_thread(int id)
{
    L4_Word_t version = bt_tasks[id].version ? bt_tasks[id].version : 1;
    return L4_GlobalId(L4_ThreadIdUserBase(L4_GetKernelInterface()) + FIRST_TASK_NO + (L4_Word_t)id, version);
}

bool bt_start_memsvr(L4_Word_t ip, L4_ThreadId_t *tid)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_ThreadId_t t = first_thread(0);
    /* the booter starts it as its pager, then hands it to sigma0, whose
     * memory it takes explicitly */
    if (lib_task_create(t, L4_Myself()) != 0)
        return false;
    if (lib_task_start(t, ip, 0) != 0 || !L4_ThreadControl(t, t, L4_nilthread, sigma0, (void *)-1UL)) {
        L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1UL);
        return false;
    }
    mach_set_server(t);
    *tid = t;
    return true;
}

/* Creates task id's thread and its memory at memsvr (not yet started). */
static int create(int id)
{
    bt_task_t *t = &bt_tasks[id];
    L4_ThreadId_t tid = first_thread(id);
    if (L4_IsNilThread(bt_memsvr) || lib_task_create(tid, bt_memsvr) != 0)
        return EFULL;
    if (mach_task_register(tid, &t->memtask) != KERN_SUCCESS) {
        L4_ThreadControl(tid, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1UL);
        t->memtask = TASK_NULL;
        return EFULL;
    }
    t->thread = tid;
    return ESUCCESS;
}

/* Starts task id (created) at ip. */
static int launch(int id, L4_Word_t ip)
{
    bt_task_t *t = &bt_tasks[id];
    mach_task_set_exception_port(t->memtask, L4_Myself());
    if (mach_task_start(t->memtask, t->thread, ip, 0) != KERN_SUCCESS) {
        bt_kill_threads(id);
        return EFULL;
    }
    t->state = TASK_RUNNING;
    return ESUCCESS;
}

/* Creates task id and starts boot program r in it; again: it ran before. */
static int start_boot(int id, const L4_BootRec_t *r, bool again)
{
    int rc = create(id);
    if (rc != ESUCCESS)
        return rc;
    L4_Word_t entry;
    const char *why;
    rc = again ? lib_boot_program_reload(r, bt_tasks[id].memtask, &entry, &why)
               : lib_boot_program_load(r, bt_tasks[id].memtask, &entry, &why);
    if (rc != ESUCCESS) {
        printf("booter: %s: not loaded: %s\n", bt_tasks[id].name, why);
        bt_kill_threads(id);
        bt_tasks[id].thread = L4_nilthread;
        return rc;
    }
    return launch(id, entry);
}

int bt_start_boot(int id, const L4_BootRec_t *r)
{
    bt_tasks[id].rec = r;
    return start_boot(id, r, false);
}

int bt_restart_boot(int id, const L4_BootRec_t *r)
{
    return start_boot(id, r, true);
}

void bt_kill_threads(int id)
{
    bt_task_t *t = &bt_tasks[id];
    if (!L4_IsNilThread(t->thread))
        L4_ThreadControl(t->thread, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1UL);
    if (t->memtask != TASK_NULL)
        task_terminate(t->memtask);
    t->memtask = TASK_NULL;
}

/* The buffer program files are read into: in the booter's window, paged
 * by sigma0 as it is touched, 8 MiB into the usable range and above the
 * boot loader's memory in it (lib_boot_loader_end), which holds the boot
 * modules still in use. */
static char *image_buffer(size_t *cap)
{
    L4_Word_t base = lib_usable_base() + IMAGE_OFFSET, end = lib_usable_end();
    L4_Word_t boot_end = (lib_boot_loader_end() + IMAGE_ALIGN - 1) & ~(IMAGE_ALIGN - 1);
    if (boot_end > base)
        base = boot_end;
    *cap = end > base ? end - base : 0;
    if (*cap > IMAGE_MAX)
        *cap = IMAGE_MAX;
    return (char *)base;
}

int bt_execute(int id, L4_ThreadId_t svr, int obj)
{
    bt_task_t *t = &bt_tasks[id];
    size_t cap, size;
    char *buf = image_buffer(&cap);
    int rc = lib_file_slurp(svr, obj, buf, cap, &size);
    if (rc != ESUCCESS) {
        printf("booter: %s: cannot read the program file <%lx, %d> (%d)\n", t->name, svr.raw, obj, rc);
        return rc == EINVALID ? ENOTFOUND : rc;
    }
    rc = create(id);
    if (rc != ESUCCESS)
        return rc;
    L4_Word_t entry;
    const char *why;
    rc = lib_program_load(buf, size, t->name[0] ? t->name : "program", t->memtask, &entry, &why);
    if (rc != ESUCCESS) {
        printf("booter: %s: not loaded: %s\n", t->name, why);
        bt_kill_threads(id);
        t->thread = L4_nilthread;
        return rc;
    }
    return launch(id, entry);
}
