/* tester: a file system resolved, mounted on the block device and listed
 * (F01-F03).  Skipped when there is no block device. */
#include <stdio.h>
#include <chacm/task.h>

#include "tester.h"
#include "filesystem_client.h"

int tester_fs(const char *bdev_path, const char *fs_path)
{
    chacm_env_t env = { 0 };
    chacm_handle_t bdev, fs;

    if (chacm_resolve(bdev_path, &bdev) != ESUCCESS) {
        printf(" F01 skipped: no /%s\n", bdev_path);
        return 0;
    }
    if (!tester_is(bdev, BLOCK_API))
        return tester_fail("the block device does not implement generic and block");
    printf(" F01 found /%s at <%lx,%d>\n", bdev_path, bdev.svr.raw, bdev.obj);
    if (chacm_resolve(fs_path, &fs) != ESUCCESS)
        return tester_fail("cannot find the file system");
    if (!tester_is(fs, FILESYSTEM_API))
        return tester_fail("the file system does not implement generic and filesystem");
    printf(" F02 located /%s at <%lx,%d>\n", fs_path, fs.svr.raw, fs.obj);
    int rc = filesystem_mount(fs.svr, fs.obj, bdev.svr, bdev.obj, &env);
    if (env.error != CHACM_IDL_OK || (rc != ESUCCESS && rc != EEXISTS))
        return tester_fail("cannot mount the block device into the file system");
    printf(" F03 %s filesystem\n", rc == EEXISTS ? "found the already mounted" : "mounted");
    return tester_list(fs, "F03", "files contained", -1);
}
