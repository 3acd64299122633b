/* ata: the ATA disk driver (README.md).  Command line: `ata [NAME]`
 * (default hda).  Publishes the disk as /dev/NAME (object 0) and its MBR
 * partitions as /dev/NAME1../dev/NAME4 (objects 1-4), and serves them by
 * block.idl (filesvr mounts them) and device.idl, one request at a time:
 * the serving thread is the interrupt handler and waits for the drive's
 * interrupts itself, so the kernel's send queue is the request queue. */
#include <stdio.h>
#include <string.h>
#include <chacm/driver.h>
#include <chacm/lib.h>
#include <chacm/object.h>

#include "ata.h"
#include "atadrv_server.h"

static atadrv_ops_t ops;
static atadrv_buffers_t bufs;
static ata_drive_t drive;
static ata_part_t parts[ATA_MAX_PARTS];
static char name[32];
static char xfer[CHACM_BLOCK_BULK_MAX];     /* a reply's data: one request of up to 256 sectors */

/* Object obj's first sector and size; false if it is no object. */
static bool object(int obj, uint32_t *start, uint32_t *sectors)
{
    if (obj == 0) {
        *start = 0;
        *sectors = drive.sectors;
        return true;
    }
    if (obj < 1 || obj > ATA_MAX_PARTS || !parts[obj - 1].used)
        return false;
    *start = parts[obj - 1].start;
    *sectors = parts[obj - 1].sectors;
    return true;
}

/* Checks a transfer of count sectors (at most max bytes) at nr of obj:
 * ESUCCESS and *lba. */
static int check(int obj, int nr, int count, int max, uint32_t *lba)
{
    uint32_t start, n;
    if (!object(obj, &start, &n))
        return EINVALID;
    if (nr < 0 || count <= 0 || count > max / (int)ATA_SECTOR || (uint32_t)nr >= n ||
        (uint32_t)count > n - (uint32_t)nr)
        return EBADPARM;
    *lba = start + (uint32_t)nr;
    return ESUCCESS;
}

static int io_result(int rc, const char *what, uint32_t lba)
{
    if (rc == ATA_OK)
        return ESUCCESS;
    printf("ata: %s at sector %u failed (%s, error register %#x)\n", what, lba,
           rc == ATA_ETIMEOUT ? "no interrupt" : "drive error", ata_last_error());
    return EAGAIN;
}

static int do_get_capacity(int obj, int *count, chacm_srvenv_t *env)
{
    (void)env;
    uint32_t start, n;
    if (!object(obj, &start, &n))
        return EINVALID;
    *count = (int)(n > 0x7fffffff ? 0x7fffffff : n);
    return ESUCCESS;
}

static int do_set_capacity(int obj, int count, chacm_srvenv_t *env)
{
    uint32_t start, n;
    (void)count, (void)env;
    return object(obj, &start, &n) ? ESUPP : EINVALID;
}

static int do_get_blocksize(int obj, int *size, chacm_srvenv_t *env)
{
    uint32_t start, n;
    (void)env;
    *size = ATA_SECTOR;
    return object(obj, &start, &n) ? ESUCCESS : EINVALID;
}

/* block::read and read_bulk: count sectors at nr, up to max bytes. */
static int read_sectors(int obj, int nr, int count, int max, int *size, char **data)
{
    uint32_t lba;
    *size = 0;
    int rc = check(obj, nr, count, max, &lba);
    if (rc != ESUCCESS)
        return rc;
    rc = io_result(ata_read(&drive, lba, (uint32_t)count, xfer), "read", lba);
    if (rc == ESUCCESS) {
        *data = xfer;
        *size = count * (int)ATA_SECTOR;
    }
    return rc;
}

static int write_sectors(int obj, int nr, int count, int max, int size, const char *data)
{
    uint32_t lba;
    int rc = check(obj, nr, count, max, &lba);
    if (rc != ESUCCESS)
        return rc;
    if (size != count * (int)ATA_SECTOR)
        return EBADPARM;
    return io_result(ata_write(&drive, lba, (uint32_t)count, data), "write", lba);
}

static int do_block_read(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)env;
    return read_sectors(obj, nr, count, CHACM_BLOCK_XFER_MAX, size, data);
}

static int do_block_write(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    return write_sectors(obj, nr, count, CHACM_BLOCK_XFER_MAX, size, data);
}

/* Runs of up to 256 sectors: one READ/WRITE MULTIPLE command each. */
static int do_block_read_bulk(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)env;
    return read_sectors(obj, nr, count, CHACM_BLOCK_BULK_MAX, size, data);
}

static int do_block_write_bulk(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    return write_sectors(obj, nr, count, CHACM_BLOCK_BULK_MAX, size, data);
}

static int do_open(int obj, int mode, const char *dev, int *out, chacm_srvenv_t *env)
{
    (void)env;
    *out = -1;
    if (obj != 0)
        return EINVALID;
    if (mode & ~(D_READ | D_WRITE))
        return EBADPARM;
    size_t n = strlen(name);
    if (strncmp(dev, name, n) != 0)
        return ENOTFOUND;
    if (dev[n] == 0) {
        *out = 0;
        return ESUCCESS;
    }
    if (dev[n] >= '1' && dev[n] <= '0' + ATA_MAX_PARTS && dev[n + 1] == 0 && parts[dev[n] - '1'].used) {
        *out = dev[n] - '0';
        return ESUCCESS;
    }
    return ENOTFOUND;
}

static int do_close(int obj, chacm_srvenv_t *env)
{
    uint32_t start, n;
    (void)env;
    return object(obj, &start, &n) ? ESUCCESS : EINVALID;
}

/* device::read and write move whole sectors: count and size in bytes. */
static int do_dev_read(int obj, int mode, int recnum, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)mode;
    *size = 0;
    if (count < 0 || count % (int)ATA_SECTOR)
        return EBADPARM;
    (void)env;
    return read_sectors(obj, recnum, count / (int)ATA_SECTOR, CHACM_DEVICE_XFER_MAX, size, data);
}

static int do_dev_write(int obj, int mode, int recnum, int size, const char *data, int *written,
                        chacm_srvenv_t *env)
{
    (void)mode;
    *written = 0;
    if (size < 0 || size % (int)ATA_SECTOR)
        return EBADPARM;
    (void)env;
    int rc = write_sectors(obj, recnum, size / (int)ATA_SECTOR, CHACM_DEVICE_XFER_MAX, size, data);
    if (rc == ESUCCESS)
        *written = size;
    return rc;
}

static int do_get_status(int obj, int flavor, int *count, int **status, chacm_srvenv_t *env)
{
    (void)env;
    uint32_t start, n;
    *count = 0;
    if (!object(obj, &start, &n))
        return EINVALID;
    int *s = *status;
    if (flavor == DEV_GET_SIZE) {
        s[0] = (int)(n > 0x7fffffff ? 0x7fffffff : n);
        s[1] = ATA_SECTOR;
        *count = 2;
    } else if (flavor == DEV_GET_INFO) {
        s[0] = obj ? DEV_KIND_PARTITION : DEV_KIND_DISK;
        s[1] = (int)start;
        s[2] = obj ? parts[obj - 1].type : 0;
        *count = 3;
    } else {
        return ESUPP;
    }
    return ESUCCESS;
}

static int do_set_status(int obj, int flavor, int count, const int *status, chacm_srvenv_t *env)
{
    uint32_t start, n;
    (void)flavor, (void)count, (void)status, (void)env;
    return object(obj, &start, &n) ? ESUPP : EINVALID;
}

static void do_interrupt(chacm_srvenv_t *env)
{
    (void)env;                              /* an interrupt nobody waited for: the reply acknowledges it */
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    static const int have[] = { GENERIC_API, BLOCK_API, DEVICE_API, REGISTRANT_API };
    uint32_t start, size;
    (void)env;
    if (!object(obj, &start, &size))
        return EINVALID;
    return chacm_implements(ids, n, have, obj == 0 ? 4 : 3);   /* object 0 links the names again */
}

static void publish(const char *dev, int obj)
{
    int rc = drv_publish(dev, obj);
    if (rc != ESUCCESS)
        printf("ata: cannot publish /dev/%s (%d)\n", dev, rc);
}

int main(void)
{
    static char cmd[128];
    char *save = NULL;
    strlcpy(cmd, lib_cmdline(), sizeof cmd);
    strtok_r(cmd, " ", &save);
    const char *arg = strtok_r(NULL, " ", &save);
    strlcpy(name, arg ? arg : "hda", sizeof name - 2);
    int rc = ata_init(&drive);
    if (rc != ATA_OK) {
        printf("ata: no disk on the primary channel (%s)\n", rc == ATA_ETIMEOUT ? "no interrupt" : "no drive");
        return 1;
    }
    int np = part_scan(&drive, parts);
    printf("ata: %s: %s, %u sectors (%u MiB), %d partition%s\n", name, drive.model, drive.sectors,
           drive.sectors / 2048, np, np == 1 ? "" : "s");
    publish(name, 0);
    for (int i = 0; i < ATA_MAX_PARTS; i++) {
        if (!parts[i].used)
            continue;
        char pn[40];
        snprintf(pn, sizeof pn, "%s%d", name, i + 1);
        publish(pn, i + 1);
    }
    ops.generic_implements = do_implements;
    ops.block_get_capacity = do_get_capacity;
    ops.block_set_capacity = do_set_capacity;
    ops.block_get_blocksize = do_get_blocksize;
    ops.block_read = do_block_read;
    ops.block_write = do_block_write;
    ops.block_read_bulk = do_block_read_bulk;
    ops.block_write_bulk = do_block_write_bulk;
    ops.device_open = do_open;
    ops.device_close = do_close;
    ops.device_read = do_dev_read;
    ops.device_write = do_dev_write;
    ops.device_get_status = do_get_status;
    ops.device_set_status = do_set_status;
    ops.device_irq_interrupt = do_interrupt;
    ops.registrant_names_back = drv_names_back;
    atadrv_serve(&ops, &bufs, NULL);
    return 0;
}
