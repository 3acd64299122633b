/* console: the serial console — console 1 on a serial line (`console
 * line=NAME`, the device /dev/NAME) where there is no keyboard, in place
 * of the kernel debugger. */
#ifndef CON_LINE_H
#define CON_LINE_H

#include <stdbool.h>

/* The line's device name from the command line (NULL: none). */
void line_init(const char *name);
/* Whether console 1 is on the line: once /dev/NAME exists (its driver may
 * start after the console) and has a far end (DCD on), from then on;
 * false while it is not there yet, and for good where it has no far end
 * (nothing is connected: the kernel debugger stays the console). */
bool line_on(void);
/* Sends n bytes down the line. */
void line_write(const char *s, int n);
/* The next byte that has come on the line, without waiting: -1 for none
 * yet, LINE_END when the far end has hung up and everything it sent has
 * been read (or the line failed). */
#define LINE_END (-2)
int line_read(void);

#endif /* !CON_LINE_H */
