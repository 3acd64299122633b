/* fi_work: the workload of fault campaigns (scripts/fi-campaign) and of
 * scenario.faults.  Through the name space it writes N files fiNN on
 * /dev/filesvr/disk (the boot disk: it has etc/motd), each once, syncs the file system after each and reads
 * it back whole; then it unmounts the disk (so that the saved image is
 * clean; once more when the device failed), has memsvr fill and free some memory (so that its books have
 * frames in them) and asks memsvr for its frame balance.
 *   fi_work [N]   (default 8)
 * Lines it prints, which the campaign reads:
 *   fi_work: synced fiNN SIZE CRC    the file is on the disk after a sync
 *                                     that succeeded, and read back whole
 *                                     and right (CRC as cksum(1) says)
 *   fi_work: error: ...               a call failed; the error it returned
 *   fi_work: frames received R free F in use U meta M
 *   fi_work: done, K of N files synced
 * Exit status 0 when every step succeeded, 1 when one reported an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/mach_server.h>
#include <chacm/task.h>
#include <mach/mach_interface.h>
#include <mach/mach_traps.h>
#include <l4/schedule.h>

#include "filesvr_client.h"

int main(int argc, char **argv);

#define MAX_SIZE 24576
#define CALL_US 2000000
#define RETRY_US 200000

static char data[MAX_SIZE], back[CHACM_FILE_BULK_MAX];
static chacm_handle_t disk;
static int errors;

static unsigned long crc_byte(unsigned long crc, unsigned c)
{
    crc ^= (unsigned long)c << 24;
    for (int b = 0; b < 8; b++)
        crc = crc & 0x80000000UL ? ((crc << 1) ^ 0x04C11DB7UL) & 0xffffffffUL : (crc << 1) & 0xffffffffUL;
    return crc;
}

/* POSIX cksum: CRC-32 (polynomial 0x04C11DB7, MSB first) over the bytes and
 * then the length's bytes, low first, inverted. */
static unsigned long cksum(const char *p, size_t n)
{
    unsigned long crc = 0;
    for (size_t i = 0; i < n; i++)
        crc = crc_byte(crc, (unsigned char)p[i]);
    for (size_t len = n; len; len >>= 8)
        crc = crc_byte(crc, len & 0xff);
    return ~crc & 0xffffffffUL;
}

/* Reports a failed step.  After a failed IPC (a server that died, or a
 * lost message) it waits RETRY_US, time for the booter to restart a
 * server, before the next step. */
static int error(const char *what, const char *name, int rc, const chacm_env_t *env)
{
    if (env && env->error != CHACM_IDL_OK) {
        printf("fi_work: error: %s %s: call error %d (ipc error %#lx)\n", what, name, (int)env->error,
               (unsigned long)env->ipc_error);
        if (env->error == CHACM_IDL_EIPC)
            L4_Sleep(L4_TimePeriod(RETRY_US));
    } else
        printf("fi_work: error: %s %s: %d\n", what, name, rc);
    errors++;
    return -1;
}

static chacm_env_t env_of_call(void)
{
    return (chacm_env_t){ .snd_timeout = L4_TimePeriod(CALL_US), .rcv_timeout = L4_TimePeriod(CALL_US) };
}

#define TRY(what, name, expr)                                                    \
    do {                                                                         \
        chacm_env_t env = env_of_call();                                         \
        int _r = (expr);                                                         \
        if (env.error != CHACM_IDL_OK || _r != ESUCCESS)                         \
            return error(what, name, _r, &env);                                  \
    } while (0)

/* Writes open file obj of size bytes from data, syncs, reads it all back. */
static int fill_file(const char *name, int obj, int size)
{
    int done, got;
    for (int at = 0; at < size; at += done) {
        int n = size - at > CHACM_FILE_BULK_MAX ? CHACM_FILE_BULK_MAX : size - at;
        TRY("write", name, file_write_bulk(disk.svr, obj, n, data + at, &done, &env));
        if (done <= 0)
            return error("short write", name, done, NULL);
    }
    TRY("sync", name, filesystem_sync(disk.svr, disk.obj, &env));
    TRY("seek", name, file_seek(disk.svr, obj, 0, &env));
    for (int at = 0;; at += got) {
        char *p = back;
        chacm_env_t env = env_of_call();
        int rc = file_read_bulk(disk.svr, obj, CHACM_FILE_BULK_MAX, &got, &p, &env);
        if (env.error == CHACM_IDL_OK && (rc == EEOF || (rc == ESUCCESS && got == 0)) && at == size)
            break;
        if (env.error != CHACM_IDL_OK || rc != ESUCCESS)
            return error("read", name, rc, &env);
        if (got <= 0 || at + got > size || memcmp(back, data + at, (size_t)got))
            return error("read back wrong bytes at", name, at, NULL);
    }
    printf("fi_work: synced %s %d %lu\n", name, size, cksum(data, (size_t)size));
    return 0;
}

/* Makes file name of size bytes from data: written, synced, read back. */
static int one_file(const char *name, int size)
{
    int obj;
    TRY("create", name, directory_create(disk.svr, disk.obj, name, &obj, &env));
    TRY("open", name, file_open(disk.svr, obj, FILE_READ | FILE_WRITE, &env));
    int rc = fill_file(name, obj, size);
    TRY("close", name, file_close(disk.svr, obj, &env));
    return rc;
}

/* Unmounts the disk.  When the device failed (EFULL: the file system stays
 * mounted, its changes kept), it tries once more, as a user would. */
static void unmount_disk(void)
{
    for (int tries = 0; tries < 2; tries++) {
        chacm_env_t env = env_of_call();
        int rc = filesystem_unmount(disk.svr, disk.obj, &env);
        if (env.error == CHACM_IDL_OK && rc == ESUCCESS)
            return;
        error("unmount", "/dev/filesvr/disk", rc, &env);
        if (env.error != CHACM_IDL_OK || rc != EFULL)
            return;
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 8, synced = 0, rc;
    char name[16];
    if (n < 1 || n > 99) {
        printf("fi_work: usage: fi_work [N] (1 to 99 files)\n");
        return 64;
    }
    chacm_handle_t motd;
    if ((rc = chacm_resolve("/dev/filesvr/disk", &disk)) != ESUCCESS) {
        error("resolve", "/dev/filesvr/disk", rc, NULL);
    } else if ((rc = chacm_resolve("/dev/filesvr/disk/etc/motd", &motd)) != ESUCCESS) {
        /* a mount point whose mount failed is an empty directory in memory */
        error("the boot disk is not mounted: resolve", "/dev/filesvr/disk/etc/motd", rc, NULL);
    } else {
        for (int i = 0; i < n; i++) {
            int size = 700 + (i * 5471) % (MAX_SIZE - 700);
            for (int k = 0; k < size; k++)
                data[k] = (char)('a' + (k * 7 + i * 13) % 26);
            snprintf(name, sizeof name, "fi%02d", i);
            if (one_file(name, size) == 0)
                synced++;
        }
        unmount_disk();
    }
    /* 64 pages from memsvr, each touched, given back */
    vm_address_t mem = 0;
    kern_return_t kr = vm_allocate(mach_task_self(), &mem, 64 * 4096, TRUE);
    if (kr == KERN_SUCCESS) {
        for (int i = 0; i < 64; i++)
            ((volatile char *)mem)[i * 4096] = (char)i;
        kr = vm_deallocate(mach_task_self(), mem, 64 * 4096);
    }
    if (kr != KERN_SUCCESS)
        error("vm_allocate or vm_deallocate", "", kr, NULL);
    vm_size_t received, freef, in_use, meta;
    kr = mach_vm_frames(&received, &freef, &in_use, &meta);
    if (kr == KERN_SUCCESS)
        printf("fi_work: frames received %lu free %lu in use %lu meta %lu\n", (unsigned long)received,
               (unsigned long)freef, (unsigned long)in_use, (unsigned long)meta);
    else
        error("vm_frames", "", kr, NULL);
    printf("fi_work: done, %d of %d files synced\n", synced, n);
    return errors ? 1 : 0;
}
