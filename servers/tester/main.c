/* tester: ChacmOS's smoke sequence, printing a transcript: the task object
 * (T01-T04), the root directory read as a file (N01-N02), a file system
 * resolved, mounted and listed (F01-F03), and memsvr's Mach VM calls
 * (M01-M06).  The first failed check prints "*** why" and ends the run
 * with status 1.  Arguments: [BLOCKDEV [FILESYSTEM]], default /dev/hda
 * and /dev/filesvr; the F checks are skipped without the block device. */
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/task.h>

#include "tester.h"
#include "file_client.h"

int tester_fail(const char *why)
{
    printf(" *** %s\n", why);
    con_flush();
    return 1;
}

bool tester_is(chacm_handle_t h, int api)
{
    int ids[2] = { GENERIC_API, api };
    chacm_env_t env = { 0 };
    return generic_implements(h.svr, h.obj, 2, ids, &env) == EYES && env.error == CHACM_IDL_OK;
}

/* Prints n bytes of NUL-separated names as ('a''b'...). */
static void print_names(const char *buf, int n)
{
    printf("(");
    for (int x = 0; x < n; x += (int)strnlen(buf + x, (size_t)(n - x)) + 1)
        printf("'%.*s'", (int)strnlen(buf + x, (size_t)(n - x)), buf + x);
    printf(")\n");
}

int tester_list(chacm_handle_t dir, const char *id, const char *what, int expect)
{
    chacm_env_t env = { 0 };
    static char buf[CHACM_FILE_XFER_MAX];
    char *p = buf;
    int size = 0;
    if (file_open(dir.svr, dir.obj, FILE_READ, &env) != ESUCCESS)
        return tester_fail("cannot open the directory");
    if (file_read(dir.svr, dir.obj, sizeof buf, &size, &p, &env) != ESUCCESS || env.error != CHACM_IDL_OK)
        return tester_fail("cannot read the directory");
    if (expect >= 0 && size != (expect < (int)sizeof buf ? expect : (int)sizeof buf))
        return tester_fail("the directory reads shorter than it is");
    printf(" %s %s: ", id, what);
    print_names(p, size);
    if (file_close(dir.svr, dir.obj, &env) != ESUCCESS)
        return tester_fail("cannot close the directory");
    return 0;
}

/* The defaults of F01-F03: the boot disk where the system mounted one
 * (/disk, served by /dev/hda1 of the ATA disk or by /dev/ramdisk: found
 * mounted, not mounted a second time over filesvr's root), else
 * ChacmOS's /dev/hda on /dev/filesvr. */
static const char *boot_disk(void)
{
    static const char *const devs[] = { "dev/hda1", "dev/ramdisk" };
    chacm_handle_t h;
    if (chacm_resolve("disk", &h) != ESUCCESS)
        return NULL;
    for (unsigned i = 0; i < sizeof devs / sizeof devs[0]; i++)
        if (chacm_resolve(devs[i], &h) == ESUCCESS)
            return devs[i];
    return NULL;
}

static const char *default_bdev(void)
{
    const char *d = boot_disk();
    return d ? d : "dev/hda";
}

static const char *default_fs(void)
{
    return boot_disk() ? "disk" : "dev/filesvr";
}

int main(int argc, char **argv)
{
    chacm_handle_t con;
    if (chacm_resolve("dev/console", &con) == ESUCCESS)
        con_attach(con.svr, con.obj);
    printf("========================== chacmOS tester ==========================\n");
    int rc = tester_task();
    if (rc == 0)
        rc = tester_names_space();
    if (rc == 0)
        rc = tester_fs(argc > 1 ? argv[1] : default_bdev(), argc > 2 ? argv[2] : default_fs());
    if (rc == 0)
        rc = tester_memory();
    if (rc == 0)
        printf(" X01 test completed successfully\n");
    con_flush();
    return rc;
}
