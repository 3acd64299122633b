/* tests/fs: the ext2 back end on image files made by mke2fs: what it writes
 * debugfs reads and e2fsck finds clean; what e2fsprogs put in it reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_ext2.h"

void scratch_mkfs(struct scratch *s, const char *opts, const char *size)
{
    memset(s, 0, sizeof *s);
    s->dir = fsimg_tmpdir();
    snprintf(s->img, sizeof s->img, "%s/img", s->dir);
    ck_assert_int_eq(fsimg_sh("mke2fs -q -F %s '%s' %s", opts, s->img, size), 0);
    scratch_mount(s);
}

void scratch_mount(struct scratch *s)
{
    char msg[128];
    ck_assert_int_eq(fsimg_open(&s->dev, s->img), 0);
    int ro = 1, rc = ext2_mount(&s->dev.dev, 0, &s->fs, &ro, msg, sizeof msg);
    ck_assert_msg(rc == FS_OK, "mount: %s", msg);
    ck_assert_int_eq(ro, 0);
}

void scratch_umount_clean(struct scratch *s)
{
    ck_assert_int_eq(ext2_unmount(s->fs), FS_OK);
    s->fs = NULL;
    fsimg_close(&s->dev);
    ck_assert(fsimg_fsck_clean(s->img));
}

void scratch_done(struct scratch *s)
{
    if (s->fs && ext2_unmount(s->fs)) ext2_release(s->fs);
    fsimg_close(&s->dev);
    fsimg_cleanup(s->dir);
    free(s->dir);
}

uint32_t path_ino(struct ext2_fs *fs, const char *path)
{
    char buf[1024], *save = NULL;
    snprintf(buf, sizeof buf, "%s", path);
    uint32_t ino = ext2_root(fs);
    for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save))
        if (ext2_lookup(fs, ino, c, &ino) != FS_OK) return 0;
    return ino;
}

void pattern(uint8_t *buf, size_t len, uint64_t off, unsigned seed)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t x = (off + i) / 4 * 2654435761u + seed * 40503u;
        buf[i] = (uint8_t)(x >> ((off + i) % 4 * 8));
    }
}

static void write_pattern(struct ext2_fs *fs, uint32_t ino, uint64_t off, size_t len, unsigned seed)
{
    uint8_t *buf = malloc(len);
    pattern(buf, len, off, seed);
    size_t put = 0;
    ck_assert_int_eq(ext2_write(fs, ino, off, buf, len, &put), FS_OK);
    ck_assert_uint_eq(put, len);
    free(buf);
}

uint8_t *scratch_dump(struct scratch *s, const char *path, size_t *n)
{
    char out[600];
    snprintf(out, sizeof out, "%s/dump", s->dir);
    ck_assert_int_eq(fsimg_sh("rm -f '%s'; debugfs -R 'dump %s %s' '%s'", out, path, out, s->img), 0);
    uint8_t *got = fsimg_slurp(out, n);
    ck_assert_ptr_nonnull(got);
    return got;
}

/* Our file, dumped by debugfs, has exactly the bytes we wrote. */
static void check_dump(struct scratch *s, const char *path, uint64_t off, size_t len, unsigned seed)
{
    size_t n;
    uint8_t *got = scratch_dump(s, path, &n);
    ck_assert_uint_ge(n, off + len);
    uint8_t *want = malloc(len);
    pattern(want, len, off, seed);
    ck_assert_msg(memcmp(got + off, want, len) == 0, "%s differs from what was written", path);
    for (uint64_t i = 0; i < off; i += 4093) ck_assert_int_eq(got[i], 0);
    free(want);
    free(got);
}

START_TEST(ext2_mount_unmount_clean)
{
    static const char *opts[] = { "-t ext2 -b 1024", "-t ext2 -b 4096", "-t ext3 -b 1024",
                                  "-t ext2 -b 2048 -I 128", "-t ext2 -b 1024 -O ^filetype" };
    struct scratch s;
    scratch_mkfs(&s, opts[_i], "8M");
    uint32_t ino;
    ck_assert_int_eq(ext2_lookup(s.fs, ext2_root(s.fs), "lost+found", &ino), FS_OK);
    ck_assert_int_eq(ext2_create(s.fs, ext2_root(s.fs), "hello.txt", 0644, &ino), FS_OK);
    size_t put;
    ck_assert_int_eq(ext2_write(s.fs, ino, 0, "hello, world\n", 13, &put), FS_OK);
    scratch_umount_clean(&s);
    char *cat = fsimg_capture("debugfs -R 'cat /hello.txt' '%s'", s.img);
    ck_assert_str_eq(cat, "hello, world\n");
    free(cat);
    scratch_done(&s);
}
END_TEST

START_TEST(ext2_write_read_by_debugfs)
{
    struct scratch s;
    scratch_mkfs(&s, _i ? "-t ext2 -b 4096" : "-t ext2 -b 1024", "16M");
    uint32_t root = ext2_root(s.fs), d, a, b;
    ck_assert_int_eq(ext2_mkdir(s.fs, root, "docs", 0755, &d), FS_OK);
    ck_assert_int_eq(ext2_create(s.fs, d, "small", 0644, &a), FS_OK);
    ck_assert_int_eq(ext2_create(s.fs, root, "big", 0600, &b), FS_OK);
    write_pattern(s.fs, a, 0, 1000, 1);
    write_pattern(s.fs, b, 0, 3 * 1024 * 1024 + 17, 2);   /* through double indirection */
    scratch_umount_clean(&s);
    check_dump(&s, "/docs/small", 0, 1000, 1);
    check_dump(&s, "/big", 0, 3 * 1024 * 1024 + 17, 2);
    char *st = fsimg_capture("debugfs -R 'stat /big' '%s'", s.img);
    ck_assert_ptr_nonnull(strstr(st, "Mode:  0600"));
    ck_assert_ptr_nonnull(strstr(st, "mtime: 0x6553f100"));   /* 1700000000 */
    free(st);
    scratch_done(&s);
}
END_TEST

START_TEST(ext2_triple_indirect_sparse)
{
    struct scratch s;
    scratch_mkfs(&s, "-t ext2 -b 1024", "8M");
    uint32_t root = ext2_root(s.fs), f;
    ck_assert_int_eq(ext2_create(s.fs, root, "sparse", 0644, &f), FS_OK);
    /* 1 KiB blocks: triple indirection starts at block 12 + 256 + 65536. */
    uint64_t tind = (12ull + 256 + 65536) * 1024;
    write_pattern(s.fs, f, tind + 5000, 3000, 3);
    write_pattern(s.fs, f, 100, 50, 4);
    write_pattern(s.fs, f, (12 + 256 + 300) * 1024, 10, 5);
    struct fs_stat st;
    ck_assert_int_eq(ext2_stat(s.fs, f, &st), FS_OK);
    ck_assert_uint_eq(st.size, tind + 8000);
    ck_assert_uint_lt(st.blocks, 40);      /* sparse: a few data and map blocks */
    uint8_t buf[64];
    size_t got;
    ck_assert_int_eq(ext2_read(s.fs, f, tind, buf, sizeof buf, &got), FS_OK);
    for (size_t i = 0; i < got; i++) ck_assert_int_eq(buf[i], 0);
    scratch_umount_clean(&s);
    check_dump(&s, "/sparse", tind + 5000, 3000, 3);
    scratch_mount(&s);
    f = path_ino(s.fs, "sparse");
    uint8_t back[3000], want[3000];
    ck_assert_int_eq(ext2_read(s.fs, f, tind + 5000, back, sizeof back, &got), FS_OK);
    pattern(want, sizeof want, tind + 5000, 3);
    ck_assert_int_eq(memcmp(back, want, sizeof back), 0);
    /* Cut into the double-indirect range, then to a partial block. */
    ck_assert_int_eq(ext2_truncate(s.fs, f, (12 + 256 + 300) * 1024 + 5), FS_OK);
    ck_assert_int_eq(ext2_truncate(s.fs, f, 120), FS_OK);
    ck_assert_int_eq(ext2_truncate(s.fs, f, 5000), FS_OK);
    ck_assert_int_eq(ext2_read(s.fs, f, 100, back, 200, &got), FS_OK);
    ck_assert_uint_eq(got, 200);
    pattern(want, 20, 100, 4);
    ck_assert_int_eq(memcmp(back, want, 20), 0);
    for (int i = 20; i < 200; i++) ck_assert_int_eq(back[i], 0);
    scratch_umount_clean(&s);
    scratch_done(&s);
}
END_TEST

START_TEST(ext2_reads_mke2fs_d_tree)
{
    struct scratch s;
    memset(&s, 0, sizeof s);
    s.dir = fsimg_tmpdir();
    snprintf(s.img, sizeof s.img, "%s/img", s.dir);
    char long_target[200];
    memset(long_target, 'x', sizeof long_target - 1);
    long_target[sizeof long_target - 1] = 0;
    ck_assert_int_eq(fsimg_sh("cd '%s' && mkdir -p src/a/b/c && echo 'first file' > src/one.txt && "
                              "head -c 300000 /dev/urandom > src/a/rand && truncate -s 20M src/a/holes && "
                              "printf tail >> src/a/holes && ln -s one.txt src/short && "
                              "ln -s %s src/long && ln src/one.txt src/a/b/c/hard && "
                              "for i in $(seq 1 300); do echo $i > src/a/b/f$i; done",
                              s.dir, long_target), 0);
    ck_assert_int_eq(fsimg_sh("mke2fs -q -F -t ext2 -b %d -d '%s/src' '%s' 32M", _i ? 4096 : 1024, s.dir, s.img), 0);
    scratch_mount(&s);
    char buf[256];
    size_t got;
    uint32_t one = path_ino(s.fs, "one.txt");
    ck_assert_uint_ne(one, 0);
    ck_assert_int_eq(ext2_read(s.fs, one, 0, buf, sizeof buf, &got), FS_OK);
    ck_assert_uint_eq(got, 11);
    ck_assert_int_eq(memcmp(buf, "first file\n", 11), 0);
    ck_assert_uint_eq(path_ino(s.fs, "a/b/c/hard"), one);
    struct fs_stat st;
    ck_assert_int_eq(ext2_stat(s.fs, one, &st), FS_OK);
    ck_assert_uint_eq(st.links, 2);
    ck_assert_int_eq(ext2_readlink(s.fs, path_ino(s.fs, "short"), buf, sizeof buf), FS_OK);
    ck_assert_str_eq(buf, "one.txt");
    ck_assert_int_eq(ext2_readlink(s.fs, path_ino(s.fs, "long"), buf, sizeof buf), FS_OK);
    ck_assert_str_eq(buf, long_target);
    /* The random file and the sparse one compare with the host's copies. */
    char host[600];
    snprintf(host, sizeof host, "%s/src/a/rand", s.dir);
    size_t n;
    uint8_t *want = fsimg_slurp(host, &n), *mine = malloc(n + 10);
    ck_assert_int_eq(ext2_read(s.fs, path_ino(s.fs, "a/rand"), 0, mine, n + 10, &got), FS_OK);
    ck_assert_uint_eq(got, n);
    ck_assert_int_eq(memcmp(mine, want, n), 0);
    free(want);
    free(mine);
    uint32_t holes = path_ino(s.fs, "a/holes");
    ck_assert_int_eq(ext2_read(s.fs, holes, 20 * 1024 * 1024 - 2, buf, 10, &got), FS_OK);
    ck_assert_uint_eq(got, 6);
    ck_assert_int_eq(memcmp(buf, "\0\0tail", 6), 0);
    /* 300 entries plus "." and ".." and c. */
    uint32_t dir = path_ino(s.fs, "a/b"), ino;
    uint64_t pos = 0;
    int count = 0, type, sawc = 0;
    char name[FS_NAME_MAX + 1];
    while (ext2_readdir(s.fs, dir, &pos, name, &ino, &type) == FS_OK) {
        count++;
        if (strcmp(name, "c") == 0) sawc = type == FS_T_DIR;
    }
    ck_assert_int_eq(count, 303);
    ck_assert(sawc);
    scratch_umount_clean(&s);
    scratch_done(&s);
}
END_TEST

static Suite *ext2_suite(void)
{
    Suite *s = suite_create("ext2");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, ext2_mount_unmount_clean, 0, 5);
    tcase_add_loop_test(tc, ext2_write_read_by_debugfs, 0, 2);
    tcase_add_test(tc, ext2_triple_indirect_sparse);
    tcase_add_loop_test(tc, ext2_reads_mke2fs_d_tree, 0, 2);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, ext2_more_cases());
    suite_add_tcase(s, ext2_fast_cases());
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ext2_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
