/* console: the PC hardware it drives — VGA text memory at physical
 * 0xB8000 and the CRTC cursor (ports 0x3D4/0x3D5), the i8042 keyboard
 * controller (ports 0x60/0x64, IRQ 1).  Ports and the text memory come
 * from sigma0; the keyboard's interrupt is associated by the root task. */
#ifndef CON_HW_H
#define CON_HW_H

#include <stdbool.h>
#include <stdint.h>

/* Maps the text memory; NULL if sigma0 does not give it. */
volatile uint16_t *hw_vga_init(void);
/* The cell the CRTC's cursor is at. */
int hw_vga_cursor_at(void);
/* Places the cursor at cell (0..1999), or hides it (-1). */
void hw_vga_cursor(int cell);
/* Finds and sets up the keyboard controller: false if there is none (port
 * 0x64 reads 0xFF) or it fails its self-test; *why says which. */
bool hw_kbd_init(const char **why);
/* Makes this thread the handler of IRQ 1; false if the root task refuses. */
bool hw_kbd_irq(void);
/* The next byte from the controller, -1 when its output buffer is empty. */
int hw_kbd_read(void);
/* Sets the keyboard's LEDs (bit 2 Caps Lock). */
void hw_kbd_leds(uint8_t leds);

#endif /* !CON_HW_H */
