/* tests/fs: a file-backed block device for the ext2 library on the host,
 * and helpers that run e2fsprogs (mke2fs, debugfs, e2fsck) on images. */
#ifndef TESTS_FS_FSIMG_H
#define TESTS_FS_FSIMG_H

#include <stddef.h>
#include <stdint.h>

#include "../../servers/filesvr/fs.h"

struct fsimg {
    int fd;
    struct fs_blkdev dev;
    uint32_t time;        /* what now() answers */
    uint64_t writes;      /* sectors written */
    uint64_t wrequests;   /* write requests seen, failed ones too */
    uint64_t fail_at;     /* write request number fail_at fails (0: none) */
    int fail_writes;      /* every write request fails */
};

/* Opens path as a device of 512-byte sectors; 0 or -1. */
int fsimg_open(struct fsimg *img, const char *path);
void fsimg_close(struct fsimg *img);
/* Runs a shell command (printf format), output to the log; its exit status. */
int fsimg_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Runs a command and returns its standard output (malloc'ed, NUL-ended). */
char *fsimg_capture(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether e2fsck -fn finds the image clean (prints its report otherwise). */
int fsimg_fsck_clean(const char *path);
/* A fresh scratch directory (malloc'ed path); removed by fsimg_cleanup. */
char *fsimg_tmpdir(void);
void fsimg_cleanup(const char *dir);
/* Reads a whole file; NULL when it cannot. */
uint8_t *fsimg_slurp(const char *path, size_t *len);

#endif
