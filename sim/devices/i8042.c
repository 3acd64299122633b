/* The i8042 keyboard controller model (i8042.h). */
#include <string.h>

#include "i8042.h"

/* The byte at the front went into the output buffer: IRQ 1 if enabled. */
static void announce(i8042_t *k)
{
    if (k->len && (k->cmdbyte & I8042_CB_KBD_IRQ) && k->raise)
        k->raise(k->raise_arg);
}

/* Queues one byte for the CPU (a reply or a key); false if full. */
static bool push(i8042_t *k, uint8_t b)
{
    if (k->len == I8042_BUFFER) {
        k->dropped++;
        return false;
    }
    k->buf[(k->head + k->len) % I8042_BUFFER] = b;
    if (k->len++ == 0)
        announce(k);
    return true;
}

void i8042_reset(i8042_t *k, void (*raise)(void *), void *arg)
{
    memset(k, 0, sizeof *k);
    k->cmdbyte = I8042_CB_KBD_IRQ | I8042_CB_SYS | I8042_CB_TRANSLATE;
    k->scanning = true;
    k->scanset = 2;         /* set 2 on the wire, translated to set 1 */
    k->raise = raise;
    k->raise_arg = arg;
}

static void keyboard_command(i8042_t *k, uint8_t v)
{
    uint8_t wants = k->kbd_wants;
    k->kbd_wants = 0;
    if (wants == 0xED) {
        k->leds = v & 7;
        push(k, 0xFA);
        return;
    }
    if (wants == 0xF0) {
        push(k, 0xFA);
        if (v == 0)
            push(k, k->scanset == 2 ? 0x41 : k->scanset == 1 ? 0x43 : 0x3F);     /* as translated */
        else if (v <= 3)
            k->scanset = v;
        return;
    }
    if (wants == 0xF3) {
        k->typematic = v;
        push(k, 0xFA);
        return;
    }
    switch (v) {
    case 0xFF:
        k->len = 0;
        k->scanning = true;
        k->leds = 0;
        push(k, 0xFA);
        push(k, 0xAA);
        break;
    case 0xF4: k->scanning = true; push(k, 0xFA); break;
    case 0xF5: k->scanning = false; push(k, 0xFA); break;
    case 0xF6: k->scanning = true; k->leds = 0; k->typematic = 0; push(k, 0xFA); break;
    case 0xED: case 0xF0: case 0xF3: k->kbd_wants = v; push(k, 0xFA); break;
    case 0xF2: push(k, 0xFA); push(k, 0xAB); push(k, 0x83); break;
    case 0xEE: push(k, 0xEE); break;
    default: push(k, 0xFE); break;     /* resend: not a command it knows */
    }
}

static void controller_command(i8042_t *k, uint8_t v)
{
    switch (v) {
    case 0x20: push(k, k->cmdbyte); break;
    case 0x60: case 0xD2: k->ctl_wants = v; break;
    case 0xAA: push(k, 0x55); break;
    case 0xAB: push(k, 0x00); break;
    case 0xA9: push(k, 0xFF); break;
    case 0xAD: k->cmdbyte |= I8042_CB_KBD_OFF; break;
    case 0xAE: k->cmdbyte &= (uint8_t)~I8042_CB_KBD_OFF; break;
    case 0xA7: k->cmdbyte |= 0x20; break;
    case 0xA8: k->cmdbyte &= (uint8_t)~0x20; break;
    default: break;         /* 0xFE (reset) and the rest: nothing happens */
    }
}

void i8042_out(i8042_t *k, unsigned port, uint8_t v)
{
    if (port == I8042_PORT_STATUS) {
        k->status_cmd = I8042_STR_CMD;
        k->ctl_wants = 0;
        controller_command(k, v);
        return;
    }
    if (port != I8042_PORT_DATA)
        return;
    k->status_cmd = 0;
    uint8_t wants = k->ctl_wants;
    k->ctl_wants = 0;
    if (wants == 0x60) {
        bool was_on = k->cmdbyte & I8042_CB_KBD_IRQ;
        k->cmdbyte = v;
        if (!was_on)
            announce(k);
    } else if (wants == 0xD2) {
        push(k, v);
    } else {
        keyboard_command(k, v);
    }
}

uint8_t i8042_in(i8042_t *k, unsigned port)
{
    if (port == I8042_PORT_STATUS)
        return (uint8_t)((k->len ? I8042_STR_OBF : 0) | (k->cmdbyte & I8042_CB_SYS) | k->status_cmd |
                         (k->cmdbyte & I8042_CB_KBD_OFF ? 0 : I8042_STR_UNLOCKED));
    if (port != I8042_PORT_DATA)
        return 0xFF;
    if (k->len) {
        k->last = k->buf[k->head];
        k->head = (k->head + 1) % I8042_BUFFER;
        k->len--;
        announce(k);        /* the next byte moves into the output buffer */
    }
    return k->last;
}

unsigned i8042_room(const i8042_t *k)
{
    return I8042_BUFFER - k->len;
}

bool i8042_keys(i8042_t *k, const uint8_t *codes, unsigned n)
{
    if (!k->scanning || (k->cmdbyte & I8042_CB_KBD_OFF)) {
        k->dropped += n;
        return false;
    }
    if (n > i8042_room(k))
        return false;
    for (unsigned i = 0; i < n; i++)
        push(k, codes[i]);
    return true;
}
