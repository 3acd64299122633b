/* The foreground program of the boot scenarios (boot.lst): for each
 * argument PATH it runs the program file at PATH in the name space as a
 * task of its own (creator::create at the booter, set_cmdline, execute,
 * wait) and prints the outcome; then it lists /dev and ends with 0. */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>

#include "booter_client.h"

static const char *code_name(int rc)
{
    static const char *names[] = { "ENO", "ESUCCESS", "ESUPP", "EDENIED", "EAGAIN", "ENOTFOUND",
                                   "EBADPARM", "EEXISTS", "EFULL", "ELOCKED", "EEOF", "ENOTOPEN",
                                   "EINVALID" };
    int i = rc > 0 ? 1 : -rc + 1;
    return rc >= -11 && rc <= 1 ? names[rc == 1 ? 1 : i] : "?";
}

static void run(const char *path)
{
    chacm_handle_t file, task;
    chacm_env_t env = { 0 };
    int rc = chacm_resolve(path, &file);
    if (rc != ESUCCESS) {
        printf("runprog: %s: not found (%s)\n", path, code_name(rc));
        return;
    }
    int apis[] = { GENERIC_API, TASK_API };
    rc = creator_create(chacm_booter(), DEFAULT_OBJECT, 2, apis, &task.svr, &task.obj, &env);
    if (rc != ESUCCESS) {
        printf("runprog: no task for %s (%s)\n", path, code_name(rc));
        return;
    }
    char cmdline[128];
    snprintf(cmdline, sizeof cmdline, "image_probe from %s", path);
    task_set_cmdline(task.svr, task.obj, cmdline, &env);
    rc = task_execute(task.svr, task.obj, file.svr, file.obj, &env);
    if (rc != ESUCCESS) {
        printf("runprog: %s: cannot run it (%s)\n", path, code_name(rc));
        return;
    }
    int status = -1;
    rc = task_wait(task.svr, task.obj, &status, &env);
    printf("runprog: %s ended with status %d\n", path, status);
}

/* Prints the names in directory path. */
static void list(const char *path)
{
    chacm_handle_t dir;
    chacm_env_t env = { 0 };
    if (chacm_resolve(path, &dir) != ESUCCESS || file_open(dir.svr, dir.obj, FILE_READ, &env) != ESUCCESS) {
        printf("runprog: cannot list %s\n", path);
        return;
    }
    char buf[CHACM_FILE_XFER_MAX + 1], *p = buf;
    int size = 0;
    printf("runprog: %s:", path);
    while (file_read(dir.svr, dir.obj, CHACM_FILE_XFER_MAX, &size, &p, &env) == ESUCCESS && size > 0)
        for (int i = 0; i < size; i += (int)strlen(buf + i) + 1) {
            buf[size] = 0;
            printf(" %s", buf + i);
        }
    printf("\n");
    file_close(dir.svr, dir.obj, &env);
}

int main(int argc, char **argv)
{
    chacm_handle_t self;
    if (chacm_task_self(&self) != ESUCCESS) {
        printf("runprog: not a booter task\n");
        return 1;
    }
    printf("runprog: task %d\n", self.obj);
    for (int i = 1; i < argc; i++)
        run(argv[i]);
    list("/");
    list("/dev");
    return 0;
}
