/* filesvr: the directory interface: resolve, link, unlink, create, mkdir,
 * rmdir, rename, symlink, readlink.  Every name operation works in the
 * directory's mounted root when the directory is a mount point. */
#include <string.h>
#include <l4/thread.h>

#include "server.h"

/* Decodes a directory object for a name operation. */
static int dir_of(int obj, struct vfs_mount **m, uint32_t *ino)
{
    return srv_obj(vfs_cross(obj), m, ino);
}

static int do_resolve(int obj, const char *name, L4_ThreadId_t *svr, int *dobj, int *consumed,
                      chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t ino;
    int32_t out;
    *svr = L4_Myself();
    *dobj = 0;
    *consumed = 0;
    if (srv_obj(obj, &m, &ino) != ESUCCESS) return EINVALID;
    const char *p = name;
    while (*p == '/') p++;
    int rc = vfs_resolve(obj, p, &out);
    if (rc) return rc == FS_ENOENT || rc == FS_ENOTDIR ? ENOTFOUND : srv_err(rc);
    *dobj = out;
    *consumed = (int)strlen(name);
    return ESUCCESS;
}

static int do_link(int obj, const char *name, L4_ThreadId_t svr, int dobj, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m, *tm;
    uint32_t dir, ino;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    if (!L4_IsThreadEqual(svr, L4_Myself())) return ESUPP;
    if (srv_obj(dobj, &tm, &ino) != ESUCCESS) return ENOTFOUND;
    if (tm != m) return EBADPARM;                 /* hard links stay in one file system */
    if (m->rdonly) return EDENIED;
    int rc = m->ops->link(m->fs, dir, name, ino);
    return rc == FS_EISDIR ? EDENIED : srv_err(rc);
}

/* The object a name in a directory stands for (after crossing a mount). */
static int named(struct vfs_mount *m, uint32_t dir, const char *name, int32_t *out)
{
    uint32_t ino;
    int rc = m->ops->lookup(m->fs, dir, name, &ino);
    if (rc == FS_OK) *out = vfs_encode(m, ino);
    return rc;
}

static int do_unlink(int obj, const char *name, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t dir;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    if (m->rdonly) return EDENIED;
    return srv_err(m->ops->unlink(m->fs, dir, name));
}

static int do_create(int obj, const char *name, int *dobj, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t dir, ino;
    *dobj = 0;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    if (m->rdonly) return EDENIED;
    int rc = m->ops->create(m->fs, dir, name, 0644, &ino);
    if (rc == FS_OK) *dobj = vfs_encode(m, ino);
    return srv_err(rc);
}

static int do_mkdir(int obj, const char *name, int *dobj, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t dir, ino;
    *dobj = 0;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    if (m->rdonly) return EDENIED;
    int rc = m->ops->mkdir(m->fs, dir, name, 0755, &ino);
    if (rc == FS_OK) *dobj = vfs_encode(m, ino);
    return srv_err(rc);
}

static int do_rmdir(int obj, const char *name, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t dir;
    int32_t victim;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    if (m->rdonly) return EDENIED;
    if (named(m, dir, name, &victim) == FS_OK && vfs_mount_at(victim) >= 0) return ELOCKED;
    return srv_err(m->ops->rmdir(m->fs, dir, name));
}

static int do_rename(int obj, const char *oldname, int newdir, const char *newname,
                     chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m, *dm;
    uint32_t sdir, ddir;
    int32_t victim;
    if (dir_of(obj, &m, &sdir) != ESUCCESS || dir_of(newdir, &dm, &ddir) != ESUCCESS) return EINVALID;
    if (dm != m) return EBADPARM;
    if (m->rdonly) return EDENIED;
    if (named(m, sdir, oldname, &victim) == FS_OK && vfs_mount_at(victim) >= 0) return ELOCKED;
    if (named(m, ddir, newname, &victim) == FS_OK && vfs_mount_at(victim) >= 0) return ELOCKED;
    int rc = m->ops->rename(m->fs, sdir, oldname, ddir, newname);
    return rc == FS_EINVAL ? EBADPARM : srv_err(rc);
}

static int do_symlink(int obj, const char *name, const char *target, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t dir, ino;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    if (m->rdonly) return EDENIED;
    return srv_err(m->ops->symlink(m->fs, dir, name, target, &ino));
}

static int do_readlink(int obj, const char *name, char **target, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t dir, ino;
    (*target)[0] = 0;
    if (dir_of(obj, &m, &dir) != ESUCCESS) return EINVALID;
    int rc = m->ops->lookup(m->fs, dir, name, &ino);
    if (rc == FS_OK) rc = m->ops->readlink(m->fs, ino, *target, CHACM_PATH_MAX + 1);
    if (rc) (*target)[0] = 0;
    return srv_err(rc);
}

void srv_dir_ops(filesvr_ops_t *ops)
{
    ops->directory_resolve = do_resolve;
    ops->directory_link = do_link;
    ops->directory_unlink = do_unlink;
    ops->directory_create = do_create;
    ops->directory_mkdir = do_mkdir;
    ops->directory_rmdir = do_rmdir;
    ops->directory_rename = do_rename;
    ops->directory_symlink = do_symlink;
    ops->directory_readlink = do_readlink;
}
