/* filesvr: the ext2 back end's interface.  Nodes are named by inode number;
 * every call returns FS_OK or an FS_E* code and never trusts the image. */
#ifndef FS_EXT2_H
#define FS_EXT2_H

#include "fs.h"

struct ext2_fs;

#define EXT2_MOUNT_RDONLY 1

/* Mounts the ext2 file system on dev.  On refusal nothing was written and
 * msg (msglen bytes, may be NULL) says why.  *rdonly_out (may be NULL) tells
 * whether it was mounted read-only (asked for, or unsupported ro features). */
int ext2_mount(const struct fs_blkdev *dev, int flags, struct ext2_fs **out,
               int *rdonly_out, char *msg, size_t msglen);
/* Writes every change back to the device. */
int ext2_sync(struct ext2_fs *fs);
/* Syncs, marks the file system clean and frees it.  When a write fails,
 * nothing is freed: the file system stays mounted with its changes kept
 * (dirty), and a later sync or unmount writes them again. */
int ext2_unmount(struct ext2_fs *fs);
/* Frees the file system without writing anything (changes not yet written
 * back are lost): for a mount that cannot be kept. */
void ext2_release(struct ext2_fs *fs);
uint32_t ext2_root(const struct ext2_fs *fs);
int ext2_is_rdonly(const struct ext2_fs *fs);
uint32_t ext2_block_size(const struct ext2_fs *fs);

int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct fs_stat *st);
/* Looks one name up in directory dir. */
int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t *ino);
/* Directory listing: *pos starts at 0; FS_OK with an entry, FS_ENOENT at the end.
 * name must hold FS_NAME_MAX + 1 bytes. */
int ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos, char *name,
                 uint32_t *ino, int *type);

int ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got);
int ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, const void *buf, size_t len,
               size_t *put);
int ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size);

int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino);
int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino);
int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, const char *target,
                 uint32_t *ino);
/* Reads a symlink's target (NUL-terminated, at most size-1 bytes). */
int ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t size);
int ext2_link(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t ino);
int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name);
int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name);
int ext2_rename(struct ext2_fs *fs, uint32_t sdir, const char *sname, uint32_t ddir,
                const char *dname);

#endif /* !FS_EXT2_H */
