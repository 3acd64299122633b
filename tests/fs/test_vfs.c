/* tests/fs: the memory file system and VFS-light on the host: the same
 * name-space rules checked through the operations table on memfs and on
 * ext2; several file systems mounted at once; resolving across mount
 * points and through symbolic links. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/filesvr/ext2.h"
#include "../../servers/filesvr/memfs.h"
#include "../../servers/filesvr/vfs.h"
#include "fsimg.h"

struct backend {
    const struct fs_ops *ops;
    void *fs;
    struct fsimg img;
    char *dir;
};

static void backend_open(struct backend *b, int which)
{
    memset(b, 0, sizeof *b);
    if (which == 0) {
        b->ops = &memfs_ops;
        b->fs = memfs_new(64 << 20, NULL, NULL);
        ck_assert_ptr_nonnull(b->fs);
        return;
    }
    char img[512];
    b->dir = fsimg_tmpdir();
    snprintf(img, sizeof img, "%s/img", b->dir);
    ck_assert_int_eq(fsimg_sh("mke2fs -q -F -t ext2 -b 1024 '%s' 8M", img), 0);
    ck_assert_int_eq(fsimg_open(&b->img, img), 0);
    struct ext2_fs *fs;
    ck_assert_int_eq(ext2_mount(&b->img.dev, 0, &fs, NULL, NULL, 0), FS_OK);
    b->ops = &ext2_vfs_ops;
    b->fs = fs;
}

static void backend_close(struct backend *b)
{
    ck_assert_int_eq(b->ops->unmount(b->fs), FS_OK);
    if (b->dir) {
        char img[512];
        snprintf(img, sizeof img, "%s/img", b->dir);
        fsimg_close(&b->img);
        ck_assert(fsimg_fsck_clean(img));
        fsimg_cleanup(b->dir);
        free(b->dir);
    }
}

static uint32_t nlinks(struct backend *b, uint32_t ino)
{
    struct fs_stat st;
    ck_assert_int_eq(b->ops->stat(b->fs, ino, &st), FS_OK);
    return st.links;
}

/* _i 0: memfs, 1: ext2 — both must give the same answers. */
START_TEST(vfs_same_rules_both_backends)
{
    struct backend b;
    backend_open(&b, _i);
    const struct fs_ops *o = b.ops;
    void *fs = b.fs;
    uint32_t root = o->root(fs), a, d, f, g, ino;
    uint32_t base = nlinks(&b, root);
    ck_assert_int_eq(o->mkdir(fs, root, "a", 0, &a), FS_OK);
    ck_assert_int_eq(o->mkdir(fs, root, "d", 0, &d), FS_OK);
    ck_assert_uint_eq(nlinks(&b, root), base + 2);
    ck_assert_int_eq(o->create(fs, a, "f", 0, &f), FS_OK);
    ck_assert_int_eq(o->create(fs, a, "f", 0, &ino), FS_EEXIST);
    ck_assert_int_eq(o->create(fs, a, "..", 0, &ino), FS_EINVAL);
    ck_assert_int_eq(o->create(fs, f, "x", 0, &ino), FS_ENOTDIR);
    size_t n;
    ck_assert_int_eq(o->write(fs, f, 0, "0123456789", 10, &n), FS_OK);
    ck_assert_int_eq(o->write(fs, f, 20, "end", 3, &n), FS_OK);
    char buf[64];
    ck_assert_int_eq(o->read(fs, f, 5, buf, sizeof buf, &n), FS_OK);
    ck_assert_uint_eq(n, 18);
    ck_assert_int_eq(memcmp(buf, "56789\0\0\0\0\0\0\0\0\0\0end", 18), 0);
    ck_assert_int_eq(o->truncate(fs, f, 3), FS_OK);
    ck_assert_int_eq(o->truncate(fs, f, 6), FS_OK);
    ck_assert_int_eq(o->read(fs, f, 0, buf, sizeof buf, &n), FS_OK);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(memcmp(buf, "012\0\0\0", 6), 0);
    ck_assert_int_eq(o->read(fs, a, 0, buf, 1, &n), FS_EISDIR);
    ck_assert_int_eq(o->link(fs, d, "f2", f), FS_OK);
    ck_assert_uint_eq(nlinks(&b, f), 2);
    ck_assert_int_eq(o->link(fs, d, "a2", a), FS_EISDIR);
    ck_assert_int_eq(o->create(fs, a, "g", 0, &g), FS_OK);
    ck_assert_int_eq(o->rename(fs, a, "g", a, "f"), FS_OK);   /* replaces f's name in a */
    ck_assert_uint_eq(nlinks(&b, f), 1);
    ck_assert_int_eq(o->lookup(fs, a, "f", &ino), FS_OK);
    ck_assert_uint_eq(ino, g);
    ck_assert_int_eq(o->rename(fs, root, "a", a, "in"), FS_EINVAL);
    ck_assert_int_eq(o->mkdir(fs, a, "sub", 0, &ino), FS_OK);
    ck_assert_int_eq(o->rename(fs, a, "sub", d, "sub"), FS_OK);
    ck_assert_uint_eq(nlinks(&b, a), 2);
    ck_assert_uint_eq(nlinks(&b, d), 3);
    uint32_t up;
    ck_assert_int_eq(o->lookup(fs, ino, "..", &up), FS_OK);
    ck_assert_uint_eq(up, d);
    ck_assert_int_eq(o->rmdir(fs, root, "d"), FS_ENOTEMPTY);
    ck_assert_int_eq(o->unlink(fs, d, "sub"), FS_EISDIR);
    ck_assert_int_eq(o->rmdir(fs, d, "f2"), FS_ENOTDIR);
    ck_assert_int_eq(o->symlink(fs, root, "ln", "a/f", &ino), FS_OK);
    ck_assert_int_eq(o->readlink(fs, ino, buf, sizeof buf), FS_OK);
    ck_assert_str_eq(buf, "a/f");
    ck_assert_int_eq(o->unlink(fs, d, "f2"), FS_OK);
    ck_assert_int_eq(o->rmdir(fs, d, "sub"), FS_OK);
    ck_assert_int_eq(o->rmdir(fs, root, "d"), FS_OK);
    ck_assert_uint_eq(nlinks(&b, root), base + 1);
    /* A listing has ., .., and every name once. */
    uint64_t pos = 0;
    char name[FS_NAME_MAX + 1];
    int type, seen = 0;
    while (o->readdir(fs, root, &pos, name, &ino, &type) == FS_OK)
        seen += !strcmp(name, "a") * 1 + !strcmp(name, "ln") * 10 + !strcmp(name, ".") * 100;
    ck_assert_int_eq(seen, 111);
    backend_close(&b);
}
END_TEST

START_TEST(vfs_mounts_and_resolve)
{
    struct backend mem, e1, e2;
    backend_open(&mem, 0);
    backend_open(&e1, 1);
    backend_open(&e2, 1);
    vfs_init(mem.ops, mem.fs);
    uint32_t root = mem.ops->root(mem.fs), mnt, mnt2, ino;
    ck_assert_int_eq(mem.ops->mkdir(mem.fs, root, "disk", 0, &mnt), FS_OK);
    ck_assert_int_eq(mem.ops->create(mem.fs, mnt, "hidden", 0, &ino), FS_OK);
    int32_t mnt_obj = vfs_encode(&vfs_mounts[0], mnt), obj, obj2;
    int slot = vfs_mount(mnt_obj, e1.ops, e1.fs, NULL, 0);
    ck_assert_int_eq(slot, 1);
    ck_assert_int_eq(vfs_mount(mnt_obj, e2.ops, e2.fs, NULL, 0), FS_EEXIST);
    /* Through the mount point: ext2's root with lost+found, memfs's file hidden. */
    ck_assert_int_eq(vfs_resolve(0, "disk/lost+found", &obj), FS_OK);
    ck_assert_uint_eq((uint32_t)obj >> VFS_INO_BITS, 1);
    ck_assert_int_eq(vfs_resolve(0, "disk/hidden", &obj), FS_ENOENT);
    ck_assert_int_eq(vfs_resolve(0, "disk/lost+found/../..", &obj), FS_OK);
    ck_assert_int_eq(obj, 0);
    ck_assert_int_eq(vfs_resolve(0, "disk/", &obj), FS_OK);
    ck_assert_int_eq(obj, vfs_encode(&vfs_mounts[1], 2));
    /* A second ext2 mounted inside the first. */
    ck_assert_int_eq(e1.ops->mkdir(e1.fs, 2, "inner", 0, &mnt2), FS_OK);
    ck_assert_int_eq(vfs_resolve(0, "disk/inner", &obj2), FS_OK);
    ck_assert_int_eq(vfs_mount(obj2, e2.ops, e2.fs, NULL, 0), 2);
    ck_assert_int_eq(vfs_resolve(0, "./disk/inner/lost+found", &obj), FS_OK);
    ck_assert_uint_eq((uint32_t)obj >> VFS_INO_BITS, 2);
    /* Symbolic links in the middle of a path: relative ones are followed. */
    ck_assert_int_eq(mem.ops->symlink(mem.fs, root, "d", "disk/inner", &ino), FS_OK);
    ck_assert_int_eq(mem.ops->symlink(mem.fs, root, "abs", "/dev", &ino), FS_OK);
    ck_assert_int_eq(mem.ops->symlink(mem.fs, root, "loop", "loop/x", &ino), FS_OK);
    ck_assert_int_eq(vfs_resolve(0, "d/lost+found", &obj2), FS_OK);
    ck_assert_int_eq(obj2, obj);
    ck_assert_int_eq(vfs_resolve(0, "d", &obj2), FS_OK);   /* a final link is itself */
    ck_assert_uint_eq((uint32_t)obj2 >> VFS_INO_BITS, 0);
    ck_assert_int_eq(vfs_resolve(0, "abs/x", &obj2), FS_EUNSUPP);
    ck_assert_int_eq(vfs_resolve(0, "loop/y", &obj2), FS_EINVAL);
    ck_assert_int_eq(vfs_resolve(0, "disk/lost+found/nothing/x", &obj2), FS_ENOENT);
    ck_assert_int_eq(vfs_resolve(0, "disk/inner", &obj2), FS_OK);   /* the mounted root */
    ck_assert_int_eq(vfs_mount_at(obj2), 2);
    ck_assert_int_eq(vfs_mount_at(obj), -1);
    ck_assert_int_eq(vfs_unmount(1), FS_EBUSY);       /* the inner one first */
    ck_assert_int_eq(vfs_unmount(2), FS_OK);
    ck_assert_int_eq(vfs_unmount(1), FS_OK);
    ck_assert_int_eq(vfs_resolve(0, "disk/hidden", &obj), FS_OK);
    ck_assert_int_eq(vfs_decode(vfs_encode(&vfs_mounts[0], 5) | (7 << VFS_INO_BITS), &(struct vfs_mount *){ 0 }, &ino),
                     FS_ENOENT);
    /* The back ends were unmounted through the table: only check the images. */
    e1.ops = e2.ops = &memfs_ops;
    e1.fs = memfs_new(1, NULL, NULL);
    e2.fs = memfs_new(1, NULL, NULL);
    backend_close(&e1);
    backend_close(&e2);
    backend_close(&mem);
}
END_TEST

START_TEST(memfs_limit_and_many_entries)
{
    struct memfs *m = memfs_new(100000, NULL, NULL);
    const struct fs_ops *o = &memfs_ops;
    uint32_t root = o->root(m), f, ino;
    ck_assert_int_eq(o->create(m, root, "big", 0, &f), FS_OK);
    static char buf[200000];
    size_t n;
    ck_assert_int_eq(o->write(m, f, 0, buf, sizeof buf, &n), FS_ENOSPC);
    char name[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "entry%d", i);
        ck_assert_int_eq(o->create(m, root, name, 0, &ino), FS_OK);
    }
    for (int i = 0; i < 3000; i += 2) {
        snprintf(name, sizeof name, "entry%d", i);
        ck_assert_int_eq(o->unlink(m, root, name), FS_OK);
    }
    ck_assert_int_eq(o->lookup(m, root, "entry2999", &ino), FS_OK);
    ck_assert_int_eq(o->lookup(m, root, "entry2998", &ino), FS_ENOENT);
    ck_assert_int_eq(o->unmount(m), FS_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vfs");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, vfs_same_rules_both_backends, 0, 2);
    tcase_add_test(tc, vfs_mounts_and_resolve);
    tcase_add_test(tc, memfs_limit_and_many_entries);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
