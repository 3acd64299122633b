/* Intel 8254 programmable interval timer on the virtual clock.  Counter n
 * is port base + n, the control word base + 3.  Supported: access modes
 * latch / LSB / MSB / LSB then MSB, modes 0 (interrupt on terminal count),
 * 1 and 5 (counted like 0: no gate input here), 2 (rate generator), 3
 * (square wave) and 4 (like 0), binary counting (BCD is recorded and
 * read back, counted in binary), the read-back command.  Only counter 0's
 * output is wired, to the interrupt line, as on the PC.  A count is
 * computed from the virtual clock when read; only counter 0 has events,
 * one per rising edge of its output. */
#include <stdlib.h>

#include "bus.h"
#include "models.h"

enum { RW_LATCH = 0, RW_LSB = 1, RW_MSB = 2, RW_WORD = 3 };

typedef struct {
    unsigned mode, rw;
    bool bcd;
    uint32_t count;         /* reload value, 1..65536 */
    uint32_t partial;       /* LSB of a word being written */
    bool want_msb;          /* next write (RW_WORD) is the MSB */
    bool read_msb;          /* next read (RW_WORD) is the MSB */
    bool running;
    bool null_count;        /* a count was written and not yet loaded */
    uint64_t start;         /* ns at which counting began */
    bool latched;
    uint16_t latch;
    bool latch_msb;         /* the latch's next byte is the MSB */
    bool status_latched;
    uint8_t status;
    uint64_t edges;         /* rising edges counter 0 has had since start */
} counter_t;

struct sim_pit {
    unsigned base, irq;
    counter_t c[3];
    sim_event_t edge;
    uint64_t raised;
};

static uint64_t ticks_to_ns(uint64_t ticks)
{
    return (uint64_t)((unsigned __int128)ticks * 1000000000u / SIM_PIT_HZ);
}

/* Input clock ticks since counting began, rounded down. */
static uint64_t elapsed(const counter_t *c)
{
    uint64_t now = sim_now();
    if (!c->running || now < c->start)
        return 0;
    return (uint64_t)((unsigned __int128)(now - c->start) * SIM_PIT_HZ / 1000000000u);
}

/* The value the counting element holds now. */
static uint16_t current(const counter_t *c)
{
    if (!c->running)
        return (uint16_t)c->count;
    uint64_t e = elapsed(c);
    if (c->mode == 2)
        return (uint16_t)(c->count - e % c->count);
    if (c->mode == 3) {
        uint64_t half = c->count / 2 ? c->count / 2 : 1;
        return (uint16_t)(c->count - 2 * (e % half));
    }
    return (uint16_t)((c->count - e) & 0xffff);     /* one-shot modes wrap on */
}

/* The level of the counter's output. */
static bool output(const counter_t *c)
{
    if (!c->running)
        return c->mode != 0;
    uint64_t e = elapsed(c);
    if (c->mode == 2)
        return e % c->count != c->count - 1;
    if (c->mode == 3)
        return e % c->count < (c->count + 1) / 2;
    return e >= c->count;
}

/* When counter 0's output rises next: the edge after `edges` edges. */
static uint64_t next_edge(const counter_t *c)
{
    if (c->mode == 0 || c->mode == 1 || c->mode == 4 || c->mode == 5)
        return c->edges ? SIM_TIME_NEVER : c->start + ticks_to_ns(c->count);
    return c->start + ticks_to_ns((c->edges + 1) * (uint64_t)c->count);
}

static void edge(void *ctx);

static void arm(sim_pit_t *p)
{
    counter_t *c = &p->c[0];
    uint64_t when = c->running ? next_edge(c) : SIM_TIME_NEVER;
    if (when == SIM_TIME_NEVER)
        sim_event_cancel(&p->edge);
    else
        sim_event_at(&p->edge, when, edge, p);
}

static void edge(void *ctx)
{
    sim_pit_t *p = ctx;
    p->c[0].edges++;
    p->raised++;
    sim_irq_raise(p->irq);
    arm(p);
}

static void load(sim_pit_t *p, unsigned n, uint32_t v)
{
    counter_t *c = &p->c[n];
    c->count = v ? v : 0x10000;
    if (c->mode == 2 && c->count == 1)
        c->count = 2;                   /* a rate generator cannot divide by one */
    c->running = true;
    c->null_count = false;
    c->start = sim_now();
    c->edges = 0;
    if (n == 0)
        arm(p);
}

static void control(sim_pit_t *p, uint8_t v)
{
    unsigned sc = v >> 6;
    if (sc == 3) {                      /* read-back: bits 3..1 select counters */
        for (unsigned n = 0; n < 3; n++) {
            if (!(v & (2u << n)))
                continue;
            counter_t *c = &p->c[n];
            if (!(v & 0x10) && !c->status_latched) {
                c->status = (uint8_t)((output(c) ? 0x80 : 0) | (c->null_count ? 0x40 : 0) | c->rw << 4 |
                                      c->mode << 1 | (c->bcd ? 1 : 0));
                c->status_latched = true;
            }
            if (!(v & 0x20) && !c->latched) {
                c->latch = current(c);
                c->latched = true;
                c->latch_msb = false;
            }
        }
        return;
    }
    counter_t *c = &p->c[sc];
    unsigned rw = (v >> 4) & 3;
    if (rw == RW_LATCH) {
        if (!c->latched) {
            c->latch = current(c);
            c->latched = true;
            c->latch_msb = false;
        }
        return;
    }
    unsigned mode = (v >> 1) & 7;
    *c = (counter_t){ .mode = mode > 5 ? mode - 4 : mode, .rw = rw, .bcd = v & 1, .count = 0x10000,
                      .null_count = true };
    if (sc == 0)
        arm(p);
}

static uint8_t read_counter(counter_t *c)
{
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    bool msb;
    if (c->latched) {
        v = c->latch;
        msb = c->rw == RW_MSB || (c->rw == RW_WORD && c->latch_msb);
        if (c->rw == RW_WORD && !c->latch_msb)
            c->latch_msb = true;
        else
            c->latched = false;
    } else {
        v = current(c);
        msb = c->rw == RW_MSB || (c->rw == RW_WORD && c->read_msb);
        if (c->rw == RW_WORD)
            c->read_msb = !c->read_msb;
    }
    return (uint8_t)(msb ? v >> 8 : v);
}

static void write_counter(sim_pit_t *p, unsigned n, uint8_t v)
{
    counter_t *c = &p->c[n];
    switch (c->rw) {
    case RW_LSB:
        load(p, n, v);
        break;
    case RW_MSB:
        load(p, n, (uint32_t)v << 8);
        break;
    case RW_WORD:
        if (!c->want_msb) {
            c->partial = v;
            c->want_msb = true;
            c->null_count = true;
        } else {
            c->want_msb = false;
            load(p, n, c->partial | (uint32_t)v << 8);
        }
        break;
    default:
        break;                          /* no access mode written yet */
    }
}

static uint32_t pit_in(void *ctx, unsigned port, unsigned width)
{
    sim_pit_t *p = ctx;
    unsigned n = port - p->base;
    (void)width;                        /* a byte register: wider reads see it in the low byte */
    return n < 3 ? read_counter(&p->c[n]) : 0xff;   /* the control word is write-only */
}

static void pit_out(void *ctx, unsigned port, unsigned width, uint32_t v)
{
    sim_pit_t *p = ctx;
    unsigned n = port - p->base;
    (void)width;
    if (n < 3)
        write_counter(p, n, (uint8_t)v);
    else
        control(p, (uint8_t)v);
}

static const sim_pio_ops_t pit_ops = { pit_in, pit_out };

sim_pit_t *sim_pit_create(unsigned base, unsigned irq)
{
    sim_pit_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base = base;
    p->irq = irq;
    for (unsigned n = 0; n < 3; n++)
        p->c[n] = (counter_t){ .count = 0x10000, .null_count = true };
    if (!sim_bus_claim_ports(base, 4, &pit_ops, p, "pit")) {
        free(p);
        return NULL;
    }
    return p;
}

void sim_pit_free(sim_pit_t *p)
{
    if (!p)
        return;
    sim_event_cancel(&p->edge);
    free(p);
}

uint64_t sim_pit_raised(const sim_pit_t *p)
{
    return p->raised;
}
