/* Fault plans (faultplan.c, docs/debugging.md "Fault plans"). */
#ifndef CHACM_SIM_FAULTPLAN_H
#define CHACM_SIM_FAULTPLAN_H

#include <glib.h>

/* Parses one rule; where names it in errors ("plan:3", "--fault"). */
gboolean sim_fault_rule(const char *line, const char *where, GError **err);
/* Loads the plan file (or NULL) and the --fault rules (or NULL) and turns
 * injection on (after kern_init).  Returns -1 to go on, or 64 after naming
 * what was wrong on stderr. */
int sim_faultplan_setup(const char *file, char **rules);

#endif /* CHACM_SIM_FAULTPLAN_H */
