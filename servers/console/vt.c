/* console: the text terminal (vt.h). */
#include <string.h>

#include "vt.h"

/* ANSI colour n is VGA colour map[n] and the other way round. */
static const int ansi_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

uint8_t vt_attr(const vt_t *vt)
{
    int fg = vt->fg, bg = vt->bg;
    if (vt->reverse) {
        int t = fg;
        fg = bg;
        bg = t;
    }
    return (uint8_t)((vt->blink ? 0x80 : 0) | (bg & 7) << 4 | (vt->bold ? 8 : 0) | fg);
}

int vt_cursor(const vt_t *vt)
{
    if (!vt->cursor_on)
        return -1;
    int col = vt->col < VT_COLS ? vt->col : VT_COLS - 1;
    return vt->row * VT_COLS + col;
}

static void fill(vt_t *vt, int from, int to)
{
    uint16_t blank = (uint16_t)(' ' | vt_attr(vt) << 8);
    for (int i = from; i < to; i++)
        vt->cells[i] = blank;
}

static void reset_attrs(vt_t *vt)
{
    vt->fg = VT_DEFAULT_ATTR & 7;
    vt->bg = 0;
    vt->bold = vt->blink = vt->reverse = false;
}

void vt_init(vt_t *vt, volatile uint16_t *cells)
{
    memset(vt, 0, sizeof *vt);
    vt->cells = cells;
    reset_attrs(vt);
    vt->cursor_on = true;
    fill(vt, 0, VT_CELLS);
}

static void scroll_up(vt_t *vt);

void vt_adopt(vt_t *vt, volatile uint16_t *cells, int cursor)
{
    memset(vt, 0, sizeof *vt);
    vt->cells = cells;
    reset_attrs(vt);
    vt->cursor_on = true;
    if (cursor < 0 || cursor >= VT_CELLS)
        cursor = 0;
    /* Text at or after the cursor was written by someone who did not move
     * it (a boot loader's lines on a real PC): go on below that text
     * instead of over it. */
    int last = VT_CELLS - 1;
    while (last >= cursor && vt->cells[last] == (uint16_t)(' ' | VT_DEFAULT_ATTR << 8))
        last--;
    if (last >= cursor) {
        cursor = (last / VT_COLS + 1) * VT_COLS;
        if (cursor == VT_CELLS) {
            scroll_up(vt);
            cursor -= VT_COLS;
        }
    }
    vt->row = cursor / VT_COLS;
    vt->col = cursor % VT_COLS;
}

bool vt_blank(const volatile uint16_t *cells)
{
    for (int i = 0; i < VT_CELLS; i++)
        if (cells[i] != (uint16_t)(' ' | VT_DEFAULT_ATTR << 8))
            return false;
    return true;
}

static void scroll_up(vt_t *vt)
{
    for (int i = 0; i < VT_CELLS - VT_COLS; i++)
        vt->cells[i] = vt->cells[i + VT_COLS];
    fill(vt, VT_CELLS - VT_COLS, VT_CELLS);
    vt->scrolls++;
}

static void newline(vt_t *vt)
{
    vt->col = 0;
    if (++vt->row == VT_ROWS) {
        vt->row = VT_ROWS - 1;
        scroll_up(vt);
    }
}

static void put(vt_t *vt, unsigned char c)
{
    if (vt->col == VT_COLS)
        newline(vt);
    vt->cells[vt->row * VT_COLS + vt->col] = (uint16_t)(c | vt_attr(vt) << 8);
    vt->col++;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void sgr(vt_t *vt)
{
    if (vt->npar == 0)
        vt->par[vt->npar++] = 0;
    for (int i = 0; i < vt->npar; i++) {
        int p = vt->par[i];
        if (p == 0)
            reset_attrs(vt);
        else if (p == 1)
            vt->bold = true;
        else if (p == 22)
            vt->bold = false;
        else if (p == 5)
            vt->blink = true;
        else if (p == 25)
            vt->blink = false;
        else if (p == 7)
            vt->reverse = true;
        else if (p == 27)
            vt->reverse = false;
        else if (p >= 30 && p <= 37)
            vt->fg = ansi_vga[p - 30];
        else if (p >= 90 && p <= 97)
            vt->fg = ansi_vga[p - 90] | 8;      /* bright, whether bold or not */
        else if (p == 39)
            vt->fg = VT_DEFAULT_ATTR & 7;
        else if (p >= 40 && p <= 47)
            vt->bg = ansi_vga[p - 40];
        else if (p >= 100 && p <= 107)
            vt->bg = ansi_vga[p - 100];     /* no bright backgrounds: bit 7 blinks */
        else if (p == 49)
            vt->bg = 0;
    }
}

/* The n-th parameter, def when it is missing or 0. */
static int arg(const vt_t *vt, int n, int def)
{
    return n < vt->npar && vt->par[n] > 0 ? vt->par[n] : def;
}

static void csi(vt_t *vt, unsigned char final)
{
    int at = vt->row * VT_COLS + (vt->col < VT_COLS ? vt->col : VT_COLS - 1);
    if (vt->priv) {
        if ((final == 'h' || final == 'l') && arg(vt, 0, 0) == 25)
            vt->cursor_on = final == 'h';
        return;
    }
    switch (final) {
    case 'm': sgr(vt); break;
    case 'H': case 'f':
        vt->row = clamp(arg(vt, 0, 1), 1, VT_ROWS) - 1;
        vt->col = clamp(arg(vt, 1, 1), 1, VT_COLS) - 1;
        break;
    case 'A': vt->row = clamp(vt->row - arg(vt, 0, 1), 0, VT_ROWS - 1); break;
    case 'B': vt->row = clamp(vt->row + arg(vt, 0, 1), 0, VT_ROWS - 1); break;
    case 'C': vt->col = clamp(vt->col + arg(vt, 0, 1), 0, VT_COLS - 1); break;
    case 'D': vt->col = clamp((vt->col < VT_COLS ? vt->col : VT_COLS - 1) - arg(vt, 0, 1), 0, VT_COLS - 1); break;
    case 'G': vt->col = clamp(arg(vt, 0, 1), 1, VT_COLS) - 1; break;
    case 'd': vt->row = clamp(arg(vt, 0, 1), 1, VT_ROWS) - 1; break;
    case 'J': {
        int p = vt->npar ? vt->par[0] : 0;
        if (p == 0)
            fill(vt, at, VT_CELLS);
        else if (p == 1)
            fill(vt, 0, at + 1);
        else
            fill(vt, 0, VT_CELLS);
        break;
    }
    case 'K': {
        int p = vt->npar ? vt->par[0] : 0, start = vt->row * VT_COLS;
        if (p == 0)
            fill(vt, at, start + VT_COLS);
        else if (p == 1)
            fill(vt, start, at + 1);
        else
            fill(vt, start, start + VT_COLS);
        break;
    }
    case 's': vt->saved_row = vt->row; vt->saved_col = vt->col; break;
    case 'u': vt->row = vt->saved_row; vt->col = vt->saved_col; break;
    default: break;
    }
}

static void control(vt_t *vt, unsigned char c)
{
    switch (c) {
    case '\n': newline(vt); break;
    case '\r': vt->col = 0; break;
    case '\b':
        /* after the last column (a wrap pending) back onto it, else one left */
        if (vt->col == VT_COLS)
            vt->col = VT_COLS - 1;
        else if (vt->col > 0)
            vt->col--;
        break;
    case '\t':
        /* to the next stop, over what is there */
        if (vt->col < VT_COLS - 1)
            vt->col = (vt->col / 8 + 1) * 8 < VT_COLS ? (vt->col / 8 + 1) * 8 : VT_COLS - 1;
        break;
    case 0x1b: vt->esc = 1; break;
    default: break;     /* BEL and the rest */
    }
}

void vt_write(vt_t *vt, const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (vt->esc == 1) {
            if (c == '[') {
                vt->esc = 2;
                vt->priv = false;
                vt->npar = 0;
                vt->par[0] = 0;
                continue;
            }
            vt->esc = 0;
            if (c == 'c') {         /* RIS: reset */
                reset_attrs(vt);
                fill(vt, 0, VT_CELLS);
                vt->row = vt->col = 0;
                vt->cursor_on = true;
            }
            continue;
        }
        if (vt->esc == 2) {
            if (c >= '0' && c <= '9') {
                if (vt->npar == 0)
                    vt->npar = 1;
                if (vt->npar <= VT_MAX_PARAMS && vt->par[vt->npar - 1] < 10000)
                    vt->par[vt->npar - 1] = vt->par[vt->npar - 1] * 10 + (c - '0');
            } else if (c == ';') {
                if (vt->npar == 0)
                    vt->npar = 1;
                if (vt->npar < VT_MAX_PARAMS)
                    vt->par[vt->npar++] = 0;
                else
                    vt->npar = VT_MAX_PARAMS + 1;   /* too many: the sequence is ignored */
            } else if (c == '?' && vt->npar == 0) {
                vt->priv = true;
            } else if (c >= 0x40 && c <= 0x7e) {
                vt->esc = 0;
                if (vt->npar <= VT_MAX_PARAMS)
                    csi(vt, c);
            } else if (c < 0x20) {
                vt->esc = 0;
                control(vt, c);
            }
            continue;
        }
        if (c < 0x20)
            control(vt, c);
        else if (c != 0x7f)
            put(vt, c);
    }
}
