/* A fake machine around the device bus (sim/devices/bus.h) for the unit
 * tests of the models: a virtual clock the test moves, interrupts counted
 * per line, 1 MiB of physical memory whose VGA range is device memory. */
#ifndef CHACM_TEST_FAKEBUS_H
#define CHACM_TEST_FAKEBUS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bus.h"

static uint64_t clock_ns;
static unsigned irqs[SIM_NIRQ];
static uint64_t next_at;
static unsigned wakes;
static int input_waits;         /* models waiting for host input */
static uint8_t phys[0x100000];

static uint64_t f_now(void) { return clock_ns; }
static void f_irq(unsigned line) { irqs[line]++; }
static void f_next(uint64_t when) { next_at = when; }
static void f_wake(void) { wakes++; }
static void *f_phys(uint64_t pa, size_t n) { return pa + n <= sizeof phys ? phys + pa : NULL; }
static bool f_is_device(uint64_t pa, size_t n) { return pa >= 0xB8000 && pa + n <= 0xC0000; }
static void f_input_wait(int delta) { input_waits += delta; }

static const sim_bus_host_t fake = { f_now, f_irq, f_next, f_wake, f_phys, f_is_device, f_input_wait };

/* A fresh bus at virtual time 0, nothing counted. */
static inline void fakebus_reset(void)
{
    sim_bus_init(&fake);
    sim_bus_reset();
    clock_ns = 0;
    memset(irqs, 0, sizeof irqs);
    wakes = 0;
    input_waits = 0;
}

/* Advances the clock to t, running the events as the kernel would; stops
 * early when done (may be NULL) says so, the clock at that event; then
 * what was posted. */
static inline void fakebus_run_to(uint64_t t, bool (*done)(void))
{
    while (sim_bus_next() <= t && !(done && done())) {
        clock_ns = sim_bus_next() > clock_ns ? sim_bus_next() : clock_ns;
        sim_bus_run(clock_ns);
    }
    if (done && done())
        return;
    clock_ns = t;
    sim_bus_run(clock_ns);      /* what was posted meanwhile */
}

#endif /* CHACM_TEST_FAKEBUS_H */
