/* devprobe: the serial driver and the timer service from a client's side
 * (scenario.devices, DRV0001...).  With an argument "read" it reads three
 * bytes from /dev/com1 (the simulator's stdin) and prints them; without,
 * it writes a line to /dev/com1 and runs the cases.  Prints one line per
 * case and "devprobe: N failed". */
#include <stdio.h>
#include <string.h>
#include <chacm/lib.h>
#include <chacm/task.h>
#include <l4/schedule.h>

#include "serialdrv_client.h"
#include "timer_client.h"
#include "irq_client.h"

int main(void);

static int failed;

static void check(const char *id, const char *what, bool ok)
{
    printf("%s %s - %s\n", ok ? "ok" : "not ok", id, what);
    if (!ok)
        failed++;
}

static chacm_env_t env(void)
{
    return (chacm_env_t){ .snd_timeout = L4_TimePeriod(5000000), .rcv_timeout = L4_TimePeriod(5000000) };
}

static L4_Word_t clock_us(void)
{
    return (L4_Word_t)L4_SystemClock().raw;
}

static uint64_t timer_us(chacm_handle_t t)
{
    chacm_env_t e = env();
    int lo = 0, hi = 0;
    timer_now(t.svr, t.obj, &lo, &hi, &e);
    return (uint64_t)(uint32_t)lo | (uint64_t)(uint32_t)hi << 32;
}

static int read_line(chacm_handle_t com)
{
    static char got[16];
    int have = 0;
    while (have < 3) {
        chacm_env_t e = { 0 };
        char *p = got + have;
        int size = 0;
        int rc = device_read(com.svr, com.obj, 0, 0, 3 - have, &size, &p, &e);
        if (rc != ESUCCESS || e.error != CHACM_IDL_OK)
            return 1;
        if (p != got + have)
            memcpy(got + have, p, (size_t)size);
        have += size;
    }
    got[have] = 0;
    printf("devprobe: read '%s'\n", got);
    return 0;
}

int main(void)
{
    chacm_handle_t com, tim;
    int rc = chacm_resolve("/dev/com1", &com);
    if (strstr(lib_cmdline(), "read"))
        return rc == ESUCCESS ? read_line(com) : 1;
    check("DRV0001", "/dev/com1 and /dev/timer resolve", rc == ESUCCESS && chacm_resolve("/dev/timer", &tim) == ESUCCESS);
    chacm_env_t e = env();
    static const char line[] = "hello from devprobe over com1\n";
    int written = 0;
    rc = device_write(com.svr, com.obj, 0, 0, sizeof line - 1, line, &written, &e);
    check("DRV0002", "device::write of a line to com1", rc == ESUCCESS && written == (int)sizeof line - 1);
    static char buf[64];
    char *p = buf;
    int size = 0, dev = -1;
    check("DRV0003", "a read with D_NOWAIT and nothing received: EAGAIN",
          device_read(com.svr, com.obj, D_NOWAIT, 0, 10, &size, &p, &e) == EAGAIN && size == 0);
    int st[CHACM_DEVICE_STATUS_MAX], *sp = st, count = 0, line_set[2] = { 9600, 8 }, bad_rate[2] = { 7, 8 };
    check("DRV0004", "open(\"com1\"), DEV_LINE 115200 8, set to 9600 8; a bad rate, a bad count, bad names and objects",
          device_open(com.svr, 0, D_READ | D_WRITE, "com1", &dev, &e) == ESUCCESS && dev == 0 &&
              device_get_status(com.svr, 0, DEV_LINE, &count, &sp, &e) == ESUCCESS && count == 2 &&
              st[0] == 115200 && st[1] == 8 && device_set_status(com.svr, 0, DEV_LINE, 2, line_set, &e) == ESUCCESS &&
              device_set_status(com.svr, 0, DEV_LINE, 2, bad_rate, &e) == EBADPARM &&
              device_read(com.svr, 0, 0, 0, 0, &size, &p, &e) == EBADPARM &&
              device_open(com.svr, 0, D_READ, "com2", &dev, &e) == ENOTFOUND &&
              device_write(com.svr, 4, 0, 0, 1, "x", &written, &e) == EINVALID &&
              device_get_status(com.svr, 0, 77, &count, &sp, &e) == ESUPP);
    rc = device_write(com.svr, com.obj, 0, 0, 6, "9600!\n", &written, &e);
    check("DRV0005", "a write at 9600 baud", rc == ESUCCESS && written == 6);
    L4_Word_t t0 = clock_us();
    uint64_t n0 = timer_us(tim);
    rc = timer_sleep(tim.svr, tim.obj, 10000, &e);
    L4_Word_t dt = clock_us() - t0;
    uint64_t dn = timer_us(tim) - n0;
    check("DRV0006", "sleep(10 ms) returns after 10 ms of the kernel's clock, and the timer's time moved as much",
          rc == ESUCCESS && dt >= 10000 && dt < 10400 && dn >= 10000 && dn < 10400);
    t0 = clock_us();
    rc = timer_sleep(tim.svr, tim.obj, 130000, &e);
    dt = clock_us() - t0;
    check("DRV0007", "sleep(130 ms), longer than one PIT count (55 ms)", rc == ESUCCESS && dt >= 130000 && dt < 131000);
    t0 = clock_us();
    check("DRV0008", "sleep(0) at once; negative: EBADPARM; a bad object: EINVALID",
          timer_sleep(tim.svr, tim.obj, 0, &e) == ESUCCESS && clock_us() - t0 < 1000 &&
              timer_sleep(tim.svr, tim.obj, -5, &e) == EBADPARM && timer_sleep(tim.svr, 3, 10, &e) == EINVALID);
    int ids[1] = { TIMER_API };
    check("DRV0009", "the timer implements timer", generic_implements(tim.svr, 0, 1, ids, &e) == EYES);
    L4_ThreadId_t b = chacm_booter();
    check("DRV0010", "the booter's irq::attach: a free line to us (again too), lines of serial (4) and timer (0) are "
                     "locked, no such line, detach once",
          irq_attach(b, 0, 3, &e) == ESUCCESS && irq_attach(b, 0, 3, &e) == ESUCCESS &&
              irq_attach(b, 0, 4, &e) == ELOCKED && irq_attach(b, 0, 0, &e) == ELOCKED &&
              irq_attach(b, 0, 16, &e) == EBADPARM && irq_attach(b, 0, -1, &e) == EBADPARM &&
              irq_detach(b, 0, 4, &e) == EDENIED && irq_detach(b, 0, 3, &e) == ESUCCESS &&
              irq_detach(b, 0, 3, &e) == EDENIED && irq_attach(b, 5, 3, &e) == EINVALID && e.error == CHACM_IDL_OK);
    printf("devprobe: %d failed\n", failed);
    return failed;
}
