/* Unit tests of the VGA text model's registers (sim/devices/vga.c): the
 * CRTC index and data ports, cursor position and shape, the start
 * address, the status port, and the frame read from text memory. */
#include <check.h>
#include <string.h>

#include "unit.h"
#include "../../sim/devices/vga.c"
#include "../../console/screen.c"

static vga_t v;
static uint8_t mem[VGA_MEM_SIZE];

static void setup(void)
{
    vga_reset(&v);
    memset(mem, 0, sizeof mem);
}

static void crtc(uint8_t reg, uint8_t val)
{
    vga_out(&v, VGA_PORT_INDEX, reg);
    vga_out(&v, VGA_PORT_DATA, val);
}

START_TEST(reset_state)
{
    ck_assert_uint_eq(vga_cursor_addr(&v), 0);
    ck_assert_uint_eq(vga_start_addr(&v), 0);
    ck_assert(vga_cursor_enabled(&v));
    vga_out(&v, VGA_PORT_INDEX, VGA_CRTC_CURSOR_START);
    ck_assert_uint_eq(vga_in(&v, VGA_PORT_DATA), 0x0D);
    vga_out(&v, VGA_PORT_INDEX, VGA_CRTC_CURSOR_END);
    ck_assert_uint_eq(vga_in(&v, VGA_PORT_DATA), 0x0E);
    ck_assert_uint_eq(vga_in(&v, VGA_PORT_INDEX), VGA_CRTC_CURSOR_END);
}
END_TEST

START_TEST(cursor_position)
{
    crtc(VGA_CRTC_CURSOR_HI, 0x03);
    crtc(VGA_CRTC_CURSOR_LO, 0x20);
    ck_assert_uint_eq(vga_cursor_addr(&v), 0x320);
    vga_out(&v, VGA_PORT_INDEX, VGA_CRTC_CURSOR_LO);
    ck_assert_uint_eq(vga_in(&v, VGA_PORT_DATA), 0x20);
    scr_frame_t f;
    vga_frame(&v, mem, &f);
    ck_assert_int_eq(f.cursor, 0x320);
    ck_assert_uint_eq(v.writes, 2);
}
END_TEST

START_TEST(cursor_shape_hides_it)
{
    crtc(VGA_CRTC_CURSOR_START, 0x20 | 0x0D);
    ck_assert(!vga_cursor_enabled(&v));
    scr_frame_t f;
    vga_frame(&v, mem, &f);
    ck_assert_int_eq(f.cursor, -1);
    crtc(VGA_CRTC_CURSOR_START, 0x0F);      /* start below the end: nothing shown */
    ck_assert(!vga_cursor_enabled(&v));
    crtc(VGA_CRTC_CURSOR_START, 0x00);
    ck_assert(vga_cursor_enabled(&v));
}
END_TEST

START_TEST(start_address_scrolls_the_frame)
{
    for (unsigned i = 0; i < VGA_MEM_SIZE / 2; i++) {
        mem[2 * i] = (uint8_t)('A' + i % 26);
        mem[2 * i + 1] = (uint8_t)(i / 80);
    }
    crtc(VGA_CRTC_START_HI, 0);
    crtc(VGA_CRTC_START_LO, 80);
    scr_frame_t f;
    vga_frame(&v, mem, &f);
    ck_assert_uint_eq(f.cell[0], (uint16_t)('A' + 80 % 26) | 1 << 8);
    /* the cursor at 0 is above the first row shown now */
    ck_assert_int_eq(f.cursor, -1);
    crtc(VGA_CRTC_CURSOR_LO, 81);
    vga_frame(&v, mem, &f);
    ck_assert_int_eq(f.cursor, 1);
    /* a start near the end of text memory wraps to its beginning */
    crtc(VGA_CRTC_START_HI, 0x3F);
    crtc(VGA_CRTC_START_LO, 0xFF);
    vga_frame(&v, mem, &f);
    ck_assert_uint_eq(f.cell[0] & 0xff, 'A' + 0x3FFF % 26);
    ck_assert_uint_eq(f.cell[1] & 0xff, 'A');
}
END_TEST

START_TEST(bad_index_and_other_ports)
{
    vga_out(&v, VGA_PORT_INDEX, 0x40);
    vga_out(&v, VGA_PORT_DATA, 0x12);       /* no such register: ignored */
    ck_assert_uint_eq(vga_in(&v, VGA_PORT_DATA), 0xFF);
    ck_assert_uint_eq(v.writes, 0);
    ck_assert_uint_eq(vga_in(&v, 0x3D0), 0xFF);
    vga_out(&v, 0x3D0, 1);
    uint8_t a = vga_in(&v, VGA_PORT_STATUS), b = vga_in(&v, VGA_PORT_STATUS);
    ck_assert_uint_ne(a & 8, b & 8);        /* the retrace bit toggles */
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "vga", setup, NULL, {
            reset_state,
            cursor_position,
            cursor_shape_hides_it,
            start_address_scrolls_the_frame,
            bad_index_and_other_ports, NULL } },
    };
    return unit_run("vga", cases, sizeof cases / sizeof cases[0]);
}
