/* Helpers for protocol tests against memsvr: start memsvr (a boot module)
 * once per run as a task paged by sigma0, and run test code in tasks that
 * memsvr pages.  The area's boot list must load sigma0 and memsvr. */
#ifndef CHACM_PT_VM_H
#define CHACM_PT_VM_H

#include <stdbool.h>
#include <l4/types.h>
#include <mach/mach.h>
#include "ptest.h"

#define SELF mach_task_self()
/* a task handle memsvr never gave out */
#define BOGUS_TASK ((task_t)0x5eed0001)

/* A case whose body runs in a fresh task paged by memsvr. */
#define TASK_TEST(ID, DESC)             \
    static void ID##_task(void);        \
    DEFINE_TEST(ID, DESC)               \
    {                                   \
        PT_ASSERT(pv_run(ID##_task));   \
    }                                   \
    static void ID##_task(void)

/* memsvr's thread (started on first use); nilthread if it cannot start.
 * The calling (root) task's Mach calls go to it. */
L4_ThreadId_t pv_memsvr(void);

/* Makes a task paged by memsvr that will run fn, without starting it;
 * *task is its handle.  Returns its thread, nilthread on failure. */
L4_ThreadId_t pv_create(void (*fn)(void), task_t *task);
/* Gives task (made by task_create, without a thread yet) a new thread
 * that runs fn, and starts it.  Returns the thread, nilthread on failure. */
L4_ThreadId_t pv_adopt(task_t task, void (*fn)(void));
/* Adds a thread running fn to the task whose first thread is `first`
 * (UTCB slot `slot` of the task's area), paged and started by memsvr. */
L4_ThreadId_t pv_thread(task_t task, L4_ThreadId_t first, void (*fn)(void), unsigned slot);
/* Starts a task made by pv_create. */
bool pv_start(L4_ThreadId_t t, task_t task);
/* Starts fn in a new task paged by memsvr; *task is its handle (the root
 * task holds every task).  Returns its thread, nilthread on failure. */
L4_ThreadId_t pv_spawn(void (*fn)(void), task_t *task);
/* Waits until t's function returned (up to `ms` ms of virtual time). */
bool pv_wait(L4_ThreadId_t t, L4_Word_t ms);
/* Ends a task made by pv_spawn: memsvr frees its memory, its thread goes. */
void pv_end(L4_ThreadId_t t, task_t task);
/* Spawns fn, waits for it and ends its task; false if it did not finish. */
bool pv_run(void (*fn)(void));

/* Frames memsvr holds: received from sigma0, free, in use. */
void pv_frames(vm_size_t *received, vm_size_t *free, vm_size_t *in_use);

#endif /* CHACM_PT_VM_H */
