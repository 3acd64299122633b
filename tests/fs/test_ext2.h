/* tests/fs: what the ext2 test files share: a mounted scratch image. */
#ifndef TESTS_FS_TEST_EXT2_H
#define TESTS_FS_TEST_EXT2_H

#include <check.h>

#include "../../servers/filesvr/ext2.h"
#include "fsimg.h"

struct scratch {
    char *dir;
    char img[512];
    struct fsimg dev;
    struct ext2_fs *fs;
};

/* Makes an image with "mke2fs -q -F opts img size" and mounts it. */
void scratch_mkfs(struct scratch *s, const char *opts, const char *size);
void scratch_mount(struct scratch *s);
/* Unmounts and checks e2fsck -fn is clean. */
void scratch_umount_clean(struct scratch *s);
void scratch_done(struct scratch *s);
/* The bytes of file path on the (unmounted) image, as debugfs dumps them
 * (malloc'ed; *n their number). */
uint8_t *scratch_dump(struct scratch *s, const char *path, size_t *n);
/* Resolves a path of names from the root; 0 when absent. */
uint32_t path_ino(struct ext2_fs *fs, const char *path);
/* Fills buf with a pattern depending on seed and offset. */
void pattern(uint8_t *buf, size_t len, uint64_t off, unsigned seed);

TCase *ext2_more_cases(void);
TCase *ext2_fast_cases(void);

#endif
