/* The VGA text-mode model (vga.h). */
#include <stdatomic.h>
#include <string.h>

#include "vga.h"

#define CELLS_IN_MEM (VGA_MEM_SIZE / 2)

void vga_reset(vga_t *v)
{
    v->index = 0;
    for (unsigned i = 0; i < VGA_CRTC_REGS; i++)
        atomic_store(&v->crtc[i], 0);
    /* mode 3: 80 columns, a cursor on scan lines 13-14 of 16 */
    atomic_store(&v->crtc[0x01], 79);
    atomic_store(&v->crtc[0x09], 15);
    atomic_store(&v->crtc[VGA_CRTC_CURSOR_START], 0x0D);
    atomic_store(&v->crtc[VGA_CRTC_CURSOR_END], 0x0E);
    atomic_store(&v->crtc[0x12], (uint8_t)(400 - 1));
    atomic_store(&v->crtc[0x13], 40);
    v->status_reads = 0;
    atomic_store(&v->writes, 0);
}

void vga_out(vga_t *v, unsigned port, uint8_t value)
{
    if (port == VGA_PORT_INDEX) {
        v->index = value;
    } else if (port == VGA_PORT_DATA && v->index < VGA_CRTC_REGS) {
        atomic_store(&v->crtc[v->index], value);
        atomic_fetch_add(&v->writes, 1);
    }
}

uint8_t vga_in(vga_t *v, unsigned port)
{
    if (port == VGA_PORT_INDEX)
        return v->index;
    if (port == VGA_PORT_DATA)
        return v->index < VGA_CRTC_REGS ? atomic_load(&v->crtc[v->index]) : 0xFF;
    if (port == VGA_PORT_STATUS) {
        /* bit 0 display disabled (retrace of either kind), bit 3 vertical retrace */
        v->status_reads++;
        return (v->status_reads & 1) ? 0x09 : 0x00;
    }
    return 0xFF;
}

static unsigned reg16(const vga_t *v, unsigned hi)
{
    return (unsigned)atomic_load(&v->crtc[hi]) << 8 | atomic_load(&v->crtc[hi + 1]);
}

unsigned vga_cursor_addr(const vga_t *v)
{
    return reg16(v, VGA_CRTC_CURSOR_HI);
}

unsigned vga_start_addr(const vga_t *v)
{
    return reg16(v, VGA_CRTC_START_HI);
}

bool vga_cursor_enabled(const vga_t *v)
{
    uint8_t start = atomic_load(&v->crtc[VGA_CRTC_CURSOR_START]);
    uint8_t end = atomic_load(&v->crtc[VGA_CRTC_CURSOR_END]);
    /* bit 5 turns it off; a start line below the end line shows nothing */
    return !(start & 0x20) && (start & 0x1f) <= (end & 0x1f);
}

void vga_frame(const vga_t *v, const volatile uint8_t *mem, scr_frame_t *f)
{
    unsigned start = vga_start_addr(v) % CELLS_IN_MEM;
    for (unsigned i = 0; i < SCR_CELLS; i++) {
        unsigned at = (start + i) % CELLS_IN_MEM * 2;
        f->cell[i] = (uint16_t)(mem[at] | mem[at + 1] << 8);
    }
    unsigned cur = vga_cursor_addr(v);
    unsigned rel = (cur + CELLS_IN_MEM - start) % CELLS_IN_MEM;
    f->cursor = vga_cursor_enabled(v) && rel < SCR_CELLS ? (int)rel : -1;
}
