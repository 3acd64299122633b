/* The VGA text-mode model: 80x25 cells of character and attribute in text
 * memory at physical 0xB8000 (32 KiB, 16 Ki cells), and the CRTC
 * registers behind the index/data ports 0x3D4/0x3D5 that place the cursor
 * (0x0A-0x0B shape, 0x0E-0x0F position) and the first cell shown (0x0C-0x0D
 * start address).  Port 0x3DA reads the input status (display enable and
 * vertical retrace toggle on every read, so a driver polling for the
 * retrace makes progress).  Pure state; unit.vga tests the registers. */
#ifndef CHACM_DEV_VGA_H
#define CHACM_DEV_VGA_H

#include <stdbool.h>
#include <stdint.h>

#include "screen.h"

#define VGA_MEM_BASE    0xB8000UL
#define VGA_MEM_SIZE    0x8000UL
#define VGA_PORT_INDEX  0x3D4
#define VGA_PORT_DATA   0x3D5
#define VGA_PORT_STATUS 0x3DA
#define VGA_CRTC_REGS   0x19

enum {
    VGA_CRTC_CURSOR_START = 0x0A,   /* bit 5: cursor off; bits 0-4: first scan line */
    VGA_CRTC_CURSOR_END = 0x0B,
    VGA_CRTC_START_HI = 0x0C,
    VGA_CRTC_START_LO = 0x0D,
    VGA_CRTC_CURSOR_HI = 0x0E,
    VGA_CRTC_CURSOR_LO = 0x0F,
};

typedef struct {
    uint8_t index;
    /* written by the CPU's holder, read by the front end's thread */
    _Atomic uint8_t crtc[VGA_CRTC_REGS];
    uint8_t status_reads;
    _Atomic unsigned long writes;   /* register writes so far (the front end redraws after one) */
} vga_t;

/* The state after a BIOS set mode 3: cursor on lines 13-14 at 0, start 0. */
void vga_reset(vga_t *v);
/* A byte write of the CPU to port (0x3D4, 0x3D5; others are ignored). */
void vga_out(vga_t *v, unsigned port, uint8_t value);
/* A byte read; 0xFF for a port the model does not have. */
uint8_t vga_in(vga_t *v, unsigned port);
/* The cursor's cell address and the start address (in cells). */
unsigned vga_cursor_addr(const vga_t *v);
unsigned vga_start_addr(const vga_t *v);
bool vga_cursor_enabled(const vga_t *v);
/* The frame shown: 2000 cells from the start address of text memory mem
 * (VGA_MEM_SIZE bytes, wrapping at its end), the cursor relative to it. */
void vga_frame(const vga_t *v, const volatile uint8_t *mem, scr_frame_t *f);

#endif /* !CHACM_DEV_VGA_H */
