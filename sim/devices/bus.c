/* The device bus (bus.h): a port table, an event queue on the virtual
 * clock, posted host input and device memory claims.
 *
 * Invariants:
 *  1. events is sorted by (when, seq); every queued event is on it once.
 *  2. after every change of the queue's head, host->next got its time.
 *  3. posted input is only touched under post_lock; it runs in the order
 *     it was posted, on the simulated CPU (sim_bus_run). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

#define BUS_PORTS 65536
#define BUS_MAX_CLAIMS 64
#define BUS_MAX_DEVMEM 8

typedef struct {
    const sim_pio_ops_t *ops;
    const sim_pio_string_t *str;    /* for port str_port, or NULL */
    unsigned str_port;
    void *ctx;
    const char *name;
    unsigned base, n;
} claim_t;

typedef struct post {
    void (*fn)(void *ctx, uint64_t arg);
    void *ctx;
    uint64_t arg;
    struct post *next;
} post_t;

static sim_bus_host_t host;
static claim_t claims[BUS_MAX_CLAIMS];
static unsigned nclaims;
static uint8_t port_claim[BUS_PORTS];       /* claim index + 1; 0: none */
static sim_event_t *events;
static uint64_t event_seq;
static struct { uint64_t pa, n; const char *name; } devmem[BUS_MAX_DEVMEM];
static unsigned ndevmem;

static unsigned irq_raised;                 /* lines raised, not yet passed on */
static unsigned bus_depth;                  /* >0: inside a bus call */

static pthread_mutex_t post_lock = PTHREAD_MUTEX_INITIALIZER;
static post_t *post_head, *post_tail;

static void bus_leave(void);

void sim_bus_init(const sim_bus_host_t *h)
{
    host = *h;
}

void sim_bus_reset(void)
{
    nclaims = 0;
    ndevmem = 0;
    for (unsigned p = 0; p < BUS_PORTS; p++)
        port_claim[p] = 0;
    for (sim_event_t *e = events; e; e = e->next)
        e->queued = false;
    events = NULL;
    irq_raised = 0;
    bus_depth = 0;
    pthread_mutex_lock(&post_lock);
    while (post_head) {
        post_t *p = post_head;
        post_head = p->next;
        free(p);
    }
    post_tail = NULL;
    pthread_mutex_unlock(&post_lock);
    if (host.next)
        host.next(SIM_TIME_NEVER);
}

bool sim_bus_claim_ports(unsigned base, unsigned n, const sim_pio_ops_t *ops, void *ctx, const char *name)
{
    if (n == 0 || base >= BUS_PORTS || n > BUS_PORTS - base || nclaims == BUS_MAX_CLAIMS) {
        fprintf(stderr, "chacmsim: %s: cannot claim ports %#x+%u\n", name, base, n);
        return false;
    }
    for (unsigned p = base; p < base + n; p++) {
        if (port_claim[p]) {
            fprintf(stderr, "chacmsim: %s: port %#x belongs to %s already\n", name, p,
                    claims[port_claim[p] - 1].name);
            return false;
        }
    }
    claims[nclaims] = (claim_t){ .ops = ops, .ctx = ctx, .name = name, .base = base, .n = n };
    nclaims++;
    for (unsigned p = base; p < base + n; p++)
        port_claim[p] = (uint8_t)nclaims;
    return true;
}

bool sim_bus_string_ops(unsigned port, const sim_pio_string_t *ops)
{
    if (port >= BUS_PORTS || !port_claim[port])
        return false;
    claim_t *c = &claims[port_claim[port] - 1];
    c->str = ops;
    c->str_port = port;
    return true;
}

bool sim_bus_has_port(unsigned port)
{
    return port < BUS_PORTS && port_claim[port] != 0;
}

/* The claim that holds all of [port, port + width), or NULL. */
static const claim_t *whole(unsigned port, unsigned width)
{
    if (port >= BUS_PORTS || width > BUS_PORTS - port || !port_claim[port])
        return NULL;
    const claim_t *c = &claims[port_claim[port] - 1];
    return port + width <= c->base + c->n ? c : NULL;
}

static uint32_t in_models(unsigned port, unsigned width)
{
    const claim_t *c = whole(port, width);
    if (c)
        return c->ops->in ? c->ops->in(c->ctx, port, width) : ~0u >> (32 - 8 * width);
    uint32_t v = 0;
    for (unsigned k = 0; k < width; k++) {
        c = whole(port + k, 1);
        uint32_t b = c && c->ops->in ? c->ops->in(c->ctx, port + k, 1) & 0xff : 0xff;
        v |= b << (8 * k);
    }
    return v;
}

uint32_t sim_bus_in(unsigned port, unsigned width)
{
    if (width != 1 && width != 2 && width != 4)
        return ~0u;
    bus_depth++;
    uint32_t v = in_models(port, width);
    bus_leave();
    return width == 4 ? v : v & ((1u << (8 * width)) - 1);
}

static void out_models(unsigned port, unsigned width, uint32_t value)
{
    const claim_t *c = whole(port, width);
    if (c) {
        if (c->ops->out)
            c->ops->out(c->ctx, port, width, width == 4 ? value : value & ((1u << (8 * width)) - 1));
        return;
    }
    for (unsigned k = 0; k < width; k++) {
        c = whole(port + k, 1);
        if (c && c->ops->out)
            c->ops->out(c->ctx, port + k, 1, (value >> (8 * k)) & 0xff);
    }
}

void sim_bus_out(unsigned port, unsigned width, uint32_t value)
{
    if (width != 1 && width != 2 && width != 4)
        return;
    bus_depth++;
    out_models(port, width, value);
    bus_leave();
}

/* Passes raised lines on once the outermost bus call is done with its
 * models, lowest line first: the kernel may switch to a handler there,
 * and no model is then in the middle of a change. */
static void bus_leave(void)
{
    if (--bus_depth > 0)
        return;
    while (irq_raised) {
        unsigned line = (unsigned)__builtin_ctz(irq_raised);
        irq_raised &= irq_raised - 1;
        if (host.irq)
            host.irq(line);
    }
}

void sim_bus_ins(unsigned port, unsigned width, void *buf, size_t count)
{
    if (width != 1 && width != 2 && width != 4)
        return;
    bus_depth++;
    const claim_t *c = whole(port, width);
    size_t done = c && c->str && c->str_port == port ? c->str->ins(c->ctx, port, width, buf, count) : 0;
    for (uint8_t *p = (uint8_t *)buf + done * width; done < count; done++, p += width) {
        uint32_t v = in_models(port, width);
        memcpy(p, &v, width);
    }
    bus_leave();
}

void sim_bus_outs(unsigned port, unsigned width, const void *buf, size_t count)
{
    if (width != 1 && width != 2 && width != 4)
        return;
    bus_depth++;
    const claim_t *c = whole(port, width);
    size_t done = c && c->str && c->str_port == port ? c->str->outs(c->ctx, port, width, buf, count) : 0;
    for (const uint8_t *p = (const uint8_t *)buf + done * width; done < count; done++, p += width) {
        uint32_t v = 0;
        memcpy(&v, p, width);
        out_models(port, width, v);
    }
    bus_leave();
}

void sim_irq_raise(unsigned line)
{
    if (line >= SIM_NIRQ)
        return;
    irq_raised |= 1u << line;
    if (bus_depth == 0) {
        bus_depth++;
        bus_leave();
    }
}

uint64_t sim_now(void)
{
    return host.now ? host.now() : 0;
}

static void tell_next(void)
{
    if (host.next)
        host.next(events ? events->when : SIM_TIME_NEVER);
}

static void unlink_event(sim_event_t *ev)
{
    sim_event_t **pp = &events;
    while (*pp && *pp != ev)
        pp = &(*pp)->next;
    if (*pp)
        *pp = ev->next;
    ev->next = NULL;
    ev->queued = false;
}

void sim_event_at(sim_event_t *ev, uint64_t when, void (*fn)(void *ctx), void *ctx)
{
    if (ev->queued)
        unlink_event(ev);
    ev->when = when;
    ev->seq = event_seq++;
    ev->fn = fn;
    ev->ctx = ctx;
    sim_event_t **pp = &events;
    while (*pp && (*pp)->when <= when)
        pp = &(*pp)->next;
    ev->next = *pp;
    *pp = ev;
    ev->queued = true;
    tell_next();
}

void sim_event_cancel(sim_event_t *ev)
{
    if (!ev->queued)
        return;
    unlink_event(ev);
    tell_next();
}

uint64_t sim_bus_next(void)
{
    return events ? events->when : SIM_TIME_NEVER;
}

static void run_posted(void)
{
    pthread_mutex_lock(&post_lock);
    post_t *list = post_head;
    post_head = post_tail = NULL;
    pthread_mutex_unlock(&post_lock);
    while (list) {
        post_t *p = list;
        list = p->next;
        p->fn(p->ctx, p->arg);
        free(p);
    }
}

void sim_bus_run(uint64_t now)
{
    bus_depth++;
    run_posted();
    while (events && events->when <= now) {
        sim_event_t *ev = events;
        events = ev->next;
        ev->next = NULL;
        ev->queued = false;
        ev->fn(ev->ctx);            /* may schedule events again */
    }
    tell_next();
    bus_leave();
}

void sim_bus_input_wait(int delta)
{
    if (host.input_wait)
        host.input_wait(delta);
}

void sim_bus_post(void (*fn)(void *ctx, uint64_t arg), void *ctx, uint64_t arg)
{
    post_t *p = malloc(sizeof *p);
    if (!p)
        return;                     /* input lost; the run goes on */
    *p = (post_t){ .fn = fn, .ctx = ctx, .arg = arg };
    pthread_mutex_lock(&post_lock);
    if (post_tail)
        post_tail->next = p;
    else
        post_head = p;
    post_tail = p;
    pthread_mutex_unlock(&post_lock);
    if (host.wake)
        host.wake();
}

void *sim_devmem_claim(uint64_t pa, size_t n, const char *name)
{
    if (n == 0 || pa + n < pa || !host.phys || !host.phys_is_device || !host.phys_is_device(pa, n)) {
        fprintf(stderr, "chacmsim: %s: [%#llx, +%#zx) is not device memory\n", name, (unsigned long long)pa, n);
        return NULL;
    }
    for (unsigned k = 0; k < ndevmem; k++) {
        if (pa < devmem[k].pa + devmem[k].n && devmem[k].pa < pa + n) {
            fprintf(stderr, "chacmsim: %s: device memory at %#llx belongs to %s already\n", name,
                    (unsigned long long)pa, devmem[k].name);
            return NULL;
        }
    }
    if (ndevmem == BUS_MAX_DEVMEM)
        return NULL;
    devmem[ndevmem].pa = pa;
    devmem[ndevmem].n = n;
    devmem[ndevmem].name = name;
    ndevmem++;
    return host.phys(pa, n);
}
