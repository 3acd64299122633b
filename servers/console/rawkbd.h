/* console: /dev/kbd, the keyboard's raw events (rawkbd.c). */
#ifndef CON_RAWKBD_H
#define CON_RAWKBD_H

#include <stdbool.h>
#include <stdint.h>

#include "consvr_server.h"

#define RK_OBJ 5                /* the device's object */

/* present: there is a keyboard to read (else open finds no "kbd"). */
void rk_init(bool present);
/* A byte from the controller (scancode set 1), kept while someone has
 * the device open; a waiting read gets it. */
void rk_scancode(uint8_t sc);
/* The device methods (object 0 opens "kbd"; the consoles are no device). */
void rk_fill(consvr_ops_t *ops);

#endif /* !CON_RAWKBD_H */
