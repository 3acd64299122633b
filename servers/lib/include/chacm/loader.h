/* Loading a program image into a new task: the arch's program format
 * (hosted: a module image, loaded by the kernel's LoadImage extension;
 * ia32: an ELF32 executable, copied into the task's memory at memsvr).
 * Servers never load programs themselves; the booter calls this. */
#ifndef CHACM_LOADER_H
#define CHACM_LOADER_H

#include <stddef.h>
#include <l4/types.h>
#include <mach/port.h>

/* Loads image[0..size) (its pages touched) as program name for the task
 * whose memory is memtask (a memsvr task the caller holds).  Sets *entry,
 * where the task's first thread starts.  ESUCCESS; ENOTFOUND: not a
 * program image of this arch (*why says what is wrong); EDENIED: the
 * caller may not load programs; EFULL: no memory or resources for it;
 * EBADPARM: bad size or name. */
int lib_program_load(const void *image, size_t size, const char *name, task_t memtask, L4_Word_t *entry,
                     const char **why);

/* Reads the whole file <svr, obj> (file interface) into buf[0..cap);
 * *size is its length.  ESUCCESS, EFULL (larger than cap) or the file
 * server's code (ENOTFOUND, EDENIED, ...); EINVALID if it does not answer. */
int lib_file_slurp(L4_ThreadId_t svr, int obj, char *buf, size_t cap, size_t *size);

#endif /* CHACM_LOADER_H */
