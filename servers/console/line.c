/* console: the serial console (line.h), a client of the line's driver
 * through device.idl: open, write, get_status(DEV_CARRIER) and reads with
 * D_NOWAIT (the console never waits in a call to the driver: it waits for
 * input in its own receive, polling, so it answers every client and the
 * booter's heartbeat meanwhile).  One byte at a time: what the console
 * has not taken stays in the driver's buffer (for a restarted console
 * too, as stdin does for the kernel debugger's). */
#include <stdio.h>
#include <string.h>
#include <chacm/object.h>
#include <chacm/task.h>

#include "consvr_client.h"
#include "line.h"

#define LINE_TRIES 256          /* lookups of /dev/NAME before giving up */
#define LINE_CALL_US 1000000    /* a driver that does not answer within 1 s is taken as gone */

static char name[32];
static enum { UNKNOWN, ON, OFF } state = OFF;
static unsigned tries;
static chacm_handle_t dev;

void line_init(const char *n)
{
    if (!n || !*n || strlen(n) >= sizeof name)
        return;
    strlcpy(name, n, sizeof name);
    state = UNKNOWN;
}

/* Finds and opens the line; ON or OFF once it is decided. */
static void look(void)
{
    char path[48];
    snprintf(path, sizeof path, "/dev/%s", name);
    chacm_handle_t h;
    if (chacm_resolve(path, &h) != ESUCCESS) {
        if (++tries == LINE_TRIES) {
            printf("console: no %s: console 1 stays on the kernel debugger\n", path);
            state = OFF;
        }
        return;
    }
    chacm_env_t e = chacm_env_within(LINE_CALL_US);
    int obj = -1, st[CHACM_DEVICE_STATUS_MAX], *sp = st, count = 0;
    if (device_open(h.svr, h.obj, D_READ | D_WRITE, name, &obj, &e) != ESUCCESS || e.error != CHACM_IDL_OK ||
        device_get_status(h.svr, obj, DEV_CARRIER, &count, &sp, &e) != ESUCCESS || e.error != CHACM_IDL_OK ||
        count < 1) {
        printf("console: %s is not a serial line: console 1 stays on the kernel debugger\n", path);
        state = OFF;
        return;
    }
    dev = (chacm_handle_t){ h.svr, obj };
    /* a far end, or one that has been there (its input may have come and
     * ended before the first look); nothing connected: the kernel debugger */
    state = st[0] || (count > 1 && st[1]) ? ON : OFF;
}

bool line_on(void)
{
    if (state == UNKNOWN)
        look();
    return state == ON;
}

void line_write(const char *s, int n)
{
    chacm_env_t e = chacm_env_within(LINE_CALL_US);
    while (n > 0) {
        int k = n < CHACM_DEVICE_XFER_MAX ? n : CHACM_DEVICE_XFER_MAX, written = 0;
        if (device_write(dev.svr, dev.obj, 0, 0, k, s, &written, &e) != ESUCCESS || e.error != CHACM_IDL_OK ||
            written <= 0)
            return;             /* the line is stuck or gone: the output is lost, the console goes on */
        s += written;
        n -= written;
    }
}

int line_read(void)
{
    char b, *p = &b;
    int size = 0;
    chacm_env_t e = chacm_env_within(LINE_CALL_US);
    int rc = device_read(dev.svr, dev.obj, D_NOWAIT, 0, 1, &size, &p, &e);
    if (e.error != CHACM_IDL_OK || rc == EEOF)
        return LINE_END;        /* hung up, or the driver is gone */
    return rc == ESUCCESS && size == 1 ? (unsigned char)*p : -1;
}
