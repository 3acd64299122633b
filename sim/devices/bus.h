/* The machine's device bus: how device models are reached and how they
 * reach the system.  Port I/O of a task that holds the ports (the kernel
 * checks the I/O fpage) comes here and goes to the model that claimed the
 * port; models raise interrupt lines, schedule events on the virtual
 * clock, own device memory in physical memory, and take input that host
 * threads post.  Every model callback runs on the one simulated CPU, at a
 * kernel entry or while the kernel idles, so a run stays deterministic.
 *
 * The bus is pure state: it knows the kernel only through sim_bus_host_t
 * (kernel glue in machine.c, a fake clock in the unit tests). */
#ifndef SIM_DEVICES_BUS_H
#define SIM_DEVICES_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_TIME_NEVER UINT64_MAX
#define SIM_NIRQ 16

/* What the bus needs of the system around it. */
typedef struct {
    uint64_t (*now)(void);                  /* the virtual clock, ns */
    void (*irq)(unsigned line);             /* interrupt line raised (an edge) */
    void (*next)(uint64_t when);            /* the earliest event is now at when */
    void (*wake)(void);                     /* host input was posted (any thread) */
    void *(*phys)(uint64_t pa, size_t n);   /* the kernel's view of physical memory */
    /* may a model own [pa, pa + n) as device memory (sigma0 hands it out
     * only to a task that asks for those pages)? */
    bool (*phys_is_device)(uint64_t pa, size_t n);
    /* a model starts (+1) or stops (-1) waiting for host input it needs
     * before it can go on (the kernel's idle then waits for host events
     * rather than report a deadlock, and gives them a moment before it
     * moves the clock to a timeout) */
    void (*input_wait)(int delta);
} sim_bus_host_t;

/* A model's port handlers.  width is 1, 2 or 4; port is the first port of
 * the access, always inside the claimed range.  A read of a port no model
 * claimed gives all ones (an open bus), a write is dropped. */
typedef struct {
    uint32_t (*in)(void *ctx, unsigned port, unsigned width);
    void (*out)(void *ctx, unsigned port, unsigned width, uint32_t value);
} sim_pio_ops_t;

/* Optional string I/O (rep ins/outs) for a data port that moves blocks (a
 * disk's): count accesses of width bytes at once, the data little-endian
 * in buf; each returns how many it did (the bus does the rest one by one
 * through the port's in/out). */
typedef struct {
    size_t (*ins)(void *ctx, unsigned port, unsigned width, void *buf, size_t count);
    size_t (*outs)(void *ctx, unsigned port, unsigned width, const void *buf, size_t count);
} sim_pio_string_t;

/* An event on the virtual clock: fn(ctx) runs when the clock reaches
 * `when`.  Events of the same time run in the order they were scheduled.
 * The model owns the record (embed it); one record is scheduled at most
 * once at a time. */
typedef struct sim_event {
    uint64_t when;
    uint64_t seq;
    void (*fn)(void *ctx);
    void *ctx;
    struct sim_event *next;
    bool queued;
} sim_event_t;

void sim_bus_init(const sim_bus_host_t *host);
/* Drops every claim, event and posted input (for tests and the end). */
void sim_bus_reset(void);

/* Claims ports [base, base + n) for a model; false (with a message on
 * stderr) if any of them is taken. */
bool sim_bus_claim_ports(unsigned base, unsigned n, const sim_pio_ops_t *ops, void *ctx, const char *name);
/* Gives claimed port `port` string handlers (same ctx as its claim);
 * false if no model claims it. */
bool sim_bus_string_ops(unsigned port, const sim_pio_string_t *ops);
/* Port accesses (the kernel, after its I/O fpage check).  An access that
 * spans two claims goes byte by byte. */
uint32_t sim_bus_in(unsigned port, unsigned width);
void sim_bus_out(unsigned port, unsigned width, uint32_t value);
/* String port accesses: count accesses of width bytes to or from buf
 * (little-endian), as that many sim_bus_in/out would do, with the model's
 * ins/outs where it has them. */
void sim_bus_ins(unsigned port, unsigned width, void *buf, size_t count);
void sim_bus_outs(unsigned port, unsigned width, const void *buf, size_t count);
/* Does some model claim port? */
bool sim_bus_has_port(unsigned port);

/* Interrupt line (0..15) raised by a model: an edge, as the PIC in edge
 * mode sees it; the kernel delivers it as interrupt IPC from interrupt
 * thread `line` once its handler waits (raises while one is pending
 * merge into it). */
void sim_irq_raise(unsigned line);

/* The virtual clock in ns. */
uint64_t sim_now(void);
/* Schedules ev to run fn(ctx) at when (now if in the past); rescheduling
 * a queued event moves it. */
void sim_event_at(sim_event_t *ev, uint64_t when, void (*fn)(void *ctx), void *ctx);
void sim_event_cancel(sim_event_t *ev);
/* The earliest event, SIM_TIME_NEVER if none. */
uint64_t sim_bus_next(void);
/* Runs every event due at or before now and every posted host input, in
 * order (the kernel, at a kernel entry or in idle). */
void sim_bus_run(uint64_t now);

/* Host input: from any host thread (a terminal reader, a file feeder),
 * fn(ctx, arg) runs on the simulated CPU at its next defined point. */
void sim_bus_post(void (*fn)(void *ctx, uint64_t arg), void *ctx, uint64_t arg);
/* On the simulated CPU: host->input_wait(delta), where there is one. */
void sim_bus_input_wait(int delta);

/* Device memory: a model owns [pa, pa + n) of physical memory, which must
 * be device memory in the KIP's map (the VGA text buffer at 0xB8000 is);
 * guest stores land there directly, the model reads and writes it through
 * the returned pointer.  NULL (with a message) if it is not device memory
 * or another model owns part of it. */
void *sim_devmem_claim(uint64_t pa, size_t n, const char *name);

#endif /* SIM_DEVICES_BUS_H */
