/* The host terminal of the interactive front end: raw mode and the
 * alternate screen, and their restoration on every way out — a normal
 * exit (term_leave, atexit), a fatal signal (SIGTERM, SIGINT, SIGHUP,
 * SIGQUIT, SIGABRT: restored in the handler, then the signal takes its
 * course), and anything that ends the process without running our code
 * (a crash, SIGKILL): a watchdog process, forked before any thread
 * exists, holds the saved settings and restores them when the simulator's
 * end of a pipe closes without the word that it has done so itself. */
#ifndef CHACM_CON_TERM_H
#define CHACM_CON_TERM_H

#include <stdbool.h>

/* Saves the settings of the terminal on in_fd, starts the watchdog, puts
 * it in raw mode and out_fd on the alternate screen.  log_fd (or -1) is
 * a file of what the run prints, which the watchdog shows after an
 * abnormal end.  Returns 0, or -1 with errno (nothing changed). */
int term_enter(int in_fd, int out_fd, int log_fd);
/* Restores the terminal (idempotent; async-signal-safe). */
void term_leave(void);
/* Leaves raw mode and the alternate screen for a while (the monitor) and
 * comes back; the caller redraws after term_resume. */
void term_suspend(void);
void term_resume(void);
/* The terminal's size; false if it cannot be read. */
bool term_size(int fd, int *rows, int *cols);
/* Writes all n bytes of buf to the terminal (retrying short writes);
 * false on an error. */
bool term_write(const char *buf, size_t n);

#endif /* !CHACM_CON_TERM_H */
