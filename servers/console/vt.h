/* console: a text terminal on an 80x25 buffer of VGA cells (character |
 * attribute << 8): printing with wrap and scrolling, the cursor, and a
 * subset of ANSI/VT100 escapes turned into VGA attributes.  Pure state
 * (no IPC, no hardware), tested by unit.console.
 *
 * Bytes: printable ones (0x20..0x7E and 0x80..0xFF, as CP437 glyphs) are
 * drawn; LF moves to the start of the next line (as a tty with onlcr);
 * CR, BS, TAB (stops every 8 columns), BEL (ignored).  Escapes (ESC [ ...):
 *   m          SGR: 0 reset, 1 bold (bright), 22 normal, 5 blink, 25, 7
 *              reverse, 27, 30-37 / 90-97 foreground, 39 default, 40-47 /
 *              100-107 background, 49 default
 *   H f        cursor to row;col (1-based, default 1;1)
 *   A B C D    cursor up, down, right, left n (default 1)
 *   G d        cursor to column n, row n
 *   J          erase in display: 0 to the end, 1 to the cursor, 2 all
 *   K          erase in line: 0 to the end, 1 to the cursor, 2 all
 *   s u        save, restore the cursor
 *   ?25l ?25h  hide, show the cursor
 * Others are read to their end and ignored. */
#ifndef CON_VT_H
#define CON_VT_H

#include <stdbool.h>
#include <stdint.h>

#define VT_COLS 80
#define VT_ROWS 25
#define VT_CELLS (VT_COLS * VT_ROWS)
#define VT_DEFAULT_ATTR 0x07
#define VT_MAX_PARAMS 8

typedef struct {
    volatile uint16_t *cells;   /* the screen's memory or a shadow buffer */
    int row, col;               /* col == VT_COLS: a wrap is pending */
    int fg, bg;                 /* VGA colours: fg 0..15 (8..15 from SGR 90-97), bg 0..7 */
    bool bold, blink, reverse;
    int saved_row, saved_col;
    bool cursor_on;
    int esc;                    /* 0, 1 after ESC, 2 in a CSI sequence */
    bool priv;                  /* the CSI sequence began with '?' */
    int par[VT_MAX_PARAMS], npar;
    unsigned long scrolls;      /* lines scrolled so far */
} vt_t;

/* A cleared terminal on cells (VT_CELLS of them). */
void vt_init(vt_t *vt, volatile uint16_t *cells);
/* Takes over cells as they are (a restarted console: the screen its
 * previous run left; a first start on a PC: the boot loader's lines), the
 * cursor at cell cursor, or at the start of the line below the last text
 * if text lies at or after cursor (someone wrote without moving it),
 * scrolling if that is past the last line; default colours. */
void vt_adopt(vt_t *vt, volatile uint16_t *cells, int cursor);
/* Is every cell a blank in the default colours (a screen nobody wrote)? */
bool vt_blank(const volatile uint16_t *cells);
void vt_write(vt_t *vt, const char *s, int n);
/* The attribute new characters get. */
uint8_t vt_attr(const vt_t *vt);
/* The cursor's cell index, -1 when hidden. */
int vt_cursor(const vt_t *vt);

#endif /* !CON_VT_H */
