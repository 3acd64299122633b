/* Starting threads and tasks the X.2 way (ThreadControl, SpaceControl, the
 * pager's start message), for root tasks, servers and tests. */
#ifndef CHACM_THREAD_H
#define CHACM_THREAD_H

#include <l4/types.h>

/* UTCB area of a task made by lib_task_create (and of the kernel-created
 * root task): 2^LIB_UTCB_AREA_LOG2 bytes starting at its first UTCB. */
#define LIB_UTCB_AREA_LOG2 20

/* The k-th UTCB location of the caller's task (0 is the caller's own when
 * the caller is the task's first thread). */
void *lib_utcb_slot(unsigned k);

/* Creates thread tid in the caller's task with the given UTCB location and
 * pager, and starts it at fn on the stack ending at stack_top.  Returns 0 or
 * the ThreadControl error code. */
L4_Word_t lib_thread_create(L4_ThreadId_t tid, void *utcb, L4_ThreadId_t pager, void (*fn)(void),
                            void *stack_top);

/* Creates a task whose first thread is tid, with the caller's KIP area
 * layout and a UTCB area like the caller's, paged by pager (the caller
 * itself, or a thread of another task, such as the memory server).  Needs a
 * privileged caller (ThreadControl, SpaceControl).  The thread then waits
 * for its start message, which only pager can send (lib_task_start).
 * Returns 0 or the ThreadControl/SpaceControl error code; on an error no
 * task is left behind. */
L4_Word_t lib_task_create(L4_ThreadId_t tid, L4_ThreadId_t pager);

/* Sends tid the X.2 start message: run at ip with stack pointer sp.  The
 * caller must be tid's pager (else the message waits for tid to receive
 * from the caller, which it never does).  Returns 0 or the IPC error code. */
L4_Word_t lib_task_start(L4_ThreadId_t tid, L4_Word_t ip, L4_Word_t sp);

#endif /* CHACM_THREAD_H */
