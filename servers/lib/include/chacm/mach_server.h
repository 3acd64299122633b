/* ChacmOS's side of the Mach VM library: which thread serves the calls
 * (memsvr; by default the caller's pager) and the task calls a creator
 * uses, beyond Mach's own, to hand tasks to memsvr (vm_task in
 * ipc/idl/vm.idl). */
#ifndef CHACM_MACH_SERVER_H
#define CHACM_MACH_SERVER_H

#include <l4/types.h>
#include <mach/mach.h>

/* The thread the calls go to: L4_Pager() unless set (nilthread resets). */
L4_ThreadId_t mach_server(void);
void mach_set_server(L4_ThreadId_t server);
/* Forgets the calling thread's cached mach_task_self(). */
void mach_forget_self(void);

/* A new empty address space for the task of `thread` (nilthread: none yet),
 * held by the caller. */
kern_return_t mach_task_register(L4_ThreadId_t thread, task_t *task);
/* thread belongs to task (after ThreadControl made it with memsvr as pager). */
kern_return_t mach_task_add_thread(task_t task, L4_ThreadId_t thread);
/* memsvr sends thread (of task, paged by memsvr) its start message. */
kern_return_t mach_task_start(task_t task, L4_ThreadId_t thread, L4_Word_t ip, L4_Word_t sp);
/* task_create for an L4 thread made already. */
kern_return_t mach_task_create_for(task_t parent, L4_ThreadId_t thread, boolean_t inherit, task_t *child);
/* At most max_pages frames for task (0: no quota). */
kern_return_t mach_task_set_quota(task_t task, vm_size_t max_pages);
/* Protection faults of task go to handler as vm_exc::exception_raise. */
kern_return_t mach_task_set_exception_port(task_t task, L4_ThreadId_t handler);
/* Lets thread's pending fault run again (after the handler fixed it). */
kern_return_t mach_task_resume_fault(task_t task, L4_ThreadId_t thread);
/* *alive 1 while task exists; *pages the frames charged to it. */
kern_return_t mach_task_info(task_t task, vm_size_t *alive, vm_size_t *pages);
/* task may be named by `to` (a task the caller holds) too. */
kern_return_t mach_task_give(task_t task, task_t to);
/* memsvr's frame balance: received from sigma0 = free + in use. */
kern_return_t mach_vm_frames(vm_size_t *received, vm_size_t *free, vm_size_t *in_use, vm_size_t *meta);
/* memsvr's creator only: take at most limit frames (0: no limit). */
kern_return_t mach_vm_set_frame_limit(vm_size_t limit);

#endif /* !CHACM_MACH_SERVER_H */
