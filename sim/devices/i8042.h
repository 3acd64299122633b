/* The i8042 keyboard controller with a PS/2 keyboard behind it: port 0x60
 * (data), port 0x64 (status on read, controller command on write), IRQ 1
 * for each byte that reaches the output buffer while the command byte
 * enables it.  The keyboard sends scancode set 1 (the controller's
 * translation of set 2, which is what a PC driver sees).  Host keys come in
 * as scancode bytes (keys.h) and wait in the keyboard's buffer while the
 * output buffer is full.  Pure state; unit.i8042 tests the registers.
 *
 * Controller commands: 0x20 read / 0x60 write the command byte, 0xAA
 * self-test (0x55), 0xAB keyboard interface test (0x00), 0xAD / 0xAE
 * disable / enable the keyboard, 0xA7 / 0xA8 disable / enable the (absent)
 * mouse, 0xA9 mouse test (0xFF: none), 0xD2 write the output buffer as if
 * the keyboard sent it, 0xFE pulse reset (logged, ignored).
 * Keyboard commands (written to 0x60): 0xFF reset (0xFA, 0xAA), 0xF4 / 0xF5
 * enable / disable scanning (0xFA), 0xF6 defaults, 0xED set LEDs (+ byte),
 * 0xF0 scancode set (+ byte; 0 asks, answer 0xFA and the set), 0xF3 typematic
 * (+ byte), 0xF2 identify (0xFA 0xAB 0x83), 0xEE echo (0xEE); others 0xFE. */
#ifndef CHACM_DEV_I8042_H
#define CHACM_DEV_I8042_H

#include <stdbool.h>
#include <stdint.h>

#define I8042_PORT_DATA     0x60
#define I8042_PORT_STATUS   0x64
#define I8042_IRQ           1
#define I8042_BUFFER        64      /* bytes the keyboard holds while the output buffer is full */

/* status bits */
#define I8042_STR_OBF       0x01    /* output buffer full: a byte to read at 0x60 */
#define I8042_STR_IBF       0x02    /* input buffer full (never: the model takes bytes at once) */
#define I8042_STR_SYS       0x04    /* system flag (the command byte's bit 2) */
#define I8042_STR_CMD       0x08    /* the last write went to 0x64 */
#define I8042_STR_UNLOCKED  0x10    /* keyboard not inhibited */

/* command byte bits */
#define I8042_CB_KBD_IRQ    0x01
#define I8042_CB_SYS        0x04
#define I8042_CB_KBD_OFF    0x10
#define I8042_CB_TRANSLATE  0x40

typedef struct {
    uint8_t buf[I8042_BUFFER];      /* bytes for the CPU, the first one in the output buffer */
    unsigned head, len;
    uint8_t last;                   /* the last byte read (0x60 repeats it when empty) */
    uint8_t cmdbyte;
    uint8_t status_cmd;             /* I8042_STR_CMD or 0 */
    uint8_t ctl_wants;              /* a controller command waiting for its data byte, or 0 */
    uint8_t kbd_wants;              /* a keyboard command waiting for its data byte, or 0 */
    bool scanning;                  /* the keyboard sends keys (0xF4 / 0xF5) */
    uint8_t leds, scanset, typematic;
    unsigned long dropped;          /* host bytes lost to a full buffer or a disabled keyboard */
    void (*raise)(void *arg);       /* raises IRQ 1 */
    void *raise_arg;
} i8042_t;

/* Power-on state: scanning, command byte 0x45 (IRQ 1 on, translation). */
void i8042_reset(i8042_t *k, void (*raise)(void *), void *arg);
void i8042_out(i8042_t *k, unsigned port, uint8_t value);
uint8_t i8042_in(i8042_t *k, unsigned port);
/* Bytes the host keyboard may still take (the buffer's free room). */
unsigned i8042_room(const i8042_t *k);
/* Keys from the host: scancode bytes; false and nothing taken if they do
 * not all fit (try again after reads) or the keyboard does not scan (they
 * are lost, as on a PC, and counted in dropped). */
bool i8042_keys(i8042_t *k, const uint8_t *codes, unsigned n);

#endif /* !CHACM_DEV_I8042_H */
