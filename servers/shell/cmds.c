/* shell: finding and running a command line's command.  Built-ins come
 * from the tables of cmd_fs.c and cmd_sys.c; anything else is a program
 * file (run.c).  A redirection (> FILE, >> FILE) collects a built-in's
 * output and writes it to the file afterwards. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/lib.h>

#include "shell.h"

#define CAPTURE_MAX (64 * 1024)

static char capture[CAPTURE_MAX];
static int capture_len;
static bool capture_full;

static void capture_putc(int c, void *arg)
{
    (void)arg;
    if (capture_len < CAPTURE_MAX)
        capture[capture_len++] = (char)c;
    else
        capture_full = true;
}

void sh_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof msg)
        n = (int)sizeof msg - 1;
    if (con_write(msg, n) != ESUCCESS)
        printf("%s", msg);
}

int sh_fail(const char *cmd, const char *what, int code)
{
    if (what && *what)
        sh_error("%s: %s: %s\n", cmd, what, sh_strerror(code));
    else
        sh_error("%s: %s\n", cmd, sh_strerror(code));
    return 1;
}

int sh_abs(const char *path, char *abs)
{
    return sh_path_join(sh.cwd, path, abs, SH_PATH_MAX) == 0 ? ESUCCESS : SH_ETOOLONG;
}

const sh_command_t *sh_find_command(const char *name)
{
    const sh_command_t *tables[] = { sh_fs_commands, sh_sys_commands };
    for (unsigned t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const sh_command_t *c = tables[t]; c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

static int run_builtin(const sh_command_t *c, int argc, char **argv)
{
    int words = argc - 1;
    if (words < c->min_args || (c->max_args >= 0 && words > c->max_args)) {
        if (c->usage[0])
            sh_error("%s: usage: %s %s\n", c->name, c->name, c->usage);
        else
            sh_error("%s: takes no arguments\n", c->name);
        return 2;
    }
    return c->fn(argc, argv);
}

/* Runs the built-in with its output collected, then writes it to file. */
static int redirected(const sh_command_t *c, sh_cmd_t *cmd)
{
    char abs[SH_PATH_MAX];
    int rc = sh_abs(cmd->redir, abs);
    if (rc != ESUCCESS)
        return sh_fail("shell", cmd->redir, rc);
    con_flush();
    capture_len = 0;
    capture_full = false;
    lib_set_putc(capture_putc, NULL);
    int status = run_builtin(c, cmd->argc, cmd->argv);
    L4_ThreadId_t svr;
    int obj;
    if (con_handle(&svr, &obj))
        con_attach(svr, obj);
    else
        lib_set_putc(NULL, NULL);
    if (capture_full)
        return sh_fail("shell", cmd->redir, SH_EFULL);
    rc = obj_write_file(abs, capture, capture_len, cmd->append);
    if (rc != ESUCCESS)
        return sh_fail("shell", cmd->redir, rc);
    return status;
}

int sh_execute(sh_cmd_t *cmd)
{
    if (cmd->argc == 0) {
        printf("shell: a redirection needs a command\n");
        return 2;
    }
    const sh_command_t *c = sh_find_command(cmd->argv[0]);
    if (c)
        return cmd->redir ? redirected(c, cmd) : run_builtin(c, cmd->argc, cmd->argv);
    if (cmd->redir) {
        printf("shell: %s: programs print to the console; > works with built-in commands only\n",
               cmd->argv[0]);
        return 2;
    }
    return sh_run_program(cmd->argc, cmd->argv);
}
