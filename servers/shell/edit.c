/* shell: the line editor (edit.h).  The cursor is moved with backspaces
 * and by printing what lies under it, so the editor needs no terminal
 * control codes beyond '\b'. */
#include <string.h>

#include "edit.h"

#define CTRL(c) ((c) & 0x1f)

static void out(ed_t *ed, const char *s, int n)
{
    if (n > 0)
        ed->out(s, n, ed->arg);
}

static void backs(ed_t *ed, int n)
{
    while (n-- > 0)
        out(ed, "\b", 1);
}

static void spaces(ed_t *ed, int n)
{
    while (n-- > 0)
        out(ed, " ", 1);
}

void ed_init(ed_t *ed, ed_out_fn fn, void *arg)
{
    memset(ed, 0, sizeof *ed);
    ed->out = fn;
    ed->arg = arg;
}

void ed_begin(ed_t *ed)
{
    ed->len = ed->pos = 0;
    ed->buf[0] = 0;
    ed->esc = 0;
    ed->dropped = 0;
    ed->browse = ed->hist_count;
}

int ed_dropped(const ed_t *ed)
{
    return ed->dropped;
}

const char *ed_line(const ed_t *ed)
{
    return ed->buf;
}

const char *ed_history(const ed_t *ed, int i)
{
    if (i < 0 || i >= ed->hist_count)
        return NULL;
    return ed->hist[(ed->hist_start + i) % ED_HISTORY];
}

void ed_remember(ed_t *ed, const char *line)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return;
    const char *last = ed_history(ed, ed->hist_count - 1);
    if (last && strcmp(last, line) == 0)
        return;
    int slot;
    if (ed->hist_count < ED_HISTORY) {
        slot = (ed->hist_start + ed->hist_count++) % ED_HISTORY;
    } else {
        slot = ed->hist_start;
        ed->hist_start = (ed->hist_start + 1) % ED_HISTORY;
    }
    strncpy(ed->hist[slot], line, ED_LINE_MAX - 1);
    ed->hist[slot][ED_LINE_MAX - 1] = 0;
}

/* Redraws from the cursor to the end, then erases `extra` old cells and
 * puts the cursor back. */
static void redraw_tail(ed_t *ed, int extra)
{
    int tail = ed->len - ed->pos;
    out(ed, ed->buf + ed->pos, tail);
    spaces(ed, extra);
    backs(ed, tail + extra);
}

static void insert(ed_t *ed, char c)
{
    if (ed->len >= ED_LINE_MAX - 1) {
        if (!ed->dropped++)
            out(ed, "\a", 1);
        return;
    }
    memmove(ed->buf + ed->pos + 1, ed->buf + ed->pos, (size_t)(ed->len - ed->pos + 1));
    ed->buf[ed->pos] = c;
    ed->len++;
    out(ed, &c, 1);
    ed->pos++;
    redraw_tail(ed, 0);
}

/* Deletes the byte at the cursor. */
static void delete_at(ed_t *ed)
{
    if (ed->pos >= ed->len)
        return;
    memmove(ed->buf + ed->pos, ed->buf + ed->pos + 1, (size_t)(ed->len - ed->pos));
    ed->len--;
    redraw_tail(ed, 1);
}

static void left(ed_t *ed)
{
    if (ed->pos > 0) {
        ed->pos--;
        backs(ed, 1);
    }
}

static void right(ed_t *ed)
{
    if (ed->pos < ed->len)
        out(ed, ed->buf + ed->pos++, 1);
}

static void home(ed_t *ed)
{
    backs(ed, ed->pos);
    ed->pos = 0;
}

static void end(ed_t *ed)
{
    out(ed, ed->buf + ed->pos, ed->len - ed->pos);
    ed->pos = ed->len;
}

/* Replaces the whole line with s. */
static void replace(ed_t *ed, const char *s)
{
    int old = ed->len;
    home(ed);
    strncpy(ed->buf, s, ED_LINE_MAX - 1);
    ed->buf[ED_LINE_MAX - 1] = 0;
    ed->len = (int)strlen(ed->buf);
    out(ed, ed->buf, ed->len);
    ed->pos = ed->len;
    if (old > ed->len) {
        spaces(ed, old - ed->len);
        backs(ed, old - ed->len);
    }
}

static void kill_to_end(ed_t *ed)
{
    int gone = ed->len - ed->pos;
    ed->len = ed->pos;
    ed->buf[ed->len] = 0;
    spaces(ed, gone);
    backs(ed, gone);
}

/* Up (-1) or down (+1) in the history. */
static void walk(ed_t *ed, int dir)
{
    int to = ed->browse + dir;
    if (to < 0 || to > ed->hist_count)
        return;
    if (ed->browse == ed->hist_count)
        memcpy(ed->draft, ed->buf, sizeof ed->draft);
    ed->browse = to;
    replace(ed, to == ed->hist_count ? ed->draft : ed_history(ed, to));
}

/* The final byte of ESC [ ... or ESC O ... */
static void escape_key(ed_t *ed, unsigned char c)
{
    switch (c) {
    case 'A': walk(ed, -1); break;
    case 'B': walk(ed, +1); break;
    case 'C': right(ed); break;
    case 'D': left(ed); break;
    case 'H': home(ed); break;
    case 'F': end(ed); break;
    case '~':
        if (ed->esc_arg == '1' || ed->esc_arg == '7')
            home(ed);
        else if (ed->esc_arg == '4' || ed->esc_arg == '8')
            end(ed);
        else if (ed->esc_arg == '3')
            delete_at(ed);
        break;
    default: break;
    }
}

/* A byte inside an escape sequence. */
static void escape(ed_t *ed, unsigned char c)
{
    if (ed->esc == 1) {
        ed->esc = (c == '[' || c == 'O') ? 2 : 0;
        ed->esc_arg = 0;
        return;
    }
    if (c >= '0' && c <= '9') {
        ed->esc_arg = (char)c;
        return;
    }
    ed->esc = 0;
    escape_key(ed, c);
}

enum ed_result ed_key(ed_t *ed, unsigned char c)
{
    int cr_before = ed->after_cr;
    ed->after_cr = c == '\r';
    if (c == '\n' && cr_before)
        return ED_MORE;
    if (ed->esc) {
        escape(ed, c);
        return ED_MORE;
    }
    switch (c) {
    case '\r':
    case '\n':
        end(ed);
        out(ed, "\n", 1);
        return ED_DONE;
    case CTRL('C'):
        end(ed);
        out(ed, "^C\n", 3);
        ed->len = ed->pos = 0;
        ed->buf[0] = 0;
        return ED_CANCEL;
    case CTRL('D'):
        if (ed->len == 0)
            return ED_EOF;
        delete_at(ed);
        return ED_MORE;
    case '\b':
    case 0x7f:
        if (ed->pos > 0) {
            left(ed);
            delete_at(ed);
        }
        return ED_MORE;
    case CTRL('A'): home(ed); return ED_MORE;
    case CTRL('E'): end(ed); return ED_MORE;
    case CTRL('B'): left(ed); return ED_MORE;
    case CTRL('F'): right(ed); return ED_MORE;
    case CTRL('K'): kill_to_end(ed); return ED_MORE;
    case CTRL('U'): home(ed); kill_to_end(ed); return ED_MORE;
    case CTRL('P'): walk(ed, -1); return ED_MORE;
    case CTRL('N'): walk(ed, +1); return ED_MORE;
    case 0x1b: ed->esc = 1; return ED_MORE;
    case '\t': insert(ed, ' '); return ED_MORE;
    default:
        if (c >= 0x20)
            insert(ed, (char)c);
        return ED_MORE;
    }
}
