/* The benchmark's ext2 image as its non-zero 1 KiB blocks (img2c). */
#ifndef BENCH_FS_IMAGE_H
#define BENCH_FS_IMAGE_H

struct fs_image_block {
    unsigned long nr;
    unsigned char data[1024];
};
extern const struct fs_image_block fs_image_blocks[];
extern const unsigned long fs_image_nblocks, fs_image_kib;

#endif
