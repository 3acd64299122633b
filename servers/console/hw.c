/* console: VGA text memory, the CRTC cursor and the i8042 (hw.h). */
#include <chacm/driver.h>
#include "consvr_server.h"
#include <l4/ioport.h>
#include <l4/kip.h>
#include <stdio.h>
#include <l4/sigma0.h>
#include <l4/space.h>

#include "hw.h"

#define VGA_PHYS 0xB8000UL
#define VGA_LOG2 15             /* 32 KiB of text memory */
#define PROBE_READS 1000        /* status reads a controller reply may take */

static bool have_ports(L4_Word_t base, int log2)
{
    return drv_get_ports(base, log2) == ESUCCESS;
}

/* The first address of this space: the kernel interface page sits in its
 * first MiB (the layout every ChacmOS task has), and device memory is
 * received at its physical address from there. */
static L4_Word_t space_base(void)
{
    return (L4_Word_t)L4_GetKernelInterface() & ~((1UL << 20) - 1);
}

volatile uint16_t *hw_vga_init(void)
{
    if (!have_ports(0x3D4, 1))
        return 0;
    L4_Word_t at = space_base() + VGA_PHYS;
    L4_Fpage_t want = L4_FpageLog2(VGA_PHYS, VGA_LOG2);
    L4_Set_Rights(&want, L4_ReadWriteOnly);
    L4_Fpage_t got = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, want, L4_FpageLog2(at, VGA_LOG2));
    if (L4_IsNilFpage(got)) {
        printf("console: sigma0 does not give the VGA text memory: no screen\n");
        return 0;
    }
    return (volatile uint16_t *)at;
}

int hw_vga_cursor_at(void)
{
    outb(0x3D4, 0x0E);
    int hi = inb(0x3D5);
    outb(0x3D4, 0x0F);
    return hi << 8 | inb(0x3D5);
}

void hw_vga_cursor(int cell)
{
    if (cell < 0) {
        outb(0x3D4, 0x0A);
        outb(0x3D5, 0x20);      /* cursor off */
        return;
    }
    outb(0x3D4, 0x0A);
    outb(0x3D5, 0x0D);
    outb(0x3D4, 0x0E);
    outb(0x3D5, (uint8_t)(cell >> 8));
    outb(0x3D4, 0x0F);
    outb(0x3D5, (uint8_t)cell);
}

/* Waits for a byte from the controller; -1 if none comes. */
static int wait_byte(void)
{
    for (int i = 0; i < PROBE_READS; i++)
        if (inb(0x64) & 1)
            return inb(0x60);
    return -1;
}

bool hw_kbd_init(const char **why)
{
    if (!have_ports(0x60, 0) || !have_ports(0x64, 0)) {
        *why = "sigma0 does not give ports 0x60 and 0x64";
        return false;
    }
    if (inb(0x64) == 0xFF) {
        *why = "no keyboard controller";
        return false;
    }
    while (inb(0x64) & 1)       /* what the keyboard sent before */
        (void)inb(0x60);
    outb(0x64, 0xAA);
    if (wait_byte() != 0x55) {
        *why = "the keyboard controller fails its self-test";
        return false;
    }
    outb(0x64, 0x20);
    int cb = wait_byte();
    if (cb < 0) {
        *why = "the keyboard controller does not answer";
        return false;
    }
    outb(0x64, 0x60);
    outb(0x60, (uint8_t)((cb | 0x01 | 0x40) & ~0x10));     /* IRQ 1, translation, keyboard on */
    outb(0x64, 0xAE);
    return true;
}

int hw_kbd_read(void)
{
    return inb(0x64) & 1 ? inb(0x60) : -1;
}

void hw_kbd_leds(uint8_t leds)
{
    outb(0x60, 0xED);
    outb(0x60, leds & 7);
}

bool hw_kbd_irq(void)
{
    return drv_irq_attach(1) == ESUCCESS;
}
