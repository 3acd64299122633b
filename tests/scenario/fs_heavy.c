/* fs_heavy: heavy use of an ext2 file system through filesvr, run by the
 * shell in scenario.fs_shell.heavy (tests/scenario/fs_shell.sh checks the
 * image on the host afterwards: e2fsck -fn clean, debugfs reads the files).
 *   fs_heavy DIR   (DIR: a directory of a mounted ext2, e.g. /disk)
 * In DIR it makes:
 *   many/    400 files f000..f399 (the multiples of 3 removed again, every
 *            5th other one renamed into moved/ as rNNN)
 *   d00/d01/.../d23   24 levels, a file "leaf" at each (its depth); d03 and
 *            what is under it renamed to moved/subtree
 *   large    lines "%015d\n" of k = 0..76799 at offset 0 (direct, single
 *            and double indirect blocks with 1 KiB blocks) and of
 *            k = 1000000.. for 300 KiB at 66 MiB (triple indirect), a hole
 *            between; read back and compared
 *   cut      written at 65 MiB and 10 KiB, then cut to 5000 bytes (frees a
 *            triple-indirect tree)
 * and prints one line per step; any failure prints what and exits 1. */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>

#include "filesvr_client.h"

int main(int argc, char **argv);

#define LARGE_A_LINES 76800
#define LARGE_B_OFF (66 << 20)
#define LARGE_B_LINES 19200

static L4_ThreadId_t svr;

static char buf[CHACM_FILE_BULK_MAX + 1];   /* + the NUL of the last line's snprintf */

static int fail(const char *what, const char *name, int rc)
{
    printf("fs_heavy: %s %s: %d\n", what, name, rc);
    return 1;
}

#define TRY(what, name, expr)                                             \
    do {                                                                  \
        chacm_env_t env = { 0 };                                          \
        int _r = (expr);                                                  \
        if (env.error != CHACM_IDL_OK) printf("fs_heavy: %s %s: call error %d (ipc error %lx)\n", what, name, \
                                               (int)env.error, (unsigned long)env.ipc_error); \
        if (env.error != CHACM_IDL_OK || _r != ESUCCESS) return fail(what, name, _r); \
    } while (0)

/* Writes len bytes of lines "%015d\n" numbered from first at pos. */
static int write_lines(int f, int pos, int first, int lines)
{
    TRY("seek", "", file_seek(svr, f, pos, &env));
    for (int k = 0; k < lines;) {
        int n = 0, w;
        for (; k < lines && n + 16 <= CHACM_FILE_BULK_MAX; k++, n += 16) snprintf(buf + n, 17, "%015d\n", first + k);
        TRY("write_bulk", "", file_write_bulk(svr, f, n, buf, &w, &env));
        if (w != n) return fail("short write", "", w);
    }
    return 0;
}

static int check_lines(int f, int pos, int first, int lines)
{
    char want[17];
    char *p = buf;
    TRY("seek", "", file_seek(svr, f, pos, &env));
    for (int k = 0; k < lines;) {
        int size, n = lines - k > CHACM_FILE_BULK_MAX / 16 ? CHACM_FILE_BULK_MAX / 16 : lines - k;
        TRY("read_bulk", "", file_read_bulk(svr, f, n * 16, &size, &p, &env));
        if (size != n * 16) return fail("short read", "", size);
        for (int i = 0; i < n; i++, k++) {
            snprintf(want, sizeof want, "%015d\n", first + k);
            if (memcmp(buf + i * 16, want, 16)) return fail("wrong bytes at line", want, k);
        }
    }
    return 0;
}

static int make_many(int dir, int moved)
{
    char name[16], to[16], text[64];
    int many, f, w, removed = 0, renamed = 0;
    TRY("mkdir", "many", directory_mkdir(svr, dir, "many", &many, &env));
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "f%03d", i);
        TRY("create", name, directory_create(svr, many, name, &f, &env));
        int n = snprintf(text, sizeof text, "file %d of many\n", i);
        TRY("open", name, file_open(svr, f, FILE_WRITE, &env));
        for (int r = 0; r <= i % 4; r++) TRY("write", name, file_write(svr, f, n, text, &w, &env));
        TRY("close", name, file_close(svr, f, &env));
    }
    for (int i = 0; i < 400; i += 3) {
        snprintf(name, sizeof name, "f%03d", i);
        TRY("unlink", name, directory_unlink(svr, many, name, &env));
        removed++;
    }
    for (int i = 1; i < 400; i += 5) {
        if (i % 3 == 0) continue;
        snprintf(name, sizeof name, "f%03d", i);
        snprintf(to, sizeof to, "r%03d", i);
        TRY("rename", name, directory_rename(svr, many, name, moved, to, &env));
        renamed++;
    }
    printf("fs_heavy: many: 400 made, %d removed, %d renamed into moved\n", removed, renamed);
    return 0;
}

static int make_deep(int dir, int moved)
{
    char name[8], text[16];
    int d = dir, f, w, parent = dir;
    for (int i = 0; i < 24; i++) {
        int sub;
        snprintf(name, sizeof name, "d%02d", i);
        TRY("mkdir", name, directory_mkdir(svr, d, name, &sub, &env));
        if (i == 3) parent = d;
        d = sub;
        TRY("create leaf in", name, directory_create(svr, d, "leaf", &f, &env));
        int n = snprintf(text, sizeof text, "depth %d\n", i);
        TRY("open leaf in", name, file_open(svr, f, FILE_WRITE, &env));
        TRY("write leaf in", name, file_write(svr, f, n, text, &w, &env));
        TRY("close leaf in", name, file_close(svr, f, &env));
    }
    TRY("rename", "d03", directory_rename(svr, parent, "d03", moved, "subtree", &env));
    printf("fs_heavy: deep: 24 levels, d03 and below moved to moved/subtree\n");
    return 0;
}

static int make_large(int dir)
{
    int f;
    TRY("create", "large", directory_create(svr, dir, "large", &f, &env));
    TRY("open", "large", file_open(svr, f, FILE_READ | FILE_WRITE, &env));
    if (write_lines(f, 0, 0, LARGE_A_LINES) || write_lines(f, LARGE_B_OFF, 1000000, LARGE_B_LINES)) return 1;
    if (check_lines(f, 0, 0, LARGE_A_LINES) || check_lines(f, LARGE_B_OFF, 1000000, LARGE_B_LINES)) return 1;
    char *p = buf;
    int size;
    TRY("seek", "large", file_seek(svr, f, 2 << 20, &env));                 /* the hole reads as zeros */
    TRY("read hole", "large", file_read_bulk(svr, f, 65536, &size, &p, &env));
    for (int i = 0; i < size; i++)
        if (buf[i]) return fail("hole not zero at", "large", i);
    TRY("close", "large", file_close(svr, f, &env));
    int t, sz, links, mtime, blocks;
    TRY("stat", "large", file_stat(svr, f, &t, &sz, &links, &mtime, &blocks, &env));
    printf("fs_heavy: large: %d bytes (a hole from %d to %d), read back equal\n", sz, LARGE_A_LINES * 16, LARGE_B_OFF);
    TRY("create", "cut", directory_create(svr, dir, "cut", &f, &env));
    TRY("open", "cut", file_open(svr, f, FILE_WRITE, &env));
    if (write_lines(f, 65 << 20, 5, 640) || write_lines(f, 10240, 7, 640)) return 1;
    TRY("close", "cut", file_close(svr, f, &env));
    TRY("truncate", "cut", file_truncate(svr, f, 5000, &env));
    TRY("stat", "cut", file_stat(svr, f, &t, &sz, &links, &mtime, &blocks, &env));
    printf("fs_heavy: cut: written at 65 MiB, cut to %d bytes, %d blocks of 512 bytes\n", sz, blocks);
    return 0;
}

int main(int argc, char **argv)
{
    chacm_handle_t h;
    int moved, rc;
    if (argc != 2) {
        printf("fs_heavy: usage: fs_heavy DIR\n");
        return 2;
    }
    if ((rc = chacm_resolve(argv[1], &h)) != ESUCCESS) return fail("resolve", argv[1], rc);
    svr = h.svr;
    TRY("mkdir", "moved", directory_mkdir(svr, h.obj, "moved", &moved, &env));
    if (make_many(h.obj, moved) || make_deep(h.obj, moved) || make_large(h.obj)) return 1;
    TRY("sync", argv[1], filesystem_sync(svr, h.obj, &env));
    printf("fs_heavy: done\n");
    return 0;
}
