/* filesvr: the mounts its command line asks for at start.  An argument
 * NAME=DEVICE makes directory NAME in the memory file system and mounts the
 * ext2 of block device DEVICE (a path in the name space) on it, and links
 * it into the root of the name space as /NAME; the first such disk with a
 * top-level directory bin also gives the root /bin (the shell's program
 * directory).  A failure is a boot message, and filesvr serves on without
 * that mount or link.  The names linked are remembered: when namesvr
 * restarted, the booter sends registrant::names_back with the new root and
 * they are linked there again. */
#include <stdio.h>
#include <string.h>
#include <chacm/lib.h>
#include <chacm/task.h>

#include "server.h"
#include "directory_client.h"

#define ROOT_NAMES 8
#define LINK_US 2000000

static struct {
    char name[32];
    int32_t obj;
} linked[ROOT_NAMES];
static int nlinked;

/* Links <filesvr, obj> as /name in root unless that name is taken. */
static void link_at(chacm_handle_t root, const char *name, int32_t obj)
{
    chacm_handle_t old;
    if (chacm_resolve_at(root, name, &old) == ESUCCESS)
        return;
    chacm_env_t env = chacm_env_within(LINK_US);    /* a lost message is an error, not a hang */
    int rc = directory_link(root.svr, root.obj, name, L4_Myself(), obj, &env);
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS)
        printf("filesvr: cannot link /%s (%d, %lu)\n", name, rc, (unsigned long)env.error);
}

/* Links <filesvr, obj> as /name in the root of the name space, and
 * remembers it. */
static void link_root(const char *name, int32_t obj)
{
    chacm_handle_t root;
    if (chacm_root(&root) != ESUCCESS)
        return;
    link_at(root, name, obj);
    if (nlinked < ROOT_NAMES && strlen(name) < sizeof linked[0].name) {
        strcpy(linked[nlinked].name, name);
        linked[nlinked++].obj = obj;
    }
}

static void do_names_back(int objID, L4_ThreadId_t rootsvr, int rootobj, chacm_srvenv_t *env)
{
    if (objID != 0 || !L4_IsThreadEqual(env->caller, chacm_booter()))
        return;     /* only the booter rebuilds the name space */
    for (int i = 0; i < nlinked; i++)
        link_at(chacm_handle(rootsvr, rootobj), linked[i].name, linked[i].obj);
    printf("filesvr: names linked again in the new name space\n");
}

void srv_registrant_ops(filesvr_ops_t *ops)
{
    ops->registrant_names_back = do_names_back;
}

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
    chacm_handle_t h;
    int rc = chacm_resolve(dev, &h);
    if (rc != ESUCCESS) {
        printf("filesvr: %s: no such block device (%d)\n", dev, rc);
        return;
    }
    if ((rc = m->ops->mkdir(m->fs, m->ops->root(m->fs), arg, 0755, &dir))) {
        printf("filesvr: cannot make /%s: %s\n", arg, fs_strerror(rc));
        return;
    }
    if (srv_mount_ext2(vfs_encode(m, dir), h.svr, h.obj) != ESUCCESS)
        return;
    printf("filesvr: %s mounted on %s\n", dev, arg);
    link_root(arg, vfs_encode(m, dir));
    int32_t bin;
    struct fs_stat st;
    struct vfs_mount *bm;
    uint32_t ino;
    if (vfs_resolve(vfs_encode(m, dir), "bin", &bin) == 0 && vfs_decode(bin, &bm, &ino) == 0 &&
        bm->ops->stat(bm->fs, ino, &st) == 0 && st.type == FS_T_DIR)
        link_root("bin", bin);
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
