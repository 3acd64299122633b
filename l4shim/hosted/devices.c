/* Port I/O, the device bus and the chacmsim test device.  A task may use the ports it
 * holds as I/O fpages (ioport.c); any other port access is an I/O-fault
 * IPC to its pager, after whose reply the access is tried again, as on
 * Pistachio for x86.  The test device raises interrupts on
 * request, at once or after a delay on the virtual clock:
 *   port 0xF4 (32-bit write): delay in microseconds for the next request
 *   port 0xF0 (byte write):   raise interrupt n after that delay (then 0)
 *   port 0xF0 (byte read):    number of interrupts raised so far, low byte
 *   port 0xF8 (32-bit read):  the mapping database's work so far, low 32
 *                             bits (kern_mdb_work: what an Unmap cost)
 *   port 0xFC (32-bit read):  soft faults served so far, low 32 bits
 *                             (touches of held pages not yet installed)
 *   port 0xE0 (32-bit write): choose a word of the kernel's own memory for
 *                             isolation tests (0 static data, 1 heap, 2 a
 *                             kernel stack) and set it to TESTDEV_CANARY
 *   port 0xE4, 0xE8 (32-bit read): low and high half of its address
 *   port 0xEC (32-bit read):  its value, low 32 bits
 * Every other port goes to the device bus the simulator attached
 * (sim/devices/bus.h), which reads all ones without it. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kern_mem.h"

#define TESTDEV_RAISE 0xF0
#define TESTDEV_DELAY 0xF4
#define TESTDEV_MDB_WORK 0xF8
#define TESTDEV_SOFT_FAULTS 0xFC
#define TESTDEV_KWORD 0xE0
#define TESTDEV_KWORD_LO 0xE4
#define TESTDEV_KWORD_HI 0xE8
#define TESTDEV_KWORD_VAL 0xEC
#define TESTDEV_CANARY 0x15015015UL

static uint64_t delay_us;
static const kern_devbus_t *devbus;

void kern_dev_attach(const kern_devbus_t *bus)
{
    devbus = bus;
}

/* The bus's earliest event changed (the bus calls it, on the CPU). */
void kern_dev_next(uint64_t when)
{
    kern.dev_next = when;
}

/* Runs the bus's due events and posted input (kernel entry, idle). */
void kern_dev_run(void)
{
    if (devbus)
        devbus->run(kern_time());
    else
        kern.dev_next = KERN_TIME_NEVER;
}

static bool testdev_port(L4_Word_t port)
{
    return (port >= TESTDEV_KWORD && port < TESTDEV_KWORD + 16) || (port >= TESTDEV_RAISE && port < TESTDEV_RAISE + 16);
}
static unsigned raised;

void kern_dev_timer(kern_thread_t *irq)
{
    raised++;
    kern_irq_raise((unsigned)kw_thread_no(irq->id));
}

static void testdev_raise(unsigned n)
{
    if (n >= KERN_NIRQ)
        return;
    kern_thread_t *irq = kern.threads[n];
    if (delay_us == 0) {
        raised++;
        kern_irq_raise(n);
    } else {
        kern_tq_add(irq, kern_time() + delay_us * 1000);
    }
    delay_us = 0;
}

/* Each chosen word is the second of a 16-byte pair, where a new thread's
 * first push (at (sp & ~15) - 8) lands for a start SP 8 bytes above it
 * (ROB0006). */
static L4_Word_t kword_static[2] __attribute__((aligned(16)));
static L4_Word_t *kword_heap;
static volatile L4_Word_t *kword;

/* Chooses the kernel word the isolation tests aim at. */
static void kword_choose(unsigned which)
{
    if (!kword_heap && !(kword_heap = aligned_alloc(16, 2 * sizeof *kword_heap)))
        return;
    /* a kernel stack: deep in the root task's main thread's, where its
     * kernel code never reaches */
    kern_thread_t *root = kern.root_thread;
    kword = which == 0 ? &kword_static[1] : which == 1 ? &kword_heap[1]
            : which == 2 && root ? (volatile L4_Word_t *)root->kstack_base + 513 : NULL;
    if (kword)
        *kword = TESTDEV_CANARY;
}

/* Whether the current thread may access [port, port + width), after an
 * I/O fault to its pager if it does not hold the ports.  Without a pager,
 * when the fault IPC fails, or when the reply did not map the ports, the
 * thread is halted with a report and the access fails.  (Pistachio would
 * retry the instruction, which faults again: a pager that answers without
 * mapping would make it fault forever.) */
static bool may_use_ports(L4_Word_t port, unsigned width)
{
    kern_thread_t *self = kern_self;
    if (kern_io_holds(self->space, port, width))
        return true;
    L4_Word_t sp, ip;
    kern_guest_sp_ip(self, &sp, &ip);
    bool answered = kern_fault_io(self, port, width, ip);
    if (answered && kern_io_holds(self->space, port, width))
        return true;
    char why[140];
    snprintf(why, sizeof why, "unhandled I/O fault: port %#lx (ip %#lx) without an I/O fpage, %s", port, ip,
             kern_thread_pager(self) == KW_NILTHREAD ? "and it has no pager"
             : answered                               ? "and its pager did not map it"
                                                      : "and its pager does not exist");
    kern_fault_halt(why, sp, ip);
    return false;
}

void kern_sys_out(L4_Word_t port, L4_Word_t value, L4_Word_t width);
void kern_sys_out(L4_Word_t port, L4_Word_t value, L4_Word_t width)
{
    kern_entry();
    port &= 0xffff;
    if (!may_use_ports(port, (unsigned)width))
        return;
    if (port == TESTDEV_RAISE && width == 1)
        testdev_raise(value & 0xff);
    else if (port == TESTDEV_DELAY && width == 4)
        delay_us = value & 0xffffffffUL;
    else if (port == TESTDEV_KWORD && width == 4)
        kword_choose((unsigned)value);
    else if (!testdev_port(port) && devbus)
        devbus->out((unsigned)port, (unsigned)width, (uint32_t)value);
}

L4_Word_t kern_sys_in(L4_Word_t port, L4_Word_t width);
L4_Word_t kern_sys_in(L4_Word_t port, L4_Word_t width)
{
    kern_entry();
    port &= 0xffff;
    L4_Word_t ones = width >= 4 ? 0xffffffffUL : (1UL << (8 * width)) - 1;
    if (!may_use_ports(port, (unsigned)width))
        return ones;
    if (port == TESTDEV_RAISE && width == 1)
        return raised & 0xff;
    if (port == TESTDEV_MDB_WORK && width == 4)
        return kern_mdb_work() & 0xffffffffUL;
    if (port == TESTDEV_SOFT_FAULTS && width == 4)
        return kern_mdb_soft_faults() & 0xffffffffUL;
    if (kword && width == 4 && (port == TESTDEV_KWORD_LO || port == TESTDEV_KWORD_HI || port == TESTDEV_KWORD_VAL))
        return (port == TESTDEV_KWORD_LO ? (L4_Word_t)kword : port == TESTDEV_KWORD_HI ? (L4_Word_t)kword >> 32 : *kword) &
               0xffffffffUL;
    if (!testdev_port(port) && devbus)
        return devbus->in((unsigned)port, (unsigned)width) & ones;
    return ones;
}

/* String port I/O (rep ins/outs): count accesses of width bytes between
 * port and the guest buffer at buf, through a kernel buffer, so that a
 * driver moves a 512-byte sector in one kernel entry.  An unreadable or
 * unwritable buffer ends the transfer there (the thread gets the fault
 * report of a bad kernel-call argument); the ports are checked once. */
#define STRIO_CHUNK 4096

static bool strio_args(L4_Word_t port, L4_Word_t width, L4_Word_t count)
{
    return (width == 1 || width == 2 || width == 4) && count <= (1UL << 24) && port + width <= 0x10000;
}

/* One string transfer, in (ports to the buffer) or out. */
static void strio(L4_Word_t port, L4_Word_t buf, L4_Word_t count, L4_Word_t width, bool in)
{
    kern_entry();
    port &= 0xffff;
    if (!strio_args(port, width, count) || !may_use_ports(port, (unsigned)width))
        return;
    uint8_t chunk[STRIO_CHUNK];
    L4_Word_t per = STRIO_CHUNK / width;
    bool bus = devbus && !testdev_port(port);
    while (count > 0) {
        L4_Word_t n = count < per ? count : per, bytes = n * width;
        if (in) {
            if (bus)
                devbus->ins((unsigned)port, (unsigned)width, chunk, n);
            else
                memset(chunk, 0xff, bytes);
        }
        size_t moved = in ? kern_copy_to_guest((void *)buf, chunk, bytes)
                          : kern_copy_from_guest(chunk, (const void *)buf, bytes);
        if (moved != bytes) {
            kern_log("kernel: %s: string port %s %s buffer at %#lx", kern_self->name, in ? "input to" : "output from",
                     in ? "an unwritable" : "an unreadable", buf);
            return;
        }
        if (!in && bus)
            devbus->outs((unsigned)port, (unsigned)width, chunk, n);
        buf += bytes;
        count -= n;
    }
}

void kern_sys_ins(L4_Word_t port, L4_Word_t buf, L4_Word_t count, L4_Word_t width);
void kern_sys_ins(L4_Word_t port, L4_Word_t buf, L4_Word_t count, L4_Word_t width)
{
    strio(port, buf, count, width, true);
}

void kern_sys_outs(L4_Word_t port, L4_Word_t buf, L4_Word_t count, L4_Word_t width);
void kern_sys_outs(L4_Word_t port, L4_Word_t buf, L4_Word_t count, L4_Word_t width)
{
    strio(port, buf, count, width, false);
}
