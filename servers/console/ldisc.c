/* console: the line discipline (ldisc.h).  Cooked mode keys: Enter (CR or
 * LF) ends the line, BS/DEL erase a byte, ^U erases the line, ^D on an
 * empty line is end of input (with text it hands the text over without a
 * '\n'), ^C interrupts; other control bytes and escape sequences (cursor
 * keys) are dropped, a full line takes nothing more.  Raw mode passes
 * every byte through without echo, ^C included only when intr_is_byte. */
#include <string.h>

#include "ldisc.h"

#define CTRL(c) ((c) & 0x1f)

static void echo(ld_t *ld, const char *s, int n)
{
    if (ld->echo && n > 0)
        ld->echo(s, n, ld->echo_arg);
}

void ld_init(ld_t *ld, ld_echo_fn fn, void *arg)
{
    memset(ld, 0, sizeof *ld);
    ld->echo = fn;
    ld->echo_arg = arg;
}

void ld_set_mode(ld_t *ld, int mode)
{
    ld->mode = mode == LD_MODE_RAW ? LD_MODE_RAW : LD_MODE_COOKED;
    ld->esc = 0;
}

void ld_flush(ld_t *ld)
{
    ld->len = 0;
    ld->ready_len = 0;
    ld->eof_marks = 0;
    ld->esc = 0;
}

/* Appends n bytes to the ready queue, as many as fit; false if some did not. */
static bool push_ready(ld_t *ld, const char *s, int n)
{
    int room = LD_READY_MAX - ld->ready_len;
    int k = n < room ? n : room;
    memcpy(ld->ready + ld->ready_len, s, (size_t)k);
    ld->ready_len += k;
    return k == n;
}

static void erase(ld_t *ld, int n)
{
    while (n-- > 0 && ld->len > 0) {
        ld->len--;
        echo(ld, "\b \b", 3);
    }
}

/* Inside an escape sequence: true while the byte belongs to it. */
static bool swallow_escape(ld_t *ld, unsigned char c)
{
    if (ld->esc == 1) {
        ld->esc = (c == '[' || c == 'O') ? 2 : 0;
        return true;
    }
    if (c >= 0x40 && c <= 0x7e)     /* a CSI's final byte */
        ld->esc = 0;
    return true;
}

static enum ld_event cooked(ld_t *ld, unsigned char c)
{
    if (ld->esc)
        return swallow_escape(ld, c), LD_NONE;
    switch (c) {
    case '\r':
    case '\n':
        ld->line[ld->len++] = '\n';     /* len < LD_LINE_MAX always leaves room */
        echo(ld, "\n", 1);
        push_ready(ld, ld->line, ld->len);
        ld->len = 0;
        return LD_READY;
    case '\b':
    case 0x7f:
        erase(ld, 1);
        return LD_NONE;
    case CTRL('U'):
        erase(ld, ld->len);
        return LD_NONE;
    case CTRL('D'):
        if (ld->len == 0) {
            ld->eof_marks++;
            return LD_EOF;
        }
        push_ready(ld, ld->line, ld->len);
        ld->len = 0;
        return LD_READY;
    case 0x1b:
        ld->esc = 1;
        return LD_NONE;
    default:
        if ((c < 0x20 && c != '\t') || ld->len >= LD_LINE_MAX - 1)
            return LD_NONE;
        ld->line[ld->len++] = (char)c;
        echo(ld, (const char *)&c, 1);
        return LD_NONE;
    }
}

enum ld_event ld_input(ld_t *ld, unsigned char c)
{
    if (c == CTRL('C') && !(ld->mode == LD_MODE_RAW && ld->intr_is_byte)) {
        ld_flush(ld);
        if (ld->mode == LD_MODE_COOKED)
            echo(ld, "^C\n", 3);
        return LD_INTR;
    }
    if (ld->mode == LD_MODE_COOKED)
        return cooked(ld, c);
    char b = (char)c;
    push_ready(ld, &b, 1);
    return LD_READY;
}

bool ld_readable(const ld_t *ld)
{
    return ld->ready_len > 0 || ld->eof_marks > 0;
}

bool ld_take_eof(ld_t *ld)
{
    if (ld->eof_marks == 0)
        return false;
    ld->eof_marks--;
    return true;
}

int ld_take(ld_t *ld, char *dst, int max)
{
    int n = ld->ready_len < max ? ld->ready_len : max;
    if (ld->mode == LD_MODE_COOKED) {
        const char *nl = memchr(ld->ready, '\n', (size_t)n);
        if (nl)
            n = (int)(nl - ld->ready) + 1;
    }
    if (n <= 0)
        return 0;
    memcpy(dst, ld->ready, (size_t)n);
    memmove(ld->ready, ld->ready + n, (size_t)(ld->ready_len - n));
    ld->ready_len -= n;
    return n;
}
