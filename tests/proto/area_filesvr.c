/* FSV00xx: filesvr over IPC: its memory file system at object 0, ext2
 * mounted from a block device this area serves (an image mke2fs made,
 * compiled in), refusals, and messages no client should send. */
#include <stdio.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/message.h>

#include "filesvr_client.h"
#include "fsv_image.h"
#include "pt_module.h"
#include "pt_ramdev.h"
#include "ptest.h"

static L4_ThreadId_t fsv;                      /* filesvr, started on first use */
static unsigned char disk[FSV_IMAGE_BYTES];    /* the device's contents */
static struct pt_ramdev ramdev = { .mem = disk, .size = FSV_IMAGE_BYTES, .bsize = 512 };
static L4_ThreadId_t dev;                      /* the block device thread of the case */

static L4_ThreadId_t filesvr(void)
{
    if (L4_IsNilThread(fsv)) fsv = pt_start_server("filesvr", 9);
    return fsv;
}

/* ---- the block device: 512-byte sectors of disk[] ---- */

static void device(void)
{
    pt_ramdev_serve(&ramdev);
}

/* A fresh copy of the image, served by a new device thread. */
static void device_start(void)
{
    memcpy(disk, fsv_image, FSV_IMAGE_BYTES);
    ramdev.writes = ramdev.mute = ramdev.fail_writes = 0;
    dev = pt_thread(device);
}

/* ---- helpers ---- */

static chacm_env_t env0(void)
{
    return (chacm_env_t){ .snd_timeout = L4_TimePeriod(30000000), .rcv_timeout = L4_TimePeriod(30000000) };
}

#define CALL(expr) ({ chacm_env_t env = env0(); int _r = (expr); PT_EQ(env.error, CHACM_IDL_OK); _r; })

/* directory::resolve from object 0; -100 when the call itself failed. */
static int resolve(const char *path, int *obj)
{
    L4_ThreadId_t s;
    int consumed;
    chacm_env_t env = env0();
    int rc = directory_resolve(filesvr(), 0, (char *)path, &s, obj, &consumed, &env);
    if (env.error != CHACM_IDL_OK) return -100;
    if (rc == ESUCCESS && (consumed != (int)strlen(path) || !L4_IsThreadEqual(s, fsv))) return -101;
    return rc;
}

static void read_all(int obj, char *out, int cap, int *len)
{
    char buf[CHACM_FILE_XFER_MAX], *p = buf;
    int size, rc;
    *len = 0;
    PT_EQ(CALL(file_open(fsv, obj, FILE_READ, &env)), ESUCCESS);
    while ((rc = CALL(file_read(fsv, obj, sizeof buf, &size, &p, &env))) == ESUCCESS) {
        PT_ASSERT(*len + size <= cap);
        memcpy(out + *len, buf, (size_t)size);
        *len += size;
    }
    PT_EQ(rc, EEOF);
    PT_EQ(CALL(file_close(fsv, obj, &env)), ESUCCESS);
}

static void write_text(int obj, const char *text)
{
    int written;
    PT_EQ(CALL(file_open(fsv, obj, FILE_WRITE, &env)), ESUCCESS);
    PT_EQ(CALL(file_write(fsv, obj, (int)strlen(text), (char *)text, &written, &env)), ESUCCESS);
    PT_EQ(written, (int)strlen(text));
    PT_EQ(CALL(file_close(fsv, obj, &env)), ESUCCESS);
}

/* Whether text is somewhere on the device. */
static bool on_disk(const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= FSV_IMAGE_BYTES; i++)
        if (memcmp(disk + i, text, n) == 0) return true;
    return false;
}

/* The file obj reads as text. */
static void reads_as(int obj, const char *text)
{
    char buf[256];
    int len;
    read_all(obj, buf, sizeof buf, &len);
    PT_EQ(len, (int)strlen(text));
    PT_ASSERT(memcmp(buf, text, (size_t)len) == 0);
}

/* Another client of filesvr (a thread of this task): opens held_obj and
 * keeps it open until release is set, then closes it. */
static int held_obj;
static volatile int held, release;
static void holder(void)
{
    chacm_env_t env = env0();
    held = file_open(fsv, held_obj, FILE_READ, &env) == ESUCCESS && env.error == CHACM_IDL_OK ? 1 : -1;
    while (!release) pt_sleep_us(1000);
    env = env0();
    held = file_close(fsv, held_obj, &env) == ESUCCESS && env.error == CHACM_IDL_OK ? 2 : -2;
    pt_park();
}

/* ---- cases ---- */

DEFINE_TEST(FSV0001, "object 0 is a directory, a file and a file system; a bad object id is EINVALID")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    int all[] = { GENERIC_API, DIRECTORY_API, FILE_API, FILESYSTEM_API }, blk[] = { BLOCK_API };
    PT_EQ(CALL(generic_implements(fsv, 0, 4, all, &env)), EYES);
    PT_EQ(CALL(generic_implements(fsv, 0, 1, blk, &env)), ENO);
    PT_EQ(CALL(generic_implements(fsv, 0x7F000005, 1, all, &env)), EINVALID);
    PT_EQ(CALL(generic_implements(fsv, -3, 1, all, &env)), EINVALID);
    int t, s, l, m, b;
    PT_EQ(CALL(file_stat(fsv, 0, &t, &s, &l, &m, &b, &env)), ESUCCESS);
    PT_EQ(t, FILE_T_DIR);
}

DEFINE_TEST(FSV0002, "the memory file system: files, directories, links, listing, stat, truncate, error codes")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    int d, f, g, obj, t, size, links, mtime, blocks;
    PT_EQ(CALL(directory_mkdir(fsv, 0, "m2", &d, &env)), ESUCCESS);
    PT_EQ(CALL(directory_mkdir(fsv, 0, "m2", &obj, &env)), EEXISTS);
    PT_EQ(CALL(directory_create(fsv, d, "a.txt", &f, &env)), ESUCCESS);
    write_text(f, "first line\n");
    PT_EQ(CALL(file_open(fsv, f, FILE_WRITE, &env)), ESUCCESS);
    PT_EQ(CALL(file_seek(fsv, f, -1, &env)), ESUCCESS);
    int pos, w;
    PT_EQ(CALL(file_tell(fsv, f, &pos, &env)), ESUCCESS);
    PT_EQ(pos, 11);
    PT_EQ(CALL(file_write(fsv, f, 5, "more\n", &w, &env)), ESUCCESS);
    PT_EQ(CALL(file_close(fsv, f, &env)), ESUCCESS);
    PT_EQ(CALL(file_close(fsv, f, &env)), ENOTOPEN);
    char buf[256], *p = buf;
    int len;
    read_all(f, buf, sizeof buf, &len);
    PT_EQ(len, 16);
    PT_ASSERT(memcmp(buf, "first line\nmore\n", 16) == 0);
    PT_EQ(CALL(file_read(fsv, f, 10, &size, &p, &env)), ENOTOPEN);
    PT_EQ(CALL(file_stat(fsv, f, &t, &size, &links, &mtime, &blocks, &env)), ESUCCESS);
    PT_EQ(t, FILE_T_FILE);
    PT_EQ(size, 16);
    PT_EQ(links, 1);
    PT_ASSERT(mtime >= 1700000000);
    PT_EQ(CALL(file_truncate(fsv, f, 5, &env)), ESUCCESS);
    PT_EQ(CALL(file_truncate(fsv, d, 5, &env)), EBADPARM);
    PT_EQ(CALL(directory_link(fsv, d, "b.txt", fsv, f, &env)), ESUCCESS);
    PT_EQ(CALL(directory_link(fsv, d, "self", fsv, d, &env)), EDENIED);
    PT_EQ(CALL(directory_symlink(fsv, d, "ln", "a.txt", &env)), ESUCCESS);
    char target[CHACM_PATH_MAX + 1], *tp = target;
    PT_EQ(CALL(directory_readlink(fsv, d, "ln", &tp, &env)), ESUCCESS);
    PT_ASSERT(strcmp(target, "a.txt") == 0);
    PT_EQ(CALL(directory_create(fsv, d, "c", &g, &env)), ESUCCESS);
    PT_EQ(CALL(directory_rename(fsv, d, "c", 0, "moved", &env)), ESUCCESS);
    PT_EQ(resolve("m2/c", &obj), ENOTFOUND);
    PT_EQ(resolve("moved", &obj), ESUCCESS);
    PT_EQ(obj, g);
    PT_EQ(resolve("/m2/ln", &obj), ESUCCESS);         /* a final link is the link */
    PT_EQ(CALL(file_stat(fsv, obj, &t, &size, &links, &mtime, &blocks, &env)), ESUCCESS);
    PT_EQ(t, FILE_T_SYMLINK);
    /* The directory read as a file: its names, each with a NUL. */
    read_all(d, buf, sizeof buf, &len);
    PT_EQ(len, 6 + 6 + 3);
    PT_ASSERT(memcmp(buf, "a.txt\0b.txt\0ln\0", 15) == 0);
    PT_EQ(CALL(file_open(fsv, d, FILE_WRITE, &env)), EDENIED);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "m2", &env)), ELOCKED);
    PT_EQ(CALL(directory_unlink(fsv, d, "a.txt", &env)), ESUCCESS);
    PT_EQ(CALL(directory_unlink(fsv, d, "a.txt", &env)), ENOTFOUND);
    PT_EQ(CALL(directory_unlink(fsv, d, "b.txt", &env)), ESUCCESS);
    PT_EQ(CALL(directory_unlink(fsv, d, "ln", &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "m2", &env)), ESUCCESS);
    PT_EQ(CALL(directory_unlink(fsv, 0, "moved", &env)), ESUCCESS);
    PT_EQ(CALL(file_delete(fsv, g, &env)), ESUPP);
}

DEFINE_TEST(FSV0003, "ext2 from a block device: mount on a directory, read mke2fs's files, write, sync, remount")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    device_start();
    int mnt, obj, len, f, t, size, links, mtime, blocks;
    char buf[40000];
    PT_EQ(CALL(directory_mkdir(fsv, 0, "disk", &mnt, &env)), ESUCCESS);
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), EEXISTS);
    PT_EQ(resolve("disk/hello.txt", &obj), ESUCCESS);
    read_all(obj, buf, sizeof buf, &len);
    PT_EQ(len, 6);
    PT_ASSERT(memcmp(buf, "hello\n", 6) == 0);
    PT_EQ(resolve("disk/dir/sub/numbers", &obj), ESUCCESS);    /* seq 1 5000: indirect blocks */
    read_all(obj, buf, sizeof buf, &len);
    PT_EQ(len, 23893);
    PT_ASSERT(memcmp(buf + len - 5, "5000\n", 5) == 0);
    PT_EQ(resolve("disk/dir/../link", &obj), ESUCCESS);
    PT_EQ(resolve("disk/dir/sub/../../..", &obj), ESUCCESS);  /* out of the mount again */
    PT_EQ(obj, 0);
    PT_EQ(CALL(directory_create(fsv, mnt, "new.txt", &f, &env)), ESUCCESS);  /* in the mounted root */
    PT_ASSERT((f >> 24) != 0);
    write_text(f, "written over IPC\n");
    int before = ramdev.writes;
    PT_EQ(CALL(filesystem_sync(fsv, mnt, &env)), ESUCCESS);
    PT_ASSERT(ramdev.writes > before);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ENOTFOUND);
    PT_EQ(resolve("disk/new.txt", &obj), ENOTFOUND);
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
    PT_EQ(resolve("disk/new.txt", &obj), ESUCCESS);
    read_all(obj, buf, sizeof buf, &len);
    PT_EQ(len, 17);
    PT_EQ(CALL(file_stat(fsv, obj, &t, &size, &links, &mtime, &blocks, &env)), ESUCCESS);
    PT_EQ(blocks, 2);
    PT_EQ(CALL(directory_unlink(fsv, mnt, "new.txt", &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "disk", &env)), ELOCKED);   /* a mount point */
    PT_EQ(CALL(filesystem_unmount(fsv, obj & ~0xFFFFFF, &env)), ENOTFOUND);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "disk", &env)), ESUCCESS);
}

DEFINE_TEST(FSV0004, "mount refusals: no file system, a corrupt superblock, a silent device, a file as mount point")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    device_start();
    int mnt, f;
    PT_EQ(CALL(directory_mkdir(fsv, 0, "r4", &mnt, &env)), ESUCCESS);
    PT_EQ(CALL(directory_create(fsv, 0, "r4file", &f, &env)), ESUCCESS);
    PT_EQ(CALL(filesystem_mount(fsv, f, dev, 0, &env)), EBADPARM);
    disk[1024 + 0x38] = 0;                                   /* the magic number */
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), EBADPARM);
    disk[1024 + 0x38] = 0x53;
    disk[1024 + 0x28] ^= 1;                                  /* inodes per group */
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), EBADPARM);
    PT_EQ(ramdev.writes, 0);                                   /* refused images stay untouched */
    disk[1024 + 0x28] ^= 1;
    ramdev.mute = 1;                                           /* the device never answers a read */
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), EBADPARM);
    PT_EQ(CALL(filesystem_mount(fsv, mnt, L4_GlobalId(3000, 1), 0, &env)), ENOTFOUND);
    int obj;
    PT_EQ(resolve("r4", &obj), ESUCCESS);
    PT_EQ(obj, mnt);                                         /* nothing mounted */
    PT_EQ(CALL(directory_unlink(fsv, 0, "r4file", &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "r4", &env)), ESUCCESS);
}

DEFINE_TEST(FSV0005, "a damaged directory gives EDENIED for what touches it; filesvr goes on serving")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    device_start();
    int mnt, obj, len;
    char buf[4096];
    /* The root directory's first block: rec_len of "." made 3 (not a multiple of 4). */
    for (int off = 0; off + 12 <= FSV_IMAGE_BYTES; off += 1024)
        if (memcmp(disk + off, "\x02\0\0\0\x0c\0\x01\x02.\0\0\0\x02\0\0\0", 16) == 0) {
            disk[off + 4] = 3;
            break;
        }
    PT_EQ(CALL(directory_mkdir(fsv, 0, "r5", &mnt, &env)), ESUCCESS);
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
    PT_EQ(resolve("r5/hello.txt", &obj), EDENIED);
    PT_EQ(CALL(file_open(fsv, mnt, FILE_READ, &env)), ESUCCESS);
    char *p = buf;
    int size;
    PT_EQ(CALL(file_read(fsv, mnt, sizeof buf, &size, &p, &env)), EDENIED);
    PT_EQ(CALL(file_close(fsv, mnt, &env)), ESUCCESS);
    PT_EQ(CALL(directory_create(fsv, mnt, "x", &obj, &env)), EDENIED);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "r5", &env)), ESUCCESS);
    PT_EQ(CALL(directory_create(fsv, 0, "after", &obj, &env)), ESUCCESS);
    read_all(0, buf, sizeof buf, &len);
    PT_ASSERT(len >= 6 && memcmp(buf + len - 6, "after", 6) == 0);
    PT_EQ(CALL(directory_unlink(fsv, 0, "after", &env)), ESUCCESS);
}

DEFINE_TEST(FSV0006, "messages no stub sends (unknown labels, short or overlong words, stray strings) get no crash")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    static const L4_Word_t labels[] = { 0, 1, 0x7, 0x70, 0x0006, 0x6001, 0x7000, 0x8000, 0xFFE0, 0xFFFF };
    for (unsigned i = 0; i < sizeof labels / sizeof labels[0]; i++)
        for (unsigned words = 0; words < 5; words++) {
            L4_MsgTag_t tag = { .raw = 0 };
            tag.X.label = labels[i] ^ (words << 12);
            tag.X.u = words;
            L4_LoadMR(0, tag.raw);
            for (unsigned k = 1; k <= words; k++) L4_LoadMR(k, 0xDEADBEEF * k);
            L4_Call_Timeouts(fsv, L4_TimePeriod(1000000), L4_TimePeriod(1000000));
        }
    int obj;
    PT_EQ(CALL(directory_mkdir(fsv, 0, "alive", &obj, &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "alive", &env)), ESUCCESS);
}

DEFINE_TEST(FSV0007, "read_bulk and write_bulk move large runs; a device without its bulk calls is used block by block")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    static char data[100000], back[CHACM_FILE_BULK_MAX];
    for (int i = 0; i < (int)sizeof data; i++) data[i] = (char)(i * 7 + i / 1000);
    for (int old = 0; old < 2; old++) {
        ramdev.no_bulk = old;
        device_start();
        int mnt, f, w, size, obj;
        char *p = back;
        PT_EQ(CALL(directory_mkdir(fsv, 0, "bulk", &mnt, &env)), ESUCCESS);
        PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
        PT_EQ(CALL(directory_create(fsv, mnt, "big.bin", &f, &env)), ESUCCESS);
        PT_EQ(CALL(file_write_bulk(fsv, f, 10, data, &w, &env)), ENOTOPEN);
        PT_EQ(CALL(file_open(fsv, f, FILE_WRITE, &env)), ESUCCESS);
        PT_EQ(CALL(file_read_bulk(fsv, f, 10, &size, &p, &env)), EDENIED);     /* opened for writing */
        PT_EQ(CALL(file_write_bulk(fsv, f, sizeof data, data, &w, &env)), ESUCCESS);
        PT_EQ(w, (int)sizeof data);
        PT_EQ(CALL(file_close(fsv, f, &env)), ESUCCESS);
        PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS);         /* a cold cache */
        PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
        PT_EQ(resolve("bulk/big.bin", &obj), ESUCCESS);
        PT_EQ(CALL(file_open(fsv, obj, FILE_READ, &env)), ESUCCESS);
        PT_EQ(CALL(file_read_bulk(fsv, obj, -1, &size, &p, &env)), EBADPARM);
        PT_EQ(CALL(file_read_bulk(fsv, obj, CHACM_FILE_BULK_MAX + 5, &size, &p, &env)), ESUCCESS);
        PT_EQ(size, (int)sizeof data);                                        /* all of it in one call */
        PT_ASSERT(memcmp(back, data, sizeof data) == 0);
        PT_EQ(CALL(file_read_bulk(fsv, obj, 100, &size, &p, &env)), EEOF);
        PT_EQ(CALL(file_seek(fsv, obj, 4000, &env)), ESUCCESS);
        PT_EQ(CALL(file_read(fsv, obj, 4096, &size, &p, &env)), ESUCCESS);     /* the small call agrees */
        PT_EQ(size, 4096);
        PT_ASSERT(memcmp(back, data + 4000, 4096) == 0);
        PT_EQ(CALL(file_close(fsv, obj, &env)), ESUCCESS);
        PT_EQ(CALL(file_open(fsv, mnt, FILE_READ, &env)), ESUCCESS);            /* a directory's names */
        PT_EQ(CALL(file_read_bulk(fsv, mnt, CHACM_FILE_BULK_MAX, &size, &p, &env)), ESUCCESS);
        int seen = 0;
        for (int k = 0; k + 8 <= size; k++) seen |= memcmp(back + k, "big.bin", 8) == 0;
        PT_ASSERT(seen);
        PT_EQ(CALL(file_close(fsv, mnt, &env)), ESUCCESS);
        PT_EQ(CALL(directory_unlink(fsv, mnt, "big.bin", &env)), ESUCCESS);
        PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS);
        PT_EQ(CALL(directory_rmdir(fsv, 0, "bulk", &env)), ESUCCESS);
    }
    ramdev.no_bulk = 0;
}

DEFINE_TEST(FSV0008, "a failed write-back is kept for the next sync; open files: the caller's own do not hold its "
                     "unmount, another client's do, but everything is written back")
{
    PT_ASSERT(!L4_IsNilThread(filesvr()));
    device_start();
    static const char kept[] = "kept through a failed write-back\n", late[] = "written back by a refused unmount\n";
    int mnt, f, g, obj;
    PT_EQ(CALL(directory_mkdir(fsv, 0, "r8", &mnt, &env)), ESUCCESS);
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
    PT_EQ(CALL(directory_create(fsv, mnt, "kept.txt", &f, &env)), ESUCCESS);
    write_text(f, kept);
    ramdev.fail_writes = 1;                                    /* the disk fails every write */
    PT_EQ(CALL(filesystem_sync(fsv, mnt, &env)), EFULL);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), EFULL);    /* still mounted, nothing dropped */
    PT_ASSERT(!on_disk(kept));
    PT_EQ(resolve("r8/kept.txt", &obj), ESUCCESS);
    reads_as(obj, kept);
    ramdev.fail_writes = 0;                                    /* the disk works again */
    PT_EQ(CALL(filesystem_sync(fsv, mnt, &env)), ESUCCESS);
    PT_ASSERT(on_disk(kept));
    PT_EQ(CALL(directory_create(fsv, mnt, "late.txt", &g, &env)), ESUCCESS);
    write_text(g, late);
    held_obj = g;
    held = release = 0;
    L4_ThreadId_t h = pt_thread(holder);
    pt_track(h);
    while (!held) pt_sleep_us(1000);
    PT_EQ(held, 1);
    PT_EQ(CALL(file_open(fsv, f, FILE_READ, &env)), ESUCCESS);  /* ours, never closed (a lost close) */
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ELOCKED);  /* the other client's file */
    PT_ASSERT(on_disk(late));                                 /* written back all the same */
    release = 1;
    while (held == 1) pt_sleep_us(1000);
    PT_EQ(held, 2);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS); /* our own open file does not hold it */
    PT_EQ(CALL(file_close(fsv, f, &env)), ENOTOPEN);          /* the unmount closed it */
    PT_EQ(CALL(filesystem_mount(fsv, mnt, dev, 0, &env)), ESUCCESS);
    PT_EQ(resolve("r8/kept.txt", &obj), ESUCCESS);
    reads_as(obj, kept);
    PT_EQ(resolve("r8/late.txt", &obj), ESUCCESS);
    reads_as(obj, late);
    PT_EQ(CALL(filesystem_unmount(fsv, mnt, &env)), ESUCCESS);
    PT_EQ(CALL(directory_rmdir(fsv, 0, "r8", &env)), ESUCCESS);
}
