/* The simulator's side of the kernel trace buffer: set-up from the command
 * line, filters written as text, the text log and the Chrome trace-event
 * export, and the interface name table that names messages. */
#ifndef CHACM_SIM_TRACE_H
#define CHACM_SIM_TRACE_H

#include <stdio.h>
#include <glib.h>

#include "kern_trace.h"
#include "options.h"

/* Starts tracing as the options ask (after kern_init, before boot).
 * Returns -1 to go on, or 64 after naming a bad value on stderr. */
int sim_trace_setup(const sim_options_t *o);
/* Writes the exports the options ask for (at the end of the run). */
void sim_trace_finish(const sim_options_t *o);

/* Parses "kind=ipc,pf thread=34,35 task=memsvr label=0x1234" (any of the
 * parts, in any order; kinds default to all) into *f. */
gboolean sim_trace_parse_filter(const char *spec, kern_trace_filter_t *f, GError **err);
gboolean sim_trace_parse_threads(const char *list, kern_trace_filter_t *f, GError **err);
gboolean sim_trace_parse_word(const char *s, L4_Word_t *v);

/* One record as a line of text, its label named through the IDL. */
void sim_trace_line(const kern_trace_rec_t *r, char *buf, size_t size);
/* The ring's records that pass f (NULL: all), the last `last` of them
 * (0: all), as text. */
void sim_trace_write_text(FILE *out, const kern_trace_filter_t *f, size_t last);
gboolean sim_trace_write_json(const char *path, GError **err);

/* idlnames.c: "interface.method" for a request label, the kernel
 * protocols' names for theirs, or NULL. */
void sim_idl_names_load(const char *path);
const char *sim_idl_name(L4_Word_t label);
gboolean sim_idl_label(const char *name, L4_Word_t *lo, L4_Word_t *hi);

#endif /* CHACM_SIM_TRACE_H */
