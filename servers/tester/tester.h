/* tester: the check groups (task.c, fs.c, memory.c) and their helpers. */
#ifndef TESTER_H
#define TESTER_H

#include <stdbool.h>
#include <chacm/object.h>

#include "generic_client.h"

/* Prints " *** why"; returns 1. */
int tester_fail(const char *why);
bool tester_is(chacm_handle_t h, int api);
/* Reads directory dir as a file (expect bytes, unless -1) and prints
 * " ID what: ('a''b'...)". */
int tester_list(chacm_handle_t dir, const char *id, const char *what, int expect);

int tester_task(void);              /* T01-T04 */
int tester_names_space(void);       /* N01-N02 */
int tester_fs(const char *bdev, const char *fs);   /* F01-F03 */
int tester_memory(void);            /* M01-M06 */

#endif /* !TESTER_H */
