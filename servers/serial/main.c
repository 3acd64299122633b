/* serial: the driver of a 16550 UART line (README.md).  Command line:
 * `serial [NAME [PORT IRQ]]`, default com1 0x3F8 4.  Publishes /dev/NAME
 * (object 0) and serves device.idl: writes wait for the transmitter and
 * fill its FIFO; reads take what the receive interrupts gathered into a
 * buffer, and wait for at least one byte unless D_NOWAIT (the waiting
 * reads are a request queue, answered in arrival order when bytes come).
 * DEV_LINE gets and sets the rate and data bits.  When the far end hangs
 * up (DCD drops after it was on), reads get what is left and then EEOF;
 * DEV_CARRIER tells.  RTS is off while the buffer is nearly full. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/driver.h>
#include <chacm/lib.h>
#include <chacm/object.h>
#include <l4/ioport.h>
#include <l4/schedule.h>

#include "serialdrv_server.h"

#define RBR 0
#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7
#define MSR_DCD 0x80
#define MCR_ON 0x0B     /* DTR, RTS, OUT2 (the IRQ gate) */
#define MCR_HOLD 0x09   /* RTS off: the far end waits */
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define RX_SIZE 4096
#define MAX_READERS 16
#define UART_CLOCK 115200
#define POLL_LIMIT 100000

static serialdrv_ops_t ops;
static serialdrv_buffers_t bufs;
static L4_Word16_t base = 0x3F8;
static unsigned irq = 4;
static char name[32] = "com1";
static int rate = 115200, data_bits = 8;

static char rx[RX_SIZE];
static unsigned rx_head, rx_count, rx_lost;
static drv_req_t reader_slots[MAX_READERS];
static drv_queue_t readers;
static uint64_t arrivals;
static bool carrier, hung_up, holding;
static char out[CHACM_DEVICE_XFER_MAX];

static void program_line(void)
{
    unsigned div = (unsigned)(UART_CLOCK / rate);
    outb(base + IER, 0);
    outb(base + LCR, 0x80);
    outb(base + DLL, (L4_Word8_t)div);
    outb(base + DLM, (L4_Word8_t)(div >> 8));
    outb(base + LCR, (L4_Word8_t)(data_bits - 5));      /* no parity, one stop bit */
    outb(base + FCR, 0x47);                             /* FIFO on and cleared, trigger 4 */
    outb(base + MCR, holding ? MCR_HOLD : MCR_ON);
    outb(base + IER, 0x09);                             /* received data (and its timeout), modem status */
}

/* Follows DCD: it going off after it was on is a hangup. */
static void watch_carrier(void)
{
    bool dcd = inb(base + MSR) & MSR_DCD;
    if (carrier && !dcd)
        hung_up = true;
    carrier = dcd;
}

/* Moves what the receiver holds into the buffer. */
static void drain(void)
{
    for (unsigned k = 0; k < 4096 && (inb(base + LSR) & LSR_DR); k++) {
        char c = (char)inb(base + RBR);
        if (rx_count == RX_SIZE) {
            rx_lost++;
            continue;
        }
        rx[(rx_head + rx_count) % RX_SIZE] = c;
        rx_count++;
    }
    if (!holding && rx_count >= RX_SIZE - 64) {
        holding = true;
        outb(base + MCR, MCR_HOLD);
    }
}

static int take(char *to, int want)
{
    int n = 0;
    while (n < want && rx_count) {
        to[n++] = rx[rx_head];
        rx_head = (rx_head + 1) % RX_SIZE;
        rx_count--;
    }
    if (holding && rx_count < RX_SIZE / 2) {
        holding = false;
        outb(base + MCR, MCR_ON);
    }
    return n;
}

/* Answers the waiting reads while there are bytes. */
static void answer_readers(void)
{
    static char chunk[CHACM_DEVICE_XFER_MAX];
    drv_req_t r;
    while (rx_count && drv_queue_take(&readers, &r)) {
        int n = take(chunk, (int)r.arg[0]);
        device_read_reply(r.caller, ESUCCESS, n, chunk);
    }
    while (hung_up && !rx_count && drv_queue_take(&readers, &r))
        device_read_reply(r.caller, EEOF, 0, chunk);
}

static int do_open(int obj, int mode, const char *dev, int *out_obj, chacm_srvenv_t *env)
{
    (void)env;
    *out_obj = -1;
    if (obj != 0)
        return EINVALID;
    if (mode & ~(D_READ | D_WRITE))
        return EBADPARM;
    if (strcmp(dev, name) != 0)
        return ENOTFOUND;
    *out_obj = 0;
    return ESUCCESS;
}

static int do_close(int obj, chacm_srvenv_t *env)
{
    if (obj != 0)
        return EINVALID;
    drv_queue_drop(&readers, env->caller);
    return ESUCCESS;
}

static int do_read(int obj, int mode, int recnum, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)recnum;
    *size = 0;
    if (obj != 0)
        return EINVALID;
    if (count <= 0 || count > CHACM_DEVICE_XFER_MAX)
        return EBADPARM;
    drain();
    watch_carrier();
    if (rx_count) {
        *size = take(*data, count);
        return ESUCCESS;
    }
    if (hung_up)
        return EEOF;
    if (mode & D_NOWAIT)
        return EAGAIN;
    drv_req_t r = { .caller = env->caller, .key = arrivals++, .arg = { (L4_Word_t)count } };
    if (!drv_queue_put(&readers, &r))
        return EAGAIN;                                  /* too many readers waiting */
    chacm_srv_defer(env);
    return ESUCCESS;
}

static int do_write(int obj, int mode, int recnum, int size, const char *data, int *written, chacm_srvenv_t *env)
{
    (void)mode, (void)recnum, (void)env;
    *written = 0;
    if (obj != 0)
        return EINVALID;
    if (size < 0 || size > CHACM_DEVICE_XFER_MAX)
        return EBADPARM;
    memcpy(out, data, (size_t)size);
    for (int done = 0; done < size;) {
        unsigned k = 0;
        while (!(inb(base + LSR) & LSR_THRE)) {
            if (++k == POLL_LIMIT)
                return EAGAIN;                          /* the transmitter is stuck */
            L4_ThreadSwitch(L4_nilthread);
        }
        int n = size - done < 16 ? size - done : 16;    /* the transmit FIFO */
        outsb(base + THR, out + done, (L4_Word_t)n);
        done += n;
        *written = done;
    }
    return ESUCCESS;
}

static int do_get_status(int obj, int flavor, int *count, int **status, chacm_srvenv_t *env)
{
    (void)env;
    *count = 0;
    if (obj != 0)
        return EINVALID;
    int *s = *status;
    if (flavor == DEV_GET_SIZE) {
        s[0] = (int)rx_count;                           /* bytes waiting to be read */
        s[1] = 1;
        *count = 2;
    } else if (flavor == DEV_GET_INFO) {
        s[0] = DEV_KIND_LINE;
        s[1] = 0;
        s[2] = (int)rx_lost;
        *count = 3;
    } else if (flavor == DEV_LINE) {
        s[0] = rate;
        s[1] = data_bits;
        *count = 2;
    } else if (flavor == DEV_CARRIER) {
        watch_carrier();
        s[0] = carrier;
        s[1] = hung_up;
        *count = 2;
    } else {
        return ESUPP;
    }
    return ESUCCESS;
}

static int do_set_status(int obj, int flavor, int count, const int *status, chacm_srvenv_t *env)
{
    (void)env;
    if (obj != 0)
        return EINVALID;
    if (flavor != DEV_LINE)
        return ESUPP;
    if (count != 2 || status[0] <= 0 || status[0] > UART_CLOCK || UART_CLOCK % status[0] || status[1] < 5 ||
        status[1] > 8)
        return EBADPARM;
    rate = status[0];
    data_bits = status[1];
    program_line();
    return ESUCCESS;
}

static void do_interrupt(chacm_srvenv_t *env)
{
    (void)env;
    for (unsigned k = 0; k < 16 && !(inb(base + IIR) & 1); k++) {
        drain();                                        /* every pending source read: the line may rise again */
        watch_carrier();
    }
    answer_readers();
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    static const int have[] = { GENERIC_API, DEVICE_API, REGISTRANT_API };
    (void)env;
    if (obj != 0)
        return EINVALID;
    return chacm_implements(ids, n, have, 3);
}

/* `serial [NAME [PORT IRQ]]`; false on arguments it cannot use. */
static bool parse_args(void)
{
    static char cmd[128];
    char *save = NULL, *end;
    strlcpy(cmd, lib_cmdline(), sizeof cmd);
    strtok_r(cmd, " ", &save);
    const char *a = strtok_r(NULL, " ", &save), *p = strtok_r(NULL, " ", &save), *q = strtok_r(NULL, " ", &save);
    if (a)
        strlcpy(name, a, sizeof name);
    if (p) {
        unsigned long v = strtoul(p, &end, 0), w = q ? strtoul(q, &end, 0) : 99;
        if (v == 0 || v > 0xFFF8 || (v & 7) || w > 15)
            return false;
        base = (L4_Word16_t)v;
        irq = (unsigned)w;
    }
    return true;
}

int main(void)
{
    if (!parse_args()) {
        printf("serial: usage: serial [NAME [PORT IRQ]] (PORT a multiple of 8, IRQ 0-15)\n");
        return 1;
    }
    if (drv_get_ports(base, 3) != ESUCCESS || drv_irq_attach(irq) != ESUCCESS) {
        printf("serial: %s: ports %#x or IRQ %u are not to be had\n", name, base, irq);
        return 1;
    }
    outb(base + SCR, 0x5A);
    if (inb(base + SCR) != 0x5A) {
        printf("serial: %s: no UART at %#x\n", name, base);
        return 1;
    }
    drv_queue_init(&readers, reader_slots, MAX_READERS);
    carrier = inb(base + MSR) & MSR_DCD;
    program_line();
    int rc = drv_publish(name, 0);
    if (rc != ESUCCESS)
        printf("serial: cannot publish /dev/%s (%d)\n", name, rc);
    ops.generic_implements = do_implements;
    ops.registrant_names_back = drv_names_back;
    ops.device_open = do_open;
    ops.device_close = do_close;
    ops.device_read = do_read;
    ops.device_write = do_write;
    ops.device_get_status = do_get_status;
    ops.device_set_status = do_set_status;
    ops.device_irq_interrupt = do_interrupt;
    serialdrv_serve(&ops, &bufs, NULL);
    return 0;
}
