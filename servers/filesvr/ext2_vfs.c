/* filesvr: the ext2 back end's entry in the VFS operations table. */
#include "ext2.h"
#include "vfs_ops.h"

static uint32_t e_root(void *fs) { return ext2_root(fs); }
static int e_stat(void *fs, uint32_t ino, struct fs_stat *st) { return ext2_stat(fs, ino, st); }
static int e_lookup(void *fs, uint32_t dir, const char *name, uint32_t *ino)
{
    return ext2_lookup(fs, dir, name, ino);
}
static int e_readdir(void *fs, uint32_t dir, uint64_t *pos, char *name, uint32_t *ino, int *type)
{
    return ext2_readdir(fs, dir, pos, name, ino, type);
}
static int e_read(void *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got)
{
    return ext2_read(fs, ino, off, buf, len, got);
}
static int e_write(void *fs, uint32_t ino, uint64_t off, const void *buf, size_t len, size_t *put)
{
    return ext2_write(fs, ino, off, buf, len, put);
}
static int e_truncate(void *fs, uint32_t ino, uint64_t size) { return ext2_truncate(fs, ino, size); }
static int e_create(void *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
    return ext2_create(fs, dir, name, mode, ino);
}
static int e_mkdir(void *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
    return ext2_mkdir(fs, dir, name, mode, ino);
}
static int e_symlink(void *fs, uint32_t dir, const char *name, const char *target, uint32_t *ino)
{
    return ext2_symlink(fs, dir, name, target, ino);
}
static int e_readlink(void *fs, uint32_t ino, char *buf, size_t size)
{
    return ext2_readlink(fs, ino, buf, size);
}
static int e_link(void *fs, uint32_t dir, const char *name, uint32_t ino)
{
    return ext2_link(fs, dir, name, ino);
}
static int e_unlink(void *fs, uint32_t dir, const char *name) { return ext2_unlink(fs, dir, name); }
static int e_rmdir(void *fs, uint32_t dir, const char *name) { return ext2_rmdir(fs, dir, name); }
static int e_rename(void *fs, uint32_t sdir, const char *sname, uint32_t ddir, const char *dname)
{
    return ext2_rename(fs, sdir, sname, ddir, dname);
}
static int e_sync(void *fs) { return ext2_sync(fs); }
static int e_unmount(void *fs) { return ext2_unmount(fs); }

const struct fs_ops ext2_vfs_ops = {
    .name = "ext2", .root = e_root, .stat = e_stat, .lookup = e_lookup, .readdir = e_readdir,
    .read = e_read, .write = e_write, .truncate = e_truncate, .create = e_create,
    .mkdir = e_mkdir, .symlink = e_symlink, .readlink = e_readlink, .link = e_link,
    .unlink = e_unlink, .rmdir = e_rmdir, .rename = e_rename, .sync = e_sync,
    .unmount = e_unmount,
};
