/* filesvr: the filesystem interface (mount, unmount, sync), the block
 * device client an ext2 mount runs over, generic::implements, and the
 * mapping of back-end errors to ChacmOS's codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_client.h"
#include "ext2.h"
#include "server.h"

#define DEV_TIMEOUT_US 10000000      /* a device that does not answer in 10 s is gone */

struct bdev {
    L4_ThreadId_t svr;
    int obj;
    uint32_t bsize;
    int bulk;                        /* the device answers read_bulk/write_bulk */
    struct fs_blkdev dev;
};

/* Replies land here; a read of a whole bulk run lands in its destination. */
static char xfer[CHACM_BLOCK_BULK_MAX];

int srv_err(int e)
{
    switch (e) {
    case FS_OK: return ESUCCESS;
    case FS_ENOENT: return ENOTFOUND;
    case FS_EEXIST: return EEXISTS;
    case FS_ENOTEMPTY: case FS_EBUSY: return ELOCKED;
    case FS_ENOSPC: case FS_ENOMEM: case FS_EFBIG: case FS_EMLINK: case FS_EIO: return EFULL;
    case FS_EROFS: case FS_ECORRUPT: return EDENIED;
    case FS_EUNSUPP: return ESUPP;
    default: return EBADPARM;   /* not a directory, is a directory, bad name... */
    }
}

int srv_obj(int obj, struct vfs_mount **m, uint32_t *ino)
{
    return vfs_decode(obj, m, ino) == FS_OK ? ESUCCESS : EINVALID;
}

/* One request of n blocks at sector; bulk unless the device lacks it. */
static int dev_read_one(struct bdev *d, uint32_t sector, uint32_t n, uint8_t *dst)
{
    int size = 0, want = (int)(n * d->bsize), rc;
    chacm_env_t env = chacm_env_within(DEV_TIMEOUT_US);
    if (d->bulk) {
        /* The receive buffer is CHACM_BLOCK_BULK_MAX bytes: only a full run
         * may land in place, anything shorter goes through xfer. */
        char *p = want == CHACM_BLOCK_BULK_MAX ? (char *)dst : xfer;
        rc = block_read_bulk(d->svr, d->obj, (int)sector, (int)n, &size, &p, &env);
        if (env.error == CHACM_IDL_EUNKNOWN) {
            d->bulk = 0;
            return 1;                /* again, in small requests */
        }
        if (env.error != CHACM_IDL_OK || rc != ESUCCESS || size != want) return FS_EIO;
        if (p != (char *)dst) memcpy(dst, xfer, (size_t)size);
        return 0;
    }
    char *p = xfer;
    rc = block_read(d->svr, d->obj, (int)sector, (int)n, &size, &p, &env);
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS || size != want) return FS_EIO;
    memcpy(dst, xfer, (size_t)size);
    return 0;
}

static int dev_write_one(struct bdev *d, uint32_t sector, uint32_t n, const uint8_t *src)
{
    chacm_env_t env = chacm_env_within(DEV_TIMEOUT_US);
    int rc;
    if (d->bulk) {
        rc = block_write_bulk(d->svr, d->obj, (int)sector, (int)n, (int)(n * d->bsize),
                              (const char *)src, &env);
        if (env.error == CHACM_IDL_EUNKNOWN) {
            d->bulk = 0;
            return 1;
        }
    } else {
        rc = block_write(d->svr, d->obj, (int)sector, (int)n, (int)(n * d->bsize),
                         (const char *)src, &env);
    }
    return env.error == CHACM_IDL_OK && rc == ESUCCESS ? 0 : FS_EIO;
}

static uint32_t dev_per(const struct bdev *d)
{
    return (d->bulk ? CHACM_BLOCK_BULK_MAX : CHACM_BLOCK_XFER_MAX) / d->bsize;
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct bdev *d = ctx;
    for (uint8_t *dst = buf; count > 0;) {
        uint32_t per = dev_per(d), n = count < per ? count : per;
        if (sector + n > 0x80000000u) return FS_EIO;
        int rc = dev_read_one(d, (uint32_t)sector, n, dst);
        if (rc > 0) continue;
        if (rc) return rc;
        dst += n * d->bsize;
        sector += n;
        count -= n;
    }
    return 0;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct bdev *d = ctx;
    for (const uint8_t *src = buf; count > 0;) {
        uint32_t per = dev_per(d), n = count < per ? count : per;
        if (sector + n > 0x80000000u) return FS_EIO;
        int rc = dev_write_one(d, (uint32_t)sector, n, src);
        if (rc > 0) continue;
        if (rc) return rc;
        src += n * d->bsize;
        sector += n;
        count -= n;
    }
    return 0;
}

/* Asks the device for its geometry; NULL (and *why) when it does not answer. */
static struct bdev *bdev_open(L4_ThreadId_t svr, int obj, int *why)
{
    chacm_env_t env = chacm_env_within(DEV_TIMEOUT_US);
    int bsize = 0, count = 0;
    int rc = block_get_blocksize(svr, obj, &bsize, &env);
    if (env.error == CHACM_IDL_OK && rc >= 0) rc = block_get_capacity(svr, obj, &count, &env);
    if (env.error != CHACM_IDL_OK) {
        *why = ENOTFOUND;
        return NULL;
    }
    if (bsize < 512 || bsize > CHACM_BLOCK_XFER_MAX || (bsize & (bsize - 1)) || count <= 0) {
        *why = EBADPARM;
        return NULL;
    }
    struct bdev *d = calloc(1, sizeof *d);
    if (!d) {
        *why = EFULL;
        return NULL;
    }
    *d = (struct bdev){ .svr = svr, .obj = obj, .bsize = (uint32_t)bsize, .bulk = 1 };
    d->dev = (struct fs_blkdev){ .ctx = d, .sector_size = (uint32_t)bsize, .nsectors = (uint64_t)count,
                                 .read = dev_read, .write = dev_write, .now = srv_now };
    return d;
}

int srv_mount_ext2(int32_t dir, L4_ThreadId_t svr, int obj)
{
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    if (srv_obj(dir, &m, &ino) != ESUCCESS || m->ops->stat(m->fs, ino, &st)) return EINVALID;
    if (st.type != FS_T_DIR) return EBADPARM;       /* before the device is touched */
    if (vfs_cross(dir) != vfs_encode(m, ino)) return EEXISTS;
    for (int i = 0; i < VFS_MOUNTS; i++) {
        const struct bdev *o = vfs_mounts[i].ops == &ext2_vfs_ops ? vfs_mounts[i].dev : NULL;
        if (o && L4_IsThreadEqual(o->svr, svr) && o->obj == obj) {
            printf("filesvr: mount: block device <%lx,%d> is mounted already\n", (unsigned long)svr.raw, obj);
            return ELOCKED;                         /* two writers of one file system would ruin it */
        }
    }
    int why = 0;
    struct bdev *d = bdev_open(svr, obj, &why);
    if (!d) {
        printf("filesvr: mount: block device <%lx,%d> %s\n", (unsigned long)svr.raw, obj,
               why == ENOTFOUND ? "does not answer" : "has an unusable geometry");
        return why;
    }
    char msg[128];
    struct ext2_fs *fs;
    int ro = 0, rc = ext2_mount(&d->dev, 0, &fs, &ro, msg, sizeof msg);
    if (rc) {
        printf("filesvr: mount: %s\n", msg[0] ? msg : fs_strerror(rc));
        free(d);
        return EBADPARM;
    }
    if (msg[0]) printf("filesvr: mount: %s\n", msg);
    int slot = vfs_mount(dir, &ext2_vfs_ops, fs, d, ro);
    if (slot < 0) {
        if (ext2_unmount(fs)) ext2_release(fs);
        free(d);
        return slot == FS_ENOSPC ? EFULL : srv_err(slot);
    }
    return ESUCCESS;
}

static int do_mount(int obj, L4_ThreadId_t svr, int mobj, chacm_srvenv_t *env)
{
    (void)env;
    return srv_mount_ext2(obj, svr, mobj);
}

/* Unmounts the file system at obj.  Everything is written back first, also
 * when it stays mounted because other clients have files of it open (as a
 * Unix sync would), so a refused unmount leaves nothing unwritten.  The
 * caller's own open files do not hold it: they end with the unmount (a
 * client whose close was lost can still unmount).  A failed write keeps
 * the mount and its changes: a later sync or unmount writes them again. */
static int do_unmount(int obj, chacm_srvenv_t *env)
{
    int i = vfs_mount_at(obj);
    if (i < 0) return ENOTFOUND;
    if (srv_mount_busy(i, env->caller)) {
        int rc = vfs_mounts[i].ops->sync(vfs_mounts[i].fs);
        if (rc) printf("filesvr: unmount: the write-back failed: %s\n", fs_strerror(rc));
        return rc ? EFULL : ELOCKED;
    }
    void *dev = vfs_mounts[i].dev;
    int rc = vfs_unmount(i);
    if (rc == FS_EBUSY) return ELOCKED;
    if (rc) {
        printf("filesvr: unmount: %s; still mounted\n", fs_strerror(rc));
        return EFULL;
    }
    srv_mount_gone(i);
    free(dev);
    return ESUCCESS;
}

static int do_sync(int obj, chacm_srvenv_t *env)
{
    return srv_fmap_sync(obj, env);
}

int srv_sync_now(int obj)
{
    struct vfs_mount *m;
    uint32_t ino;
    int err = ESUCCESS;
    if (obj != 0) {
        if (srv_obj(vfs_cross(obj), &m, &ino) != ESUCCESS) return EINVALID;
        return m->ops->sync(m->fs) ? EFULL : ESUCCESS;
    }
    for (int i = 0; i < VFS_MOUNTS; i++)
        if (vfs_mounts[i].ops && vfs_mounts[i].ops->sync(vfs_mounts[i].fs)) err = EFULL;
    return err;
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    if (srv_obj(vfs_cross(obj), &m, &ino) != ESUCCESS || m->ops->stat(m->fs, ino, &st)) return EINVALID;
    int dir = st.type == FS_T_DIR;
    for (int i = 0; i < n; i++) {
        int ok = ids[i] == GENERIC_API || ids[i] == FILE_API ||
                 (dir && (ids[i] == DIRECTORY_API || ids[i] == FILESYSTEM_API)) ||
                 (obj == 0 && ids[i] == REGISTRANT_API);
        if (!ok) return ENO;
    }
    return EYES;
}

void srv_mount_ops(filesvr_ops_t *ops)
{
    ops->generic_implements = do_implements;
    ops->filesystem_mount = do_mount;
    ops->filesystem_unmount = do_unmount;
    ops->filesystem_sync = do_sync;
}
