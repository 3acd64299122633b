/* The ATA drive: PIO commands on the primary channel (command block
 * 0x1F0-0x1F7, control 0x3F6, IRQ 14), 28-bit LBA.  Every data command
 * follows the ATA PIO protocol: wait for BSY clear, write the registers
 * and the command; reads wait for the interrupt of each DRQ block, read
 * the status (which clears it) and take the block with insw; writes wait
 * for DRQ, give the block with outsw and wait for its interrupt.  ERR in
 * the status ends a command with ATA_EIO; a missing interrupt with
 * ATA_ETIMEOUT after a soft reset. */
#include <stdio.h>
#include <string.h>
#include <chacm/driver.h>
#include <chacm/lib.h>
#include <l4/ioport.h>
#include <l4/schedule.h>

#include "atadrv_server.h"

#include "ata.h"

#define PORT_DATA 0x1F0
#define PORT_ERROR 0x1F1
#define PORT_FEATURES 0x1F1
#define PORT_NSECT 0x1F2
#define PORT_LBAL 0x1F3
#define PORT_LBAM 0x1F4
#define PORT_LBAH 0x1F5
#define PORT_DEVICE 0x1F6
#define PORT_STATUS 0x1F7
#define PORT_COMMAND 0x1F7
#define PORT_ALTSTATUS 0x3F6
#define PORT_CONTROL 0x3F6
#define ATA_IRQ 14

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_DRDY 0x40
#define ST_BSY 0x80

#define CMD_READ_SECTORS 0x20
#define CMD_WRITE_SECTORS 0x30
#define CMD_READ_MULTIPLE 0xC4
#define CMD_WRITE_MULTIPLE 0xC5
#define CMD_SET_MULTIPLE 0xC6
#define CMD_FLUSH_CACHE 0xE7
#define CMD_IDENTIFY 0xEC

#define IRQ_TIMEOUT_US 5000000      /* an interrupt later than this is lost */
#define POLL_LIMIT 100000           /* status reads while waiting for BSY/DRQ */

static uint8_t last_error;

uint8_t ata_last_error(void)
{
    return last_error;
}

/* Waits until BSY is clear; the status, or -1 after POLL_LIMIT reads. */
static int wait_not_busy(void)
{
    for (unsigned k = 0; k < POLL_LIMIT; k++) {
        uint8_t st = inb(PORT_ALTSTATUS);
        if (!(st & ST_BSY))
            return st;
        if (k > 16)
            L4_ThreadSwitch(L4_nilthread);      /* the drive's time passes */
    }
    return -1;
}

static void soft_reset(void)
{
    outb(PORT_CONTROL, 0x04);
    outb(PORT_CONTROL, 0x00);
    wait_not_busy();
}

/* The status after an interrupt (reading it clears the interrupt), or -1
 * when none came in time. */
static int wait_irq(void)
{
    int rc = drv_irq_wait(ATA_IRQ, IRQ_TIMEOUT_US);
    if (rc != ESUCCESS)
        return -1;
    int st = inb(PORT_STATUS);
    drv_irq_ack(ATA_IRQ);
    return st;
}

static int fail(int st)
{
    if (st < 0) {
        last_error = 0;
        soft_reset();
        return ATA_ETIMEOUT;
    }
    last_error = inb(PORT_ERROR);
    return ATA_EIO;
}

static int command(uint8_t cmd, uint32_t lba, uint8_t count, uint8_t features)
{
    if (wait_not_busy() < 0) {
        soft_reset();
        if (wait_not_busy() < 0)
            return ATA_ETIMEOUT;
    }
    outb(PORT_DEVICE, (uint8_t)(0xE0 | ((lba >> 24) & 0x0f)));
    outb(PORT_FEATURES, features);
    outb(PORT_NSECT, count);
    outb(PORT_LBAL, (uint8_t)lba);
    outb(PORT_LBAM, (uint8_t)(lba >> 8));
    outb(PORT_LBAH, (uint8_t)(lba >> 16));
    outb(PORT_COMMAND, cmd);
    return ATA_OK;
}

/* A command without data: its interrupt and status. */
static int no_data(uint8_t cmd, uint8_t count)
{
    int rc = command(cmd, 0, count, 0);
    if (rc != ATA_OK)
        return rc;
    int st = wait_irq();
    return st < 0 || (st & (ST_ERR | ST_DF)) ? fail(st) : ATA_OK;
}

/* Reads blocks of `per` sectors, count in all (<= 256), into buf. */
static int pio_in(uint8_t cmd, uint32_t lba, uint32_t count, unsigned per, uint8_t *buf)
{
    int rc = command(cmd, lba, (uint8_t)count, 0);
    if (rc != ATA_OK)
        return rc;
    while (count > 0) {
        int st = wait_irq();
        if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
            return fail(st);
        unsigned n = count < per ? count : per;
        insw(PORT_DATA, buf, n * ATA_SECTOR / 2);
        buf += n * ATA_SECTOR;
        count -= n;
    }
    return ATA_OK;
}

static int pio_out(uint8_t cmd, uint32_t lba, uint32_t count, unsigned per, const uint8_t *buf)
{
    int rc = command(cmd, lba, (uint8_t)count, 0);
    if (rc != ATA_OK)
        return rc;
    int st = wait_not_busy();
    while (count > 0) {
        if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
            return fail(st);
        unsigned n = count < per ? count : per;
        outsw(PORT_DATA, buf, n * ATA_SECTOR / 2);
        buf += n * ATA_SECTOR;
        count -= n;
        st = wait_irq();
    }
    return st < 0 || (st & (ST_ERR | ST_DF)) ? fail(st) : ATA_OK;
}

static void ident_string(char *to, const uint16_t *w, unsigned words)
{
    for (unsigned k = 0; k < words; k++) {
        to[2 * k] = (char)(w[k] >> 8);
        to[2 * k + 1] = (char)w[k];
    }
    unsigned n = 2 * words;
    while (n > 0 && to[n - 1] == ' ')
        n--;
    to[n] = 0;
}

int ata_init(ata_drive_t *d)
{
    memset(d, 0, sizeof *d);
    if (drv_get_ports(0x1F0, 3) != ESUCCESS || drv_get_ports(0x3F6, 0) != ESUCCESS)
        return ATA_ENODEV;
    if (drv_irq_attach(ATA_IRQ) != ESUCCESS)
        return ATA_ENODEV;
    /* the firmware may have left device 1 selected (a BIOS probes both
     * devices of the channel): the status is device 0's only after
     * selecting it and waiting 400 ns (four reads of alternate status) */
    outb(PORT_DEVICE, 0xA0);
    for (int k = 0; k < 4; k++)
        (void)inb(PORT_ALTSTATUS);
    uint8_t st = inb(PORT_STATUS);
    if (st == 0xFF || st == 0x00)
        return ATA_ENODEV;                  /* a floating bus, or no device 0 */
    outb(PORT_CONTROL, 0x00);               /* interrupts on */
    static uint16_t id[256];
    int rc = pio_in(CMD_IDENTIFY, 0, 1, 1, (uint8_t *)id);
    if (rc != ATA_OK)
        return rc == ATA_EIO ? ATA_ENODEV : rc;
    if (!(id[49] & 0x0200))
        return ATA_ENODEV;                  /* no LBA: not ours */
    d->sectors = id[60] | (uint32_t)id[61] << 16;
    ident_string(d->model, id + 27, 20);
    /* the largest multiple count the drive takes (a power of 2, word 47's
     * maximum), so that a request of 256 sectors costs few interrupts */
    unsigned most = id[47] & 0xff;
    for (unsigned m = ATA_MULTIPLE; m >= 2 && !d->multiple; m /= 2)
        if (m <= most && no_data(CMD_SET_MULTIPLE, (uint8_t)m) == ATA_OK)
            d->multiple = m;
    return d->sectors ? ATA_OK : ATA_ENODEV;
}

/* Splits a transfer into commands of at most 256 sectors. */
static int transfer(ata_drive_t *d, uint32_t lba, uint32_t count, uint8_t *buf, bool write)
{
    if (count == 0 || lba >= d->sectors || count > d->sectors - lba)
        return ATA_ERANGE;
    while (count > 0) {
        uint32_t n = count < 256 ? count : 256;
        int rc;
        if (write)
            rc = d->multiple ? pio_out(CMD_WRITE_MULTIPLE, lba, n, d->multiple, buf)
                             : pio_out(CMD_WRITE_SECTORS, lba, n, 1, buf);
        else
            rc = d->multiple ? pio_in(CMD_READ_MULTIPLE, lba, n, d->multiple, buf)
                             : pio_in(CMD_READ_SECTORS, lba, n, 1, buf);
        if (rc != ATA_OK)
            return rc;
        lba += n;
        count -= n;
        buf += n * ATA_SECTOR;
    }
    return ATA_OK;
}

int ata_read(ata_drive_t *d, uint32_t lba, uint32_t count, void *buf)
{
    return transfer(d, lba, count, buf, false);
}

int ata_write(ata_drive_t *d, uint32_t lba, uint32_t count, const void *buf)
{
    return transfer(d, lba, count, (uint8_t *)(uintptr_t)buf, true);
}

int ata_flush(ata_drive_t *d)
{
    (void)d;
    return no_data(CMD_FLUSH_CACHE, 0);
}
