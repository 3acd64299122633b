/* The screen side of a run: the options of the display and of headless
 * scripts, the choice between the interactive front end and a headless
 * run, and what happens at the end (screen dumps, the terminal restored,
 * the messages of the run shown).  docs/devices.md has the options. */
#ifndef CHACM_SIM_SCREENRUN_H
#define CHACM_SIM_SCREENRUN_H

#include <glib.h>
#include <stdio.h>

#include "bootlist.h"

/* The options (sim/options.c adds them to its own). */
extern GOptionEntry sim_screen_entries[];
/* Checks them after parsing; FALSE with *err. */
gboolean sim_screen_check(GError **err);
/* After the device bus exists: attaches the screen and (when someone can
 * type) the keyboard; FALSE with *err.  With --display=auto the screen is
 * shown only if bl starts a console server (else nothing would draw it). */
gboolean sim_screen_setup(const boot_list_t *bl, GError **err);
/* A plain headless run (no screen shown, no script, standard input not a
 * terminal) of a boot list whose console has a serial line (`console
 * line=NAME`): COM1 takes standard input by default, so the console's
 * line is the run's input and output. */
bool sim_screen_serial_console(const boot_list_t *bl);
/* Just before the run: the front end takes the terminal, or the script
 * starts on the virtual clock. */
void sim_screen_start(void);
/* After the run: the screen dump at exit, the terminal restored, the
 * messages the run printed while the screen was shown. */
void sim_screen_finish(FILE *stats);
void sim_screen_free(void);

#endif /* !CHACM_SIM_SCREENRUN_H */
