/* filesvr: the operations table every file-system back end (memfs, ext2)
 * fills, so the VFS layer serves any of them the same way. */
#ifndef FS_VFS_OPS_H
#define FS_VFS_OPS_H

#include "fs.h"

struct fs_ops {
    const char *name;
    uint32_t (*root)(void *fs);
    int (*stat)(void *fs, uint32_t ino, struct fs_stat *st);
    int (*lookup)(void *fs, uint32_t dir, const char *name, uint32_t *ino);
    int (*readdir)(void *fs, uint32_t dir, uint64_t *pos, char *name, uint32_t *ino, int *type);
    int (*read)(void *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got);
    int (*write)(void *fs, uint32_t ino, uint64_t off, const void *buf, size_t len, size_t *put);
    int (*truncate)(void *fs, uint32_t ino, uint64_t size);
    int (*create)(void *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino);
    int (*mkdir)(void *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino);
    int (*symlink)(void *fs, uint32_t dir, const char *name, const char *target, uint32_t *ino);
    int (*readlink)(void *fs, uint32_t ino, char *buf, size_t size);
    int (*link)(void *fs, uint32_t dir, const char *name, uint32_t ino);
    int (*unlink)(void *fs, uint32_t dir, const char *name);
    int (*rmdir)(void *fs, uint32_t dir, const char *name);
    int (*rename)(void *fs, uint32_t sdir, const char *sname, uint32_t ddir, const char *dname);
    int (*sync)(void *fs);
    int (*unmount)(void *fs);    /* writes back and frees it; on an error it stays as it was */
};

extern const struct fs_ops memfs_ops;
extern const struct fs_ops ext2_vfs_ops;

#endif /* !FS_VFS_OPS_H */
