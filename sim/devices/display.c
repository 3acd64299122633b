/* The screen and keyboard on the device bus (display.h).  Typed scancodes
 * wait in a queue of the machine's (the keyboard's own buffer is small, as
 * a real one is) and move into the i8042 as the guest reads it. */
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "display.h"
#include "i8042.h"
#include "vga.h"

#define TYPE_AHEAD 65536        /* scancode bytes waiting for the keyboard */

static vga_t vga;
static i8042_t kbd;
static bool have_kbd;
static volatile uint8_t *text;  /* VGA text memory, the kernel's view */
static const uint8_t blank_text[VGA_MEM_SIZE];

static uint8_t ahead[TYPE_AHEAD];
static unsigned ahead_head, ahead_len;
static unsigned long keys_read, keys_lost;

static void raise_irq1(void *arg)
{
    (void)arg;
    sim_irq_raise(I8042_IRQ);
}

/* Moves waiting scancodes into the keyboard's buffer while it has room. */
static void top_up(void)
{
    while (ahead_len && i8042_room(&kbd)) {
        if (!i8042_keys(&kbd, &ahead[ahead_head], 1)) {
            /* the keyboard does not scan: what waits is lost, as typed into a dead keyboard */
            keys_lost += ahead_len;
            ahead_len = 0;
            return;
        }
        ahead_head = (ahead_head + 1) % TYPE_AHEAD;
        ahead_len--;
    }
}

static uint32_t vga_in_port(void *ctx, unsigned port, unsigned width)
{
    (void)ctx;
    uint32_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint32_t)vga_in(&vga, port + i) << (8 * i);
    return v;
}

static void vga_out_port(void *ctx, unsigned port, unsigned width, uint32_t value)
{
    (void)ctx;
    /* a 16-bit write to 0x3D4 is index and data at once, as on a VGA */
    for (unsigned i = 0; i < width; i++)
        vga_out(&vga, port + i, (uint8_t)(value >> (8 * i)));
}

static uint32_t kbd_in_port(void *ctx, unsigned port, unsigned width)
{
    (void)ctx;
    uint32_t v = i8042_in(&kbd, port);
    if (port == I8042_PORT_DATA) {
        keys_read++;
        top_up();
    }
    return width == 1 ? v : v | (0xffffffffu << 8);
}

static void kbd_out_port(void *ctx, unsigned port, unsigned width, uint32_t value)
{
    (void)ctx, (void)width;
    i8042_out(&kbd, port, (uint8_t)value);
    top_up();
}

static const sim_pio_ops_t vga_ops = { vga_in_port, vga_out_port };
static const sim_pio_ops_t kbd_ops = { kbd_in_port, kbd_out_port };

bool sim_display_attach(bool keyboard)
{
    vga_reset(&vga);
    text = sim_devmem_claim(VGA_MEM_BASE, VGA_MEM_SIZE, "vga");
    if (!text || !sim_bus_claim_ports(VGA_PORT_INDEX, 2, &vga_ops, NULL, "vga") ||
        !sim_bus_claim_ports(VGA_PORT_STATUS, 1, &vga_ops, NULL, "vga"))
        return false;
    /* the BIOS leaves a blank screen in grey on black */
    for (unsigned i = 0; i < VGA_MEM_SIZE; i += 2) {
        text[i] = ' ';
        text[i + 1] = 0x07;
    }
    have_kbd = keyboard;
    if (!keyboard)
        return true;
    i8042_reset(&kbd, raise_irq1, NULL);
    return sim_bus_claim_ports(I8042_PORT_DATA, 1, &kbd_ops, NULL, "i8042") &&
           sim_bus_claim_ports(I8042_PORT_STATUS, 1, &kbd_ops, NULL, "i8042");
}

void sim_display_frame(scr_frame_t *f)
{
    vga_frame(&vga, text ? text : blank_text, f);
}

void sim_display_type_now(const uint8_t *codes, unsigned n)
{
    if (!have_kbd)
        return;
    for (unsigned i = 0; i < n; i++) {
        if (ahead_len == TYPE_AHEAD) {
            keys_lost++;
            continue;
        }
        ahead[(ahead_head + ahead_len) % TYPE_AHEAD] = codes[i];
        ahead_len++;
    }
    top_up();
}

static void typed(void *ctx, uint64_t arg)
{
    (void)ctx;
    uint8_t codes[8];
    unsigned n = (unsigned)(arg >> 56);
    for (unsigned i = 0; i < n && i < 7; i++)
        codes[i] = (uint8_t)(arg >> (8 * i));
    sim_display_type_now(codes, n);
}

void sim_display_type(const uint8_t *codes, unsigned n)
{
    /* up to 7 bytes per post: the count in the top byte */
    while (n > 0) {
        unsigned k = n < 7 ? n : 7;
        uint64_t arg = (uint64_t)k << 56;
        for (unsigned i = 0; i < k; i++)
            arg |= (uint64_t)codes[i] << (8 * i);
        sim_bus_post(typed, NULL, arg);
        codes += k;
        n -= k;
    }
}

unsigned sim_display_keys_waiting(void)
{
    return have_kbd ? ahead_len + kbd.len : 0;
}

bool sim_display_has_keyboard(void)
{
    return have_kbd;
}

void sim_display_counts(unsigned long *crtc_writes, unsigned long *read, unsigned long *lost)
{
    *crtc_writes = vga.writes;
    *read = keys_read;
    *lost = keys_lost + kbd.dropped;
}
