/* tests/fs: the ext2 fuzzer.  Each case takes a small base image, applies
 * seed-driven mutations to its metadata (superblock, descriptors, bitmaps,
 * inode table, directory blocks), then mounts it, walks the whole tree
 * (readdir, stat, read, readlink), changes it (create, mkdir, write, rename,
 * unlink, truncate; in base-bigdir's large directory, through the name
 * index) and unmounts.  A crash, a sanitizer report or a case that
 * takes longer than its alarm is a failure.
 *
 *   fuzz_ext2 BASE... --seeds FIRST COUNT [--keep DIR]   seeded campaign
 *   fuzz_ext2 BASE... --time SECONDS [--keep DIR]        until the time is up
 *   fuzz_ext2 BASE... --replay CASE...                  cases kept earlier
 * A kept case is a text file: "base N" then "OFFSET VALUE" lines (hex);
 * --keep writes one for every seed whose outcome was not seen before. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../servers/filesvr/ext2.h"
#include "fsimg.h"

#define MAX_PATCH 64
#define CASE_ALARM 20

struct image { uint8_t *data; size_t len; };
struct patch { uint32_t off; uint8_t val; };
struct fcase { int base; int n; struct patch p[MAX_PATCH]; };

static struct image bases[8];
static int nbases;
static struct image work;
static unsigned long ops_budget;

static int mem_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    (void)ctx;
    if ((sector + count) * 512 > work.len) return FS_EIO;
    memcpy(buf, work.data + sector * 512, (size_t)count * 512);
    return 0;
}

static int mem_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    (void)ctx;
    if ((sector + count) * 512 > work.len) return FS_EIO;
    memcpy(work.data + sector * 512, buf, (size_t)count * 512);
    return 0;
}

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

/* Offsets worth mutating: the superblock and every non-zero 32-byte run of
 * the base's first blocks (metadata and small directories live there). */
static uint32_t pick_offset(const struct image *img)
{
    if (rnd() % 4 == 0) return 1024 + rnd() % 256;
    for (int tries = 0; tries < 64; tries++) {
        uint32_t off = rnd() % (uint32_t)(img->len < 262144 ? img->len : 262144);
        int nonzero = 0;
        for (uint32_t i = off & ~31u; i < (off & ~31u) + 32 && i < img->len; i++) nonzero |= img->data[i];
        if (nonzero) return off;
    }
    return rnd() % (uint32_t)img->len;
}

static void make_case(uint64_t seed, struct fcase *c)
{
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    c->base = (int)(rnd() % (uint32_t)nbases);
    c->n = 0;
    for (int m = 1 + (int)(rnd() % 12); m > 0 && c->n + 4 <= MAX_PATCH; m--) {
        uint32_t off = pick_offset(&bases[c->base]);
        uint8_t old = bases[c->base].data[off], v;
        if (rnd() % 4 == 0) {
            /* A small 32-bit number (a block or inode number, a count). */
            uint32_t val = rnd() % (rnd() % 2 ? 300 : 70000);
            off &= ~3u;
            for (uint32_t k = 0; k < 4; k++) c->p[c->n++] = (struct patch){ off + k, (uint8_t)(val >> (8 * k)) };
            continue;
        }
        switch (rnd() % 5) {
        case 0: v = (uint8_t)(old ^ (1u << (rnd() % 8))); break;
        case 1: v = 0; break;
        case 2: v = 0xFF; break;
        case 3: v = (uint8_t)(old + 1 + rnd() % 3); break;
        default: v = (uint8_t)rnd(); break;
        }
        c->p[c->n++] = (struct patch){ off, v };
    }
}

/* Counts the calls a case makes; the walk stops after a budget (no hang). */
static int budget(void)
{
    return ops_budget-- > 0;
}

static void walk(struct ext2_fs *fs, uint32_t dir, int depth, int *firsterr)
{
    uint64_t pos = 0;
    char name[FS_NAME_MAX + 1];
    uint32_t ino;
    int type, rc = FS_OK;
    while (budget() && (rc = ext2_readdir(fs, dir, &pos, name, &ino, &type)) == FS_OK) {
        if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
        struct fs_stat st;
        if ((rc = ext2_stat(fs, ino, &st)) != FS_OK) {
            if (!*firsterr) *firsterr = rc;
            continue;
        }
        if (st.type == FS_T_DIR && depth < 8) {
            walk(fs, ino, depth + 1, firsterr);
        } else if (st.type == FS_T_FILE) {
            static uint8_t buf[65536];
            size_t got;
            for (uint64_t off = 0; off < st.size && off < (1u << 22) && budget(); off += sizeof buf)
                if ((rc = ext2_read(fs, ino, off, buf, sizeof buf, &got)) != FS_OK) {
                    if (!*firsterr) *firsterr = rc;
                    break;
                }
        } else if (st.type == FS_T_SYMLINK) {
            char t[8192];
            rc = ext2_readlink(fs, ino, t, sizeof t);
            if (rc && !*firsterr) *firsterr = rc;
        }
    }
    if (rc != FS_ENOENT && rc != FS_OK && !*firsterr) *firsterr = rc;
}

static void change(struct ext2_fs *fs, int *firsterr)
{
    uint32_t root = ext2_root(fs), d = 0, f = 0, dirs[4] = { root };
    size_t n;
    int rc, k = 1;
    uint32_t ino;
    if (ext2_lookup(fs, root, "lost+found", &ino) == FS_OK) dirs[k++] = ino;
    if (ext2_lookup(fs, root, "dir", &ino) == FS_OK) dirs[k++] = ino;
    static const char text[] = "fuzz data that is written again and again ";
    for (int i = 0; i < k; i++) {
        int r[8];
        r[0] = ext2_mkdir(fs, dirs[i], "fz-dir", 0755, &d);
        r[1] = ext2_create(fs, dirs[i], "fz-file", 0644, &f);
        r[2] = f ? ext2_write(fs, f, 70000, text, sizeof text, &n) : FS_OK;
        r[3] = d ? ext2_symlink(fs, d, "fz-link", "../fz-file", &ino) : FS_OK;
        r[4] = ext2_rename(fs, dirs[i], "fz-file", root, "fz-moved");
        r[5] = f ? ext2_truncate(fs, f, 10) : FS_OK;
        r[6] = ext2_unlink(fs, root, "fz-moved");
        r[7] = d ? ext2_unlink(fs, d, "fz-link") : FS_OK;
        ext2_rmdir(fs, dirs[i], "fz-dir");
        for (int j = 0; j < 8; j++)
            if ((rc = r[j]) != FS_OK && rc != FS_EEXIST && rc != FS_ENOENT && !*firsterr) *firsterr = rc;
    }
    /* The names of a large directory (base-bigdir's dir/name-N) go through
     * the in-memory name index: some are looked up, removed and made again. */
    if (k > 2) {
        char nm[32];
        for (int i = 1; i <= 260; i += 37) {
            snprintf(nm, sizeof nm, "name-%d", i);
            if (ext2_lookup(fs, dirs[2], nm, &ino) == FS_OK && ext2_unlink(fs, dirs[2], nm) == FS_OK)
                ext2_create(fs, dirs[2], nm, 0644, &ino);
        }
    }
}

/* Runs one case; returns its outcome signature. */
static int run_case(const struct fcase *c)
{
    const struct image *b = &bases[c->base];
    memcpy(work.data, b->data, b->len);
    work.len = b->len;
    for (int i = 0; i < c->n; i++)
        if (c->p[i].off < work.len) work.data[c->p[i].off] = c->p[i].val;
    struct fs_blkdev dev = { .ctx = NULL, .sector_size = 512, .nsectors = work.len / 512,
                             .read = mem_read, .write = mem_write, .now = NULL };
    struct ext2_fs *fs = NULL;
    char msg[160];
    int ro = 0, firsterr = 0;
    ops_budget = 20000;
    alarm(CASE_ALARM);
    int rc = ext2_mount(&dev, 0, &fs, &ro, msg, sizeof msg);
    if (rc == FS_OK) {
        walk(fs, ext2_root(fs), 0, &firsterr);
        if (!ro) change(fs, &firsterr);
        walk(fs, ext2_root(fs), 0, &firsterr);
        int urc = ext2_unmount(fs);
        if (urc) ext2_release(fs);      /* a write failed: still mounted */
        if (urc && !firsterr) firsterr = urc;
    }
    alarm(0);
    return (rc & 0xFF) << 16 | ro << 8 | (firsterr & 0xFF);
}

static int load_base(const char *path)
{
    if (nbases == 8) return -1;
    struct image *img = &bases[nbases];
    img->data = fsimg_slurp(path, &img->len);
    if (!img->data || img->len < 4096) {
        fprintf(stderr, "fuzz_ext2: cannot read base image %s\n", path);
        return -1;
    }
    if (img->len > work.len) {
        work.data = realloc(work.data, img->len);
        work.len = img->len;
    }
    nbases++;
    return 0;
}

static void keep_case(const char *dir, uint64_t seed, const struct fcase *c, int sig)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seed-%llu.case", dir, (unsigned long long)seed);
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(f, "# outcome %06x\nbase %d\n", sig, c->base);
    for (int i = 0; i < c->n; i++) fprintf(f, "%x %x\n", c->p[i].off, c->p[i].val);
    fclose(f);
}

static int read_case(const char *path, struct fcase *c)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[128];
    memset(c, 0, sizeof *c);
    c->base = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned off, val;
        if (line[0] == '#') continue;
        if (sscanf(line, "base %d", &c->base) == 1) continue;
        if (sscanf(line, "%x %x", &off, &val) == 2 && c->n < MAX_PATCH)
            c->p[c->n++] = (struct patch){ off, (uint8_t)val };
    }
    fclose(f);
    return c->base >= 0 && c->base < nbases ? 0 : -1;
}

static uint64_t seen[4096];
static int nseen;

static int new_outcome(int sig)
{
    for (int i = 0; i < nseen; i++)
        if (seen[i] == (uint64_t)sig) return 0;
    if (nseen < 4096) seen[nseen++] = (uint64_t)sig;
    return 1;
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "fuzz_ext2: a case took too long (hang)\n";
    if (write(2, m, sizeof m - 1) < 0) {}
    _exit(3);
}

int main(int argc, char **argv)
{
    uint64_t first = 0, count = 0;
    long seconds = 0;
    const char *keep = NULL;
    int i = 1, replay = 0;
    signal(SIGALRM, on_alarm);
    for (; i < argc && argv[i][0] != '-'; i++)
        if (load_base(argv[i])) return 2;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 2 < argc) {
            first = strtoull(argv[++i], NULL, 0);
            count = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--time") && i + 1 < argc) {
            seconds = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--keep") && i + 1 < argc) {
            keep = argv[++i];
        } else if (!strcmp(argv[i], "--replay")) {
            replay = i + 1;
            break;
        } else {
            fprintf(stderr, "fuzz_ext2: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    if (nbases == 0) {
        fprintf(stderr, "usage: fuzz_ext2 BASE... (--seeds FIRST COUNT | --time S) [--keep DIR] | --replay CASE...\n");
        return 2;
    }
    struct fcase c;
    if (replay) {
        for (i = replay; i < argc; i++) {
            if (read_case(argv[i], &c)) {
                fprintf(stderr, "fuzz_ext2: bad case file %s\n", argv[i]);
                return 2;
            }
            run_case(&c);
        }
        printf("fuzz_ext2: %d kept cases replayed\n", argc - replay);
        return 0;
    }
    time_t end = time(NULL) + seconds;
    uint64_t done = 0;
    for (uint64_t s = first; seconds ? time(NULL) < end : s < first + count; s++, done++) {
        make_case(s, &c);
        int sig = run_case(&c);
        if (keep && new_outcome(sig)) keep_case(keep, s, &c, sig);
    }
    printf("fuzz_ext2: %llu cases from seed %llu, %d outcomes\n", (unsigned long long)done,
           (unsigned long long)first, nseen);
    return 0;
}
