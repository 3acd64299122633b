/* The kernel monitor (like Fiasco's JDB): stops the whole system on an
 * event and answers commands about threads, spaces, mappings, the trace
 * and memory, on the terminal or over a Unix socket (docs/debugging.md). */
#ifndef CHACM_SIM_MONITOR_H
#define CHACM_SIM_MONITOR_H

#include <glib.h>

#include "kern_trace.h"

/* Sets the monitor up at `where` (a socket path, or "-" for the terminal)
 * with the --break conditions; returns -1 to go on or 64 after a message. */
int sim_monitor_init(const char *where, char **breaks);
void sim_monitor_fini(void);
/* Asks for the monitor from any host thread (the terminal's Ctrl-A c): it
 * is entered at the next kernel entry or idle moment. */
void sim_monitor_request(void);
/* Installs the monitor's kernel hooks without --monitor (the terminal
 * front end's Ctrl-A c); on the main thread before the run. */
void sim_monitor_enable(void);
/* From a host thread (the front end's, with the terminal in its normal
 * mode): asks for the monitor, runs its session on in/out (a "kdb>"
 * prompt; the commands of docs/debugging.md) and returns once it
 * continues (continue, step, or the end of the input). */
void sim_monitor_session(int in, int out);

/* monitor_cmd.c: runs one command line, appending its output to out.
 * Returns MON_STAY, or MON_CONTINUE / MON_STEP to leave the monitor. */
enum { MON_STAY, MON_CONTINUE, MON_STEP };
int sim_monitor_command(const char *line, GString *out);
/* Breakpoints: adds one from its text ("ipc [FILTER]", "fault ADDR",
 * "death [THREAD]"), or says why not in out. */
gboolean sim_monitor_add_break(const char *cond, GString *out);
/* Does r hit a breakpoint?  Names it in why. */
gboolean sim_monitor_hits(const kern_trace_rec_t *r, char *why, size_t size);
uint32_t sim_monitor_break_kinds(void);
/* The space named s (its name or serial number), or NULL. */
struct kern_space;
struct kern_space *sim_monitor_space(const char *s);

/* monitor_vm.c: reads len bytes of space s's memory at guest address addr
 * (window pages through the mapping database, program image segments);
 * false if some byte is not there.  Never faults. */
bool sim_monitor_peek(struct kern_space *s, L4_Word_t addr, void *buf, size_t len);
/* regions TASK: memsvr's regions of TASK, read from memsvr's debug view. */
void sim_monitor_regions(const char *arg, GString *out);

#endif /* CHACM_SIM_MONITOR_H */
