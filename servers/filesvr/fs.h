/* filesvr: the types every file-system back end shares: result codes, the
 * block-device callbacks a back end runs over, and a node's attributes. */
#ifndef FS_FS_H
#define FS_FS_H

#include <stddef.h>
#include <stdint.h>

#define FS_NAME_MAX 255   /* longest name, without its NUL */

/* Results of every back-end call: 0 or one of these (negative). */
enum fs_err {
    FS_OK = 0,
    FS_ENOENT = -1,       /* no such name */
    FS_EEXIST = -2,       /* the name exists */
    FS_ENOTDIR = -3,      /* a path component is not a directory */
    FS_EISDIR = -4,       /* a directory where a file is needed */
    FS_ENOTEMPTY = -5,    /* the directory has entries */
    FS_ENOSPC = -6,       /* no free block or inode */
    FS_EIO = -7,          /* the device failed */
    FS_ECORRUPT = -8,     /* on-disk structure is invalid */
    FS_EROFS = -9,        /* mounted read-only */
    FS_EINVAL = -10,      /* bad argument */
    FS_ENAMETOOLONG = -11,
    FS_EUNSUPP = -12,     /* feature or operation not supported */
    FS_ENOMEM = -13,
    FS_EBUSY = -14,       /* in use */
    FS_EFBIG = -15,       /* beyond the largest file */
    FS_EMLINK = -16,      /* too many links */
};

/* Node types (the values ext2 stores in directory entries). */
enum fs_type {
    FS_T_UNKNOWN = 0, FS_T_FILE = 1, FS_T_DIR = 2, FS_T_CHR = 3, FS_T_BLK = 4,
    FS_T_FIFO = 5, FS_T_SOCK = 6, FS_T_SYMLINK = 7,
};

/* A block device: read/write count sectors of sector_size bytes starting at
 * sector; return 0 or FS_EIO.  now() gives seconds since 1970 (NULL: 0). */
struct fs_blkdev {
    void *ctx;
    uint32_t sector_size;   /* a power of two, 512..65536 */
    uint64_t nsectors;
    int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
    int (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);
    uint32_t (*now)(void *ctx);
};

struct fs_stat {
    uint32_t ino;
    int type;               /* enum fs_type */
    uint32_t mode;          /* permission bits and type, as ext2 keeps them */
    uint32_t links;
    uint64_t size;
    uint64_t blocks;        /* 512-byte units allocated */
    uint32_t atime, mtime, ctime;
    uint32_t uid, gid;
};

/* A short English text for a result code. */
const char *fs_strerror(int err);

#endif /* !FS_FS_H */
