/* shell: command-line input (readline.h).  The console is in raw mode
 * while the shell reads, so the editor sees every key; the bytes of one
 * console read are consumed before the next read.  Raw mode is set at
 * every prompt, and a read the console fails is tried again, so the shell
 * goes on across a restart of the console (docs/system.md). */
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/task.h>
#include <l4/ipc.h>

#include "console_client.h"
#include "edit.h"
#include "readline.h"

#define RETRY_US 30000000
#define RETRY_STEP_US 10000

static ed_t ed;
static bool ed_ready;
static char pending[256];
static int pending_len, pending_pos;

static void draw(const char *s, int n, void *arg)
{
    (void)arg;
    con_write(s, n);
}

/* The console again after a read failed under it: /dev/console resolved
 * anew (which also has the booter look at its servers, so that it notices
 * a console that died and restarts it), attached, in raw mode.  False
 * while it is not back. */
static bool reattach(void)
{
    chacm_handle_t con;
    if (chacm_resolve("dev/console", &con) != ESUCCESS)
        return false;
    con_attach(con.svr, con.obj);
    return con_set_mode(CON_RAW) == ESUCCESS;
}

/* The next input byte; -1 at the end of input or when the console is
 * gone.  A read that fails (the console died under it) is tried again
 * while the console may be restarting (RETRY_US of virtual time). */
static int next_byte(void)
{
    L4_Word64_t give_up = 0;
    while (pending_pos == pending_len) {
        int n = con_read(pending, sizeof pending);
        if (n == EAGAIN)
            continue;
        if (n == ENOTFOUND) {
            L4_Word64_t now = L4_SystemClock().raw;
            if (!give_up)
                give_up = now + RETRY_US;
            if (now >= give_up)
                return -1;
            L4_Sleep(L4_TimePeriod(RETRY_STEP_US));
            reattach();
            continue;
        }
        if (n <= 0)
            return -1;
        pending_len = n;
        pending_pos = 0;
    }
    return (unsigned char)pending[pending_pos++];
}

int rl_read(const char *prompt, char *buf, int size)
{
    if (!ed_ready) {
        ed_init(&ed, draw, NULL);
        ed_ready = true;
    }
    if (!con_attached())
        return RL_EOF;
    con_set_mode(CON_RAW);      /* a restarted console starts cooked */
    con_write(prompt, (int)strlen(prompt));
    ed_begin(&ed);
    for (;;) {
        int c = next_byte();
        if (c < 0 && ed.len == 0) {
            con_write("\n", 1);
            return RL_EOF;
        }
        switch (ed_key(&ed, c < 0 ? '\n' : (unsigned char)c)) {   /* a last line without '\n' counts */
        case ED_MORE:
            break;
        case ED_EOF:
            con_write("\n", 1);
            return RL_EOF;
        case ED_CANCEL:
            return RL_CANCEL;
        case ED_DONE:
            if (ed_dropped(&ed))
                return RL_TOOLONG;
            strncpy(buf, ed_line(&ed), (size_t)size - 1);
            buf[size - 1] = 0;
            ed_remember(&ed, buf);
            return (int)strlen(buf);
        }
    }
}
