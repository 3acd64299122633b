/* A ChacmOS program's place in the system: the booter (the root task, which
 * serves the task interface), the program's own task object, its root
 * directory, and names resolved from there.  Return codes are ChacmOS's
 * (ESUCCESS, ENOTFOUND, ...; a failed IPC is EINVALID).  A program that
 * calls any of these is a booter task: when main returns, servers/lib
 * tells the booter its exit status (task::exit). */
#ifndef CHACM_TASK_H
#define CHACM_TASK_H

#include <chacm/object.h>

/* The booter: thread 1 of the root task (user base + 2, as in Pistachio). */
L4_ThreadId_t chacm_booter(void);

/* The caller's own task object <booter, id> (task::get_self). */
int chacm_task_self(chacm_handle_t *h);

/* The caller's root directory (task::get_root of its own task). */
int chacm_root(chacm_handle_t *h);

/* Resolves path ('/'-separated; leading '/' and "" mean the root) from the
 * root directory, following links onto other servers and mount points
 * (directory::resolve's consumed protocol, ipc/idl/directory.idl): at
 * most CHACM_RESOLVE_HOPS servers.  ESUCCESS, ENOTFOUND, EBADPARM (too
 * long, too many hops) or EINVALID. */
#define CHACM_RESOLVE_HOPS 16
int chacm_resolve(const char *path, chacm_handle_t *h);
/* The same from directory dir. */
int chacm_resolve_at(chacm_handle_t dir, const char *path, chacm_handle_t *h);

/* For servers/lib's startup (cmdline.c): the command line of a program the
 * booter loaded from a file (it has no boot record), copied into buf of
 * size bytes; false if the booter does not answer. */
_Bool lib_booter_cmdline(char *buf, unsigned long size);
/* For servers/lib's startup: main returned status; a booter task tells
 * the booter (and the call does not return), any other program returns. */
void lib_task_exit(int status);

#endif /* CHACM_TASK_H */
