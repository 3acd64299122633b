/* filesvr: VFS-light.  Several file systems are mounted at once; an object
 * id names a node of one of them: (mount index << 24) | node number, and
 * object 0 is the root of mount 0 (the memory file system).  A directory
 * may be covered by a mount: names resolved through it reach that root. */
#ifndef FS_VFS_H
#define FS_VFS_H

#include "vfs_ops.h"

#define VFS_MOUNTS 16
#define VFS_INO_BITS 24
#define VFS_SYMLINKS_MAX 8     /* symbolic links one resolve follows */

struct vfs_mount {
    const struct fs_ops *ops;  /* NULL: a free slot */
    void *fs;
    int32_t covered;           /* the directory it is mounted on (mount 0: -1) */
    void *dev;                 /* the back end's device state, freed by the server */
    int rdonly;
};

extern struct vfs_mount vfs_mounts[VFS_MOUNTS];

/* Makes fs mount 0 (the root file system). */
void vfs_init(const struct fs_ops *ops, void *fs);
/* Splits an object id: its mount and node; FS_ENOENT for an invalid id. */
int vfs_decode(int32_t obj, struct vfs_mount **m, uint32_t *ino);
int32_t vfs_encode(const struct vfs_mount *m, uint32_t ino);
/* The object a name operation on obj works in: a covered directory's
 * mounted root, else obj itself. */
int32_t vfs_cross(int32_t obj);
/* Resolves a '/'-separated relative path from directory obj ("" or "."
 * give obj), crossing mount points both ways and following symbolic links
 * in the middle of the path (relative targets only); a final symbolic link
 * is returned itself. */
int vfs_resolve(int32_t obj, const char *path, int32_t *out);
/* Mounts fs on directory obj; the slot index or an FS_E* code. */
int vfs_mount(int32_t obj, const struct fs_ops *ops, void *fs, void *dev, int rdonly);
/* The mount holding obj or mounted on it (mount point or root); -1 if none. */
int vfs_mount_at(int32_t obj);
/* Unmounts slot i: the back end writes back and is freed.  On an error
 * (a write failed) the mount stays, with its changes kept for a retry. */
int vfs_unmount(int i);

#endif /* !FS_VFS_H */
