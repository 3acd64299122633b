/* shell: the line editor with history, fed one byte at a time from a raw
 * console; what it draws goes to an output function.  Pure code.  Keys:
 * printable bytes insert, BS/DEL erase before the cursor, ^D at the cursor
 * (on an empty line: end of input), Left/Right (^B/^F), Home/End (^A/^E),
 * ^K kills to the end, ^U the whole line, Up/Down (^P/^N) walk the history,
 * Enter ends the line, ^C abandons it.  A line holds ED_LINE_MAX - 1
 * bytes: more ring the bell and are counted as dropped (ed_dropped). */
#ifndef SH_EDIT_H
#define SH_EDIT_H

#define ED_LINE_MAX 256
#define ED_HISTORY 32

typedef void (*ed_out_fn)(const char *s, int n, void *arg);

typedef struct ed {
    char buf[ED_LINE_MAX];
    int len, pos;
    int esc;                            /* 0; 1 after ESC; 2 in ESC [ or ESC O */
    char esc_arg;                       /* the digit of ESC [ n ~ */
    int after_cr;                       /* the last byte was CR: an LF after it is the same Enter */
    char hist[ED_HISTORY][ED_LINE_MAX];
    int hist_count;                     /* lines remembered, at most ED_HISTORY */
    int hist_start;                     /* index of the oldest */
    int browse;                         /* history line shown; hist_count: the new line */
    char draft[ED_LINE_MAX];            /* the new line while browsing */
    int dropped;                        /* bytes the full line could not take */
    ed_out_fn out;
    void *arg;
} ed_t;

enum ed_result {
    ED_MORE,        /* the line goes on */
    ED_DONE,        /* Enter: ed_line() is the line */
    ED_EOF,         /* ^D on an empty line */
    ED_CANCEL,      /* ^C: the line is dropped */
};

void ed_init(ed_t *ed, ed_out_fn out, void *arg);
/* Starts a new, empty line. */
void ed_begin(ed_t *ed);
enum ed_result ed_key(ed_t *ed, unsigned char c);
/* The line, NUL-terminated. */
const char *ed_line(const ed_t *ed);
/* How many typed bytes the line had no room for (0: it is whole). */
int ed_dropped(const ed_t *ed);
/* Adds line to the history (not blank lines, not a repeat of the last). */
void ed_remember(ed_t *ed, const char *line);
/* History line i (0: the oldest) or NULL. */
const char *ed_history(const ed_t *ed, int i);

#endif /* !SH_EDIT_H */
