/* An ATA disk: the master drive of a channel, PIO only, 28-bit LBA (and
 * CHS through a 16-head, 63-sector translation), on a host image file.
 * Command block at base (data, error/features, sector count, LBA low,
 * mid, high, device, status/command), control block at ctl (alternate
 * status / device control).  Commands: IDENTIFY DEVICE, READ/WRITE
 * SECTORS (with and without retries), READ/WRITE MULTIPLE, SET MULTIPLE
 * MODE, READ VERIFY, FLUSH CACHE, SET FEATURES (transfer mode, write
 * cache), INITIALIZE DEVICE PARAMETERS, EXECUTE DEVICE DIAGNOSTIC, the
 * power commands, RECALIBRATE; any other command ends with ABRT.
 *
 * Protocol states (ATA PIO): IDLE (DRDY) --command--> BUSY (BSY, for one
 * command time on the virtual clock) --> DATA_IN / DATA_OUT (DRQ, a block
 * in the buffer) or IDLE.  Reads interrupt when each block is ready;
 * writes ask for the first block without interrupt and interrupt after
 * each block is written.  A read of the status register clears a pending
 * interrupt; nIEN masks it; SRST resets the drive.  Errors end a command
 * with ERR in status and the cause in the error register: ABRT for an
 * unknown or refused command, IDNF for an address beyond the last
 * sector, UNC for an image read that failed, and ABRT for one that could
 * not be written (also for the faults a fault plan injects, sim_ata_fault). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "models.h"

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DSC 0x10
#define ST_DF 0x20
#define ST_DRDY 0x40
#define ST_BSY 0x80
#define ER_AMNF 0x01
#define ER_ABRT 0x04
#define ER_IDNF 0x10
#define ER_UNC 0x40
#define DEV_LBA 0x40
#define DEV_DRV 0x10
#define CTL_NIEN 0x02
#define CTL_SRST 0x04

#define ATA_MAX_MULTIPLE 128
#define ATA_HEADS 16
#define ATA_SPT 63
#define ATA_CMD_NS 2000ull          /* virtual time a command (or a block) keeps the drive busy */
#define ATA_LBA28_MAX 0x0FFFFFFFull

typedef enum { IDLE, BUSY, DATA_IN, DATA_OUT } ata_state_t;

bool (*sim_ata_fault)(bool write, uint64_t lba, unsigned n, uint8_t *buf);

struct sim_ata {
    unsigned base, ctl, irq;
    int fd;
    bool read_only;
    uint32_t sectors;
    uint8_t features, nsect, lbal, lbam, lbah, device, status, error, control;
    ata_state_t state;
    uint8_t command;                /* the command in progress */
    uint32_t lba;                   /* next sector of the transfer */
    uint32_t left;                  /* sectors still to transfer */
    unsigned block;                 /* sectors per DRQ block */
    unsigned multiple;              /* SET MULTIPLE's count; 0: not set */
    uint8_t buf[ATA_MAX_MULTIPLE * SIM_ATA_SECTOR];
    unsigned pos, len;              /* bytes of buf transferred, bytes in this block */
    bool intrq;
    sim_event_t done;
    void (*after)(sim_ata_t *);     /* what the busy time ends with */
    uint64_t nread, nwritten;
};

/* ---- interrupts and the end of commands ---- */

static void interrupt(sim_ata_t *a)
{
    a->intrq = true;
    if (!(a->control & CTL_NIEN))
        sim_irq_raise(a->irq);
}

static void finish_ok(sim_ata_t *a)
{
    a->state = IDLE;
    a->status = ST_DRDY | ST_DSC;
    interrupt(a);
}

static void finish_error(sim_ata_t *a, uint8_t error)
{
    a->state = IDLE;
    a->error = error;
    a->status = ST_DRDY | ST_DSC | ST_ERR;
    interrupt(a);
}

static void busy_done(void *ctx)
{
    sim_ata_t *a = ctx;
    void (*after)(sim_ata_t *) = a->after;
    a->after = NULL;
    if (after)
        after(a);
}

/* The drive is busy for one command time, then runs after. */
static void go_busy(sim_ata_t *a, void (*after)(sim_ata_t *))
{
    a->state = BUSY;
    a->status = ST_BSY;
    a->after = after;
    sim_event_at(&a->done, sim_now() + ATA_CMD_NS, busy_done, a);
}

/* ---- addresses ---- */

/* The command's first sector from the registers. */
static uint32_t reg_address(const sim_ata_t *a)
{
    if (a->device & DEV_LBA)
        return (uint32_t)(a->device & 0x0f) << 24 | (uint32_t)a->lbah << 16 | (uint32_t)a->lbam << 8 | a->lbal;
    unsigned cyl = (unsigned)a->lbah << 8 | a->lbam, head = a->device & 0x0f, sector = a->lbal;
    if (sector == 0 || sector > ATA_SPT)
        return UINT32_MAX;
    return (uint32_t)((cyl * ATA_HEADS + head) * ATA_SPT + sector - 1);
}

/* Writes lba back into the registers, as the drive leaves them after a
 * command (the last sector transferred, or the one in error). */
static void set_address(sim_ata_t *a, uint32_t lba)
{
    if (a->device & DEV_LBA) {
        a->lbal = (uint8_t)lba;
        a->lbam = (uint8_t)(lba >> 8);
        a->lbah = (uint8_t)(lba >> 16);
        a->device = (uint8_t)((a->device & 0xf0) | ((lba >> 24) & 0x0f));
    }
}

/* Takes the transfer's address and count; false after ending the command
 * with IDNF when it leaves the disk. */
static bool start_transfer(sim_ata_t *a, unsigned block)
{
    uint32_t lba = reg_address(a);
    uint32_t n = a->nsect ? a->nsect : 256;
    if (lba == UINT32_MAX || lba >= a->sectors || n > a->sectors - lba) {
        set_address(a, lba == UINT32_MAX ? 0 : lba < a->sectors ? a->sectors : lba);
        finish_error(a, ER_IDNF);
        return false;
    }
    a->lba = lba;
    a->left = n;
    a->block = block;
    return true;
}

static unsigned this_block(const sim_ata_t *a)
{
    return a->left < a->block ? a->left : a->block;
}

/* ---- data transfers ---- */

static void read_block(sim_ata_t *a)
{
    unsigned n = this_block(a);
    size_t bytes = (size_t)n * SIM_ATA_SECTOR;
    ssize_t got = pread(a->fd, a->buf, bytes, (off_t)a->lba * SIM_ATA_SECTOR);
    if (got < 0 || (size_t)got != bytes || (sim_ata_fault && sim_ata_fault(false, a->lba, n, a->buf))) {
        set_address(a, a->lba);
        finish_error(a, ER_UNC);
        return;
    }
    a->nread += n;
    a->pos = 0;
    a->len = (unsigned)bytes;
    a->state = DATA_IN;
    a->status = ST_DRDY | ST_DSC | ST_DRQ;
    interrupt(a);
}

/* The host has taken a whole block. */
static void read_block_taken(sim_ata_t *a)
{
    unsigned n = this_block(a);
    a->lba += n;
    a->left -= n;
    set_address(a, a->lba - 1);
    a->nsect = (uint8_t)a->left;
    if (a->left) {
        go_busy(a, read_block);
    } else {
        a->state = IDLE;
        a->status = ST_DRDY | ST_DSC;
    }
}

static void want_block(sim_ata_t *a)
{
    a->pos = 0;
    a->len = this_block(a) * SIM_ATA_SECTOR;
    a->state = DATA_OUT;
    a->status = ST_DRDY | ST_DSC | ST_DRQ;
}

static void write_block(sim_ata_t *a)
{
    unsigned n = this_block(a);
    size_t bytes = (size_t)n * SIM_ATA_SECTOR;
    if (sim_ata_fault && sim_ata_fault(true, a->lba, n, a->buf)) {
        set_address(a, a->lba);
        finish_error(a, ER_ABRT);
        return;
    }
    ssize_t put = pwrite(a->fd, a->buf, bytes, (off_t)a->lba * SIM_ATA_SECTOR);
    if (put < 0 || (size_t)put != bytes) {
        set_address(a, a->lba);
        finish_error(a, ER_ABRT);
        return;
    }
    a->nwritten += n;
    a->lba += n;
    a->left -= n;
    set_address(a, a->lba - 1);
    a->nsect = (uint8_t)a->left;
    if (a->left) {
        want_block(a);
        interrupt(a);
    } else {
        finish_ok(a);
    }
}

/* ---- commands ---- */

static void put_string(uint16_t *w, unsigned words, const char *s)
{
    for (unsigned k = 0; k < words; k++) {
        char hi = *s ? *s++ : ' ';
        char lo = *s ? *s++ : ' ';
        w[k] = (uint16_t)((uint8_t)hi << 8 | (uint8_t)lo);
    }
}

static void identify(sim_ata_t *a)
{
    uint16_t w[256];
    memset(w, 0, sizeof w);
    uint32_t cyl = a->sectors / (ATA_HEADS * ATA_SPT);
    if (cyl > 16383)
        cyl = 16383;
    uint32_t chs = cyl * ATA_HEADS * ATA_SPT;
    w[0] = 0x0040;                          /* fixed device, ATA */
    w[1] = (uint16_t)cyl;
    w[3] = ATA_HEADS;
    w[6] = ATA_SPT;
    put_string(w + 10, 10, "CHACMSIM0001");
    put_string(w + 23, 4, "1.0");
    put_string(w + 27, 20, "CHACMSIM ATA DISK");
    w[47] = 0x8000 | ATA_MAX_MULTIPLE;
    w[49] = 0x0200;                         /* LBA supported (no DMA) */
    w[50] = 0x4000;
    w[51] = 0x0200;                         /* PIO mode 2 timing */
    w[53] = 0x0001;                         /* words 54-58 valid */
    w[54] = (uint16_t)cyl;
    w[55] = ATA_HEADS;
    w[56] = ATA_SPT;
    w[57] = (uint16_t)chs;
    w[58] = (uint16_t)(chs >> 16);
    w[59] = a->multiple ? (uint16_t)(0x0100 | a->multiple) : 0;
    w[60] = (uint16_t)a->sectors;
    w[61] = (uint16_t)(a->sectors >> 16);
    w[80] = 0x007E;                         /* ATA-1 .. ATA-6 */
    w[82] = 0x4020;                         /* write cache */
    w[83] = 0x5000;                         /* FLUSH CACHE */
    w[84] = 0x4000;
    w[85] = 0x0020;                         /* write cache enabled */
    w[86] = 0x1000;
    w[87] = 0x4000;
    w[255] = 0x00A5;
    uint8_t sum = 0;
    for (unsigned k = 0; k < 255; k++)
        sum = (uint8_t)(sum + (w[k] & 0xff) + (w[k] >> 8));
    sum = (uint8_t)(sum + 0xA5);
    w[255] = (uint16_t)((uint8_t)-sum << 8 | 0xA5);
    for (unsigned k = 0; k < 256; k++) {
        a->buf[2 * k] = (uint8_t)w[k];
        a->buf[2 * k + 1] = (uint8_t)(w[k] >> 8);
    }
    a->left = 1;
    a->block = 1;
    a->pos = 0;
    a->len = SIM_ATA_SECTOR;
    a->state = DATA_IN;
    a->status = ST_DRDY | ST_DSC | ST_DRQ;
    interrupt(a);
}

static void identify_taken(sim_ata_t *a)
{
    a->left = 0;
    a->state = IDLE;
    a->status = ST_DRDY | ST_DSC;
}

static void signature(sim_ata_t *a)
{
    a->nsect = 1;
    a->lbal = 1;
    a->lbam = 0;
    a->lbah = 0;
    a->device &= DEV_LBA | 0xA0;
}

static void diagnosed(sim_ata_t *a)
{
    signature(a);
    a->error = ER_AMNF;                     /* 01h: device 0 passed, no device 1 */
    finish_ok(a);
}

static void flushed(sim_ata_t *a)
{
    if (fdatasync(a->fd) != 0 && !a->read_only) {
        finish_error(a, ER_ABRT);
        return;
    }
    finish_ok(a);
}

static void verified(sim_ata_t *a)
{
    set_address(a, a->lba + a->left - 1);
    a->nsect = 0;
    finish_ok(a);
}

static void aborted(sim_ata_t *a)
{
    finish_error(a, ER_ABRT);
}

static void command(sim_ata_t *a, uint8_t cmd)
{
    if (a->device & DEV_DRV)
        return;                             /* no device 1: nobody executes it */
    if (a->state != IDLE && cmd != 0x08)
        return;                             /* a command while busy is not taken */
    a->command = cmd;
    a->error = 0;
    switch (cmd) {
    case 0xEC:                              /* IDENTIFY DEVICE */
        go_busy(a, identify);
        return;
    case 0x20: case 0x21:                   /* READ SECTORS */
        if (start_transfer(a, 1))
            go_busy(a, read_block);
        return;
    case 0xC4:                              /* READ MULTIPLE */
        if (!a->multiple)
            break;
        if (start_transfer(a, a->multiple))
            go_busy(a, read_block);
        return;
    case 0x30: case 0x31:                   /* WRITE SECTORS */
    case 0xC5:                              /* WRITE MULTIPLE */
        if (a->read_only || (cmd == 0xC5 && !a->multiple))
            break;
        if (start_transfer(a, cmd == 0xC5 ? a->multiple : 1))
            want_block(a);
        return;
    case 0x40: case 0x41:                   /* READ VERIFY SECTORS */
        if (start_transfer(a, 1))
            go_busy(a, verified);
        return;
    case 0xC6:                              /* SET MULTIPLE MODE */
        if (a->nsect == 0 || a->nsect > ATA_MAX_MULTIPLE || (a->nsect & (a->nsect - 1)))
            break;
        a->multiple = a->nsect;
        go_busy(a, finish_ok);
        return;
    case 0xE7:                              /* FLUSH CACHE */
        go_busy(a, flushed);
        return;
    case 0xEF:                              /* SET FEATURES */
        if (a->features != 0x03 && a->features != 0x02 && a->features != 0x82)
            break;
        if (a->features == 0x03 && (a->nsect >> 3) > 1)
            break;                          /* PIO modes only */
        go_busy(a, finish_ok);
        return;
    case 0x91:                              /* INITIALIZE DEVICE PARAMETERS */
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: /* STANDBY / IDLE (IMMEDIATE) */
        go_busy(a, finish_ok);
        return;
    case 0xE5:                              /* CHECK POWER MODE: active */
        a->nsect = 0xFF;
        go_busy(a, finish_ok);
        return;
    case 0x90:                              /* EXECUTE DEVICE DIAGNOSTIC */
        go_busy(a, diagnosed);
        return;
    default:
        if (cmd >= 0x10 && cmd <= 0x1F) {   /* RECALIBRATE */
            go_busy(a, finish_ok);
            return;
        }
        break;
    }
    go_busy(a, aborted);
}

static void reset(sim_ata_t *a)
{
    sim_event_cancel(&a->done);
    a->after = NULL;
    a->left = 0;
    a->device = 0;
    a->features = 0;
    signature(a);
    a->error = ER_AMNF;
    a->state = BUSY;
    a->status = ST_BSY;
    a->intrq = false;
}

static void reset_done(sim_ata_t *a)
{
    a->state = IDLE;
    a->status = ST_DRDY | ST_DSC;
}

/* ---- the data register ---- */

static uint32_t data_in(sim_ata_t *a, unsigned width)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < width && a->state == DATA_IN && a->pos < a->len; k++)
        v |= (uint32_t)a->buf[a->pos++] << (8 * k);
    if (a->state == DATA_IN && a->pos >= a->len) {
        if (a->command == 0xEC)
            identify_taken(a);
        else
            read_block_taken(a);
    }
    return v;
}

static void data_out(sim_ata_t *a, unsigned width, uint32_t v)
{
    for (unsigned k = 0; k < width && a->state == DATA_OUT && a->pos < a->len; k++)
        a->buf[a->pos++] = (uint8_t)(v >> (8 * k));
    if (a->state == DATA_OUT && a->pos >= a->len)
        go_busy(a, write_block);
}

/* String I/O of the data register: the rest of the block at once. */
static size_t ata_ins(void *ctx, unsigned port, unsigned width, void *buf, size_t count)
{
    sim_ata_t *a = ctx;
    if (port != a->base || a->state != DATA_IN)
        return 0;
    size_t n = (a->len - a->pos) / width;
    if (n > count)
        n = count;
    memcpy(buf, a->buf + a->pos, n * width);
    a->pos += (unsigned)(n * width);
    if (a->pos >= a->len) {
        if (a->command == 0xEC)
            identify_taken(a);
        else
            read_block_taken(a);
    }
    return n;
}

static size_t ata_outs(void *ctx, unsigned port, unsigned width, const void *buf, size_t count)
{
    sim_ata_t *a = ctx;
    if (port != a->base || a->state != DATA_OUT)
        return 0;
    size_t n = (a->len - a->pos) / width;
    if (n > count)
        n = count;
    memcpy(a->buf + a->pos, buf, n * width);
    a->pos += (unsigned)(n * width);
    if (a->pos >= a->len)
        go_busy(a, write_block);
    return n;
}

/* ---- port handlers ---- */

static uint8_t status_for_read(const sim_ata_t *a)
{
    return (a->device & DEV_DRV) ? 0 : a->status;
}

static uint32_t ata_in(void *ctx, unsigned port, unsigned width)
{
    sim_ata_t *a = ctx;
    if (port == a->ctl)
        return status_for_read(a);          /* alternate status: no side effect */
    if (a->device & DEV_DRV && port != a->base + 6)
        return 0;                           /* device 1 absent: device 0 answers 00h */
    switch (port - a->base) {
    case 0:
        return data_in(a, width);
    case 1:
        return a->error;
    case 2:
        return a->nsect;
    case 3:
        return a->lbal;
    case 4:
        return a->lbam;
    case 5:
        return a->lbah;
    case 6:
        return a->device | 0xA0;
    default:
        a->intrq = false;                   /* reading status clears INTRQ */
        return a->status;
    }
}

static void ata_out(void *ctx, unsigned port, unsigned width, uint32_t v)
{
    sim_ata_t *a = ctx;
    if (port == a->ctl) {
        bool was = a->control & CTL_SRST;
        a->control = (uint8_t)v;
        if (v & CTL_SRST) {
            reset(a);
        } else if (was) {
            a->after = reset_done;
            sim_event_at(&a->done, sim_now() + ATA_CMD_NS, busy_done, a);
        }
        return;
    }
    if (port == a->base) {
        data_out(a, width, v);
        return;
    }
    if (a->state == BUSY || (a->status & ST_DRQ))
        return;                             /* registers are the drive's while BSY or DRQ */
    uint8_t b = (uint8_t)v;
    switch (port - a->base) {
    case 1: a->features = b; break;
    case 2: a->nsect = b; break;
    case 3: a->lbal = b; break;
    case 4: a->lbam = b; break;
    case 5: a->lbah = b; break;
    case 6: a->device = b & 0x5f; break;
    case 7: command(a, b); break;
    }
}

static const sim_pio_ops_t ata_ops = { ata_in, ata_out };
static const sim_pio_string_t ata_string = { ata_ins, ata_outs };

sim_ata_t *sim_ata_create(unsigned base, unsigned ctl, unsigned irq, int fd, uint64_t bytes, bool read_only)
{
    uint64_t sectors = bytes / SIM_ATA_SECTOR;
    if (sectors == 0)
        return NULL;
    sim_ata_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    *a = (sim_ata_t){ .base = base, .ctl = ctl, .irq = irq, .fd = fd, .read_only = read_only,
                      .sectors = (uint32_t)(sectors > ATA_LBA28_MAX ? ATA_LBA28_MAX : sectors),
                      .status = ST_DRDY | ST_DSC, .error = ER_AMNF, .state = IDLE };
    signature(a);
    /* as a PC's firmware leaves the channel: it probed device 0, then
     * device 1, which stays selected (SeaBIOS under QEMU does so); a
     * driver selects device 0 before it reads the status */
    a->device = DEV_DRV;
    if (!sim_bus_claim_ports(base, 8, &ata_ops, a, "ata")) {
        free(a);
        return NULL;
    }
    if (!sim_bus_claim_ports(ctl, 1, &ata_ops, a, "ata")) {
        free(a);
        return NULL;
    }
    sim_bus_string_ops(base, &ata_string);
    return a;
}

void sim_ata_free(sim_ata_t *a)
{
    if (!a)
        return;
    sim_event_cancel(&a->done);
    free(a);
}

void sim_ata_counts(const sim_ata_t *a, uint64_t *read, uint64_t *written)
{
    *read = a->nread;
    *written = a->nwritten;
}
