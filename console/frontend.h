/* The interactive front end: the VGA screen drawn in the host terminal
 * (at most 60 frames a second, only changed cells), host keys sent to the
 * keyboard as scancodes, and the Ctrl-A commands (as QEMU has them):
 *   Ctrl-A x   quit          Ctrl-A c   the monitor (when one is built in)
 *   Ctrl-A s   screen dump   Ctrl-A h   the list of keys
 *   Ctrl-A a   a Ctrl-A for the system
 *   Ctrl-A 1..4  virtual console 1..4 (the same as Alt-F1..F4)
 * It runs on a thread of its own with a libevent loop; the machine is
 * reached only through the callbacks of fe_machine_t. */
#ifndef CHACM_CON_FRONTEND_H
#define CHACM_CON_FRONTEND_H

#include <stdint.h>

#include "screen.h"

typedef struct {
    /* the frame shown now (called on the front end's thread) */
    void (*frame)(scr_frame_t *f, void *arg);
    /* scancode bytes for the keyboard */
    void (*keys)(const uint8_t *codes, unsigned n, void *arg);
    /* Ctrl-A x: end the run */
    void (*quit)(void *arg);
    void *arg;
    enum scr_dump_format dump_format;   /* of Ctrl-A s */
} fe_machine_t;

/* The monitor: runs with the terminal in its normal mode on in_fd/out_fd
 * and returns when the user leaves it.  Set by whoever builds one. */
typedef void (*fe_monitor_fn)(int in_fd, int out_fd, void *arg);
void fe_set_monitor(fe_monitor_fn fn, void *arg);

/* Takes over the terminal on fds 0 and 1 and starts the front end's
 * thread; log_fd (or -1) is the file of the run's messages, shown if the
 * simulator dies without restoring the terminal.  Returns 0, or -1 with a
 * message in *why (the terminal is unchanged). */
int fe_start(const fe_machine_t *m, int log_fd, const char **why);
/* Stops the thread and restores the terminal (idempotent). */
void fe_stop(void);
/* Frames drawn and cells sent so far (for --stats and the benchmarks). */
void fe_counts(unsigned long *frames, unsigned long *cells);

#endif /* !CHACM_CON_FRONTEND_H */
