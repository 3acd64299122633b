/* The screen and the keyboard of the machine: the VGA text model and the
 * i8042 on the device bus (bus.h), with what the front end and the
 * headless scripts need of them — the frame shown, and keys typed.
 * display_attach runs after sim_bus_init; the i8042 is attached only when
 * something can type (an interactive terminal or a key script): without
 * it port 0x64 reads 0xFF, as on a PC without a controller, and the
 * console reads the kernel debugger's input instead. */
#ifndef SIM_DEVICES_DISPLAY_H
#define SIM_DEVICES_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "screen.h"

/* Claims the VGA ports and text memory, and with keyboard the i8042's
 * ports; false (with a message on stderr) if they are taken. */
bool sim_display_attach(bool keyboard);
/* The frame shown now (any thread: the front end reads text memory as the
 * guest writes it). */
void sim_display_frame(scr_frame_t *f);
/* Scancodes typed on the host (any thread): they reach the keyboard on
 * the simulated CPU at its next defined point. */
void sim_display_type(const uint8_t *codes, unsigned n);
/* The same on the simulated CPU (the headless scripts). */
void sim_display_type_now(const uint8_t *codes, unsigned n);
/* Scancode bytes typed and not yet read by the guest (on the CPU). */
unsigned sim_display_keys_waiting(void);
/* Whether the i8042 is attached. */
bool sim_display_has_keyboard(void);
/* Counters for --stats: CRTC writes, scancode bytes delivered, lost. */
void sim_display_counts(unsigned long *crtc_writes, unsigned long *keys_read, unsigned long *keys_lost);

#endif /* !SIM_DEVICES_DISPLAY_H */
