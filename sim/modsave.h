/* chacmsim: data modules saved back to host files when the run ends. */
#ifndef SIM_MODSAVE_H
#define SIM_MODSAVE_H

#include <stddef.h>

/* Notes a data module loaded at data (size bytes); if its boot-list command
 * line has a word save=PATH, the module's memory is written to PATH by
 * modsave_write_all. */
void modsave_note(const char *cmdline, const void *data, size_t size);
/* Writes every noted module to its file; a failure is reported on stderr
 * (the run's status stays).  Forgets the notes. */
void modsave_write_all(void);

#endif /* !SIM_MODSAVE_H */
