/* shell: running a program file.  The booter creates a task, takes its
 * command line, loads the file into it and starts it; the shell makes it
 * the console's foreground task (^C kills it) and waits for its exit
 * status.  Names without '/' are looked up in the working directory, then
 * in /bin. */
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/task.h>

#include "shell.h"
#include "creator_client.h"
#include "task_client.h"

#define STATUS_NOT_FOUND 127
#define STATUS_NOT_RUNNABLE 126

/* The program file for name; ESUCCESS or a code. */
static int find_program(const char *name, sh_handle_t *file)
{
    char abs[SH_PATH_MAX];
    int rc = sh_abs(name, abs);
    if (rc != ESUCCESS)
        return rc;
    rc = obj_follow(abs, file);
    if (rc == SH_ENOTFOUND && !strchr(name, '/') && sh_path_join("/bin", name, abs, sizeof abs) == 0)
        rc = obj_follow(abs, file);
    return rc;
}

/* argv as one command line; words with blanks in double quotes. */
static int join_args(int argc, char **argv, char *out, int size)
{
    int len = 0;
    for (int i = 0; i < argc; i++) {
        bool quote = strchr(argv[i], ' ') || strchr(argv[i], '\t') || !argv[i][0];
        int n = snprintf(out + len, (size_t)(size - len), quote ? "%s\"%s\"" : "%s%s", i ? " " : "", argv[i]);
        if (n < 0 || n >= size - len)
            return SH_ETOOLONG;
        len += n;
    }
    return ESUCCESS;
}

/* Creates the task and starts file in it; ESUCCESS or a code. */
static int start(sh_handle_t file, const char *cmdline, sh_handle_t *task)
{
    chacm_env_t env = { 0 };
    int ids[2] = { GENERIC_API, TASK_API };
    L4_ThreadId_t booter = chacm_booter();
    int rc = obj_rc("create", env.error, creator_create(booter, DEFAULT_OBJECT, 2, ids, &task->svr, &task->obj, &env));
    if (rc != ESUCCESS)
        return rc;
    rc = obj_rc("set_cmdline", env.error, task_set_cmdline(task->svr, task->obj, cmdline, &env));
    if (rc == ESUCCESS)
        rc = obj_rc("execute", env.error, task_execute(task->svr, task->obj, file.svr, file.obj, &env));
    if (rc != ESUCCESS)
        task_kill(task->svr, task->obj, &env);
    return rc;
}

int sh_run_program(int argc, char **argv)
{
    sh_handle_t file, task = { L4_nilthread, 0 };
    char cmdline[CHACM_CMDLINE_MAX + 1];
    int rc = find_program(argv[0], &file);
    if (rc == SH_ENOTFOUND) {
        sh_error("shell: %s: command not found\n", argv[0]);
        return STATUS_NOT_FOUND;
    }
    if (rc == ESUCCESS && (obj_is(file, DIRECTORY_API) || !obj_is(file, FILE_API)))
        rc = SH_ENOTFILE;
    if (rc == ESUCCESS)
        rc = join_args(argc, argv, cmdline, sizeof cmdline);
    if (rc == ESUCCESS)
        rc = start(file, cmdline, &task);
    if (rc != ESUCCESS) {
        if (rc == SH_ENOTFOUND)
            sh_error("shell: %s: not a program\n", argv[0]);
        else
            sh_fail("shell", argv[0], rc);
        return STATUS_NOT_RUNNABLE;
    }
    if (sh.debug)
        printf("shell: %s runs as task <%lx,%d>\n", argv[0], task.svr.raw, task.obj);
    con_set_mode(CON_COOKED);
    con_set_foreground(task.svr, task.obj);
    chacm_env_t env = { 0 };
    int status = 0;
    rc = obj_rc("wait", env.error, task_wait(task.svr, task.obj, &status, &env));
    con_set_foreground(L4_nilthread, 0);
    con_set_mode(CON_RAW);
    if (rc != ESUCCESS) {
        sh_fail("shell", argv[0], rc);
        return STATUS_NOT_RUNNABLE;
    }
    if (status == TASK_STATUS_FAULT)
        sh_error("shell: %s: stopped by a fault (status %d)\n", argv[0], status);
    return status;
}
