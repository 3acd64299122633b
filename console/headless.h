/* Headless runs: a script of steps on the virtual clock — keys to type,
 * text to wait for on the screen, pauses, screen dumps — so that a run
 * with the same script is the same run.  The steps come from the command
 * line in order (--keys, --expect, --sleep, --dump-now) or from a file
 * (--script), one step a line:
 *   keys KEYS        type KEYS (below)
 *   expect TEXT      wait until TEXT is on the screen (within one row)
 *   sleep MS         let MS milliseconds of virtual time pass
 *   dump FILE [FMT]  write the screen to FILE (text, ansi or html)
 *   # ...            a comment
 * KEYS is text typed as on a US keyboard, with <Name> for a key by name
 * (keys.h: <Enter>, <C-c>, <M-F2>, <S-Up>, <CapsLock>, ...) and the escapes
 * \n (Enter), \t (Tab), \e (Esc), \\ and \< for themselves.
 * An expect that is not met within the expect timeout ends the run with
 * status 1 and the screen on stderr.  After the last step the system runs
 * on for the linger time, then the run ends with status 0 (unless the
 * system ended it before). */
#ifndef CHACM_CON_HEADLESS_H
#define CHACM_CON_HEADLESS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <glib.h>

#include "screen.h"

typedef struct hl_script hl_script_t;

/* What the script drives (callbacks on the simulated CPU). */
typedef struct {
    void (*frame)(scr_frame_t *f);
    void (*type)(const uint8_t *codes, unsigned n);
    void (*end)(int status);        /* ends the run */
    bool (*idle)(void);             /* every thread waits (NULL: always so) */
} hl_machine_t;

hl_script_t *hl_new(void);
void hl_free(hl_script_t *s);
/* Appends steps; FALSE with *err (naming the step) on a bad one. */
gboolean hl_add_keys(hl_script_t *s, const char *keys, GError **err);
gboolean hl_add_expect(hl_script_t *s, const char *text, GError **err);
gboolean hl_add_sleep(hl_script_t *s, const char *ms, GError **err);
gboolean hl_add_dump(hl_script_t *s, const char *file, enum scr_dump_format fmt);
/* Reads a script file's steps; errors name the file and line. */
gboolean hl_add_file(hl_script_t *s, const char *path, GError **err);
/* Virtual milliseconds an expect waits (default 10000) and the run goes
 * on after the last step (default 1000). */
void hl_set_timeouts(hl_script_t *s, uint64_t expect_ms, uint64_t linger_ms);
unsigned hl_steps(const hl_script_t *s);
/* Starts the script on the virtual clock (after sim_bus_init). */
void hl_start(hl_script_t *s, const hl_machine_t *m);
/* Parses KEYS into scancodes (exported for the unit tests). */
gboolean hl_parse_keys(const char *keys, GByteArray *codes, GError **err);
/* For --stats: how long the expects waited after the step before them
 * (the keys that made the text appear), in virtual and host time. */
void hl_print_stats(const hl_script_t *s, FILE *f);
/* Writes a dump of f to path ("-": stdout); FALSE with *err. */
gboolean hl_write_dump(const char *path, const scr_frame_t *f, enum scr_dump_format fmt, GError **err);

#endif /* !CHACM_CON_HEADLESS_H */
