/* Unit tests of the device bus and the PC device models (sim/devices):
 * their registers driven through the bus on a fake virtual clock, the
 * interrupts they raise, and their error paths. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "bus.h"
#include "fakebus.h"
#include "models.h"

static void setup(void)
{
    fakebus_reset();
}

static void run_to(uint64_t t)
{
    fakebus_run_to(t, NULL);
}

static void run_for(uint64_t ns)
{
    run_to(clock_ns + ns);
}

/* ---- the bus ---- */

typedef struct {
    unsigned last_port, last_width;
    uint32_t last_value;
    unsigned reads;
} probe_t;

static uint32_t probe_in(void *ctx, unsigned port, unsigned width)
{
    probe_t *p = ctx;
    p->reads++;
    p->last_port = port;
    p->last_width = width;
    return 0x12345678u & (width == 4 ? ~0u : (1u << (8 * width)) - 1);
}

static void probe_out(void *ctx, unsigned port, unsigned width, uint32_t v)
{
    probe_t *p = ctx;
    p->last_port = port;
    p->last_width = width;
    p->last_value = v;
}

static const sim_pio_ops_t probe_ops = { probe_in, probe_out };

START_TEST(bus_ports)
{
    setup();
    probe_t a = { 0 }, b = { 0 };
    ck_assert(sim_bus_claim_ports(0x100, 4, &probe_ops, &a, "a"));
    ck_assert(!sim_bus_claim_ports(0x103, 2, &probe_ops, &b, "b"));     /* overlaps */
    ck_assert(!sim_bus_claim_ports(0xffff, 2, &probe_ops, &b, "b"));    /* past the port space */
    ck_assert(!sim_bus_claim_ports(0x10, 0, &probe_ops, &b, "b"));
    ck_assert(sim_bus_claim_ports(0x104, 4, &probe_ops, &b, "b"));
    ck_assert_uint_eq(sim_bus_in(0x101, 2), 0x5678);
    ck_assert_uint_eq(a.last_port, 0x101);
    ck_assert_uint_eq(a.last_width, 2);
    sim_bus_out(0x102, 2, 0xabcdef);
    ck_assert_uint_eq(a.last_value, 0xcdef);                            /* masked to the width */
    /* nobody's port: all ones, writes dropped */
    ck_assert_uint_eq(sim_bus_in(0x200, 1), 0xff);
    ck_assert_uint_eq(sim_bus_in(0x200, 4), 0xffffffffu);
    sim_bus_out(0x200, 4, 1);
    /* an access across two claims goes byte by byte */
    a.reads = b.reads = 0;
    ck_assert_uint_eq(sim_bus_in(0x103, 2), 0x7878);
    ck_assert_uint_eq(a.reads, 1);
    ck_assert_uint_eq(b.reads, 1);
    /* half on a model, half open */
    ck_assert_uint_eq(sim_bus_in(0x107, 2), 0xff78);
    ck_assert_uint_eq(sim_bus_in(0x100, 3), 0xffffffffu);                /* a bad width */
    ck_assert(sim_bus_has_port(0x105));
    ck_assert(!sim_bus_has_port(0x108));
}
END_TEST

static char order[16];
static unsigned norder;

static void mark(void *ctx)
{
    order[norder++] = *(char *)ctx;
}

START_TEST(bus_events)
{
    setup();
    norder = 0;
    sim_event_t e1 = { 0 }, e2 = { 0 }, e3 = { 0 };
    static char c1 = '1', c2 = '2', c3 = '3';
    ck_assert_uint_eq(sim_bus_next(), SIM_TIME_NEVER);
    sim_event_at(&e1, 500, mark, &c1);
    ck_assert_uint_eq(next_at, 500);
    sim_event_at(&e2, 200, mark, &c2);
    ck_assert_uint_eq(next_at, 200);
    sim_event_at(&e3, 200, mark, &c3);          /* same time: after e2 */
    sim_bus_run(100);
    ck_assert_uint_eq(norder, 0);
    sim_bus_run(200);
    ck_assert_uint_eq(norder, 2);
    ck_assert(!memcmp(order, "23", 2));
    ck_assert_uint_eq(next_at, 500);
    sim_event_at(&e1, 300, mark, &c1);          /* moved, not doubled */
    sim_event_cancel(&e3);                      /* not queued: nothing */
    sim_bus_run(1000);
    ck_assert_uint_eq(norder, 3);
    ck_assert_int_eq(order[2], '1');
    ck_assert_uint_eq(next_at, SIM_TIME_NEVER);
    sim_event_at(&e2, 50, mark, &c2);
    sim_event_cancel(&e2);
    sim_bus_run(2000);
    ck_assert_uint_eq(norder, 3);
}
END_TEST

static uint64_t posted_sum;

static void posted(void *ctx, uint64_t arg)
{
    (void)ctx;
    posted_sum = posted_sum * 10 + arg;
}

START_TEST(bus_post_and_memory)
{
    setup();
    posted_sum = 0;
    sim_bus_post(posted, NULL, 1);
    sim_bus_post(posted, NULL, 2);
    ck_assert_uint_eq(wakes, 2);
    ck_assert_uint_eq(posted_sum, 0);           /* not before the CPU runs the bus */
    sim_bus_run(0);
    ck_assert_uint_eq(posted_sum, 12);
    uint8_t *vga = sim_devmem_claim(0xB8000, 4000, "vga");
    ck_assert_ptr_eq(vga, phys + 0xB8000);
    ck_assert_ptr_null(sim_devmem_claim(0xB8F00, 16, "other"));         /* taken */
    ck_assert_ptr_null(sim_devmem_claim(0x1000, 16, "ram"));            /* not device memory */
    ck_assert_ptr_null(sim_devmem_claim(0xB8000, 0, "empty"));
    sim_irq_raise(3);
    ck_assert_uint_eq(irqs[3], 1);
    sim_irq_raise(99);                           /* no such line: nothing */
}
END_TEST

/* ---- PIT ---- */

static sim_pit_t *pit;

static void pit_setup(void)
{
    setup();
    pit = sim_pit_create(0x40, 0);
    ck_assert_ptr_nonnull(pit);
}

static uint16_t pit_read16(unsigned n)
{
    uint16_t lo = (uint16_t)sim_bus_in(0x40 + n, 1);
    return (uint16_t)(lo | sim_bus_in(0x40 + n, 1) << 8);
}

START_TEST(pit_rate_generator)
{
    pit_setup();
    sim_bus_out(0x43, 1, 0x34);                 /* counter 0, LSB then MSB, mode 2 */
    sim_bus_out(0x40, 1, 0x9c);
    ck_assert_uint_eq(irqs[0], 0);
    sim_bus_out(0x40, 1, 0x2e);                 /* 11932: 100 Hz */
    ck_assert_uint_eq(next_at, 10000150);       /* 11932 / 1193182 s, in ns rounded down */
    run_to(1000020000);
    ck_assert_uint_eq(irqs[0], 100);
    ck_assert_uint_eq(sim_pit_raised(pit), 100);
    /* counting down between edges */
    clock_ns += 5000000;
    sim_bus_out(0x43, 1, 0x00);                 /* latch counter 0 */
    uint16_t v = pit_read16(0);
    ck_assert_uint_ge(v, 5960);
    ck_assert_uint_le(v, 5970);
    /* a new control word stops it */
    sim_bus_out(0x43, 1, 0x34);
    run_for(100000000);
    ck_assert_uint_eq(irqs[0], 100);
    sim_pit_free(pit);
}
END_TEST

START_TEST(pit_one_shot_and_readback)
{
    pit_setup();
    sim_bus_out(0x43, 1, 0x30);                 /* counter 0, word, mode 0 */
    sim_bus_out(0x40, 1, 0xe8);
    sim_bus_out(0x40, 1, 0x03);                 /* 1000 ticks = 838 us */
    /* read-back of status: output low, mode 0, access word */
    sim_bus_out(0x43, 1, 0xE2);                 /* latch status of counter 0 */
    ck_assert_uint_eq(sim_bus_in(0x40, 1), 0x30);
    run_for(838000);
    ck_assert_uint_eq(irqs[0], 0);
    run_for(1000);
    ck_assert_uint_eq(irqs[0], 1);
    sim_bus_out(0x43, 1, 0xE2);
    ck_assert_uint_eq(sim_bus_in(0x40, 1) & 0x80, 0x80);   /* output high after the terminal count */
    run_for(1000000000);
    ck_assert_uint_eq(irqs[0], 1);              /* once */
    /* LSB-only and MSB-only access, counter 2 (no interrupt line) */
    sim_bus_out(0x43, 1, 0x94);                 /* counter 2, LSB, mode 2 */
    sim_bus_out(0x42, 1, 100);
    ck_assert_uint_le(sim_bus_in(0x42, 1), 100);
    sim_bus_out(0x43, 1, 0xA4);                 /* counter 2, MSB, mode 2 */
    sim_bus_out(0x42, 1, 2);
    ck_assert_uint_eq(sim_bus_in(0x42, 1), 2);  /* 512 - a few: MSB reads 1 or 2 */
    ck_assert_uint_eq(sim_bus_in(0x43, 1), 0xff);   /* control word is write-only */
    run_for(1000000);
    ck_assert_uint_eq(irqs[0], 1);
    /* a latched count holds while the counter runs on */
    sim_bus_out(0x43, 1, 0x34);
    sim_bus_out(0x40, 1, 0);
    sim_bus_out(0x40, 1, 0);                    /* 0 = 65536 */
    run_for(1000000);
    sim_bus_out(0x43, 1, 0x00);
    run_for(3000000);
    uint16_t v = pit_read16(0);
    ck_assert_uint_ge(v, 65536 - 1194);
    ck_assert_uint_le(v, 65536 - 1192);
    sim_pit_free(pit);
}
END_TEST

/* ---- UART ---- */

static sim_uart_t *uart;
static char sent[256];
static FILE *sent_f;

static void uart_setup(void)
{
    setup();
    memset(sent, 0, sizeof sent);
    sent_f = fmemopen(sent, sizeof sent - 1, "w");
    uart = sim_uart_create(0x3F8, 4, sent_f);
    ck_assert_ptr_nonnull(uart);
}

START_TEST(uart_registers)
{
    uart_setup();
    sim_bus_out(0x3FF, 1, 0x5a);
    ck_assert_uint_eq(sim_bus_in(0x3FF, 1), 0x5a);          /* scratch */
    sim_bus_out(0x3FB, 1, 0x80);                            /* DLAB */
    sim_bus_out(0x3F8, 1, 0x01);
    sim_bus_out(0x3F9, 1, 0x00);                            /* 115200 baud */
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 1);
    sim_bus_out(0x3FB, 1, 0x03);                            /* 8N1 */
    ck_assert_uint_eq(sim_bus_in(0x3FB, 1), 0x03);
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1), 0x60);          /* THRE | TEMT, no data */
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0x01);          /* no interrupt */
    sim_bus_out(0x3F8, 1, 'h');
    sim_bus_out(0x3F8, 1, 'i');
    fflush(sent_f);
    ck_assert_str_eq(sent, "hi");
    ck_assert_uint_eq(irqs[4], 0);
    sim_bus_out(0x3FA, 1, 0xC7);                            /* FIFO on, cleared, trigger 14 */
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0xC1);
    ck_assert_uint_eq(sim_bus_in(0x3FE, 1), 0x30);          /* CTS, DSR; no far end: no DCD */
    sim_uart_free(uart);
    fclose(sent_f);
}
END_TEST

START_TEST(uart_receive_interrupts)
{
    uart_setup();
    sim_bus_out(0x3FB, 1, 0x80);
    sim_bus_out(0x3F8, 1, 0x01);
    sim_bus_out(0x3FB, 1, 0x03);
    sim_bus_out(0x3F9, 1, 0x01);                            /* received data interrupts */
    sim_uart_receive(uart, "abc", 3);
    run_for(1000000);
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 0);         /* RTS off: the far end waits */
    sim_bus_out(0x3FC, 1, 0x0B);                            /* DTR, RTS, OUT2 */
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 0);         /* not yet: one character time */
    run_for(86805);                                         /* 10 bits at 115200 */
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 1);
    ck_assert_uint_eq(irqs[4], 1);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0x04);          /* received data */
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'a');
    run_for(1000000);
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'b');
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 0);         /* no FIFO: one byte at a time */
    run_for(86806);
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'c');
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 0);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0x01);
    /* THR empty: enabling it raises it; reading IIR acknowledges it */
    unsigned before = irqs[4];
    sim_bus_out(0x3F9, 1, 0x03);
    ck_assert_uint_eq(irqs[4], before + 1);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0x02);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0x01);
    /* without OUT2 no interrupt reaches the line */
    sim_bus_out(0x3FC, 1, 0x03);
    before = irqs[4];
    sim_uart_receive(uart, "x", 1);
    run_for(1000000);
    ck_assert_uint_eq(irqs[4], before);
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'x');
    /* FIFO with trigger 4: 3 bytes time out after 4 character times */
    sim_bus_out(0x3FC, 1, 0x0B);
    sim_bus_out(0x3F9, 1, 0x01);
    sim_bus_out(0x3FA, 1, 0x47);
    sim_uart_receive(uart, "123", 3);
    run_for(3 * 86806);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0xC1);          /* below the trigger: nothing yet */
    run_for(4 * 86806);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0xCC);          /* character timeout */
    sim_uart_free(uart);
    fclose(sent_f);
}
END_TEST

START_TEST(uart_loopback_overrun)
{
    uart_setup();
    sim_bus_out(0x3FC, 1, 0x1B);                            /* loopback */
    ck_assert_uint_eq(sim_bus_in(0x3FE, 1) & 0xF0, 0xB0);   /* CTS=RTS, DSR=DTR, DCD=OUT2 */
    sim_bus_out(0x3F8, 1, 'q');
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 1);
    sim_bus_out(0x3F8, 1, 'r');                             /* no FIFO: the second overruns */
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 3, 3);
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 2, 0);         /* OE clears on read */
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'q');
    fflush(sent_f);
    ck_assert_str_eq(sent, "");                             /* nothing left the chip */
    sim_uart_free(uart);
    fclose(sent_f);
}
END_TEST

/* The far end reads a pipe as its bytes are due (pull): DCD while it is
 * there; at the pipe's end, once every byte has arrived, DCD drops with
 * delta DCD and the modem status interrupt (the lowest source). */
START_TEST(uart_pull_and_hangup)
{
    uart_setup();
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], "ok", 2), 2);
    close(p[1]);
    ck_assert(sim_uart_pull_fd(uart, p[0]));
    ck_assert_uint_eq(sim_bus_in(0x3FE, 1), 0xB0);          /* CTS, DSR, DCD */
    sim_bus_out(0x3FB, 1, 0x80);
    sim_bus_out(0x3F8, 1, 0x01);
    sim_bus_out(0x3FB, 1, 0x03);
    sim_bus_out(0x3FA, 1, 0x07);                            /* FIFO, trigger 1 */
    sim_bus_out(0x3F9, 1, 0x09);                            /* received data, modem status */
    run_for(1000000);
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 0);         /* RTS off: nothing is read */
    sim_bus_out(0x3FC, 1, 0x0B);
    run_for(86806);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0xC4);          /* the first byte */
    ck_assert_uint_eq(sim_bus_in(0x3FE, 1), 0xB0);          /* still there */
    run_for(86806);
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'o');
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'k');
    unsigned before = irqs[4];
    run_for(86806);                                         /* the pipe's end: a hangup */
    ck_assert_uint_eq(irqs[4], before + 1);
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0xC0);          /* modem status */
    ck_assert_uint_eq(sim_bus_in(0x3FE, 1), 0x38);          /* DCD off, delta DCD */
    ck_assert_uint_eq(sim_bus_in(0x3FE, 1), 0x30);          /* the delta clears on read */
    ck_assert_uint_eq(sim_bus_in(0x3FA, 1), 0xC1);
    uint64_t s, r;
    bool hung;
    fflush(sent_f);
    sim_uart_counts(uart, &s, &r, &hung);
    ck_assert_uint_eq(r, 2);
    ck_assert(hung);
    close(p[0]);
    sim_uart_free(uart);
    fclose(sent_f);
}
END_TEST

/* A pipe whose writer has not written yet: the far end waits for it (the
 * kernel is told, and nothing is scheduled meanwhile); what comes later is
 * received, and the pipe's end is a hangup. */
START_TEST(uart_pull_waits_for_a_slow_writer)
{
    uart_setup();
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    ck_assert(sim_uart_pull_fd(uart, p[0]));
    sim_bus_out(0x3FB, 1, 0x80);
    sim_bus_out(0x3F8, 1, 0x01);                            /* 115200 baud */
    sim_bus_out(0x3FB, 1, 0x03);
    sim_bus_out(0x3FA, 1, 0x07);
    sim_bus_out(0x3FC, 1, 0x0B);
    run_for(1000000);
    ck_assert_int_eq(input_waits, 1);
    ck_assert_uint_eq(next_at, SIM_TIME_NEVER);             /* no event while it waits */
    ck_assert_uint_eq(sim_bus_in(0x3FD, 1) & 1, 0);
    ck_assert_int_eq(write(p[1], "z", 1), 1);
    for (int k = 0; k < 1000 && input_waits; k++) {         /* the watcher thread posts */
        usleep(1000);
        run_for(0);
    }
    ck_assert_int_eq(input_waits, 0);
    run_for(86806);
    ck_assert_uint_eq(sim_bus_in(0x3F8, 1), 'z');
    close(p[1]);
    for (int k = 0; k < 1000 && !(sim_bus_in(0x3FE, 1) & 0x08); k++) {
        usleep(1000);
        run_for(86806);
    }
    uint64_t s, r;
    bool hung;
    sim_uart_counts(uart, &s, &r, &hung);
    ck_assert(hung);
    ck_assert_int_eq(input_waits, 0);
    close(p[0]);
    sim_uart_free(uart);
    fclose(sent_f);
}
END_TEST

/* ---- ATA ---- */

#define SECTORS 64
static sim_ata_t *ata;
static int ata_fd;
static char ata_path[64];

static void ata_setup_ro(bool ro)
{
    setup();
    strcpy(ata_path, "/tmp/unit_devices_XXXXXX");
    ata_fd = mkstemp(ata_path);
    ck_assert_int_ge(ata_fd, 0);
    uint8_t sec[512];
    for (unsigned s = 0; s < SECTORS; s++) {
        memset(sec, (int)s, sizeof sec);
        ck_assert_int_eq(write(ata_fd, sec, sizeof sec), 512);
    }
    ata = sim_ata_create(0x1F0, 0x3F6, 14, ata_fd, SECTORS * 512 + 100, ro);
    ck_assert_ptr_nonnull(ata);
}

static void ata_teardown(void)
{
    sim_ata_free(ata);
    close(ata_fd);
    unlink(ata_path);
}

static uint8_t status(void)
{
    return (uint8_t)sim_bus_in(0x1F7, 1);
}

static void wait_ready(void)
{
    for (int k = 0; k < 100 && (status() & 0x80); k++)
        run_for(1000);
    ck_assert_uint_eq(status() & 0x80, 0);
}

static void lba_cmd(uint32_t lba, uint8_t count, uint8_t cmd)
{
    sim_bus_out(0x1F6, 1, 0xE0 | (lba >> 24));
    sim_bus_out(0x1F2, 1, count);
    sim_bus_out(0x1F3, 1, lba & 0xff);
    sim_bus_out(0x1F4, 1, (lba >> 8) & 0xff);
    sim_bus_out(0x1F5, 1, (lba >> 16) & 0xff);
    sim_bus_out(0x1F7, 1, cmd);
}

START_TEST(ata_identify)
{
    ata_setup_ro(false);
    /* the firmware left device 1 selected: absent, its status reads 0 */
    ck_assert_uint_eq(sim_bus_in(0x1F6, 1), 0xB0);
    ck_assert_uint_eq(status(), 0);
    sim_bus_out(0x1F6, 1, 0xA0);
    ck_assert_uint_eq(status(), 0x50);                      /* DRDY | DSC */
    ck_assert_uint_eq(sim_bus_in(0x1F2, 1), 1);             /* signature */
    sim_bus_out(0x1F7, 1, 0xEC);
    ck_assert_uint_eq(sim_bus_in(0x3F6, 1) & 0x80, 0x80);   /* BSY */
    ck_assert_uint_eq(irqs[14], 0);
    wait_ready();
    ck_assert_uint_eq(irqs[14], 1);
    ck_assert_uint_eq(status(), 0x58);                      /* DRQ */
    uint16_t w[256];
    for (unsigned k = 0; k < 256; k++)
        w[k] = (uint16_t)sim_bus_in(0x1F0, 2);
    ck_assert_uint_eq(status(), 0x50);
    ck_assert_uint_eq(w[0], 0x0040);
    ck_assert_uint_eq(w[49] & 0x0200, 0x0200);              /* LBA */
    ck_assert_uint_eq(w[60] | (uint32_t)w[61] << 16, SECTORS);  /* the partial sector does not count */
    ck_assert_uint_eq(w[47] & 0xff, 128);
    ck_assert_uint_eq(w[27], ('C' << 8) | 'H');             /* byte-swapped ASCII */
    uint8_t sum = 0;
    for (unsigned k = 0; k < 256; k++)
        sum = (uint8_t)(sum + (w[k] & 0xff) + (w[k] >> 8));
    ck_assert_uint_eq(sum, 0);                              /* word 255's checksum */
    ck_assert_uint_eq(w[255] & 0xff, 0xA5);
    /* device 1 is absent: status reads 0, its commands do nothing */
    sim_bus_out(0x1F6, 1, 0xB0);
    ck_assert_uint_eq(status(), 0);
    sim_bus_out(0x1F7, 1, 0xEC);
    run_for(100000);
    ck_assert_uint_eq(irqs[14], 1);
    ata_teardown();
}
END_TEST

START_TEST(ata_read_write)
{
    ata_setup_ro(false);
    /* read sectors 5..7, one interrupt per sector, 32-bit reads too */
    lba_cmd(5, 3, 0x20);
    for (unsigned s = 5; s < 8; s++) {
        wait_ready();
        ck_assert_uint_eq(irqs[14], s - 4);
        ck_assert_uint_eq(status() & 0x08, 0x08);
        for (unsigned k = 0; k < 128; k++)
            ck_assert_uint_eq(sim_bus_in(0x1F0, 4), s * 0x01010101u);
    }
    ck_assert_uint_eq(status(), 0x50);
    ck_assert_uint_eq(sim_bus_in(0x1F3, 1), 7);             /* the last sector */
    /* write 2 sectors at 60: DRQ at once without interrupt, then one per sector */
    unsigned before = irqs[14];
    lba_cmd(60, 2, 0x30);
    ck_assert_uint_eq(status(), 0x58);
    ck_assert_uint_eq(irqs[14], before);
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned k = 0; k < 256; k++)
            sim_bus_out(0x1F0, 2, 0xA000 + s);
        ck_assert_uint_eq(sim_bus_in(0x3F6, 1) & 0x80, 0x80);
        wait_ready();
        ck_assert_uint_eq(irqs[14], before + s + 1);
    }
    ck_assert_uint_eq(status(), 0x50);
    uint8_t sec[512];
    ck_assert_int_eq(pread(ata_fd, sec, 512, 61 * 512), 512);
    ck_assert_uint_eq(sec[0], 0x01);
    ck_assert_uint_eq(sec[1], 0xA0);
    /* multiple: SET MULTIPLE 4, READ MULTIPLE 8 sectors = 2 interrupts */
    sim_bus_out(0x1F2, 1, 4);
    sim_bus_out(0x1F7, 1, 0xC6);
    wait_ready();
    ck_assert_uint_eq(status() & 1, 0);
    before = irqs[14];
    lba_cmd(0, 8, 0xC4);
    for (unsigned b = 0; b < 2; b++) {
        wait_ready();
        ck_assert_uint_eq(status() & 0x08, 0x08);
        for (unsigned k = 0; k < 4 * 256; k++)
            (void)sim_bus_in(0x1F0, 2);
    }
    ck_assert_uint_eq(irqs[14], before + 2);
    ck_assert_uint_eq(status(), 0x50);
    /* count 0 is 256 sectors: beyond this 64-sector disk */
    lba_cmd(0, 0, 0x20);
    wait_ready();
    ck_assert_uint_eq(status(), 0x51);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x10);
    /* string I/O: a whole sector at once, and a rest one by one after it */
    lba_cmd(9, 1, 0x20);
    wait_ready();
    uint16_t words[260];
    memset(words, 0x77, sizeof words);
    sim_bus_ins(0x1F0, 2, words, 260);
    ck_assert_uint_eq(words[0], 0x0909);
    ck_assert_uint_eq(words[255], 0x0909);
    ck_assert_uint_eq(words[256], 0);                       /* no data past the block */
    ck_assert_uint_eq(status(), 0x50);
    lba_cmd(62, 1, 0x30);
    for (unsigned k = 0; k < 256; k++)
        words[k] = 0xBEEF;
    sim_bus_outs(0x1F0, 2, words, 256);
    wait_ready();
    ck_assert_uint_eq(status(), 0x50);
    ck_assert_int_eq(pread(ata_fd, sec, 2, 62 * 512), 2);
    ck_assert_uint_eq(sec[0], 0xEF);
    ck_assert_uint_eq(sec[1], 0xBE);
    uint8_t bytes[4];
    sim_bus_ins(0x3F6, 1, bytes, 2);                        /* no string handler: one by one */
    ck_assert_uint_eq(bytes[0], 0x50);
    ck_assert_uint_eq(bytes[1], 0x50);
    /* FLUSH CACHE */
    sim_bus_out(0x1F7, 1, 0xE7);
    wait_ready();
    ck_assert_uint_eq(status(), 0x50);
    uint64_t r, wr;
    sim_ata_counts(ata, &r, &wr);
    ck_assert_uint_eq(r, 12);
    ck_assert_uint_eq(wr, 3);
    ata_teardown();
}
END_TEST

START_TEST(ata_errors)
{
    ata_setup_ro(false);
    /* a sector beyond the disk: ERR, IDNF, an interrupt */
    lba_cmd(SECTORS, 1, 0x20);
    wait_ready();
    ck_assert_uint_eq(irqs[14], 1);
    ck_assert_uint_eq(status(), 0x51);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x10);
    ck_assert_uint_eq(sim_bus_in(0x1F0, 2), 0);             /* no data */
    /* a transfer that runs off the end */
    lba_cmd(SECTORS - 2, 3, 0x30);
    wait_ready();
    ck_assert_uint_eq(status(), 0x51);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x10);
    /* an unknown command: ABRT */
    sim_bus_out(0x1F7, 1, 0xFF);
    wait_ready();
    ck_assert_uint_eq(status(), 0x51);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x04);
    /* READ MULTIPLE before SET MULTIPLE, a SET MULTIPLE of 3, ATAPI's IDENTIFY PACKET */
    lba_cmd(0, 1, 0xC4);
    wait_ready();
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x04);
    sim_bus_out(0x1F2, 1, 3);
    sim_bus_out(0x1F7, 1, 0xC6);
    wait_ready();
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x04);
    sim_bus_out(0x1F7, 1, 0xA1);
    wait_ready();
    ck_assert_uint_eq(status() & 0x01, 1);
    /* a good command clears the error */
    lba_cmd(1, 1, 0x40);
    wait_ready();
    ck_assert_uint_eq(status(), 0x50);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0);
    /* nIEN masks the interrupt */
    unsigned before = irqs[14];
    sim_bus_out(0x3F6, 1, 0x02);
    lba_cmd(1, 1, 0x40);
    wait_ready();
    ck_assert_uint_eq(irqs[14], before);
    sim_bus_out(0x3F6, 1, 0x00);
    /* soft reset in the middle of a read: BSY, then ready with the signature */
    lba_cmd(2, 4, 0x20);
    wait_ready();
    sim_bus_out(0x3F6, 1, 0x04);
    ck_assert_uint_eq(sim_bus_in(0x3F6, 1) & 0x80, 0x80);
    sim_bus_out(0x3F6, 1, 0x00);
    wait_ready();
    ck_assert_uint_eq(status(), 0x50);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x01);
    ck_assert_uint_eq(sim_bus_in(0x1F2, 1), 1);
    ck_assert_uint_eq(sim_bus_in(0x1F0, 2), 0);             /* the read is gone */
    /* CHS sector 0 does not exist */
    sim_bus_out(0x1F6, 1, 0xA0);
    sim_bus_out(0x1F2, 1, 1);
    sim_bus_out(0x1F3, 1, 0);
    sim_bus_out(0x1F4, 1, 0);
    sim_bus_out(0x1F5, 1, 0);
    sim_bus_out(0x1F7, 1, 0x20);
    wait_ready();
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x10);
    /* CHS 0/0/1 is LBA 0 */
    sim_bus_out(0x1F3, 1, 1);
    sim_bus_out(0x1F7, 1, 0x20);
    wait_ready();
    ck_assert_uint_eq(status(), 0x58);
    ck_assert_uint_eq(sim_bus_in(0x1F0, 2), 0);
    /* a command written while DRQ is not taken */
    sim_bus_out(0x1F7, 1, 0xEC);
    ck_assert_uint_eq(status(), 0x58);
    ata_teardown();
}
END_TEST

START_TEST(ata_read_only)
{
    ata_setup_ro(true);
    lba_cmd(3, 1, 0x30);
    wait_ready();
    ck_assert_uint_eq(status(), 0x51);
    ck_assert_uint_eq(sim_bus_in(0x1F1, 1), 0x04);
    lba_cmd(3, 1, 0x20);
    wait_ready();
    ck_assert_uint_eq(status(), 0x58);
    ata_teardown();
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "bus", NULL, NULL, {
            bus_ports,
            bus_events,
            bus_post_and_memory, NULL } },
        { "pit", NULL, NULL, {
            pit_rate_generator,
            pit_one_shot_and_readback, NULL } },
        { "uart", NULL, NULL, {
            uart_registers,
            uart_receive_interrupts,
            uart_loopback_overrun,
            uart_pull_and_hangup,
            uart_pull_waits_for_a_slow_writer, NULL } },
        { "ata", NULL, NULL, {
            ata_identify,
            ata_read_write,
            ata_errors,
            ata_read_only, NULL } },
    };
    return unit_run("devices", cases, sizeof cases / sizeof cases[0]);
}
