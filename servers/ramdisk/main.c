/* ramdisk: the block server over a boot-list data module (README.md).
 * Command line: `ramdisk DEVICE` names the booter's device of the module
 * (e.g. /dev/ram0, 512-byte blocks over the module's memory).  ramdisk serves
 * block.idl object 0 with 1 KiB blocks, each two of the device's, reading
 * and writing through, so the module's memory always holds the current
 * image (and the simulator can save it to a host file at the end). */
#include <stdio.h>
#include <string.h>
#include <chacm/lib.h>
#include <chacm/task.h>

#include "ramdisk_server.h"
#include "block_client.h"

#define RD_BLOCK 1024
#define DEV_TIMEOUT_US 10000000

static ramdisk_ops_t ops;
static ramdisk_buffers_t bufs;
static chacm_handle_t dev;          /* the data module's device */
static int dev_bsize, per;          /* its block size; device blocks per ramdisk block */
static int nblocks;                 /* ramdisk blocks */
static char xfer[CHACM_BLOCK_XFER_MAX];
static int dev_bulk = 1;            /* the device answers read_bulk/write_bulk */

static int check(int obj, int nr, int count, int max)
{
    if (obj != DEFAULT_OBJECT) return EINVALID;
    if (nr < 0 || count <= 0 || count > max / RD_BLOCK || nr > nblocks - count)
        return EBADPARM;
    return ESUCCESS;
}

static int do_get_capacity(int obj, int *count, chacm_srvenv_t *env)
{
    (void)env;
    *count = nblocks;
    return obj == DEFAULT_OBJECT ? ESUCCESS : EINVALID;
}

static int do_set_capacity(int obj, int count, chacm_srvenv_t *env)
{
    (void)count, (void)env;
    return obj == DEFAULT_OBJECT ? ESUPP : EINVALID;
}

static int do_get_blocksize(int obj, int *size, chacm_srvenv_t *env)
{
    (void)env;
    *size = RD_BLOCK;
    return obj == DEFAULT_OBJECT ? ESUCCESS : EINVALID;
}

/* Reads count ramdisk blocks at nr from the device into dst: bulk requests
 * where the device has them, else CHACM_BLOCK_XFER_MAX at a time. */
static int dev_read(int nr, int count, char *dst)
{
    while (count > 0) {
        chacm_env_t e = chacm_env_within(DEV_TIMEOUT_US);
        int n = count, got = 0, rc;
        if (dev_bulk) {
            if (n > CHACM_BLOCK_BULK_MAX / RD_BLOCK) n = CHACM_BLOCK_BULK_MAX / RD_BLOCK;
            char *p = dst;       /* dst has room for CHACM_BLOCK_BULK_MAX: bufs.out0 */
            rc = block_read_bulk(dev.svr, dev.obj, nr * per, n * per, &got, &p, &e);
            if (e.error == CHACM_IDL_EUNKNOWN) {
                dev_bulk = 0;
                continue;
            }
        } else {
            if (n > CHACM_BLOCK_XFER_MAX / RD_BLOCK) n = CHACM_BLOCK_XFER_MAX / RD_BLOCK;
            char *p = xfer;
            rc = block_read(dev.svr, dev.obj, nr * per, n * per, &got, &p, &e);
            if (e.error == CHACM_IDL_OK && rc == ESUCCESS && got == n * RD_BLOCK) memcpy(dst, xfer, (size_t)got);
        }
        if (e.error != CHACM_IDL_OK || rc != ESUCCESS || got != n * RD_BLOCK) return EAGAIN;
        dst += got;
        nr += n;
        count -= n;
    }
    return ESUCCESS;
}

static int dev_write(int nr, int count, const char *src)
{
    while (count > 0) {
        chacm_env_t e = chacm_env_within(DEV_TIMEOUT_US);
        int n = count, rc;
        if (dev_bulk) {
            if (n > CHACM_BLOCK_BULK_MAX / RD_BLOCK) n = CHACM_BLOCK_BULK_MAX / RD_BLOCK;
            rc = block_write_bulk(dev.svr, dev.obj, nr * per, n * per, n * RD_BLOCK, src, &e);
            if (e.error == CHACM_IDL_EUNKNOWN) {
                dev_bulk = 0;
                continue;
            }
        } else {
            if (n > CHACM_BLOCK_XFER_MAX / RD_BLOCK) n = CHACM_BLOCK_XFER_MAX / RD_BLOCK;
            rc = block_write(dev.svr, dev.obj, nr * per, n * per, n * RD_BLOCK, src, &e);
        }
        if (e.error != CHACM_IDL_OK || rc != ESUCCESS) return EAGAIN;
        src += n * RD_BLOCK;
        nr += n;
        count -= n;
    }
    return ESUCCESS;
}

static int do_read(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)env;
    *size = 0;
    int rc = check(obj, nr, count, CHACM_BLOCK_XFER_MAX);
    if (rc == ESUCCESS && (rc = dev_read(nr, count, (char *)bufs.out0)) == ESUCCESS) {
        *data = (char *)bufs.out0;
        *size = count * RD_BLOCK;
    }
    return rc;
}

static int do_read_bulk(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)env;
    *size = 0;
    int rc = check(obj, nr, count, CHACM_BLOCK_BULK_MAX);
    if (rc == ESUCCESS && (rc = dev_read(nr, count, (char *)bufs.out0)) == ESUCCESS) {
        *data = (char *)bufs.out0;
        *size = count * RD_BLOCK;
    }
    return rc;
}

static int do_write(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    int rc = check(obj, nr, count, CHACM_BLOCK_XFER_MAX);
    if (rc != ESUCCESS) return rc;
    if (size != count * RD_BLOCK) return EBADPARM;
    return dev_write(nr, count, data);
}

static int do_write_bulk(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    int rc = check(obj, nr, count, CHACM_BLOCK_BULK_MAX);
    if (rc != ESUCCESS) return rc;
    if (size != count * RD_BLOCK) return EBADPARM;
    return dev_write(nr, count, data);
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    static const int have[] = { GENERIC_API, BLOCK_API };
    (void)env;
    if (obj != DEFAULT_OBJECT) return EINVALID;
    return chacm_implements(ids, n, have, 2);
}

/* Finds the device named on the command line and its geometry. */
static int attach(const char *name)
{
    int rc = chacm_resolve(name, &dev);
    if (rc != ESUCCESS) {
        printf("ramdisk: device %s not found (%d)\n", name, rc);
        return -1;
    }
    chacm_env_t e = chacm_env_within(DEV_TIMEOUT_US);
    int count = 0;
    rc = block_get_blocksize(dev.svr, dev.obj, &dev_bsize, &e);
    if (e.error == CHACM_IDL_OK && rc >= 0) rc = block_get_capacity(dev.svr, dev.obj, &count, &e);
    if (e.error != CHACM_IDL_OK || dev_bsize <= 0 || RD_BLOCK % dev_bsize || count <= 0) {
        printf("ramdisk: device %s does not answer or has %d-byte blocks\n", name, dev_bsize);
        return -1;
    }
    per = RD_BLOCK / dev_bsize;
    nblocks = count / per;
    return 0;
}

int main(void)
{
    static char cmd[256];
    char *save = NULL;
    strlcpy(cmd, lib_cmdline(), sizeof cmd);
    strtok_r(cmd, " ", &save);
    const char *name = strtok_r(NULL, " ", &save);
    if (!name) {
        printf("ramdisk: usage: ramdisk DEVICE (a data module's block device, e.g. /dev/ram0)\n");
        return 1;
    }
    if (attach(name)) return 1;
    ops.generic_implements = do_implements;
    ops.block_get_capacity = do_get_capacity;
    ops.block_set_capacity = do_set_capacity;
    ops.block_get_blocksize = do_get_blocksize;
    ops.block_read = do_read;
    ops.block_write = do_write;
    ops.block_read_bulk = do_read_bulk;
    ops.block_write_bulk = do_write_bulk;
    ramdisk_serve(&ops, &bufs, NULL);
    return 0;
}
