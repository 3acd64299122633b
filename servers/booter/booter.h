/* booter: the root task (see README.md).  Private interfaces between its
 * files: the task table (tasks.c), starting programs (start.c), the boot
 * sequence and the name space (boot.c), the block devices (blockdev.c). */
#ifndef BOOTER_H
#define BOOTER_H

#include <stdbool.h>
#include <chacm/object.h>
#include <mach/mach.h>
#include <l4/bootinfo.h>
#include <l4/types.h>

#include "booter_server.h"

#define BT_MAX_TASKS   64       /* task objects 1..63; 0 is the booter */
#define BT_MAX_WAITERS 8
#define BT_NAME_MAX    31

typedef struct {
    int state;                  /* 0 (free), TASK_NEW, TASK_RUNNING, TASK_ENDED */
    char name[BT_NAME_MAX + 1];
    char cmdline[CHACM_CMDLINE_MAX + 1];
    chacm_handle_t root;
    L4_ThreadId_t thread;       /* first thread; nil before execute */
    L4_ThreadId_t owner;        /* the creator, who may set and execute */
    task_t memtask;             /* its memory at memsvr */
    int status;                 /* exit status once ended */
    bool foreground;            /* the boot list's last program: its end ends the run */
    L4_ThreadId_t waiters[BT_MAX_WAITERS];
    int nwaiters;
    bool collected;             /* ended, and its creator has had the status */
    unsigned long ended_at;     /* when it ended (order of ends), for reuse */
    L4_Word_t version;          /* its thread's version: one more per reuse */
    /* reincarnation (reinc.c) */
    const L4_BootRec_t *rec;    /* the boot program it runs, or NULL */
    bool server;                /* it answered as a server: restarted when it dies */
    bool restart_due;           /* it died; the serve loop restarts it */
    int restarts;               /* restarts so far */
    L4_Word64_t restart_times[4]; /* virtual times of the last restarts */
    L4_ThreadId_t kill_caller;  /* whose kill waits for the restart (nil: none) */
} bt_task_t;

extern bt_task_t bt_tasks[BT_MAX_TASKS];
extern L4_ThreadId_t bt_memsvr;     /* nil if it did not start */
extern chacm_handle_t bt_root;      /* namesvr's root directory (nil: none) */
extern chacm_handle_t bt_dev;       /* its /dev */

/* tasks.c: the task and creator interfaces */
void tasks_fill(booter_ops_t *ops);
int bt_task_new(const char *cmdline, L4_ThreadId_t owner);
/* The task whose thread is t, or -1. */
int bt_task_of(L4_ThreadId_t t);
/* Ends task id with status (deletes its threads, frees its memory,
 * answers its waiters); returns true if the run must end (foreground). */
bool bt_task_end(int id, int status);
/* Has memsvr ended running task id (a fault the booter did not hear of,
 * as it was busy)?  Says so on the console. */
bool bt_task_gone(int id);
/* Does thread wait for a task's end or a restart (its call is deferred)? */
bool bt_waiting(L4_ThreadId_t thread);
/* The status the run ends with once bt_task_end returned true. */
extern int bt_halt_status;

/* start.c: tasks' threads */
/* Creates the first thread of task id paged by memsvr, makes the program
 * of boot record r its program (servers/lib's lib_boot_program_load: the
 * arch's part) and starts it.  ESUCCESS, EFULL, ENOTFOUND. */
int bt_start_boot(int id, const L4_BootRec_t *r);
/* As bt_start_boot, for a program that ran before: code and data as at
 * boot, the same thread id. */
int bt_restart_boot(int id, const L4_BootRec_t *r);
/* Starts memsvr at ip, paged by sigma0; false if it cannot. */
bool bt_start_memsvr(L4_Word_t ip, L4_ThreadId_t *tid);
/* Loads the program file <svr, obj> into task id and starts it. */
int bt_execute(int id, L4_ThreadId_t svr, int obj);
void bt_kill_threads(int id);

/* irq.c: interrupt lines for drivers */
void irq_fill(booter_ops_t *ops);

/* serve.c: the server loop */
void bt_serve_init(void);
/* Waits up to timeout for one request and answers it (or defers it);
 * false if none came. */
bool bt_serve_one(L4_Time_t timeout);
/* Serves until the foreground program ends or the system is halted,
 * ending waited-for tasks whose thread the kernel halted. */
void bt_serve(void);
/* Ends running task id if the kernel halted its thread (*ended says so);
 * true if the run must end then (the foreground program). */
bool bt_end_if_halted(int id, bool *ended);
/* The same, and with dead_too also if its thread is dead (the kernel
 * stopped it for good, or it ended without task::exit). */
bool bt_end_if_stopped(int id, bool dead_too, bool *ended);
/* Has a request halted the system (or ended the foreground program)? */
bool bt_stopping(void);
/* Ends the serving (the foreground program ended). */
void bt_stop(void);

/* boot.c: the boot sequence; false if there is no foreground program
 * (the run ends). */
bool bt_boot(void);
/* At the halt: the file-system servers write their changes back. */
void bt_sync_filesystems(void);
/* Links <svr, obj> as /dev/name (nothing without a name space). */
void bt_publish(const char *name, L4_ThreadId_t svr, int obj);
/* Does svr answer generic::implements within 1 s of virtual time (the
 * booter serves its callers meanwhile)?  *why: the reason it does not. */
bool bt_answers(L4_ThreadId_t svr, const char **why);
/* The same within us; with any_reply an error reply counts as an answer. */
bool bt_answers_within(L4_ThreadId_t svr, L4_Word64_t us, bool any_reply, const char **why);
/* Makes the root directory and /dev at namesvr ns (a restarted namesvr
 * again) and links the booter, the block devices and every running
 * server; false if namesvr refuses. */
bool bt_name_space(L4_ThreadId_t ns);

/* reinc.c: reincarnation of servers */
/* Server task id died (status, or why when not NULL): it is restarted
 * from the serve loop. */
void rs_died(int id, int status, const char *why);
/* Restarts the servers that died; false if none was due. */
bool rs_restart_due(void);
/* Pings every running server (at most every RS_HEARTBEAT_US of virtual
 * time); one that does not answer within RS_HANG_US is ended and
 * restarted. */
void rs_heartbeat(void);
/* Is namesvr dead or restarting?  Then caller's task::get_root waits for
 * the new root (true: the reply is deferred). */
bool rs_hold_root(L4_ThreadId_t caller);
/* Does thread wait so for the root? */
bool rs_root_waiter(L4_ThreadId_t thread);
/* Is task id's kill to be answered after its restart (kill of a server)?
 * Then caller's reply waits. */
bool rs_defer_kill(int id, L4_ThreadId_t caller);

/* blockdev.c: data modules as block devices, served by a second thread */
/* Starts the block thread over the boot list's data modules; the number
 * of devices. */
int blk_start(void);
/* The block thread (nil before blk_start). */
L4_ThreadId_t blk_thread(void);
/* Device objID's bytes and their number, or NULL. */
const char *blk_bytes(int objID, L4_Word_t *size);
/* blkfile.c: the devices read as files */
void blkfile_fill(booter_block_ops_t *ops);

#endif /* BOOTER_H */
