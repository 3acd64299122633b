/* fsboot_probe: the last program of scenario.fs_boot's boot list.  Through
 * the name space it reads /dev/filesvr/disk/etc/motd (the boot disk that
 * filesvr mounted from the ramdisk at start), writes
 * /dev/filesvr/disk/probe.txt, syncs, unmounts the disk (so that the saved
 * image is clean), and exits with 0 when all went well. */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>

#include "filesvr_client.h"

int main(void);

static int fail(const char *what, int rc)
{
    printf("fsboot_probe: %s: %d\n", what, rc);
    return 1;
}

int main(void)
{
    chacm_handle_t motd, disk;
    chacm_env_t env = { 0 };
    char buf[CHACM_FILE_XFER_MAX + 1], *p = buf;
    int rc, size, obj, written;
    if ((rc = chacm_resolve("/dev/filesvr/disk/etc/motd", &motd)) != ESUCCESS) return fail("resolve motd", rc);
    if ((rc = file_open(motd.svr, motd.obj, FILE_READ, &env)) != ESUCCESS) return fail("open motd", rc);
    if ((rc = file_read(motd.svr, motd.obj, CHACM_FILE_XFER_MAX, &size, &p, &env)) != ESUCCESS)
        return fail("read motd", rc);
    buf[size] = 0;
    printf("fsboot_probe: motd: %s", buf);
    file_close(motd.svr, motd.obj, &env);
    if ((rc = chacm_resolve("/dev/filesvr/disk", &disk)) != ESUCCESS) return fail("resolve disk", rc);
    if ((rc = directory_create(disk.svr, disk.obj, "probe.txt", &obj, &env)) != ESUCCESS)
        return fail("create", rc);
    static const char text[] = "written by fsboot_probe through ramdisk\n";
    if ((rc = file_open(disk.svr, obj, FILE_WRITE, &env)) != ESUCCESS) return fail("open probe", rc);
    if ((rc = file_write(disk.svr, obj, sizeof text - 1, (char *)text, &written, &env)) != ESUCCESS)
        return fail("write", rc);
    file_close(disk.svr, obj, &env);
    if ((rc = filesystem_sync(disk.svr, disk.obj, &env)) != ESUCCESS) return fail("sync", rc);
    if ((rc = filesystem_unmount(disk.svr, disk.obj, &env)) != ESUCCESS) return fail("unmount", rc);
    printf("fsboot_probe: done\n");
    return 0;
}
