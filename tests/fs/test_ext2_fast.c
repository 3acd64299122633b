/* tests/fs: the fast paths of the ext2 back end against the slow truth:
 * the in-memory name index of large directories (lookups, inserts, removes,
 * renames and a reused directory inode agree with a model and with debugfs,
 * e2fsck clean), and the block cache's read-ahead and clustered write-back
 * (few device requests for sequential transfers, the same bytes as ever). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_ext2.h"

#define NAMES 3000

static void name_of(char *buf, size_t len, int i)
{
    /* lengths vary from 5 to 60 bytes, so entries of many sizes share blocks */
    snprintf(buf, len, "n%04d-%.*s", i, i % 55, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcd");
}

static void check_model(struct ext2_fs *fs, uint32_t dir, const uint32_t *model)
{
    char name[80];
    for (int i = 0; i < NAMES; i++) {
        uint32_t ino = 0;
        name_of(name, sizeof name, i);
        int rc = ext2_lookup(fs, dir, name, &ino);
        if (model[i]) {
            ck_assert_msg(rc == FS_OK && ino == model[i], "%s: %s, ino %u want %u", name, fs_strerror(rc), ino,
                          model[i]);
        } else {
            ck_assert_msg(rc == FS_ENOENT, "%s: %s, should be absent", name, fs_strerror(rc));
        }
    }
}

START_TEST(ext2_dir_index_agrees_with_model)
{
    struct scratch s;
    scratch_mkfs(&s, "-t ext2 -b 1024 -N 8192", "16M");
    struct ext2_fs *fs = s.fs;
    uint32_t root = ext2_root(fs), big, other, *model = calloc(NAMES, sizeof *model);
    ck_assert_int_eq(ext2_mkdir(fs, root, "big", 0755, &big), FS_OK);
    ck_assert_int_eq(ext2_mkdir(fs, root, "other", 0755, &other), FS_OK);
    char name[80], to[80];
    for (int i = 0; i < NAMES; i++) {
        name_of(name, sizeof name, i);
        ck_assert_int_eq(ext2_create(fs, big, name, 0644, &model[i]), FS_OK);
        ck_assert_int_eq(ext2_create(fs, big, name, 0644, &(uint32_t){ 0 }), FS_EEXIST);
    }
    check_model(fs, big, model);
    unsigned seed = 12345;
    for (int round = 0; round < 4; round++) {
        for (int k = 0; k < NAMES / 2; k++) {
            seed = seed * 1103515245u + 12345u;
            int i = (int)((seed >> 8) % NAMES);
            name_of(name, sizeof name, i);
            if (model[i] && (seed & 3) == 0) {            /* away and back under another name */
                snprintf(to, sizeof to, "tmp-%d", i);
                ck_assert_int_eq(ext2_rename(fs, big, name, other, to), FS_OK);
                ck_assert_int_eq(ext2_rename(fs, other, to, big, name), FS_OK);
            } else if (model[i]) {
                ck_assert_int_eq(ext2_unlink(fs, big, name), FS_OK);
                model[i] = 0;
            } else {
                ck_assert_int_eq(ext2_create(fs, big, name, 0644, &model[i]), FS_OK);
            }
        }
        check_model(fs, big, model);
    }
    /* An indexed directory removed, its inode reused by a new directory:
     * the new one is empty. */
    uint32_t gone, again, ino;
    ck_assert_int_eq(ext2_mkdir(fs, root, "gone", 0755, &gone), FS_OK);
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "entry-with-a-long-name-%d", i);
        ck_assert_int_eq(ext2_create(fs, gone, name, 0644, &ino), FS_OK);
        ck_assert_int_eq(ext2_lookup(fs, gone, name, &ino), FS_OK);
        ck_assert_int_eq(ext2_unlink(fs, gone, name), FS_OK);
        ck_assert_int_eq(ext2_create(fs, gone, name, 0644, &ino), FS_OK);
    }
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "entry-with-a-long-name-%d", i);
        ck_assert_int_eq(ext2_unlink(fs, gone, name), FS_OK);
    }
    ck_assert_int_eq(ext2_rmdir(fs, root, "gone"), FS_OK);
    ck_assert_int_eq(ext2_mkdir(fs, root, "again", 0755, &again), FS_OK);
    ck_assert_uint_eq(again, gone);
    ck_assert_int_eq(ext2_lookup(fs, again, "entry-with-a-long-name-7", &ino), FS_ENOENT);
    int present = 0;
    for (int i = 0; i < NAMES; i++) present += model[i] != 0;
    scratch_umount_clean(&s);
    char *ls = fsimg_capture("debugfs -R 'ls -l /big' '%s' | awk '$1 != 0' | grep -c ' n[0-9][0-9][0-9][0-9]-'", s.img);
    ck_assert_int_eq(atoi(ls), present);
    free(ls);
    scratch_mount(&s);                            /* a fresh index from the disk agrees too */
    check_model(s.fs, path_ino(s.fs, "big"), model);
    scratch_umount_clean(&s);
    free(model);
    scratch_done(&s);
}
END_TEST

/* A device that counts the requests to the image under it. */
struct counted {
    struct fs_blkdev dev;
    const struct fs_blkdev *under;
    uint64_t reads, writes;
};

static int cnt_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct counted *c = ctx;
    c->reads++;
    return c->under->read(c->under->ctx, sector, count, buf);
}

static int cnt_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct counted *c = ctx;
    c->writes++;
    return c->under->write(c->under->ctx, sector, count, buf);
}

static struct ext2_fs *mount_counted(struct scratch *s, struct counted *c)
{
    char msg[128];
    struct ext2_fs *fs;
    *c = (struct counted){ .dev = s->dev.dev, .under = &s->dev.dev };
    c->dev.ctx = c;
    c->dev.read = cnt_read;
    c->dev.write = cnt_write;
    ck_assert_int_eq(ext2_mount(&c->dev, 0, &fs, NULL, msg, sizeof msg), FS_OK);
    return fs;
}

START_TEST(ext2_sequential_transfers_use_runs)
{
    const size_t bytes = 12u << 20, chunk = 256u << 10;
    struct scratch s;
    struct counted c;
    scratch_mkfs(&s, _i ? "-t ext2 -b 4096" : "-t ext2 -b 1024", "64M");
    ck_assert_int_eq(ext2_unmount(s.fs), FS_OK);
    s.fs = NULL;
    struct ext2_fs *fs = mount_counted(&s, &c);
    uint32_t f;
    uint8_t *buf = malloc(chunk), *want = malloc(chunk);
    ck_assert_int_eq(ext2_create(fs, ext2_root(fs), "seq", 0644, &f), FS_OK);
    for (size_t off = 0; off < bytes; off += chunk) {
        size_t n;
        pattern(buf, chunk, off, 77);
        ck_assert_int_eq(ext2_write(fs, f, off, buf, chunk, &n), FS_OK);
    }
    ck_assert_int_eq(ext2_unmount(fs), FS_OK);
    uint64_t blocks = bytes / (_i ? 4096 : 1024);
    /* 128 KiB runs: about bytes / 128 KiB requests, plus the metadata */
    ck_assert_msg(c.writes < bytes / (64u << 10), "%llu write requests for %llu blocks",
                  (unsigned long long)c.writes, (unsigned long long)blocks);
    fs = mount_counted(&s, &c);
    for (size_t off = 0; off < bytes; off += chunk) {
        size_t n;
        ck_assert_int_eq(ext2_read(fs, f, off, buf, chunk, &n), FS_OK);
        ck_assert_uint_eq(n, chunk);
        pattern(want, chunk, off, 77);
        ck_assert_msg(memcmp(buf, want, chunk) == 0, "bytes at %zu differ", off);
    }
    ck_assert_msg(c.reads < bytes / (64u << 10), "%llu read requests for %llu blocks",
                  (unsigned long long)c.reads, (unsigned long long)blocks);
    /* scattered small reads still read the right bytes */
    for (unsigned k = 0, seed = 5; k < 300; k++) {
        seed = seed * 1103515245u + 12345u;
        size_t off = (seed >> 4) % (bytes - 5000), n;
        ck_assert_int_eq(ext2_read(fs, f, off, buf, 5000, &n), FS_OK);
        pattern(want, 5000, off, 77);
        ck_assert_msg(n == 5000 && memcmp(buf, want, 5000) == 0, "scattered read at %zu", off);
    }
    ck_assert_int_eq(ext2_unmount(fs), FS_OK);
    fsimg_close(&s.dev);
    ck_assert(fsimg_fsck_clean(s.img));
    free(buf);
    free(want);
    scratch_done(&s);
}
END_TEST

TCase *ext2_fast_cases(void)
{
    TCase *tc = tcase_create("fast paths");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, ext2_dir_index_agrees_with_model);
    tcase_add_loop_test(tc, ext2_sequential_transfers_use_runs, 0, 2);
    return tc;
}
