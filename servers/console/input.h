/* console: where console 1's input bytes come from without a keyboard
 * (the kernel debugger's ReadChar, or the serial line of line.h), with a
 * queue of bytes read ahead. */
#ifndef CON_INPUT_H
#define CON_INPUT_H

#include <stdbool.h>

/* The next byte, waiting for one at the kernel debugger: read-ahead bytes
 * first.  -1 at the end of input (KDB ReadChar_Blocked answers 0 there);
 * every later call too.  On the serial line it does not wait: IN_AGAIN
 * when nothing has come yet. */
#define IN_AGAIN (-2)
int in_getc(void);
/* A byte that has already arrived, without waiting; -1 if there is none. */
int in_poll(void);
/* Queues c for in_getc (read ahead); false if the queue is full. */
bool in_unget(unsigned char c);
/* Whether the queue has room for more read-ahead. */
bool in_room(void);
/* Drops every queued byte. */
void in_drop(void);

#endif /* !CON_INPUT_H */
