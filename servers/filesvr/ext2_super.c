/* filesvr: ext2 mount, sync and unmount, and the block and inode bitmaps.
 *
 * Write ordering without a journal: nothing reaches the device before every
 * check of the mount passed (a refused image is never written).  A read-write
 * mount first records "not clean" in the superblock; sync writes the group
 * descriptors and the superblock with the current free counts, then every
 * dirty cached block; unmount records "clean" last.  Invariants:
 *  1. the in-memory free counts (superblock and groups) always equal the
 *     number of clear bits in the cached bitmaps that were changed;
 *  2. a block is never handed out if it holds a superblock, a descriptor
 *     table, a bitmap or an inode table, whatever the bitmap says;
 *  3. freeing a block or inode whose bit is already clear is reported as
 *     corruption and changes nothing. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ext2_priv.h"

#define BC_BYTES (2u << 20)   /* the block cache of one mount (filesvr's heap is 6 MiB) */

static void msg_set(char *msg, size_t len, const char *a, const char *b)
{
    if (!msg || len == 0) return;
    size_t n = 0;
    for (const char *p = a; p && *p && n + 1 < len; p++) msg[n++] = *p;
    for (const char *p = b; p && *p && n + 1 < len; p++) msg[n++] = *p;
    msg[n] = 0;
}

uint32_t e2_now(struct ext2_fs *fs)
{
    return fs->dev.now ? fs->dev.now(fs->dev.ctx) : 0;
}

int e2_block_ok(const struct ext2_fs *fs, uint32_t blk)
{
    return blk >= fs->sb.s_first_data_block && blk < fs->sb.s_blocks_count;
}

static int is_power(uint32_t v, uint32_t base)
{
    while (v > 1 && v % base == 0) v /= base;
    return v == 1;
}

/* Whether group g holds a copy of the superblock and descriptors. */
static int group_has_super(const struct ext2_fs *fs, uint32_t g)
{
    if (g <= 1 || !(fs->sb.s_feature_ro_compat & EXT2_RO_SPARSE_SUPER)) return 1;
    return is_power(g, 3) || is_power(g, 5) || is_power(g, 7);
}

static uint32_t itable_blocks(const struct ext2_fs *fs)
{
    return (uint32_t)(((uint64_t)fs->sb.s_inodes_per_group * fs->isize + fs->bsize - 1) / fs->bsize);
}

/* Invariant 2: whether blk is file-system metadata. */
static int block_is_meta(const struct ext2_fs *fs, uint32_t blk)
{
    uint32_t fdb = fs->sb.s_first_data_block, bpg = fs->sb.s_blocks_per_group;
    uint32_t g = (blk - fdb) / bpg, start = fdb + g * bpg;
    uint32_t rsv = (fs->sb.s_feature_compat & EXT2_COMPAT_RESIZE_INODE) ? fs->sb.s_reserved_gdt_blocks : 0;
    if (group_has_super(fs, g) && blk < start + 1 + fs->gd_blocks + rsv) return 1;
    uint32_t itb = itable_blocks(fs);
    for (uint32_t i = 0; i < fs->ngroups; i++) {
        const struct ext2_group_desc *d = &fs->gd[i];
        if (blk == d->bg_block_bitmap || blk == d->bg_inode_bitmap) return 1;
        if (blk >= d->bg_inode_table && blk - d->bg_inode_table < itb) return 1;
    }
    return 0;
}

/* Finds a clear bit in [from, nbits) of map, or returns -1. */
static int64_t find_clear(const uint8_t *map, uint32_t from, uint32_t nbits)
{
    for (uint32_t i = from; i < nbits; i++) {
        if ((i & 7) == 0 && map[i >> 3] == 0xFF && i + 8 <= nbits) {
            i += 7;
            continue;
        }
        if (!(map[i >> 3] & (1u << (i & 7)))) return i;
    }
    return -1;
}

int e2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out)
{
    if (fs->rdonly) return FS_EROFS;
    uint32_t fdb = fs->sb.s_first_data_block, bpg = fs->sb.s_blocks_per_group;
    if (!e2_block_ok(fs, goal)) goal = fdb;
    uint32_t g0 = (goal - fdb) / bpg;
    for (uint32_t i = 0; i <= fs->ngroups; i++) {
        uint32_t g = (g0 + i) % fs->ngroups;
        struct ext2_group_desc *d = &fs->gd[g];
        if (d->bg_free_blocks_count == 0) continue;
        uint32_t start = fdb + g * bpg, n = bpg;
        if (fs->sb.s_blocks_count - start < n) n = fs->sb.s_blocks_count - start;
        uint32_t from = (i == 0) ? goal - start : 0;
        struct bc_buf *b;
        int rc = bc_get(&fs->bc, d->bg_block_bitmap, &b);
        if (rc) return rc;
        for (;;) {
            int64_t bit = find_clear(b->data, from, n);
            if (bit < 0 && from > 0) {
                from = 0;
                continue;
            }
            if (bit < 0) break;
            uint32_t blk = start + (uint32_t)bit;
            if (block_is_meta(fs, blk)) {   /* a corrupt bitmap: skip, never hand out */
                from = (uint32_t)bit + 1;
                if (from >= n) break;
                continue;
            }
            b->data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
            bc_dirty(b);
            bc_put(b);
            d->bg_free_blocks_count--;
            if (fs->sb.s_free_blocks_count) fs->sb.s_free_blocks_count--;
            fs->gd_dirty = fs->sb_dirty = 1;
            *out = blk;
            return FS_OK;
        }
        bc_put(b);
    }
    return FS_ENOSPC;
}

int e2_free_block(struct ext2_fs *fs, uint32_t blk)
{
    if (!e2_block_ok(fs, blk) || block_is_meta(fs, blk)) return FS_ECORRUPT;
    uint32_t rel = blk - fs->sb.s_first_data_block;
    uint32_t g = rel / fs->sb.s_blocks_per_group, bit = rel % fs->sb.s_blocks_per_group;
    struct ext2_group_desc *d = &fs->gd[g];
    struct bc_buf *b;
    int rc = bc_get(&fs->bc, d->bg_block_bitmap, &b);
    if (rc) return rc;
    if (!(b->data[bit >> 3] & (1u << (bit & 7)))) {
        bc_put(b);
        return FS_ECORRUPT;
    }
    b->data[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
    bc_dirty(b);
    bc_put(b);
    d->bg_free_blocks_count++;
    fs->sb.s_free_blocks_count++;
    fs->gd_dirty = fs->sb_dirty = 1;
    bc_forget(&fs->bc, blk);
    return FS_OK;
}

int e2_alloc_inode(struct ext2_fs *fs, uint32_t parent, int is_dir, uint32_t *out)
{
    if (fs->rdonly) return FS_EROFS;
    uint32_t ipg = fs->sb.s_inodes_per_group;
    uint32_t g0 = (parent >= 1 && parent <= fs->sb.s_inodes_count) ? (parent - 1) / ipg : 0;
    for (uint32_t i = 0; i < fs->ngroups; i++) {
        uint32_t g = (g0 + i) % fs->ngroups;
        struct ext2_group_desc *d = &fs->gd[g];
        if (d->bg_free_inodes_count == 0) continue;
        struct bc_buf *b;
        int rc = bc_get(&fs->bc, d->bg_inode_bitmap, &b);
        if (rc) return rc;
        uint32_t from = 0;
        if (g * ipg < fs->first_ino) from = fs->first_ino - 1 - g * ipg;
        int64_t bit = from < ipg ? find_clear(b->data, from, ipg) : -1;
        if (bit < 0) {
            bc_put(b);
            continue;
        }
        b->data[bit >> 3] |= (uint8_t)(1u << (bit & 7));
        bc_dirty(b);
        bc_put(b);
        d->bg_free_inodes_count--;
        if (is_dir) d->bg_used_dirs_count++;
        if (fs->sb.s_free_inodes_count) fs->sb.s_free_inodes_count--;
        fs->gd_dirty = fs->sb_dirty = 1;
        *out = g * ipg + (uint32_t)bit + 1;
        return FS_OK;
    }
    return FS_ENOSPC;
}

int e2_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir)
{
    if (ino < fs->first_ino || ino > fs->sb.s_inodes_count) return FS_ECORRUPT;
    uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group, bit = (ino - 1) % fs->sb.s_inodes_per_group;
    struct ext2_group_desc *d = &fs->gd[g];
    struct bc_buf *b;
    int rc = bc_get(&fs->bc, d->bg_inode_bitmap, &b);
    if (rc) return rc;
    if (!(b->data[bit >> 3] & (1u << (bit & 7)))) {
        bc_put(b);
        return FS_ECORRUPT;
    }
    b->data[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
    bc_dirty(b);
    bc_put(b);
    d->bg_free_inodes_count++;
    if (is_dir && d->bg_used_dirs_count) d->bg_used_dirs_count--;
    fs->sb.s_free_inodes_count++;
    fs->gd_dirty = fs->sb_dirty = 1;
    return FS_OK;
}

/* Names the first feature bit in mask (for the refusal message). */
static const char *incompat_name(uint32_t mask)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { EXT2_INCOMPAT_COMPRESSION, "compression" }, { EXT3_INCOMPAT_RECOVER, "needs_recovery" },
        { EXT3_INCOMPAT_JOURNAL_DEV, "journal_dev" }, { EXT2_INCOMPAT_META_BG, "meta_bg" },
        { EXT4_INCOMPAT_EXTENTS, "extent" }, { EXT4_INCOMPAT_64BIT, "64bit" },
        { EXT4_INCOMPAT_MMP, "mmp" }, { EXT4_INCOMPAT_EA_INODE, "ea_inode" },
        { EXT4_INCOMPAT_DIRDATA, "dirdata" }, { EXT4_INCOMPAT_CSUM_SEED, "metadata_csum_seed" },
        { EXT4_INCOMPAT_LARGEDIR, "large_dir" }, { EXT4_INCOMPAT_INLINE_DATA, "inline_data" },
        { EXT4_INCOMPAT_ENCRYPT, "encrypt" }, { EXT4_INCOMPAT_CASEFOLD, "casefold" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (mask & names[i].bit) return names[i].name;
    return "unknown";
}

/* Checks the superblock; fills the geometry.  NULL when usable, else why not. */
static const char *check_super(struct ext2_fs *fs)
{
    struct ext2_super *s = &fs->sb;
    if (s->s_magic != EXT2_SUPER_MAGIC) return "not an ext2 file system (bad magic)";
    if (s->s_rev_level > 1) return "unknown revision level";
    if (s->s_log_block_size > 5) return "unsupported block size (above 32 KiB)";
    fs->bsize = 1024u << s->s_log_block_size;
    fs->apb = fs->bsize / 4;
    if (fs->bsize < fs->dev.sector_size) return "block size smaller than the device's sectors";
    if (s->s_rev_level == 0) {
        fs->isize = 128;
        fs->first_ino = 11;
    } else {
        fs->isize = s->s_inode_size;
        fs->first_ino = s->s_first_ino;
        if (fs->isize < 128 || fs->isize > fs->bsize || (fs->isize & (fs->isize - 1)))
            return "corrupt superblock: inode size";
    }
    if (s->s_blocks_per_group < 8 || s->s_blocks_per_group > 8 * fs->bsize ||
        s->s_inodes_per_group == 0 || s->s_inodes_per_group > 8 * fs->bsize)
        return "corrupt superblock: group geometry";
    if (s->s_first_data_block != (fs->bsize == 1024 ? 1u : 0u) ||
        s->s_blocks_count <= s->s_first_data_block + 1)
        return "corrupt superblock: block counts";
    fs->ngroups = (s->s_blocks_count - s->s_first_data_block + s->s_blocks_per_group - 1) /
                  s->s_blocks_per_group;
    if ((uint64_t)fs->ngroups * s->s_inodes_per_group != s->s_inodes_count)
        return "corrupt superblock: inode count";
    if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > s->s_inodes_count)
        return "corrupt superblock: first inode";
    if ((uint64_t)s->s_blocks_count * fs->bsize > fs->dev.nsectors * fs->dev.sector_size)
        return "the file system is larger than the device";
    fs->gd_blocks = (uint32_t)(((uint64_t)fs->ngroups * sizeof(struct ext2_group_desc) + fs->bsize - 1) /
                               fs->bsize);
    return NULL;
}

static const char *check_groups(struct ext2_fs *fs)
{
    uint32_t itb = itable_blocks(fs);
    for (uint32_t g = 0; g < fs->ngroups; g++) {
        const struct ext2_group_desc *d = &fs->gd[g];
        if (!e2_block_ok(fs, d->bg_block_bitmap) || !e2_block_ok(fs, d->bg_inode_bitmap) ||
            !e2_block_ok(fs, d->bg_inode_table) ||
            (uint64_t)d->bg_inode_table + itb > fs->sb.s_blocks_count)
            return "corrupt group descriptor: location out of range";
        if (d->bg_free_blocks_count > fs->sb.s_blocks_per_group ||
            d->bg_free_inodes_count > fs->sb.s_inodes_per_group)
            return "corrupt group descriptor: free counts";
    }
    return NULL;
}

static int load_groups(struct ext2_fs *fs)
{
    size_t bytes = (size_t)fs->gd_blocks * fs->bsize;
    fs->gd = malloc(bytes);
    if (!fs->gd) return FS_ENOMEM;
    uint64_t off = (uint64_t)(fs->sb.s_first_data_block + 1) * fs->bsize;
    return bc_read_bytes(&fs->dev, off, fs->gd, (uint32_t)bytes);
}

/* Copies the descriptors and superblock into their cached blocks. */
static int store_meta(struct ext2_fs *fs)
{
    struct bc_buf *b;
    int rc;
    for (uint32_t i = 0; fs->gd_dirty && i < fs->gd_blocks; i++) {
        if ((rc = bc_get(&fs->bc, fs->sb.s_first_data_block + 1 + i, &b))) return rc;
        memcpy(b->data, (uint8_t *)fs->gd + (size_t)i * fs->bsize, fs->bsize);
        bc_dirty(b);
        bc_put(b);
    }
    fs->gd_dirty = 0;
    if ((rc = bc_get(&fs->bc, EXT2_SUPER_OFFSET / fs->bsize, &b))) return rc;
    memcpy(b->data + EXT2_SUPER_OFFSET % fs->bsize, &fs->sb, sizeof fs->sb);
    bc_dirty(b);
    bc_put(b);
    fs->sb_dirty = 0;
    return FS_OK;
}

/* The state word on the device.  Invariant: the device's superblock says
 * clean (EXT2_VALID_FS) only while every change is written back, so a run
 * that ends without an unmount leaves a consistent file system marked
 * clean when it had synced, and one marked not clean (e2fsck) otherwise:
 * a sync that wrote everything marks it clean; the first write after that
 * marks it not clean before it writes anything else.  The in-memory
 * superblock always says not clean while mounted writable. */
static int put_state(struct ext2_fs *fs, uint16_t state)
{
    uint32_t ss = fs->raw.sector_size;
    uint64_t first = EXT2_SUPER_OFFSET / ss;
    uint32_t off = EXT2_SUPER_OFFSET % ss + (uint32_t)offsetof(struct ext2_super, s_state);
    uint8_t *buf = malloc(ss);
    if (!buf) return FS_ENOMEM;
    int rc = fs->raw.read(fs->raw.ctx, first + off / ss, 1, buf) ? FS_EIO : FS_OK;
    if (rc == FS_OK) {
        memcpy(buf + off % ss, &state, sizeof state);
        rc = fs->raw.write(fs->raw.ctx, first + off / ss, 1, buf) ? FS_EIO : FS_OK;
    }
    free(buf);
    return rc;
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct ext2_fs *fs = ctx;
    return fs->raw.read(fs->raw.ctx, sector, count, buf);
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct ext2_fs *fs = ctx;
    if (fs->clean_on_disk) {
        if (put_state(fs, (uint16_t)(fs->sb.s_state & ~EXT2_VALID_FS))) return FS_EIO;
        fs->clean_on_disk = 0;
    }
    return fs->raw.write(fs->raw.ctx, sector, count, buf);
}

static uint32_t dev_now(void *ctx)
{
    struct ext2_fs *fs = ctx;
    return fs->raw.now ? fs->raw.now(fs->raw.ctx) : 0;
}

int ext2_sync(struct ext2_fs *fs)
{
    if (fs->rdonly) return FS_OK;
    fs->sb.s_wtime = e2_now(fs);
    int rc = store_meta(fs);
    int rc2 = bc_flush(&fs->bc);
    if (rc || rc2) return rc ? rc : rc2;
    if (!fs->clean_on_disk) {
        if ((rc = put_state(fs, (uint16_t)(fs->sb.s_state | EXT2_VALID_FS)))) return rc;
        fs->clean_on_disk = 1;
    }
    return FS_OK;
}

static void fs_free(struct ext2_fs *fs)
{
    e2_dix_free_all(fs);
    bc_destroy(&fs->bc);
    free(fs->gd);
    free(fs);
}

static int mount_fail(struct ext2_fs *fs, int rc, char *msg, size_t len, const char *why)
{
    msg_set(msg, len, "ext2: ", why);
    fs_free(fs);
    return rc;
}

int ext2_mount(const struct fs_blkdev *dev, int flags, struct ext2_fs **out,
               int *rdonly_out, char *msg, size_t msglen)
{
    msg_set(msg, msglen, "", "");
    if (!dev || !dev->read || !dev->write || dev->sector_size < 512 || dev->sector_size > 65536 ||
        (dev->sector_size & (dev->sector_size - 1))) {
        msg_set(msg, msglen, "ext2: ", "bad block device");
        return FS_EINVAL;
    }
    struct ext2_fs *fs = calloc(1, sizeof *fs);
    if (!fs) return FS_ENOMEM;
    fs->raw = *dev;
    fs->dev = *dev;
    fs->dev.ctx = fs;
    fs->dev.read = dev_read;
    fs->dev.write = dev_write;
    fs->dev.now = dev_now;
    if (dev->nsectors * dev->sector_size < EXT2_SUPER_OFFSET + sizeof fs->sb ||
        bc_read_bytes(dev, EXT2_SUPER_OFFSET, &fs->sb, sizeof fs->sb))
        return mount_fail(fs, FS_EIO, msg, msglen, "cannot read the superblock");
    const char *why = check_super(fs);
    if (why) return mount_fail(fs, FS_EUNSUPP, msg, msglen, why);
    uint32_t bad = fs->sb.s_rev_level ? fs->sb.s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED : 0;
    if (bad) {
        msg_set(msg, msglen, "ext2: unsupported incompatible feature ", incompat_name(bad));
        fs_free(fs);
        return FS_EUNSUPP;
    }
    int rc = load_groups(fs);
    if (rc) return mount_fail(fs, rc, msg, msglen, "cannot read the group descriptors");
    if ((why = check_groups(fs))) return mount_fail(fs, FS_ECORRUPT, msg, msglen, why);
    fs->filetype = fs->sb.s_rev_level && (fs->sb.s_feature_incompat & EXT2_INCOMPAT_FILETYPE);
    fs->rdonly = (flags & EXT2_MOUNT_RDONLY) != 0;
    if (fs->sb.s_rev_level && (fs->sb.s_feature_ro_compat & ~EXT2_RO_SUPPORTED)) {
        fs->rdonly = 1;
        msg_set(msg, msglen, "ext2: ", "unsupported read-only-compatible features: mounted read-only");
    } else if (!(fs->sb.s_state & EXT2_VALID_FS) || (fs->sb.s_state & EXT2_ERROR_FS)) {
        fs->rdonly = 1;
        msg_set(msg, msglen, "ext2: ", "not cleanly unmounted: mounted read-only (run e2fsck)");
    }
    if ((rc = bc_init(&fs->bc, &fs->dev, fs->bsize, BC_BYTES / fs->bsize)))
        return mount_fail(fs, rc, msg, msglen, "out of memory");
    fs->bc.readonly = fs->rdonly;
    if (!fs->rdonly) {
        fs->sb.s_state &= (uint16_t)~EXT2_VALID_FS;
        fs->sb.s_mnt_count++;
        fs->sb.s_mtime = e2_now(fs);
        if ((rc = ext2_sync(fs))) return mount_fail(fs, rc, msg, msglen, "cannot write the superblock");
    }
    if (rdonly_out) *rdonly_out = fs->rdonly;
    *out = fs;
    return FS_OK;
}

int ext2_unmount(struct ext2_fs *fs)
{
    int rc = ext2_sync(fs);         /* leaves it marked clean */
    if (rc == FS_OK) fs_free(fs);   /* else still mounted, its changes still dirty */
    return rc;
}

void ext2_release(struct ext2_fs *fs)
{
    fs_free(fs);
}

uint32_t ext2_root(const struct ext2_fs *fs) { (void)fs; return EXT2_ROOT_INO; }
int ext2_is_rdonly(const struct ext2_fs *fs) { return fs->rdonly; }
uint32_t ext2_block_size(const struct ext2_fs *fs) { return fs->bsize; }
