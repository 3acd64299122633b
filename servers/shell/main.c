/* shell: ChacmOS's command shell.  Finds its task, the root directory and
 * the console, then reads commands with the line editor (readline.c),
 * parses them (parse.c) and runs a built-in (cmd_*.c) or a program file
 * (run.c).  Ends at the end of input, with exit or halt. */
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/task.h>

#include "shell.h"
#include "edit.h"
#include "readline.h"
#include "console_client.h"

_Static_assert(SH_ENOTFOUND == ENOTFOUND && SH_EINVALID == EINVALID && SH_ESUPP == ESUPP &&
               SH_EEOF == EEOF && SH_EFULL == EFULL && SH_EEXISTS == EEXISTS,
               "errors.h repeats constants.idl's return codes");

sh_state_t sh = { .cwd = "/" };

/* The console at /dev/console, if there is one. */
static void attach_console(void)
{
    chacm_handle_t con;
    if (chacm_resolve("dev/console", &con) == ESUCCESS) {
        con_attach(con.svr, con.obj);
        con_set_mode(CON_RAW);
    } else {
        printf("shell: no /dev/console; output goes to the kernel debugger\n");
    }
}

static void prompt(char *buf, int size)
{
    snprintf(buf, (size_t)size, "chacmOS:%s > ", sh.cwd);
}

int main(void)
{
    chacm_handle_t self;
    if (chacm_task_self(&self) == ESUCCESS) {
        sh.task.svr = self.svr;
        sh.task.obj = self.obj;
    }
    attach_console();
    printf("ChacmOS shell.  Type 'help' for the commands.\n");
    char line[SH_LINE_MAX], p[SH_PATH_MAX + 16];
    sh_cmd_t cmd;
    while (!sh.halt) {
        prompt(p, sizeof p);
        int n = rl_read(p, line, sizeof line);
        if (n == RL_EOF)
            break;
        if (n == RL_CANCEL) {
            sh.status = 130;
            continue;
        }
        if (n == RL_TOOLONG) {
            printf("shell: the line is longer than %d characters; not run\n", ED_LINE_MAX - 1);
            sh.status = 2;
            continue;
        }
        int e = sh_parse(line, sh.status, &cmd);
        if (e != SH_PARSE_OK) {
            printf("shell: %s\n", sh_parse_message(e));
            sh.status = 2;
            continue;
        }
        if (cmd.argc > 0 || cmd.redir)
            sh.status = sh_execute(&cmd);
    }
    con_flush();
    if (con_attached())
        con_set_mode(CON_COOKED);
    return sh.status;
}
