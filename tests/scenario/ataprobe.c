/* ataprobe: the ATA driver from a client's side (scenario.ata.probe,
 * ATA0001...): device::open by name, reads and writes of whole sectors
 * through device.idl and block.idl, statuses, and every bad request a
 * client can make (unknown names and objects, sectors beyond the end,
 * counts that are not whole sectors or too many, unknown flavors).  The
 * last sector of the disk is written and read back.  Prints one line per
 * case and "ataprobe: N failed". */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>

#include "atadrv_client.h"

int main(void);

static int failed;
static chacm_handle_t hda;

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

static char buf[CHACM_DEVICE_XFER_MAX + 512];

int main(void)
{
    chacm_env_t e = env();
    check("ATA0001", "/dev/hda resolves", chacm_resolve("/dev/hda", &hda) == ESUCCESS);
    int dev = -1, rc;
    rc = device_open(hda.svr, 0, D_READ | D_WRITE, "hda", &dev, &e);
    check("ATA0002", "open(\"hda\") is object 0", rc == ESUCCESS && dev == 0);
    rc = device_open(hda.svr, 0, D_READ, "hda1", &dev, &e);
    check("ATA0003", "open(\"hda1\") is object 1", rc == ESUCCESS && dev == 1);
    int bad = 7;
    check("ATA0004", "open of an unknown name, a missing partition, a bad mode, on a non-master object",
          device_open(hda.svr, 0, D_READ, "hdz", &bad, &e) == ENOTFOUND &&
              device_open(hda.svr, 0, D_READ, "hda4", &bad, &e) == ENOTFOUND &&
              device_open(hda.svr, 0, D_READ, "hda12", &bad, &e) == ENOTFOUND &&
              device_open(hda.svr, 0, 0x40, "hda", &bad, &e) == EBADPARM &&
              device_open(hda.svr, 1, D_READ, "hda", &bad, &e) == EINVALID && e.error == CHACM_IDL_OK);
    int count = 0, st[CHACM_DEVICE_STATUS_MAX], *sp = st;
    rc = device_get_status(hda.svr, 0, DEV_GET_SIZE, &count, &sp, &e);
    int sectors = st[0];
    check("ATA0005", "DEV_GET_SIZE of the disk: its sectors of 512 bytes",
          rc == ESUCCESS && count == 2 && sectors == 32768 && st[1] == 512);
    rc = device_get_status(hda.svr, 1, DEV_GET_INFO, &count, &sp, &e);
    check("ATA0006", "DEV_GET_INFO of hda1: a partition at 2048 of type 0x83",
          rc == ESUCCESS && count == 3 && st[0] == DEV_KIND_PARTITION && st[1] == 2048 && st[2] == 0x83);
    check("ATA0007", "an unknown flavor, set_status, an unknown object",
          device_get_status(hda.svr, 0, 99, &count, &sp, &e) == ESUPP &&
              device_set_status(hda.svr, 0, DEV_GET_SIZE, 1, st, &e) == ESUPP &&
              device_get_status(hda.svr, 9, DEV_GET_SIZE, &count, &sp, &e) == EINVALID &&
              device_close(hda.svr, 9, &e) == EINVALID);
    /* the last sector: write a pattern, read it back through both interfaces */
    for (int k = 0; k < 512; k++)
        buf[k] = (char)(k * 7 + 3);
    int written = 0, size = 0;
    rc = device_write(hda.svr, 0, 0, sectors - 1, 512, buf, &written, &e);
    check("ATA0008", "device::write of the last sector", rc == ESUCCESS && written == 512);
    static char back[CHACM_DEVICE_XFER_MAX];
    char *p = back;
    rc = device_read(hda.svr, 0, 0, sectors - 1, 512, &size, &p, &e);
    check("ATA0009", "device::read gives it back", rc == ESUCCESS && size == 512 && !memcmp(p, buf, 512));
    p = back;
    rc = block_read(hda.svr, 0, sectors - 1, 1, &size, &p, &e);
    check("ATA0010", "block::read gives the same", rc == ESUCCESS && size == 512 && !memcmp(p, buf, 512));
    p = back;
    check("ATA0011", "sectors beyond the end, a run over it, a negative sector: EBADPARM",
          device_read(hda.svr, 0, 0, sectors, 512, &size, &p, &e) == EBADPARM &&
              device_read(hda.svr, 0, 0, sectors - 1, 1024, &size, &p, &e) == EBADPARM &&
              block_read(hda.svr, 0, -1, 1, &size, &p, &e) == EBADPARM &&
              device_write(hda.svr, 0, 0, sectors, 512, buf, &written, &e) == EBADPARM);
    check("ATA0012", "counts that are no whole sectors, none, too many: EBADPARM",
          device_read(hda.svr, 0, 0, 0, 100, &size, &p, &e) == EBADPARM &&
              device_read(hda.svr, 0, 0, 0, 0, &size, &p, &e) == EBADPARM &&
              block_read(hda.svr, 0, 0, 17, &size, &p, &e) == EBADPARM &&
              block_write(hda.svr, 0, 0, 2, 512, buf, &e) == EBADPARM &&
              device_write(hda.svr, 0, 0, 0, 700, buf, &written, &e) == EBADPARM);
    /* a partition is bounded by its own size: its sector 0 is the disk's 2048 */
    int psize = 0;
    block_get_capacity(hda.svr, 1, &psize, &e);
    p = back;
    rc = block_read(hda.svr, 1, 0, 16, &size, &p, &e);
    static char whole[CHACM_DEVICE_XFER_MAX];
    char *q = whole;
    int rc2 = block_read(hda.svr, 0, 2048, 16, &size, &q, &e);
    check("ATA0013", "hda1 is the disk from sector 2048 on, and ends with the partition",
          psize == sectors - 2048 && rc == ESUCCESS && rc2 == ESUCCESS && !memcmp(back, whole, 8192) &&
              block_read(hda.svr, 1, psize, 1, &size, &p, &e) == EBADPARM);
    int ids[2] = { BLOCK_API, DEVICE_API };
    check("ATA0014", "every object implements block and device",
          generic_implements(hda.svr, 1, 2, ids, &e) == EYES && generic_implements(hda.svr, 5, 2, ids, &e) == EINVALID);
    printf("ataprobe: %d failed\n", failed);
    return failed;
}
