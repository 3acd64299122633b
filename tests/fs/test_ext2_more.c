/* tests/fs: heavy use then e2fsck clean; name-space semantics (rename,
 * links, rmdir); unsupported images refused untouched; read-only features;
 * corrupt images give errors, never a crash; failed write-backs are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_ext2.h"

static uint32_t mk(struct ext2_fs *fs, uint32_t dir, const char *name, int is_dir)
{
    uint32_t ino = 0;
    int rc = is_dir ? ext2_mkdir(fs, dir, name, 0755, &ino) : ext2_create(fs, dir, name, 0644, &ino);
    ck_assert_msg(rc == FS_OK, "create %s: %s", name, fs_strerror(rc));
    return ino;
}

static void put(struct ext2_fs *fs, uint32_t ino, uint64_t off, size_t len, unsigned seed)
{
    uint8_t *buf = malloc(len);
    pattern(buf, len, off, seed);
    size_t n;
    ck_assert_int_eq(ext2_write(fs, ino, off, buf, len, &n), FS_OK);
    ck_assert_uint_eq(n, len);
    free(buf);
}

static uint32_t links(struct ext2_fs *fs, uint32_t ino)
{
    struct fs_stat st;
    ck_assert_int_eq(ext2_stat(fs, ino, &st), FS_OK);
    return st.links;
}

START_TEST(ext2_heavy_use_fsck_clean)
{
    struct scratch s;
    scratch_mkfs(&s, _i ? "-t ext2 -b 4096 -N 4096" : "-t ext2 -b 1024 -N 4096", "48M");
    struct ext2_fs *fs = s.fs;
    uint32_t root = ext2_root(fs), many = mk(fs, root, "many", 1), other = mk(fs, root, "other", 1);
    char name[64];
    for (int i = 0; i < 1500; i++) {
        snprintf(name, sizeof name, "file-with-a-longish-name-%04d", i);
        uint32_t f = mk(fs, many, name, 0);
        put(fs, f, 0, (size_t)(i % 7) * 300, (unsigned)i);
    }
    for (int i = 0; i < 1500; i += 2) {           /* unlink half, rename a third of the rest */
        snprintf(name, sizeof name, "file-with-a-longish-name-%04d", i);
        ck_assert_int_eq(ext2_unlink(fs, many, name), FS_OK);
    }
    for (int i = 1; i < 1500; i += 6) {
        char to[64];
        snprintf(name, sizeof name, "file-with-a-longish-name-%04d", i);
        snprintf(to, sizeof to, "moved-%d", i);
        ck_assert_int_eq(ext2_rename(fs, many, name, other, to), FS_OK);
    }
    uint32_t d = root;                            /* 40 levels deep, a file at each */
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "level%d", i);
        d = mk(fs, d, name, 1);
        put(fs, mk(fs, d, "f", 0), 0, 100, (unsigned)i);
    }
    uint32_t big = mk(fs, root, "big", 0);
    put(fs, big, 0, 6 * 1024 * 1024, 9);
    ck_assert_int_eq(ext2_truncate(fs, big, 1024 * 1024 + 3), FS_OK);
    put(fs, big, 20 * 1024 * 1024, 4096, 10);     /* leaves a hole */
    uint32_t deep = path_ino(fs, "level0/level1/level2");
    ck_assert_int_eq(ext2_rename(fs, deep, "level3", other, "subtree"), FS_OK);
    ck_assert_int_eq(ext2_sync(fs), FS_OK);
    scratch_umount_clean(&s);
    /* debugfs lists a block's emptied first entry too, as inode 0. */
    char *ls = fsimg_capture("debugfs -R 'ls -l /many' '%s' | awk '$1 != 0' | grep -c longish", s.img);
    ck_assert_int_eq(atoi(ls), 500);
    free(ls);
    ls = fsimg_capture("debugfs -R 'ls /other/subtree/level4/level5' '%s'", s.img);
    ck_assert_ptr_nonnull(strstr(ls, "level6"));
    free(ls);
    scratch_done(&s);
}
END_TEST

START_TEST(ext2_names_links_rename)
{
    struct scratch s;
    scratch_mkfs(&s, "-t ext2 -b 1024", "4M");
    struct ext2_fs *fs = s.fs;
    uint32_t root = ext2_root(fs), a = mk(fs, root, "a", 1), b = mk(fs, root, "b", 1);
    uint32_t f = mk(fs, a, "f", 0), g = mk(fs, a, "g", 0), ino;
    ck_assert_uint_eq(links(fs, root), 5);       /* ., .., lost+found, a, b */
    ck_assert_int_eq(ext2_create(fs, a, "f", 0644, &ino), FS_EEXIST);
    ck_assert_int_eq(ext2_create(fs, a, "x/y", 0644, &ino), FS_EINVAL);
    ck_assert_int_eq(ext2_create(fs, f, "y", 0644, &ino), FS_ENOTDIR);
    ck_assert_int_eq(ext2_link(fs, b, "f2", f), FS_OK);
    ck_assert_uint_eq(links(fs, f), 2);
    ck_assert_int_eq(ext2_link(fs, b, "adir", a), FS_EISDIR);
    ck_assert_int_eq(ext2_rename(fs, a, "g", a, "f"), FS_OK);       /* replaces f: one link left */
    ck_assert_uint_eq(links(fs, f), 1);
    ck_assert_int_eq(ext2_lookup(fs, a, "f", &ino), FS_OK);
    ck_assert_uint_eq(ino, g);
    ck_assert_int_eq(ext2_rename(fs, root, "a", a, "inside"), FS_EINVAL);   /* into itself */
    uint32_t c = mk(fs, a, "c", 1);
    ck_assert_int_eq(ext2_rename(fs, a, "c", b, "c2"), FS_OK);
    ck_assert_uint_eq(links(fs, a), 2);
    ck_assert_uint_eq(links(fs, b), 3);
    ck_assert_int_eq(ext2_lookup(fs, c, "..", &ino), FS_OK);
    ck_assert_uint_eq(ino, b);
    ck_assert_int_eq(ext2_rmdir(fs, root, "b"), FS_ENOTEMPTY);
    ck_assert_int_eq(ext2_unlink(fs, b, "c2"), FS_EISDIR);
    ck_assert_int_eq(ext2_rmdir(fs, b, "f2"), FS_ENOTDIR);
    mk(fs, a, "empty", 1);
    ck_assert_int_eq(ext2_rename(fs, b, "c2", a, "empty"), FS_OK);   /* replaces an empty dir */
    ck_assert_uint_eq(links(fs, a), 3);
    ck_assert_uint_eq(links(fs, b), 2);
    ck_assert_int_eq(ext2_symlink(fs, root, "ln", "a/f", &ino), FS_OK);
    char t[64];
    ck_assert_int_eq(ext2_readlink(fs, ino, t, sizeof t), FS_OK);
    ck_assert_str_eq(t, "a/f");
    char longt[900];
    memset(longt, 'q', sizeof longt - 1);
    longt[sizeof longt - 1] = 0;
    ck_assert_int_eq(ext2_symlink(fs, root, "longln", longt, &ino), FS_OK);
    ck_assert_int_eq(ext2_unlink(fs, b, "f2"), FS_OK);
    ck_assert_int_eq(ext2_rmdir(fs, a, "empty"), FS_OK);
    ck_assert_int_eq(ext2_rmdir(fs, root, "b"), FS_OK);
    ck_assert_uint_eq(links(fs, root), 4);
    scratch_umount_clean(&s);
    char *rl = fsimg_capture("debugfs -R 'stat /longln' '%s' | grep -c 'Type: symlink'", s.img);
    ck_assert_int_eq(atoi(rl), 1);
    free(rl);
    scratch_done(&s);
}
END_TEST

/* An image the code must refuse: mounting fails and not a byte changes. */
static void refuse(const char *make, const char *why)
{
    struct scratch s;
    memset(&s, 0, sizeof s);
    s.dir = fsimg_tmpdir();
    snprintf(s.img, sizeof s.img, "%s/img", s.dir);
    ck_assert_int_eq(fsimg_sh(make, s.img, s.img), 0);
    size_t n1, n2;
    uint8_t *before = fsimg_slurp(s.img, &n1);
    ck_assert_int_eq(fsimg_open(&s.dev, s.img), 0);
    char msg[160];
    struct ext2_fs *fs = NULL;
    int rc = ext2_mount(&s.dev.dev, 0, &fs, NULL, msg, sizeof msg);
    ck_assert_int_ne(rc, FS_OK);
    ck_assert_msg(strstr(msg, why) != NULL, "message '%s' does not name '%s'", msg, why);
    ck_assert_uint_eq(s.dev.writes, 0);
    fsimg_close(&s.dev);
    uint8_t *after = fsimg_slurp(s.img, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_int_eq(memcmp(before, after, n1), 0);
    free(before);
    free(after);
    scratch_done(&s);
}

START_TEST(ext2_refuses_unsupported_untouched)
{
    refuse("mke2fs -q -F -t ext4 '%s' 8M", "extent");
    refuse("mke2fs -q -F -t ext3 '%s' 8M && debugfs -w -R 'feature needs_recovery' '%s'", "needs_recovery");
    refuse("mke2fs -q -F -t ext2 -O meta_bg,^resize_inode '%s' 8M", "meta_bg");
    refuse("mke2fs -q -F -t ext2 -O inline_data '%s' 8M", "inline_data");
    refuse("head -c 1M /dev/zero > '%s'", "bad magic");
}
END_TEST

START_TEST(ext2_ro_compat_mounts_read_only)
{
    struct scratch s;
    memset(&s, 0, sizeof s);
    s.dir = fsimg_tmpdir();
    snprintf(s.img, sizeof s.img, "%s/img", s.dir);
    /* An ro-compat bit we do not know (0x80000000) set in the superblock. */
    ck_assert_int_eq(fsimg_sh("mke2fs -q -F -t ext2 '%s' 4M && printf '\\200' | "
                              "dd of='%s' bs=1 seek=$((1024+0x64+3)) conv=notrunc", s.img, s.img), 0);
    size_t n1, n2;
    uint8_t *before = fsimg_slurp(s.img, &n1);
    ck_assert_int_eq(fsimg_open(&s.dev, s.img), 0);
    char msg[160];
    int ro = 0;
    ck_assert_int_eq(ext2_mount(&s.dev.dev, 0, &s.fs, &ro, msg, sizeof msg), FS_OK);
    ck_assert_int_eq(ro, 1);
    ck_assert_ptr_nonnull(strstr(msg, "read-only"));
    uint32_t ino;
    ck_assert_int_eq(ext2_lookup(s.fs, 2, "lost+found", &ino), FS_OK);
    ck_assert_int_eq(ext2_create(s.fs, 2, "x", 0644, &ino), FS_EROFS);
    ck_assert_int_eq(ext2_unmount(s.fs), FS_OK);
    s.fs = NULL;
    fsimg_close(&s.dev);
    uint8_t *after = fsimg_slurp(s.img, &n2);
    ck_assert_int_eq(memcmp(before, after, n1), 0);
    free(before);
    free(after);
    scratch_done(&s);
}
END_TEST

START_TEST(ext2_full_device_enospc)
{
    struct scratch s;
    scratch_mkfs(&s, "-t ext2 -b 1024 -N 64", "1M");
    uint32_t f = mk(s.fs, 2, "fill", 0);
    uint8_t buf[8192] = { 1 };
    size_t n;
    int rc = FS_OK;
    for (int i = 0; i < 200 && rc == FS_OK; i++) {
        rc = ext2_write(s.fs, f, (uint64_t)i * sizeof buf, buf, sizeof buf, &n);
        if (rc == FS_OK && n < sizeof buf) rc = FS_ENOSPC;
    }
    ck_assert_int_eq(rc, FS_ENOSPC);
    char name[32];
    rc = FS_OK;
    for (int i = 0; i < 100 && rc == FS_OK; i++) {
        snprintf(name, sizeof name, "n%d", i);
        uint32_t ino;
        rc = ext2_create(s.fs, 2, name, 0644, &ino);
    }
    ck_assert_int_eq(rc, FS_ENOSPC);
    scratch_umount_clean(&s);
    scratch_done(&s);
}
END_TEST

/* What debugfs dumps of path equals want (len bytes). */
static void dump_is(struct scratch *s, const char *path, const uint8_t *want, size_t len)
{
    size_t n;
    uint8_t *got = scratch_dump(s, path, &n);
    ck_assert_uint_eq(n, len);
    ck_assert_msg(memcmp(got, want, len) == 0, "%s differs from what was written", path);
    free(got);
}

/* A write that fails in a sync or an unmount drops nothing: the changes
 * stay in the cache, a failed unmount leaves the file system mounted, and
 * a later unmount writes everything; e2fsck is then clean and the files
 * whole.  _i: which write request of the failing sync fails (0: every one). */
START_TEST(ext2_failed_writeback_kept)
{
    struct scratch s;
    scratch_mkfs(&s, "-t ext2 -b 1024", "8M");
    uint8_t *a_want = malloc(25000), *b_want = malloc(30000), *back = malloc(30000);
    pattern(a_want, 20000, 0, 1);
    pattern(a_want + 20000, 5000, 20000, 3);
    pattern(b_want, 30000, 0, 2);
    uint32_t a = mk(s.fs, 2, "a", 0);
    put(s.fs, a, 0, 20000, 1);
    ck_assert_int_eq(ext2_sync(s.fs), FS_OK);
    uint32_t d = mk(s.fs, 2, "d", 1), b = mk(s.fs, d, "b", 0);
    put(s.fs, b, 0, 30000, 2);
    put(s.fs, a, 20000, 5000, 3);
    s.dev.wrequests = 0;
    if (_i) s.dev.fail_at = (uint64_t)_i; else s.dev.fail_writes = 1;
    ck_assert_int_eq(ext2_sync(s.fs), FS_EIO);
    ck_assert_uint_ge(s.dev.wrequests, (uint64_t)_i);
    s.dev.fail_at = 0;
    s.dev.fail_writes = 1;                       /* the unmount fails too: still mounted */
    ck_assert_int_eq(ext2_unmount(s.fs), FS_EIO);
    size_t got;
    ck_assert_int_eq(ext2_read(s.fs, b, 0, back, 30000, &got), FS_OK);
    ck_assert_uint_eq(got, 30000);
    ck_assert_int_eq(memcmp(back, b_want, 30000), 0);
    ck_assert_uint_eq(path_ino(s.fs, "d/b"), b);
    s.dev.fail_writes = 0;                       /* the device is back: everything goes out */
    scratch_umount_clean(&s);
    dump_is(&s, "/a", a_want, 25000);
    dump_is(&s, "/d/b", b_want, 30000);
    free(a_want);
    free(b_want);
    free(back);
    scratch_done(&s);
}
END_TEST

TCase *ext2_more_cases(void)
{
    TCase *tc = tcase_create("more");
    tcase_set_timeout(tc, 180);
    tcase_add_loop_test(tc, ext2_heavy_use_fsck_clean, 0, 2);
    tcase_add_test(tc, ext2_names_links_rename);
    tcase_add_test(tc, ext2_refuses_unsupported_untouched);
    tcase_add_test(tc, ext2_ro_compat_mounts_read_only);
    tcase_add_test(tc, ext2_full_device_enospc);
    tcase_add_loop_test(tc, ext2_failed_writeback_kept, 0, 8);
    return tc;
}
