/* bench_l4fs: filesvr's throughput, in TSC cycles: a 64 MiB file written
 * (then synced) and read back through filesvr on ext2 over a RAM block
 * device this program serves (file calls of CHACM_FILE_BULK_MAX bytes, the
 * bulk calls a program moving a large file uses; 1 KiB device blocks), and
 * a directory of 10,000 entries created and listed.  With the argument
 * case BFS0002: 4 MiB and 1,000 entries (BFS0001: the full run).
 * Prints "bench NAME CYCLES cycles". */
#include <stdio.h>
#include <string.h>

#include "../bench.h"
#include "filesvr_client.h"
#include "fs_image.h"
#include "pt_module.h"
#include "pt_ramdev.h"
#include "ptest.h"

#define DISK_BYTES (96u << 20)

static unsigned char disk[DISK_BYTES];
static L4_ThreadId_t fsv;

static struct pt_ramdev ramdev = { .mem = disk, .bsize = 1024, .direct = 1 };

static void device(void)
{
    pt_ramdev_serve(&ramdev);
}

static chacm_env_t env0(void)
{
    return (chacm_env_t){ 0 };
}

#define CHECK(what, expr, want)                                                   \
    do {                                                                          \
        chacm_env_t env = env0();                                                 \
        int _r = (expr);                                                          \
        if (env.error != CHACM_IDL_OK || _r != (want)) {                          \
            printf("not ok bench_l4fs: %s: %d (call %d)\n", what, _r, (int)env.error); \
            return 1;                                                             \
        }                                                                         \
    } while (0)

static char chunk[CHACM_FILE_BULK_MAX];

static int write_file(int dir, unsigned long bytes, int *f)
{
    int w;
    CHECK("create", directory_create(fsv, dir, "big", f, &env), ESUCCESS);
    CHECK("open", file_open(fsv, *f, FILE_WRITE, &env), ESUCCESS);
    for (unsigned long off = 0; off < bytes; off += sizeof chunk) {
        memcpy(chunk, &off, sizeof off);         /* the rest was filled before the clock started */
        CHECK("write", file_write_bulk(fsv, *f, sizeof chunk, chunk, &w, &env), ESUCCESS);
        if (w != (int)sizeof chunk) return printf("not ok bench_l4fs: wrote %d\n", w), 1;
    }
    CHECK("close", file_close(fsv, *f, &env), ESUCCESS);
    CHECK("sync", filesystem_sync(fsv, dir, &env), ESUCCESS);
    return 0;
}

static int read_file(int f, unsigned long bytes)
{
    char *p = chunk;
    int size;
    unsigned long got = 0;
    CHECK("open", file_open(fsv, f, FILE_READ, &env), ESUCCESS);
    for (;;) {
        chacm_env_t env = env0();
        int rc = file_read_bulk(fsv, f, sizeof chunk, &size, &p, &env);
        if (rc == EEOF) break;
        unsigned long at;
        memcpy(&at, chunk, sizeof at);
        int bad = env.error != CHACM_IDL_OK || rc != ESUCCESS || size != (int)sizeof chunk || at != got;
        for (int k = 4096; !bad && k < size; k += 4096)
            bad = chunk[k] != (char)(k >> 12) || chunk[k + 4095] != (char)(k >> 12);
        if (bad) {
            printf("not ok bench_l4fs: read at %lu\n", got);
            return 1;
        }
        got += (unsigned long)size;
    }
    CHECK("close", file_close(fsv, f, &env), ESUCCESS);
    if (got != bytes) {
        printf("not ok bench_l4fs: read %lu of %lu bytes\n", got, bytes);
        return 1;
    }
    return 0;
}

static int make_entries(int dir, int n, int *many)
{
    char name[32];
    int obj;
    CHECK("mkdir", directory_mkdir(fsv, dir, "many", many, &env), ESUCCESS);
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "entry-%05d", i);
        CHECK("create entry", directory_create(fsv, *many, name, &obj, &env), ESUCCESS);
    }
    return 0;
}

static int list_entries(int many, int n)
{
    char *p = chunk;
    int size, names = 0;
    CHECK("open dir", file_open(fsv, many, FILE_READ, &env), ESUCCESS);
    for (;;) {
        chacm_env_t env = env0();
        int rc = file_read_bulk(fsv, many, sizeof chunk, &size, &p, &env);
        if (rc == EEOF) break;
        if (env.error != CHACM_IDL_OK || rc != ESUCCESS) return printf("not ok bench_l4fs: list\n"), 1;
        for (int i = 0; i < size; i++) names += chunk[i] == 0;
    }
    CHECK("close dir", file_close(fsv, many, &env), ESUCCESS);
    if (names != n) return printf("not ok bench_l4fs: listed %d of %d names\n", names, n), 1;
    return 0;
}

static int bench(int quick)
{
    unsigned long bytes = quick ? 4ul << 20 : 64ul << 20;
    int entries = quick ? 1000 : 10000;
    ramdev.size = fs_image_kib * 1024;
    if (ramdev.size > DISK_BYTES) return printf("not ok bench_l4fs: image too large\n"), 1;
    for (unsigned long i = 0; i < fs_image_nblocks; i++)
        memcpy(disk + fs_image_blocks[i].nr * 1024, fs_image_blocks[i].data, 1024);
    if (L4_IsNilThread(fsv)) fsv = pt_start_server("filesvr", 9);
    if (L4_IsNilThread(fsv)) return 1;
    L4_ThreadId_t dev = pt_thread(device);
    int mnt, f, many;
    CHECK("mkdir", directory_mkdir(fsv, 0, "disk", &mnt, &env), ESUCCESS);
    CHECK("mount", filesystem_mount(fsv, mnt, dev, 0, &env), ESUCCESS);
    for (unsigned long k = 0; k < sizeof chunk; k += 4096) memset(chunk + k, (int)(k >> 12), 4096);
    unsigned long long t0 = bench_tsc();
    if (write_file(mnt, bytes, &f)) return 1;
    unsigned long long t1 = bench_tsc();
    CHECK("unmount", filesystem_unmount(fsv, mnt, &env), ESUCCESS);   /* a cold cache */
    CHECK("mount", filesystem_mount(fsv, mnt, dev, 0, &env), ESUCCESS);
    unsigned long long t2 = bench_tsc();
    if (read_file(f, bytes)) return 1;
    unsigned long long t3 = bench_tsc();
    if (make_entries(mnt, entries, &many)) return 1;
    unsigned long long t4 = bench_tsc();
    if (list_entries(many, entries)) return 1;
    unsigned long long t5 = bench_tsc();
    CHECK("unmount", filesystem_unmount(fsv, mnt, &env), ESUCCESS);
    printf("bench fs_write_%lum %llu cycles\n", bytes >> 20, t1 - t0);
    printf("bench fs_read_%lum %llu cycles\n", bytes >> 20, t3 - t2);
    printf("bench fs_dir_create_entry %llu cycles\n", (t4 - t3) / (unsigned long long)entries);
    printf("bench fs_dir_list_entry %llu cycles\n", (t5 - t4) / (unsigned long long)entries);
    return 0;
}

DEFINE_TEST(BFS0001, "64 MiB through filesvr on ext2 and a 10,000-entry directory")
{
    PT_EQ(bench(0), 0);
}

DEFINE_TEST(BFS0002, "the quick version: 4 MiB and 1,000 entries")
{
    PT_EQ(bench(1), 0);
}
