/* Drawing frames into a host terminal with ANSI sequences: only the cells
 * that changed since the last frame, the cursor, and a view that follows
 * the cursor when the terminal is smaller than 80x25.  Pure (the bytes go
 * to a GString), tested by unit.screen. */
#ifndef CHACM_CON_RENDER_H
#define CHACM_CON_RENDER_H

#include "screen.h"

typedef struct {
    scr_frame_t shown;          /* what the terminal shows (when valid) */
    bool valid;
    int rows, cols;             /* the terminal's size */
    int view_rows, view_cols;   /* how much of the screen fits */
    int top, left;              /* first screen row and column shown */
    int attr;                   /* the terminal's SGR state: a VGA attribute, -1 unknown */
    int trow, tcol;             /* the terminal's cursor (0-based), -1 unknown */
    int cursor_on;              /* terminal cursor shown: 1, hidden: 0, unknown: -1 */
    unsigned long frames, cells;    /* frames drawn and cells sent so far */
} render_t;

/* A terminal of rows x cols; the first frame redraws everything. */
void render_init(render_t *r, int rows, int cols);
/* The terminal changed size (or was cleared): the next frame redraws all. */
void render_resize(render_t *r, int rows, int cols);
/* Whether the terminal is too small for the whole screen. */
bool render_small(const render_t *r);
/* Appends what brings the terminal from what it shows to f (nothing when
 * it shows f already); returns the number of cells drawn. */
int render_frame(render_t *r, const scr_frame_t *f, GString *out);

#endif /* !CHACM_CON_RENDER_H */
