/* shell: state shared by the command files, and the object layer (obj.c)
 * through which every command reaches the servers. */
#ifndef SH_SHELL_H
#define SH_SHELL_H

#include <stdbool.h>
#include <l4/types.h>

#include "errors.h"
#include "console_client.h"
#include "generic_client.h"
#include "parse.h"
#include "path.h"

typedef struct sh_handle {
    L4_ThreadId_t svr;
    int obj;
} sh_handle_t;

typedef struct sh_state {
    char cwd[SH_PATH_MAX];  /* normalised absolute path */
    int status;             /* $? */
    bool debug;
    bool halt;              /* leave the loop */
    sh_handle_t task;       /* the shell's own task at the booter */
} sh_state_t;

extern sh_state_t sh;

/* A command: argv[0] is its name; returns its status (0: success). */
typedef int (*sh_cmd_fn)(int argc, char **argv);

typedef struct sh_command {
    const char *name;
    sh_cmd_fn fn;
    int min_args, max_args;     /* words after the name */
    const char *usage;          /* the arguments, for messages and help */
    const char *help;
} sh_command_t;

/* Tables of the command files, each ending with a NULL name. */
extern const sh_command_t sh_fs_commands[];
extern const sh_command_t sh_sys_commands[];
const sh_command_t *sh_find_command(const char *name);

/* Prints an error message straight to the console (never into a
 * redirection's file). */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "cmd: what: message of code" as an error and returns 1. */
int sh_fail(const char *cmd, const char *what, int code);
/* Resolves a path relative to the working directory into abs (SH_PATH_MAX). */
int sh_abs(const char *path, char *abs);
/* Runs a parsed command line; its status. */
int sh_execute(sh_cmd_t *cmd);
/* Runs program file `path` with its argv; its exit status, or -1 with a
 * message when it could not start. */
int sh_run_program(int argc, char **argv);

/* ---- obj.c: objects by path (every function returns ESUCCESS or a code) ---- */

/* Interface-id lists of generic::implements. */
bool obj_is(sh_handle_t h, int api);
/* ESUCCESS if h implements api, SH_ECALL if the call failed (a server
 * that went away), SH_EINVALID if the server has no such object (a
 * restarted one that has not made it again yet), else not_code. */
int obj_want(sh_handle_t h, int api, int not_code);
int obj_lookup(const char *abs, sh_handle_t *h);
/* obj_lookup, then through symbolic links at the end of the path (at
 * most 8). */
int obj_follow(const char *abs, sh_handle_t *h);
/* The parent directory of abs and the last component's name. */
int obj_parent(const char *abs, sh_handle_t *dir, const char **name);
/* The directory's entry names, NUL-separated, into buf; *len bytes. */
int obj_list(sh_handle_t dir, char *buf, int size, int *len);
/* Size in bytes (seek to the end and tell). */
int obj_size(sh_handle_t h, int *size);
/* Calls fn for each piece of the file's contents. */
int obj_read_all(sh_handle_t h, void (*fn)(const char *data, int n, void *arg), void *arg);
/* Writes data to the file at abs (created if missing); append or replace. */
int obj_write_file(const char *abs, const char *data, int n, bool append);
/* Maps the IDL runtime's env->error to SH_ECALL (printing the reason with
 * debug on), else returns rc. */
int obj_rc(const char *what, unsigned long env_error, int rc);

#endif /* !SH_SHELL_H */
