/* timer: a timer service over the 8254 PIT (README.md).  Sleepers wait in
 * a request queue ordered by deadline; counter 0 runs one-shot (mode 0)
 * for the nearest deadline, at most 65535 ticks of 1.193182 MHz (55 ms)
 * at a time, and its interrupt (IRQ 0) wakes the sleepers whose time has
 * come.  The time is the ticks of every finished count plus what the
 * running count has done, read from the latched counter; nothing runs
 * while nobody sleeps.
 *
 * Invariants: 1. armed iff the queue is not empty; 2. ticks + elapsed()
 * only grows. */
#include <stdint.h>
#include <stdio.h>
#include <chacm/driver.h>
#include <chacm/lib.h>
#include <chacm/object.h>
#include <l4/ioport.h>

#include "timer_server.h"

#define PIT_CH0 0x40
#define PIT_CTL 0x43
#define PIT_HZ 1193182u
#define PIT_IRQ 0
#define MAX_SLEEPERS 64
#define MAX_COUNT 0xFFFFu

static timersvr_ops_t ops;
static timersvr_buffers_t bufs;
static drv_req_t slots[MAX_SLEEPERS];
static drv_queue_t sleepers;
static uint64_t ticks;              /* ticks of the counts that ended */
static uint32_t armed;              /* the running count, 0: none */
static bool fired;                  /* its interrupt came (the counter wraps on) */

static uint64_t us_to_ticks(uint64_t us)
{
    return (us * PIT_HZ + 999999) / 1000000;
}

/* Ticks the running count has done. */
static uint32_t elapsed(void)
{
    if (!armed)
        return 0;
    if (fired)
        return armed;
    outb(PIT_CTL, 0x00);            /* latch counter 0 */
    uint32_t lo = inb(PIT_CH0), hi = inb(PIT_CH0);
    uint32_t left = lo | hi << 8;
    return left > armed ? armed : armed - left;
}

static uint64_t now_ticks(void)
{
    return ticks + elapsed();
}

/* Ends the running count, and starts one for the nearest deadline. */
static void rearm(void)
{
    ticks += elapsed();
    armed = 0;
    fired = false;
    const drv_req_t *r = drv_queue_head(&sleepers);
    if (!r)
        return;
    uint64_t left = r->key > ticks ? r->key - ticks : 1;
    uint32_t n = left > MAX_COUNT ? MAX_COUNT : (uint32_t)left;
    outb(PIT_CTL, 0x30);            /* counter 0, LSB then MSB, mode 0 */
    outb(PIT_CH0, (L4_Word8_t)n);
    outb(PIT_CH0, (L4_Word8_t)(n >> 8));
    armed = n;
}

static void wake_due(void)
{
    drv_req_t r;
    uint64_t t = now_ticks();
    while (drv_queue_head(&sleepers) && drv_queue_head(&sleepers)->key <= t) {
        drv_queue_take(&sleepers, &r);
        timer_sleep_reply(r.caller, ESUCCESS);
    }
}

static int do_sleep(int obj, int us, chacm_srvenv_t *env)
{
    if (obj != 0)
        return EINVALID;
    if (us < 0)
        return EBADPARM;
    if (us == 0)
        return ESUCCESS;
    drv_req_t r = { .caller = env->caller, .key = now_ticks() + us_to_ticks((uint64_t)us) };
    if (!drv_queue_put(&sleepers, &r))
        return EFULL;
    chacm_srv_defer(env);
    if (drv_queue_head(&sleepers) == &sleepers.slot[0] && sleepers.slot[0].caller.raw == r.caller.raw &&
        sleepers.slot[0].key == r.key)
        rearm();                    /* the new sleeper is the nearest */
    return ESUCCESS;
}

static int do_now(int obj, int *lo, int *hi, chacm_srvenv_t *env)
{
    (void)env;
    if (obj != 0)
        return EINVALID;
    uint64_t t = now_ticks();
    uint64_t us = t / PIT_HZ * 1000000 + t % PIT_HZ * 1000000 / PIT_HZ;
    *lo = (int)(uint32_t)us;
    *hi = (int)(uint32_t)(us >> 32);
    return ESUCCESS;
}

static void do_interrupt(chacm_srvenv_t *env)
{
    (void)env;
    if (armed)
        fired = true;
    wake_due();
    rearm();
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    static const int have[] = { GENERIC_API, TIMER_API };
    (void)env;
    if (obj != 0)
        return EINVALID;
    return chacm_implements(ids, n, have, 2);
}

int main(void)
{
    if (drv_get_ports(PIT_CH0, 2) != ESUCCESS || drv_irq_attach(PIT_IRQ) != ESUCCESS) {
        printf("timer: the PIT's ports or IRQ 0 are not to be had\n");
        return 1;
    }
    drv_queue_init(&sleepers, slots, MAX_SLEEPERS);
    outb(PIT_CTL, 0x30);            /* counter 0 stopped until the first sleep */
    ops.generic_implements = do_implements;
    ops.timer_sleep = do_sleep;
    ops.timer_now = do_now;
    ops.device_irq_interrupt = do_interrupt;
    timersvr_serve(&ops, &bufs, NULL);
    return 0;
}
