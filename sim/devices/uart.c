/* National Semiconductor 16550A UART.  Registers at base + 0..7: RBR/THR
 * (DLL with DLAB), IER (DLM with DLAB), IIR/FCR, LCR, MCR, LSR, MSR, SCR.
 * Transmission is instant (THR is empty again at once); reception takes
 * one character time per byte at the programmed rate (10 bits a byte,
 * 115200 / divisor baud), from a queue of received bytes that waits while
 * the receive FIFO is full or RTS is off (the far end honours hardware
 * flow control), or from a file read as the bytes are due (pull).  CTS
 * and DSR are always on; DCD while there is a far end (an input), and it
 * drops when a pulled file ends (a hangup).  The
 * interrupt sources are those of the data sheet, by priority: line status
 * (overrun), received data (FIFO at its trigger level, or any byte without
 * FIFO), character timeout (bytes below the trigger level for four
 * character times), THR empty, modem status.  The line to the PIC is
 * gated by MCR OUT2, as on the PC; a new pending source raises it.
 * Loopback (MCR bit 4) returns sent bytes to the receiver. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "models.h"

#define FIFO 16
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RDA 0x01
#define IER_THRE 0x02
#define IER_RLS 0x04
#define IER_MSI 0x08
#define MCR_RTS 0x02
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

struct sim_uart {
    unsigned base, irq;
    FILE *out;
    uint8_t ier, lcr, mcr, scr, fcr;
    uint16_t divisor;
    uint8_t rx[FIFO];
    unsigned rx_head, rx_count;
    bool overrun;
    bool thre_pending;      /* THR empty interrupt not yet acknowledged */
    bool timeout_pending;   /* character timeout */
    uint8_t *backlog;       /* received, waiting for room in the FIFO */
    size_t backlog_head, backlog_len, backlog_size;
    sim_event_t rx_event, timeout_event;
    unsigned last_iir;      /* the interrupt identification last raised */
    int pull_fd;            /* the far end reads this file (-1: none) */
    bool hungry;            /* it has nothing to send until pull_fd is readable */
    sem_t watch;            /* tells the watcher thread to wait for pull_fd */
    bool watching;          /* the watcher thread runs */
    bool feeding;           /* a host thread posts what it reads (a terminal) */
    pthread_t watcher;
    bool carrier;           /* DCD */
    uint8_t msr_delta;      /* MSR bits 0-3 since MSR was last read */
    bool input_ended;       /* the far end has nothing more to send */
    uint64_t sent, received;
    bool hung_up;
};

static uint64_t char_ns(const sim_uart_t *u)
{
    unsigned d = u->divisor ? u->divisor : 1;
    return 10ull * 1000000000ull * d / 115200;
}

static unsigned trigger(const sim_uart_t *u)
{
    static const unsigned level[4] = { 1, 4, 8, 14 };
    return (u->fcr & 1) ? level[u->fcr >> 6] : 1;
}

/* The highest-priority pending source as IIR's low bits (1: none). */
static unsigned pending(const sim_uart_t *u)
{
    if ((u->ier & IER_RLS) && u->overrun)
        return 0x06;
    if ((u->ier & IER_RDA) && u->rx_count >= trigger(u))
        return 0x04;
    if ((u->ier & IER_RDA) && u->timeout_pending && u->rx_count)
        return 0x0C;
    if ((u->ier & IER_THRE) && u->thre_pending)
        return 0x02;
    if ((u->ier & IER_MSI) && u->msr_delta)
        return 0x00;
    return 0x01;
}

/* Raises the line when a source is pending that was not before. */
static void update_irq(sim_uart_t *u)
{
    unsigned p = pending(u);
    if (p != 0x01 && p != u->last_iir && (u->mcr & MCR_OUT2))
        sim_irq_raise(u->irq);
    u->last_iir = p;
}

static void rx_timeout(void *ctx)
{
    sim_uart_t *u = ctx;
    if (u->rx_count) {
        u->timeout_pending = true;
        update_irq(u);
    }
}

static void push_rx(sim_uart_t *u, uint8_t b)
{
    if (u->rx_count == ((u->fcr & 1) ? FIFO : 1)) {
        u->overrun = true;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % FIFO] = b;
    u->rx_count++;
    u->timeout_pending = false;
    sim_event_at(&u->timeout_event, sim_now() + 4 * char_ns(u), rx_timeout, u);
}

static unsigned rx_room(const sim_uart_t *u)
{
    return ((u->fcr & 1) ? FIFO : 1) - u->rx_count;
}

static void rx_next(void *ctx);
static void await_feed(sim_uart_t *u, bool waiting);

/* The far end sends the next byte one character time from now while
 * there is room and RTS is asserted (hardware flow control: nothing is
 * sent before a driver has set the line up). */
static void schedule_rx(sim_uart_t *u)
{
    bool more = u->backlog_len || (u->pull_fd >= 0 && !u->hungry) || (u->input_ended && u->carrier);
    if (more && rx_room(u) && (u->mcr & MCR_RTS) && !(u->mcr & MCR_LOOP) && !u->rx_event.queued)
        sim_event_at(&u->rx_event, sim_now() + char_ns(u), rx_next, u);
}

/* The far end reads what it sends next: what pull_fd has now (a file
 * always has its next bytes, or its end); if nothing yet (a pipe whose
 * writer is slow), the watcher thread waits until there is. */
static void pull(sim_uart_t *u)
{
    struct pollfd p = { .fd = u->pull_fd, .events = POLLIN };
    if (poll(&p, 1, 0) == 0) {
        if (!u->hungry) {
            if (u->out)
                fflush(u->out);         /* a prompt reaches whoever is to answer it */
            u->hungry = true;
            sim_bus_input_wait(1);
            sem_post(&u->watch);
        }
        return;
    }
    uint8_t buf[256];
    ssize_t n;
    do
        n = read(u->pull_fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        sim_uart_receive(u, buf, (size_t)n);
        return;
    }
    u->pull_fd = -1;
    u->input_ended = true;
}

/* pull_fd has become readable (the watcher's post). */
static void readable(void *ctx, uint64_t arg)
{
    (void)arg;
    sim_uart_t *u = ctx;
    if (!u->hungry)
        return;
    u->hungry = false;
    sim_bus_input_wait(-1);
    pull(u);
    schedule_rx(u);
}

static void *watcher(void *arg)
{
    sim_uart_t *u = arg;
    for (;;) {
        while (sem_wait(&u->watch) != 0)
            ;
        struct pollfd p = { .fd = u->pull_fd, .events = POLLIN };
        while (poll(&p, 1, -1) < 0 && errno == EINTR)
            ;
        sim_bus_post(readable, u, 0);
    }
    return NULL;
}

/* The far end has sent everything: it hangs up (DCD drops). */
static void hang_up(sim_uart_t *u)
{
    u->carrier = false;
    u->hung_up = true;
    u->msr_delta |= 0x08;               /* delta DCD */
    update_irq(u);
}

/* One character time has passed: the next backlog byte arrives. */
static void rx_next(void *ctx)
{
    sim_uart_t *u = ctx;
    if (!u->backlog_len && u->pull_fd >= 0 && !u->hungry)
        pull(u);
    if (!u->backlog_len && u->input_ended && u->carrier)
        hang_up(u);
    if (!u->backlog_len && u->feeding)
        await_feed(u, true);
    if (u->backlog_len && rx_room(u)) {
        push_rx(u, u->backlog[u->backlog_head]);
        u->backlog_head++;
        u->backlog_len--;
        u->received++;
        update_irq(u);
    }
    schedule_rx(u);
}

void sim_uart_receive(sim_uart_t *u, const void *data, size_t n)
{
    if (u->backlog_head + u->backlog_len + n > u->backlog_size) {
        memmove(u->backlog, u->backlog + u->backlog_head, u->backlog_len);
        u->backlog_head = 0;
        if (u->backlog_len + n > u->backlog_size) {
            size_t size = (u->backlog_len + n) * 2 + 64;
            uint8_t *b = realloc(u->backlog, size);
            if (!b)
                return;                 /* input lost, the line goes on */
            u->backlog = b;
            u->backlog_size = size;
        }
    }
    memcpy(u->backlog + u->backlog_head + u->backlog_len, data, n);
    u->backlog_len += n;
    schedule_rx(u);
}

static uint8_t pop_rx(sim_uart_t *u)
{
    if (!u->rx_count)
        return 0;
    uint8_t b = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % FIFO;
    u->rx_count--;
    u->timeout_pending = false;
    if (u->rx_count)
        sim_event_at(&u->timeout_event, sim_now() + 4 * char_ns(u), rx_timeout, u);
    else
        sim_event_cancel(&u->timeout_event);
    schedule_rx(u);
    return b;
}

static void transmit(sim_uart_t *u, uint8_t b)
{
    if (u->mcr & MCR_LOOP) {
        push_rx(u, b);
    } else if (u->out) {
        u->sent++;
        fputc(b, u->out);
        if (b == '\n' || u->hungry)    /* the far end waits: it sees a prompt at once */
            fflush(u->out);
    }
    u->thre_pending = true;
}

static uint32_t uart_in(void *ctx, unsigned port, unsigned width)
{
    sim_uart_t *u = ctx;
    (void)width;
    uint32_t v = 0xff;
    bool dlab = u->lcr & 0x80;
    switch (port - u->base) {
    case 0:
        v = dlab ? (u->divisor & 0xff) : pop_rx(u);
        break;
    case 1:
        v = dlab ? (u->divisor >> 8) : u->ier;
        break;
    case 2: {
        unsigned p = pending(u);
        if (p == 0x02)
            u->thre_pending = false;    /* reading IIR acknowledges THR empty */
        v = p | ((u->fcr & 1) ? 0xC0 : 0);
        break;
    }
    case 3:
        v = u->lcr;
        break;
    case 4:
        v = u->mcr;
        break;
    case 5:
        v = (u->rx_count ? LSR_DR : 0) | (u->overrun ? LSR_OE : 0) | LSR_THRE | LSR_TEMT;
        u->overrun = false;
        break;
    case 6:
        /* loopback: CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2; else CTS, DSR, DCD */
        v = (u->mcr & MCR_LOOP) ? (uint32_t)((u->mcr & 0x02) << 3 | (u->mcr & 0x01) << 5 | (u->mcr & 0x04) << 4 |
                                             (u->mcr & 0x08) << 4)
                                : 0x30u | (u->carrier ? 0x80u : 0) | u->msr_delta;
        u->msr_delta = 0;
        break;
    case 7:
        v = u->scr;
        break;
    }
    update_irq(u);
    return v;
}

static void uart_out(void *ctx, unsigned port, unsigned width, uint32_t value)
{
    sim_uart_t *u = ctx;
    (void)width;
    uint8_t v = (uint8_t)value;
    bool dlab = u->lcr & 0x80;
    switch (port - u->base) {
    case 0:
        if (dlab)
            u->divisor = (uint16_t)((u->divisor & 0xff00) | v);
        else
            transmit(u, v);
        break;
    case 1:
        if (dlab) {
            u->divisor = (uint16_t)((u->divisor & 0xff) | v << 8);
        } else {
            /* enabling THRE with THR empty raises it at once (data sheet) */
            if ((v & IER_THRE) && !(u->ier & IER_THRE))
                u->thre_pending = true;
            u->ier = v & 0x0f;
        }
        break;
    case 2:
        if ((v & 1) != (u->fcr & 1) || (v & 2)) {
            u->rx_count = u->rx_head = 0;
            u->timeout_pending = false;
            sim_event_cancel(&u->timeout_event);
        }
        u->fcr = v & 0xC1;
        schedule_rx(u);
        break;
    case 3:
        u->lcr = v;
        break;
    case 4:
        u->mcr = v & 0x1f;
        u->last_iir = 0x01;             /* OUT2 turned on raises what is pending */
        schedule_rx(u);
        break;
    case 7:
        u->scr = v;
        break;
    default:
        break;                          /* LSR and MSR are read-only */
    }
    update_irq(u);
}

static const sim_pio_ops_t uart_ops = { uart_in, uart_out };

sim_uart_t *sim_uart_create(unsigned base, unsigned irq, FILE *out)
{
    sim_uart_t *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->base = base;
    u->irq = irq;
    u->out = out;
    u->divisor = 12;                    /* 9600 baud, as after a BIOS */
    u->lcr = 0x03;
    u->last_iir = 0x01;
    u->pull_fd = -1;
    if (!sim_bus_claim_ports(base, 8, &uart_ops, u, "uart")) {
        free(u);
        return NULL;
    }
    return u;
}

void sim_uart_free(sim_uart_t *u)
{
    if (!u)
        return;
    sim_event_cancel(&u->rx_event);
    sim_event_cancel(&u->timeout_event);
    if (u->watching) {
        pthread_cancel(u->watcher);     /* it waits in sem_wait or poll: cancellation points */
        pthread_join(u->watcher, NULL);
        sem_destroy(&u->watch);
    }
    if (u->hungry)
        sim_bus_input_wait(-1);
    free(u->backlog);
    free(u);
}

/* ---- feeding from a host file descriptor ---- */

typedef struct {
    sim_uart_t *u;
    int fd;
} feeder_t;

/* A terminal's next bytes are awaited while the backlog is empty, as a
 * slow pipe's are (pull): the kernel's idle gives them a moment. */
static void await_feed(sim_uart_t *u, bool waiting)
{
    if (waiting == u->hungry)
        return;
    u->hungry = waiting;
    sim_bus_input_wait(waiting ? 1 : -1);
}

static void posted_byte(void *ctx, uint64_t arg)
{
    sim_uart_t *u = ctx;
    uint8_t b = (uint8_t)arg;
    await_feed(u, false);
    sim_uart_receive(u, &b, 1);
}

static void posted_end(void *ctx, uint64_t arg)
{
    (void)arg;
    sim_uart_t *u = ctx;
    await_feed(u, false);
    u->feeding = false;
    u->input_ended = true;
    schedule_rx(u);
}

static void *feed(void *arg)
{
    feeder_t f = *(feeder_t *)arg;
    free(arg);
    uint8_t buf[256];
    ssize_t n;
    while ((n = read(f.fd, buf, sizeof buf)) > 0)
        for (ssize_t k = 0; k < n; k++)
            sim_bus_post(posted_byte, f.u, buf[k]);
    sim_bus_post(posted_end, f.u, 0);
    return NULL;
}

bool sim_uart_feed_fd(sim_uart_t *u, int fd)
{
    feeder_t *f = malloc(sizeof *f);
    if (!f)
        return false;
    *f = (feeder_t){ u, fd };
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    bool ok = pthread_create(&t, &a, feed, f) == 0;
    pthread_attr_destroy(&a);
    if (!ok)
        free(f);
    if (ok) {
        u->carrier = u->feeding = true;
        await_feed(u, true);
    }
    return ok;
}

bool sim_uart_pull_fd(sim_uart_t *u, int fd)
{
    if (sem_init(&u->watch, 0, 0) != 0)
        return false;
    u->pull_fd = fd;
    if (pthread_create(&u->watcher, NULL, watcher, u) != 0) {
        u->pull_fd = -1;
        sem_destroy(&u->watch);
        return false;
    }
    u->watching = true;
    u->carrier = true;
    schedule_rx(u);
    return true;
}

void sim_uart_counts(const sim_uart_t *u, uint64_t *sent, uint64_t *received, bool *hung_up)
{
    *sent = u->sent;
    *received = u->received;
    *hung_up = u->hung_up;
}
