/* A program's side of the console (ipc/idl/console.idl).  Once attached,
 * printf, puts, putchar and panic print there, a line at a time (and on
 * con_flush, which every read does first); before, they print through the
 * kernel debugger. */
#ifndef CHACM_CONSOLE_H
#define CHACM_CONSOLE_H

#include <stdbool.h>
#include <l4/types.h>

/* Routes output to the console object <svr, obj>. */
void con_attach(L4_ThreadId_t svr, int obj);
/* Flushes and routes output back to the kernel debugger. */
void con_detach(void);
bool con_attached(void);
/* The console's handle; false if not attached. */
bool con_handle(L4_ThreadId_t *svr, int *obj);
/* Sends what printf has buffered. */
void con_flush(void);
/* Writes n bytes now.  ESUCCESS, or ENOTFOUND when not attached or the
 * console does not answer. */
int con_write(const char *s, int n);
/* Reads up to max bytes (cooked mode: one line with its '\n').  Returns the
 * count (> 0) or a ChacmOS code <= 0: EEOF (end of input), EAGAIN (^C),
 * ENOTFOUND (not attached, or no answer). */
int con_read(char *buf, int max);
/* console::set_mode and set_foreground; ENOTFOUND when not attached. */
int con_set_mode(int mode);
int con_set_foreground(L4_ThreadId_t task_svr, int task_obj);

#endif /* !CHACM_CONSOLE_H */
