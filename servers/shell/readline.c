/* shell: command-line input (readline.h).  The console is in raw mode
 * while the shell reads, so the editor sees every key; the bytes of one
 * console read are consumed before the next read. */
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>

#include "console_client.h"
#include "edit.h"
#include "readline.h"

static ed_t ed;
static bool ed_ready;
static char pending[256];
static int pending_len, pending_pos;

static void draw(const char *s, int n, void *arg)
{
    (void)arg;
    con_write(s, n);
}

/* The next input byte; -1 at the end of input or on a console failure. */
static int next_byte(void)
{
    while (pending_pos == pending_len) {
        int n = con_read(pending, sizeof pending);
        if (n == EAGAIN)
            continue;
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
