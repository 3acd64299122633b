/* filesvr: the mounts its command line asks for at start.  An argument
 * NAME=DEVICE makes directory NAME in the memory file system and mounts the
 * ext2 of block device DEVICE (a path in the name space) on it; a failure
 * is a boot message, and filesvr serves on without that mount. */
#include <stdio.h>
#include <string.h>
#include <chacm/lib.h>
#include <chacm/task.h>

#include "server.h"

static void boot_mount(char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        printf("filesvr: ignoring argument '%s' (want NAME=DEVICE)\n", arg);
        return;
    }
    *eq = 0;
    const char *dev = eq + 1;
    struct vfs_mount *m = &vfs_mounts[0];
    uint32_t dir;
    int rc = m->ops->mkdir(m->fs, m->ops->root(m->fs), arg, 0755, &dir);
    if (rc) {
        printf("filesvr: cannot make /%s: %s\n", arg, fs_strerror(rc));
        return;
    }
    chacm_handle_t h;
    if ((rc = chacm_resolve(dev, &h)) != ESUCCESS) {
        printf("filesvr: %s: no such block device (%d)\n", dev, rc);
        return;
    }
    if (srv_mount_ext2(vfs_encode(m, dir), h.svr, h.obj) == ESUCCESS)
        printf("filesvr: %s mounted on %s\n", dev, arg);
}

void srv_boot_mounts(void)
{
    static char cmd[256];
    char *save = NULL;
    strlcpy(cmd, lib_cmdline(), sizeof cmd);
    strtok_r(cmd, " ", &save);                  /* the program's name */
    for (char *a = strtok_r(NULL, " ", &save); a; a = strtok_r(NULL, " ", &save))
        boot_mount(a);
}
