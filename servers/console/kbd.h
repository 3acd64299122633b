/* console: the keyboard map, scancode set 1 to bytes (a US layout):
 * Shift, Ctrl, Alt and Caps Lock, with the bytes a VT220/xterm sends for
 * the other keys — arrows ESC [ A..D (ESC [ 1 ; m A with modifiers),
 * Home ESC [ H, End ESC [ F, Insert ESC [ 2 ~, Delete ESC [ 3 ~, PgUp
 * ESC [ 5 ~, PgDn ESC [ 6 ~, F1..F4 ESC O P..S, F5..F12 ESC [ 15 ~ ..
 * ESC [ 24 ~, Shift-Tab ESC [ Z; Ctrl with a letter its control byte;
 * Alt with a key ESC before its bytes; Alt-F1..F4 switch virtual
 * consoles.  The keypad's keys are the navigation keys (Num Lock off).
 * Pure state, tested by unit.console. */
#ifndef CON_KBD_H
#define CON_KBD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    bool lshift, rshift, lctrl, rctrl, lalt, ralt, caps;
    bool e0;            /* the last byte was the 0xE0 prefix */
    int skip;           /* bytes of a Pause sequence (0xE1 ...) still to drop */
} kbd_t;

typedef struct {
    int n;              /* bytes for the reader */
    char bytes[12];
    int switch_to;      /* Alt-Fn: virtual console n (1..4), or 0 */
    bool leds;          /* Caps Lock changed: the LEDs should follow */
} kbd_event_t;

void kbd_init(kbd_t *k);
/* One byte from the controller; fills *ev (n = 0 and switch_to = 0 for a
 * byte that only changes state, a break code or a controller reply). */
void kbd_scancode(kbd_t *k, uint8_t sc, kbd_event_t *ev);
/* The LED byte of keyboard command 0xED (Caps Lock: bit 2). */
uint8_t kbd_leds(const kbd_t *k);

#endif /* !CON_KBD_H */
