/* Starting a server program of the boot list from a test or benchmark
 * module (the root task): found by name in the boot information. */
#ifndef CHACM_PT_MODULE_H
#define CHACM_PT_MODULE_H

#include <l4/types.h>

/* The entry point of boot-list program `name` (first word of its command
 * line), 0 if the list has none. */
L4_Word_t pt_module_ip(const char *name);
/* Starts program `name` as a task with thread number user base + `slot`,
 * paged by sigma0; its thread, or nilthread (with a message). */
L4_ThreadId_t pt_start_server(const char *name, L4_Word_t slot);

#endif /* CHACM_PT_MODULE_H */
