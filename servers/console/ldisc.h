/* console: the line discipline, pure state without IPC (host-testable).
 * Bytes come in one at a time; cooked mode edits a line (echo, erase, kill,
 * ^D, ^C) and hands it over on Enter; raw mode hands over every byte. */
#ifndef CON_LDISC_H
#define CON_LDISC_H

#include <stdbool.h>

#define LD_LINE_MAX 1024    /* one line being edited, with its '\n' */
#define LD_READY_MAX 4096   /* bytes ready for readers */

#define LD_MODE_COOKED 0
#define LD_MODE_RAW 1

/* Where echo goes: n bytes of s. */
typedef void (*ld_echo_fn)(const char *s, int n, void *arg);

typedef struct ld {
    int mode;
    bool intr_is_byte;          /* raw mode: ^C is a byte for the reader (no foreground task) */
    int esc;                    /* cooked: 0, or inside an escape sequence (1: ESC, 2: CSI) */
    int len;                    /* the line being edited */
    char line[LD_LINE_MAX];
    int ready_len;              /* bytes readers may take */
    char ready[LD_READY_MAX];
    int eof_marks;              /* ^D on empty lines not yet reported */
    ld_echo_fn echo;
    void *echo_arg;
} ld_t;

/* What one input byte did. */
enum ld_event {
    LD_NONE,    /* nothing for readers yet */
    LD_READY,   /* bytes are ready */
    LD_EOF,     /* ^D on an empty line: the next read reports end of input */
    LD_INTR,    /* ^C: the line and the ready bytes are gone */
};

void ld_init(ld_t *ld, ld_echo_fn echo, void *arg);
void ld_set_mode(ld_t *ld, int mode);
enum ld_event ld_input(ld_t *ld, unsigned char c);
/* Moves up to max ready bytes to dst (cooked: at most one line); returns the
 * count, 0 if none are ready. */
int ld_take(ld_t *ld, char *dst, int max);
/* Whether a read would return now: bytes ready, or a ^D to report. */
bool ld_readable(const ld_t *ld);
/* Takes one pending ^D end-of-input mark; false if there is none. */
bool ld_take_eof(ld_t *ld);
/* Drops the line being edited and every ready byte (^C flushes type-ahead). */
void ld_flush(ld_t *ld);

#endif /* !CON_LDISC_H */
