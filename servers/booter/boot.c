/* The boot sequence: the boot list's programs after the booter start in
 * order, each a task paged by memsvr (memsvr itself paged by sigma0).  A
 * program that is not the list's last is a server: the booter waits until
 * it answers generic::implements (START_US, 5 s of the kernel's clock:
 * virtual on chacmsim, real on a PC) and links it as
 * /dev/NAME; one that does not answer gets a boot message and the boot goes
 * on without it.  Once namesvr answers, the booter makes the root directory
 * and /dev and links what runs already (itself as /dev/booter, the block
 * devices of the data modules as /dev/ram0, /dev/ram1, ...).  The list's last program, unless
 * it answers as a server, is the foreground program (the shell): when it
 * ends, the run ends; without one the run ends once the boot is done. */
#include <stdio.h>
#include <string.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>
#include <l4/schedule.h>
#include <l4/thread.h>

#include "booter.h"
#include "directory_client.h"
#include "filesystem_client.h"

#define PING_US 1000000
#define START_US 5000000    /* a boot server may wait for its device first (an ATA disk spins up) */
#define PING_STEP_US 1000   /* serving between two pings */

extern void _start(void);

chacm_handle_t bt_root, bt_dev;

static const int dir_apis[] = { GENERIC_API, DIRECTORY_API, FILE_API };

/* Servers started before the name space existed, linked once it does. */
static struct {
    char name[BT_NAME_MAX + 1];
    L4_ThreadId_t svr;
} early[8];
static int nearly;
static int ndevices;

/* Calls to namesvr never wait for ever: a request or reply lost on the
 * way is a timeout after NS_CALL_US, and the call is made once more (a
 * link whose reply was lost then finds its name linked, EEXISTS; a create
 * whose reply was lost leaves one unused directory in namesvr).  A dead or
 * hung namesvr is the heartbeat's business: it is restarted and the name
 * space made again (reinc.c). */
#define NS_CALL_US 1000000
#define NS_TRIES 2
#define NS_CALL(env, call) CHACM_CALL_RETRIED(env, NS_CALL_US, NS_TRIES, call)

void bt_publish(const char *name, L4_ThreadId_t svr, int obj)
{
    if (chacm_handle_is_nil(bt_dev)) {
        if (nearly < (int)(sizeof early / sizeof early[0])) {
            strncpy(early[nearly].name, name, BT_NAME_MAX);
            early[nearly++].svr = svr;
        }
        return;
    }
    chacm_env_t env;
    int rc = 0;
    NS_CALL(env, rc = directory_link(bt_dev.svr, bt_dev.obj, name, svr, obj, &env));
    if (rc == EEXISTS && env.error == CHACM_IDL_OK) {
        /* linked before (a restarted server keeps its thread id) */
        L4_ThreadId_t old = L4_nilthread;
        int oobj = 0, used = 0;
        NS_CALL(env, rc = directory_resolve(bt_dev.svr, bt_dev.obj, (char *)name, &old, &oobj, &used, &env));
        if (rc == ESUCCESS && (!L4_IsThreadEqual(old, svr) || oobj != obj)) {
            NS_CALL(env, directory_unlink(bt_dev.svr, bt_dev.obj, (char *)name, &env));
            NS_CALL(env, rc = directory_link(bt_dev.svr, bt_dev.obj, name, svr, obj, &env));
        }
    }
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS)
        printf("booter: cannot link /dev/%s (%d, %lu)\n", name, rc, env.error);
}

bool bt_answers(L4_ThreadId_t svr, const char **why)
{
    return bt_answers_within(svr, PING_US, false, why);
}

/* Does svr answer generic::implements(0, [GENERIC_API]) within us?
 * Until svr takes the request the booter serves its own callers (a server
 * may ask for its root or resolve a path before it serves).  With
 * any_reply, every reply counts (a heartbeat: a garbled ping's error reply
 * still shows the server alive).  why: the reason it does not answer. */
bool bt_answers_within(L4_ThreadId_t svr, L4_Word64_t us, bool any_reply, const char **why)
{
    static char late[48];
    L4_Word64_t deadline = L4_SystemClock().raw + us;
    for (;;) {
        L4_Word64_t now = L4_SystemClock().raw;
        L4_Word64_t left = now < deadline ? deadline - now : 0;
        if (bt_waiting(svr)) {
            /* its call waits for our reply: a ping would be taken as that */
            *why = "it waits for a task instead";
            return false;
        }
        chacm_env_t env = { .snd_timeout = L4_ZeroTime, .rcv_timeout = L4_TimePeriod(left ? left : 1) };
        int generic = GENERIC_API;
        int rc = generic_implements(svr, DEFAULT_OBJECT, 1, &generic, &env);
        L4_Word_t old;
        bool send_timeout = env.error == CHACM_IDL_EIPC && (env.ipc_error & 0xf) == 2;
        if (send_timeout && L4_Schedule(svr, ~0UL, ~0UL, ~0UL, ~0UL, &old) == L4_SCHEDRESULT_INACTIVE) {
            *why = "the kernel halted it";
            return false;
        }
        if (send_timeout && left && !bt_stopping()) {
            bt_serve_one(L4_TimePeriod(left < PING_STEP_US ? left : PING_STEP_US));
            continue;
        }
        if (env.error == CHACM_IDL_EIPC && L4_Schedule(svr, ~0UL, ~0UL, ~0UL, ~0UL, &old) == L4_SCHEDRESULT_DEAD)
            *why = "it stopped before it answered";
        else if (chacm_env_timed_out(&env)) {
            snprintf(late, sizeof late, "it did not answer within %lu s", (unsigned long)(us / 1000000));
            *why = late;
        } else if (env.error == CHACM_IDL_EIPC)
            *why = "it cannot be reached";
        else if (any_reply)
            return true;
        else if (env.error != CHACM_IDL_OK)
            *why = "it does not serve the generic interface";
        else if (rc != EYES)
            *why = "its object 0 denies the generic interface";
        else
            return true;
        return false;
    }
}

bool bt_name_space(L4_ThreadId_t ns)
{
    chacm_env_t env;
    chacm_handle_t root, dev;
    int rc = 0;
    NS_CALL(env, rc = creator_create(ns, DEFAULT_OBJECT, 3, dir_apis, &root.svr, &root.obj, &env));
    if (env.error == CHACM_IDL_OK && rc == ESUCCESS)
        NS_CALL(env, rc = creator_create(ns, DEFAULT_OBJECT, 3, dir_apis, &dev.svr, &dev.obj, &env));
    if (env.error == CHACM_IDL_OK && rc == ESUCCESS)
        NS_CALL(env, rc = directory_link(root.svr, root.obj, "dev", dev.svr, dev.obj, &env));
    if (env.error == CHACM_IDL_OK && rc == EEXISTS)
        rc = ESUCCESS;          /* the link's reply was lost, its retry found it */
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS) {
        printf("booter: namesvr cannot make the root directory and /dev (%d, %lu); no name space\n", rc,
               env.error);
        return false;
    }
    chacm_handle_t old = bt_root;
    bt_root = root;
    bt_dev = dev;
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (bt_tasks[id].state && (chacm_handle_is_nil(bt_tasks[id].root) ||
                                   (L4_IsThreadEqual(bt_tasks[id].root.svr, old.svr) &&
                                    bt_tasks[id].root.obj == old.obj)))
            bt_tasks[id].root = root;
    bt_publish("booter", L4_Myself(), 0);
    for (int i = 0; i < nearly; i++)
        bt_publish(early[i].name, early[i].svr, 0);
    for (int i = 0; i < ndevices; i++) {
        char name[16];
        snprintf(name, sizeof name, "ram%d", i);
        bt_publish(name, blk_thread(), i + 1);
    }
    /* again: the servers that run (namesvr itself among them) */
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (!chacm_handle_is_nil(old) && bt_tasks[id].state == TASK_RUNNING && bt_tasks[id].server)
            bt_publish(bt_tasks[id].name, bt_tasks[id].thread, 0);
    return true;
}

/* Starts the program of boot record r; last: it is the foreground one. */
static void start_one(const L4_BootRec_t *r, bool last)
{
    const char *cmdline = L4_SimpleExec_Cmdline(r);
    int id = bt_task_new(cmdline, L4_Myself());
    if (id < 0) {
        printf("booter: %s: no task slot left; not started\n", cmdline);
        return;
    }
    bt_task_t *t = &bt_tasks[id];
    bool memsvr = !strcmp(t->name, "memsvr");
    if (memsvr ? !bt_start_memsvr(L4_SimpleExec_InitialIP(r), &t->thread) : bt_start_boot(id, r) != ESUCCESS) {
        printf("booter: %s failed to start: %s; the boot goes on without it\n", t->name,
               memsvr || L4_IsNilThread(bt_memsvr) ? "no memsvr to page it" : "no thread or memory for it");
        t->state = 0;
        return;
    }
    t->state = TASK_RUNNING;
    if (memsvr)
        bt_memsvr = t->thread;
    const char *why;
    if (last) {
        /* most likely the foreground program: announced at once and served
         * while the booter waits to see whether it answers as a server (it
         * may ask for its task, run programs, or end meanwhile) */
        t->foreground = true;
        printf("booter: started %s\n", t->name);
        if (bt_answers(t->thread, &why)) {
            t->foreground = false;
            t->server = true;
            bt_publish(t->name, t->thread, 0);
        } else if (bt_task_gone(id) && bt_task_end(id, TASK_STATUS_FAULT)) {
            bt_stop();
        }
        return;
    }
    if (!bt_answers_within(t->thread, START_US, false, &why)) {
        bool halted;
        bt_end_if_halted(id, &halted);
        if (halted) {
            printf("booter: %s failed to start; the boot goes on without it\n", t->name);
        } else if (bt_task_gone(id)) {
            bt_task_end(id, TASK_STATUS_FAULT);
            printf("booter: %s failed to start; the boot goes on without it\n", t->name);
        } else if (t->state == TASK_ENDED) {
            printf("booter: %s failed to start: it ended with status %d before it answered; the boot goes on "
                   "without it\n", t->name, t->status);
        } else {
            printf("booter: %s failed to start: %s; the boot goes on without it\n", t->name, why);
        }
        return;
    }
    printf("booter: started %s\n", t->name);
    if (!strcmp(t->name, "namesvr") && chacm_handle_is_nil(bt_dev))
        bt_name_space(t->thread);
    t->server = strcmp(t->name, "memsvr") != 0;   /* memsvr pages everything: no restart */
    bt_publish(t->name, t->thread, 0);
}

bool bt_boot(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    if (!bi || !L4_BootInfo_Valid(bi)) {
        printf("booter: no boot information; nothing to start\n");
        return false;
    }
    ndevices = blk_start();
    /* the programs after the booter's own record */
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi), *last = NULL;
    bool after = false;
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_SimpleExec) {
            if (after)
                last = r;
            after = after || L4_SimpleExec_InitialIP(r) == (L4_Word_t)_start;
        }
    after = false;
    r = L4_BootInfo_FirstEntry(bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r)) {
        if (L4_BootRec_Type(r) != L4_BootInfo_SimpleExec || bt_stopping())
            continue;
        if (after)
            start_one(r, r == last);
        after = after || L4_SimpleExec_InitialIP(r) == (L4_Word_t)_start;
    }
    if (chacm_handle_is_nil(bt_dev))
        printf("booter: no namesvr: no name space\n");
    if (bt_stopping())
        return false;
    for (int id = 1; id < BT_MAX_TASKS; id++)
        if (bt_tasks[id].foreground)
            return true;
    printf("booter: boot complete; no foreground program, halting\n");
    return false;
}

/* At the halt, as a Unix shutdown does: every running server that is a
 * file system writes its changes back (filesystem::sync of object 0), so
 * what the run wrote is on its disk and the disk is marked clean.  A
 * server that does not answer within SYNC_US is left alone; one whose
 * device failed (EFULL: its changes are kept) is asked SYNC_AGAIN more times. */
#define SYNC_US 2000000
#define SYNC_AGAIN 2
void bt_sync_filesystems(void)
{
    static const int fs_api[] = { FILESYSTEM_API };
    for (int id = 1; id < BT_MAX_TASKS; id++) {
        bt_task_t *t = &bt_tasks[id];
        if (t->state != TASK_RUNNING || t->foreground || L4_IsNilThread(t->thread))
            continue;
        chacm_env_t env = { .snd_timeout = L4_TimePeriod(SYNC_US), .rcv_timeout = L4_TimePeriod(SYNC_US) };
        if (generic_implements(t->thread, 0, 1, fs_api, &env) != EYES || env.error != CHACM_IDL_OK)
            continue;
        int rc = filesystem_sync(t->thread, 0, &env);
        for (int again = 0; again < SYNC_AGAIN && env.error == CHACM_IDL_OK && rc == EFULL; again++)
            rc = filesystem_sync(t->thread, 0, &env);    /* the device failed; it keeps what it had */
        if (env.error != CHACM_IDL_OK || rc != ESUCCESS)
            printf("booter: %s did not write its file systems back (%d, %lu)\n", t->name, rc, env.error);
    }
}
