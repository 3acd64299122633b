/* The VGA text screen as the front end sees it: a frame of 80x25 cells
 * (character and attribute, as in text memory) with the cursor; CP437 to
 * Unicode; screen dumps as text, ANSI or HTML.  Pure, tested by unit.screen. */
#ifndef CHACM_CON_SCREEN_H
#define CHACM_CON_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#define SCR_COLS 80
#define SCR_ROWS 25
#define SCR_CELLS (SCR_COLS * SCR_ROWS)

typedef struct {
    uint16_t cell[SCR_CELLS];   /* character | attribute << 8, row by row */
    int cursor;                 /* cell index of the cursor, -1 when it is hidden or off the screen */
} scr_frame_t;

/* The Unicode code point of CP437 character c (0 and 0xFF: a space). */
unsigned scr_cp437(uint8_t c);
/* Appends the UTF-8 encoding of code point u. */
void scr_put_utf8(GString *out, unsigned u);

/* The ANSI colour number (0..7) of VGA colour c (0..7): VGA counts blue,
 * green, red from bit 0, ANSI red, green, blue. */
int scr_vga_to_ansi(int c);
/* The SGR sequence that selects VGA attribute a (reset first). */
void scr_sgr(GString *out, uint8_t a);

enum scr_dump_format { SCR_DUMP_TEXT, SCR_DUMP_ANSI, SCR_DUMP_HTML };
/* Parses "text", "ansi" or "html"; false for anything else. */
bool scr_dump_format_parse(const char *s, enum scr_dump_format *f);
/* Appends a dump of f: text (each row without trailing blanks, then a
 * line "cursor ROW,COL" or "cursor hidden"), ANSI (the rows in colour, each
 * ending with a reset) or an HTML page (a <pre> of coloured spans, the
 * cursor cell underlined). */
void scr_dump(GString *out, const scr_frame_t *f, enum scr_dump_format fmt);
/* Row r of f as UTF-8 text without trailing blanks. */
void scr_row_text(GString *out, const scr_frame_t *f, int r);
/* Whether text (UTF-8) appears within one row of f. */
bool scr_contains(const scr_frame_t *f, const char *text);

#endif /* !CHACM_CON_SCREEN_H */
