/* console: /dev/kbd, the keyboard's raw events through device.idl — the
 * bytes the controller gives (scancode set 1: make codes, break codes
 * with bit 7, 0xE0 before the extended keys), for a program that wants
 * keys rather than characters.  They are kept while the device is open
 * (in a ring of RK_RING bytes; what does not fit is counted as lost) and
 * still go to the console shown.  A read that finds nothing waits as a
 * deferred reply (D_NOWAIT: EAGAIN); one reader waits at a time, a second
 * read answers the first with EAGAIN, as a console read does. */
#include <string.h>
#include <chacm/object.h>

#include "rawkbd.h"

#define RK_RING 256

static bool present;
static uint8_t ring[RK_RING];
static unsigned head, count, lost, opens;
static bool reading;
static L4_ThreadId_t reader;
static unsigned read_len;
static char reply[RK_RING];

void rk_init(bool p)
{
    present = p;
}

static unsigned take(char *to, unsigned max)
{
    unsigned n = count < max ? count : max;
    for (unsigned i = 0; i < n; i++)
        to[i] = (char)ring[(head + i) % RK_RING];
    head = (head + n) % RK_RING;
    count -= n;
    return n;
}

static void answer_reader(int rc)
{
    if (!reading)
        return;
    reading = false;
    unsigned n = rc == ESUCCESS ? take(reply, read_len) : 0;
    device_read_reply(reader, rc, (int)n, reply);
}

void rk_scancode(uint8_t sc)
{
    if (!opens)
        return;
    if (count == RK_RING) {
        lost++;
        return;
    }
    ring[(head + count++) % RK_RING] = sc;
    answer_reader(ESUCCESS);
}

/* The device's objects: RK_OBJ, and object 0 (console 1) as the master
 * that opens it; the consoles' own objects are not devices. */
static int check(int obj)
{
    return obj == RK_OBJ ? ESUCCESS : obj >= 0 && obj <= 4 ? ESUPP : EINVALID;
}

static int do_open(int obj, int mode, const char *name, int *dev, chacm_srvenv_t *env)
{
    (void)env;
    *dev = -1;
    if (obj != 0)
        return EINVALID;            /* only the master opens */
    if (mode & ~(D_READ | D_WRITE))
        return EBADPARM;
    if (strcmp(name, "kbd") != 0 || !present)
        return ENOTFOUND;
    if (mode & D_WRITE)
        return EDENIED;             /* a keyboard is read only */
    opens++;
    *dev = RK_OBJ;
    return ESUCCESS;
}

static int do_close(int obj, chacm_srvenv_t *env)
{
    (void)env;
    int rc = check(obj);
    if (rc != ESUCCESS)
        return rc;
    if (!opens)
        return ENOTOPEN;
    if (--opens == 0) {
        answer_reader(EAGAIN);
        head = count = lost = 0;
    }
    return ESUCCESS;
}

static int do_read(int obj, int mode, int recnum, int len, int *size, char **data, chacm_srvenv_t *env)
{
    (void)recnum;
    *size = 0;
    int rc = check(obj);
    if (rc != ESUCCESS)
        return rc;
    if (len < 1 || (mode & ~D_NOWAIT))
        return EBADPARM;
    if (!opens)
        return ENOTOPEN;
    unsigned max = (unsigned)len < RK_RING ? (unsigned)len : RK_RING;
    if (count) {
        *size = (int)take(*data, max);
        return ESUCCESS;
    }
    if (mode & D_NOWAIT)
        return EAGAIN;
    answer_reader(EAGAIN);          /* one reader at a time */
    reading = true;
    reader = env->caller;
    read_len = max;
    chacm_srv_defer(env);
    return ESUCCESS;
}

static int do_write(int obj, int mode, int recnum, int size, const char *data, int *written, chacm_srvenv_t *env)
{
    (void)mode, (void)recnum, (void)size, (void)data, (void)env;
    *written = 0;
    int rc = check(obj);
    return rc != ESUCCESS ? rc : EDENIED;
}

static int do_get_status(int obj, int flavor, int *n, int **status, chacm_srvenv_t *env)
{
    (void)env;
    *n = 0;
    int rc = check(obj);
    if (rc != ESUCCESS)
        return rc;
    int *s = *status;
    if (flavor == DEV_KBD) {
        s[0] = (int)count;
        s[1] = (int)lost;
        *n = 2;
    } else if (flavor == DEV_GET_INFO) {
        s[0] = DEV_KIND_KEYBOARD;
        s[1] = s[2] = 0;
        *n = 3;
    } else {
        return ESUPP;
    }
    return ESUCCESS;
}

static int do_set_status(int obj, int flavor, int n, const int *status, chacm_srvenv_t *env)
{
    (void)flavor, (void)n, (void)status, (void)env;
    int rc = check(obj);
    return rc != ESUCCESS ? rc : ESUPP;
}

void rk_fill(consvr_ops_t *ops)
{
    ops->device_open = do_open;
    ops->device_close = do_close;
    ops->device_read = do_read;
    ops->device_write = do_write;
    ops->device_get_status = do_get_status;
    ops->device_set_status = do_set_status;
}
