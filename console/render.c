/* The diff renderer (render.h).  Cells are drawn left to right with one
 * cursor move per run of changed cells and one SGR per change of
 * attribute; a terminal smaller than the screen shows a window of it that
 * keeps the cursor in view, and its last row says so. */
#include <string.h>

#include "render.h"

void render_resize(render_t *r, int rows, int cols)
{
    r->rows = rows;
    r->cols = cols;
    bool small = rows < SCR_ROWS || cols < SCR_COLS;
    r->view_rows = small ? rows - 1 : SCR_ROWS;     /* the last row is the message */
    r->view_cols = cols < SCR_COLS ? cols : SCR_COLS;
    if (r->view_rows < 0)
        r->view_rows = 0;
    if (r->view_rows > SCR_ROWS)
        r->view_rows = SCR_ROWS;
    if (r->top > SCR_ROWS - r->view_rows)
        r->top = SCR_ROWS - r->view_rows;
    if (r->left > SCR_COLS - r->view_cols)
        r->left = SCR_COLS - r->view_cols;
    r->valid = false;
}

void render_init(render_t *r, int rows, int cols)
{
    memset(r, 0, sizeof *r);
    r->attr = r->trow = r->tcol = r->cursor_on = -1;
    render_resize(r, rows, cols);
}

bool render_small(const render_t *r)
{
    return r->rows < SCR_ROWS || r->cols < SCR_COLS;
}

static void move_to(render_t *r, GString *out, int trow, int tcol)
{
    if (r->trow == trow && r->tcol == tcol)
        return;
    g_string_append_printf(out, "\033[%d;%dH", trow + 1, tcol + 1);
    r->trow = trow;
    r->tcol = tcol;
}

/* Moves the view so that the cursor is in it; true if it moved. */
static bool follow_cursor(render_t *r, int cursor)
{
    if (cursor < 0 || r->view_rows == 0)
        return false;
    int row = cursor / SCR_COLS, col = cursor % SCR_COLS, top = r->top, left = r->left;
    if (row < top)
        top = row;
    else if (row >= top + r->view_rows)
        top = row - r->view_rows + 1;
    if (col < left)
        left = col;
    else if (col >= left + r->view_cols)
        left = col - r->view_cols + 1;
    bool moved = top != r->top || left != r->left;
    r->top = top;
    r->left = left;
    return moved;
}

static void draw_message(render_t *r, GString *out)
{
    char msg[200];
    int n = g_snprintf(msg, sizeof msg,
                       "chacmsim: the terminal (%dx%d) is smaller than the 80x25 screen: rows %d-%d, columns %d-%d "
                       "shown, following the cursor", r->cols, r->rows, r->top + 1, r->top + r->view_rows,
                       r->left + 1, r->left + r->view_cols);
    if (n > r->cols)    /* the short form */
        n = g_snprintf(msg, sizeof msg, "%dx%d<80x25 rows %d-%d cols %d-%d", r->cols, r->rows, r->top + 1,
                       r->top + r->view_rows, r->left + 1, r->left + r->view_cols);
    if (n > r->cols)
        n = r->cols;
    if (n < 0)
        n = 0;
    move_to(r, out, r->rows - 1, 0);
    g_string_append(out, "\033[0;7m");
    g_string_append_len(out, msg, n);
    g_string_append(out, "\033[0m\033[K");
    r->attr = -1;
    r->tcol = -1;
}

int render_frame(render_t *r, const scr_frame_t *f, GString *out)
{
    bool small = render_small(r);
    if (follow_cursor(r, f->cursor))
        r->valid = false;
    bool full = !r->valid;
    if (full) {
        g_string_append(out, "\033[0m\033[H\033[2J");
        r->attr = -1;
        r->trow = r->tcol = 0;
        if (small && r->rows > 0)
            draw_message(r, out);
    }
    int drawn = 0;
    for (int y = 0; y < r->view_rows; y++) {
        int row = r->top + y;
        for (int x = 0; x < r->view_cols; x++) {
            int i = row * SCR_COLS + r->left + x;
            uint16_t v = f->cell[i];
            if (!full && r->shown.cell[i] == v)
                continue;
            move_to(r, out, y, x);
            if ((v >> 8) != r->attr) {
                r->attr = v >> 8;
                scr_sgr(out, (uint8_t)r->attr);
            }
            scr_put_utf8(out, scr_cp437((uint8_t)v));
            drawn++;
            /* at the terminal's last column the cursor stays (pending wrap) */
            r->tcol = x + 1 < r->cols ? r->tcol + 1 : -1;
        }
    }
    int cur = f->cursor;
    bool cursor_in = cur >= 0 && cur / SCR_COLS >= r->top && cur / SCR_COLS < r->top + r->view_rows &&
                     cur % SCR_COLS >= r->left && cur % SCR_COLS < r->left + r->view_cols;
    bool cursor_moved = full || cur != r->shown.cursor || (cursor_in && r->cursor_on != 1) ||
                        (!cursor_in && r->cursor_on != 0);
    if (drawn == 0 && !cursor_moved)
        return 0;
    if (cursor_in) {
        move_to(r, out, cur / SCR_COLS - r->top, cur % SCR_COLS - r->left);
        if (r->cursor_on != 1)
            g_string_append(out, "\033[?25h");
        r->cursor_on = 1;
    } else if (r->cursor_on != 0) {
        g_string_append(out, "\033[?25l");
        r->cursor_on = 0;
    }
    r->shown = *f;
    r->valid = true;
    r->frames++;
    r->cells += (unsigned long)drawn;
    return drawn;
}
