/* The console client (<chacm/console.h>): printf's characters collect in a
 * line buffer that goes to console::write at each '\n', when full, and on
 * con_flush. */
#include <stddef.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/lib.h>

#include "console_client.h"

#define CON_LINE 256

static L4_ThreadId_t con_svr;
static int con_obj;
static bool attached;
static char line[CON_LINE];
static int line_len;

static int send(const char *s, int n)
{
    while (n > 0) {
        int k = n < CHACM_CON_XFER_MAX ? n : CHACM_CON_XFER_MAX;
        chacm_env_t env = { 0 };
        int rc = console_write(con_svr, con_obj, k, (char *)s, &env);
        if (env.error != CHACM_IDL_OK)
            return ENOTFOUND;
        if (rc != ESUCCESS)
            return rc;
        s += k;
        n -= k;
    }
    return ESUCCESS;
}

void con_flush(void)
{
    if (attached && line_len > 0)
        send(line, line_len);
    line_len = 0;
}

static void con_putc(int c, void *arg)
{
    (void)arg;
    line[line_len++] = (char)c;
    if (c == '\n' || line_len == CON_LINE)
        con_flush();
}

void con_attach(L4_ThreadId_t svr, int obj)
{
    con_flush();
    con_svr = svr;
    con_obj = obj;
    attached = true;
    lib_set_putc(con_putc, NULL);
}

void con_detach(void)
{
    con_flush();
    attached = false;
    lib_set_putc(NULL, NULL);
}

bool con_attached(void)
{
    return attached;
}

bool con_handle(L4_ThreadId_t *svr, int *obj)
{
    *svr = con_svr;
    *obj = con_obj;
    return attached;
}

int con_write(const char *s, int n)
{
    if (!attached)
        return ENOTFOUND;
    con_flush();
    return send(s, n);
}

int con_read(char *buf, int max)
{
    if (!attached)
        return ENOTFOUND;
    con_flush();
    if (max > CHACM_CON_XFER_MAX)
        max = CHACM_CON_XFER_MAX;
    if (max < 1)
        return EBADPARM;
    chacm_env_t env = { 0 };
    int size = 0;
    int rc = console_read(con_svr, con_obj, max, &size, &buf, &env);
    if (env.error != CHACM_IDL_OK)
        return ENOTFOUND;
    if (rc != ESUCCESS)
        return rc;
    return size > 0 ? size : EAGAIN;
}

int con_set_mode(int mode)
{
    if (!attached)
        return ENOTFOUND;
    con_flush();
    chacm_env_t env = { 0 };
    int rc = console_set_mode(con_svr, con_obj, mode, &env);
    return env.error == CHACM_IDL_OK ? rc : ENOTFOUND;
}

int con_set_foreground(L4_ThreadId_t task_svr, int task_obj)
{
    if (!attached)
        return ENOTFOUND;
    chacm_env_t env = { 0 };
    int rc = console_set_foreground(con_svr, con_obj, task_svr, task_obj, &env);
    return env.error == CHACM_IDL_OK ? rc : ENOTFOUND;
}
