/* filesvr: ext2 inodes: loading and storing them, the block map with its
 * single, double and triple indirect blocks, reading and writing file data
 * (holes read as zeros), truncation and deletion. */
#include <stdlib.h>
#include <string.h>

#include "ext2_priv.h"

static int inode_pos(struct ext2_fs *fs, uint32_t num, uint32_t *blk, uint32_t *off)
{
    if (num == 0 || num > fs->sb.s_inodes_count) return FS_ECORRUPT;
    uint32_t g = (num - 1) / fs->sb.s_inodes_per_group;
    uint64_t byte = (uint64_t)((num - 1) % fs->sb.s_inodes_per_group) * fs->isize;
    *blk = fs->gd[g].bg_inode_table + (uint32_t)(byte / fs->bsize);
    *off = (uint32_t)(byte % fs->bsize);
    return FS_OK;
}

int e2_iget(struct ext2_fs *fs, uint32_t num, struct ext2_ino *ip)
{
    uint32_t blk, off;
    int rc = inode_pos(fs, num, &blk, &off);
    if (rc) return rc;
    struct bc_buf *b;
    if ((rc = bc_get(&fs->bc, blk, &b))) return rc;
    memcpy(&ip->d, b->data + off, sizeof ip->d);
    bc_put(b);
    ip->num = num;
    if (ip->d.i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL)) return FS_ECORRUPT;
    return FS_OK;
}

int e2_iput(struct ext2_fs *fs, struct ext2_ino *ip)
{
    if (fs->rdonly) return FS_EROFS;
    uint32_t blk, off;
    int rc = inode_pos(fs, ip->num, &blk, &off);
    if (rc) return rc;
    struct bc_buf *b;
    if ((rc = bc_get(&fs->bc, blk, &b))) return rc;
    memcpy(b->data + off, &ip->d, sizeof ip->d);
    bc_dirty(b);
    bc_put(b);
    return FS_OK;
}

int e2_iinit(struct ext2_fs *fs, uint32_t num, uint16_t mode, struct ext2_ino *ip)
{
    uint32_t blk, off;
    int rc = inode_pos(fs, num, &blk, &off);
    if (rc) return rc;
    struct bc_buf *b;
    if ((rc = bc_get(&fs->bc, blk, &b))) return rc;
    uint32_t now = e2_now(fs);
    memset(b->data + off, 0, fs->isize);
    if (fs->isize >= 160) {       /* the large inode's extra fields: size, then times */
        uint16_t extra = 32;
        memcpy(b->data + off + 128, &extra, 2);
        memcpy(b->data + off + 144, &now, 4);   /* i_crtime */
    }
    bc_dirty(b);
    bc_put(b);
    memset(ip, 0, sizeof *ip);
    ip->num = num;
    ip->d.i_mode = mode;
    ip->d.i_atime = ip->d.i_ctime = ip->d.i_mtime = now;
    return FS_OK;
}

uint64_t e2_isize(const struct ext2_ino *ip)
{
    uint64_t size = ip->d.i_size;
    if ((ip->d.i_mode & EXT2_S_IFMT) == EXT2_S_IFREG) size |= (uint64_t)ip->d.i_size_high << 32;
    return size;
}

void e2_set_isize(struct ext2_ino *ip, uint64_t size)
{
    ip->d.i_size = (uint32_t)size;
    if ((ip->d.i_mode & EXT2_S_IFMT) == EXT2_S_IFREG) ip->d.i_size_high = (uint32_t)(size >> 32);
}

int e2_itype(const struct ext2_ino *ip)
{
    switch (ip->d.i_mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG: return FS_T_FILE;
    case EXT2_S_IFDIR: return FS_T_DIR;
    case EXT2_S_IFLNK: return FS_T_SYMLINK;
    case EXT2_S_IFCHR: return FS_T_CHR;
    case EXT2_S_IFBLK: return FS_T_BLK;
    case EXT2_S_IFIFO: return FS_T_FIFO;
    case EXT2_S_IFSOCK: return FS_T_SOCK;
    default: return FS_T_UNKNOWN;
    }
}

int e2_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_ino *ip)
{
    uint32_t ea = ip->d.i_file_acl ? fs->bsize / 512 : 0;
    return e2_itype(ip) == FS_T_SYMLINK && ip->d.i_blocks <= ea;
}

/* Whether the inode's i_block holds block numbers. */
static int has_block_map(const struct ext2_fs *fs, const struct ext2_ino *ip)
{
    int t = e2_itype(ip);
    return t == FS_T_FILE || t == FS_T_DIR || (t == FS_T_SYMLINK && !e2_is_fast_symlink(fs, ip));
}

static int new_block(struct ext2_fs *fs, struct ext2_ino *ip, uint32_t *out)
{
    uint32_t goal = fs->hint ? fs->hint + 1 :
        fs->sb.s_first_data_block + ((ip->num - 1) / fs->sb.s_inodes_per_group) * fs->sb.s_blocks_per_group;
    int rc = e2_alloc_block(fs, goal, out);
    if (rc) return rc;
    fs->hint = *out;
    ip->d.i_blocks += fs->bsize / 512;
    return FS_OK;
}

/* Splits lblk into the inode slot and up to 3 indices; depth 0 is direct. */
static int bmap_path(const struct ext2_fs *fs, uint64_t lblk, int *slot, uint32_t idx[3])
{
    uint64_t a = fs->apb;
    if (lblk < EXT2_NDIR) {
        *slot = (int)lblk;
        return 0;
    }
    lblk -= EXT2_NDIR;
    if (lblk < a) {
        *slot = EXT2_IND;
        idx[0] = (uint32_t)lblk;
        return 1;
    }
    lblk -= a;
    if (lblk < a * a) {
        *slot = EXT2_DIND;
        idx[0] = (uint32_t)(lblk / a);
        idx[1] = (uint32_t)(lblk % a);
        return 2;
    }
    lblk -= a * a;
    if (lblk < a * a * a) {
        *slot = EXT2_TIND;
        idx[0] = (uint32_t)(lblk / (a * a));
        idx[1] = (uint32_t)(lblk / a % a);
        idx[2] = (uint32_t)(lblk % a);
        return 3;
    }
    return -1;
}

int e2_bmap(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t lblk, int alloc, uint32_t *out,
            int *fresh)
{
    uint32_t idx[3];
    int slot, depth = bmap_path(fs, lblk, &slot, idx), rc;
    if (fresh) *fresh = 0;
    if (depth < 0) return FS_EFBIG;
    uint32_t cur = ip->d.i_block[slot];
    if (cur == 0) {
        if (!alloc) return *out = 0, FS_OK;
        if ((rc = new_block(fs, ip, &cur))) return rc;
        ip->d.i_block[slot] = cur;
        if (depth == 0) {
            if (fresh) *fresh = 1;
        } else {
            struct bc_buf *z;
            if ((rc = bc_get_zero(&fs->bc, cur, &z))) return rc;
            bc_put(z);
        }
    } else if (!e2_block_ok(fs, cur)) {
        return FS_ECORRUPT;
    }
    for (int level = 0; level < depth; level++) {
        struct bc_buf *b;
        if ((rc = bc_get(&fs->bc, cur, &b))) return rc;
        uint32_t *ent = (uint32_t *)b->data + idx[level];
        uint32_t next = *ent;
        if (next == 0 && alloc) {
            if ((rc = new_block(fs, ip, &next))) {
                bc_put(b);
                return rc;
            }
            *ent = next;
            bc_dirty(b);
            if (level + 1 < depth) {
                struct bc_buf *z;
                if ((rc = bc_get_zero(&fs->bc, next, &z))) {
                    bc_put(b);
                    return rc;
                }
                bc_put(z);
            } else if (fresh) {
                *fresh = 1;
            }
        }
        bc_put(b);
        if (next == 0) return *out = 0, FS_OK;
        if (!e2_block_ok(fs, next)) return FS_ECORRUPT;
        cur = next;
    }
    *out = cur;
    return FS_OK;
}

static int release(struct ext2_fs *fs, struct ext2_ino *ip, uint32_t blk)
{
    int rc = e2_free_block(fs, blk);
    if (rc == FS_OK && ip->d.i_blocks >= fs->bsize / 512) ip->d.i_blocks -= fs->bsize / 512;
    return rc;
}

/* Frees the data blocks of the tree under indirect block blk (depth levels)
 * whose logical number is >= keep; first is the tree's first logical block.
 * *empty tells whether blk itself was freed. */
static int trunc_tree(struct ext2_fs *fs, struct ext2_ino *ip, uint32_t blk, int depth,
                      uint64_t first, uint64_t keep, int *empty)
{
    uint64_t per = 1;
    for (int i = 1; i < depth; i++) per *= fs->apb;
    struct bc_buf *b;
    int rc = bc_get(&fs->bc, blk, &b);
    if (rc) return rc;
    uint32_t *ent = (uint32_t *)b->data;
    int left = 0;
    for (uint32_t i = 0; i < fs->apb && rc == FS_OK; i++) {
        uint64_t cfirst = first + i * per;
        if (ent[i] == 0) continue;
        if (!e2_block_ok(fs, ent[i])) {
            rc = FS_ECORRUPT;
            break;
        }
        if (cfirst + per <= keep) {
            left = 1;
            continue;
        }
        int gone = 1;
        if (depth > 1) rc = trunc_tree(fs, ip, ent[i], depth - 1, cfirst, keep, &gone);
        else rc = release(fs, ip, ent[i]);
        if (rc == FS_OK && gone) {
            ent[i] = 0;
            bc_dirty(b);
        } else {
            left = 1;
        }
    }
    bc_put(b);
    *empty = 0;
    if (rc == FS_OK && !left) {
        rc = release(fs, ip, blk);
        *empty = rc == FS_OK;
    }
    return rc;
}

int e2_trunc_blocks(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t keep)
{
    if (!has_block_map(fs, ip)) return FS_OK;
    for (uint32_t i = 0; i < EXT2_NDIR; i++) {
        if (i < keep || ip->d.i_block[i] == 0) continue;
        int rc = release(fs, ip, ip->d.i_block[i]);
        if (rc) return rc;
        ip->d.i_block[i] = 0;
    }
    uint64_t first = EXT2_NDIR, span = fs->apb;
    for (int depth = 1; depth <= 3; depth++, first += span, span *= fs->apb) {
        uint32_t blk = ip->d.i_block[EXT2_NDIR - 1 + depth];
        if (blk == 0 || first + span <= keep) continue;
        if (!e2_block_ok(fs, blk)) return FS_ECORRUPT;
        int empty;
        int rc = trunc_tree(fs, ip, blk, depth, first, keep, &empty);
        if (rc) return rc;
        if (empty) ip->d.i_block[EXT2_NDIR - 1 + depth] = 0;
    }
    return FS_OK;
}

int e2_iread(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t off, void *buf, size_t len,
             size_t *got)
{
    uint64_t size = e2_isize(ip);
    uint8_t *dst = buf;
    *got = 0;
    if (off >= size) return FS_OK;
    if (len > size - off) len = (size_t)(size - off);
    while (len > 0) {
        uint64_t lblk = off / fs->bsize;
        uint32_t in = (uint32_t)(off % fs->bsize), n = fs->bsize - in, blk;
        if (n > len) n = (uint32_t)len;
        int rc = e2_bmap(fs, ip, lblk, 0, &blk, NULL);
        if (rc) return rc;
        if (blk == 0) {
            memset(dst, 0, n);
        } else {
            struct bc_buf *b;
            if ((rc = bc_get(&fs->bc, blk, &b))) return rc;
            memcpy(dst, b->data + in, n);
            bc_put(b);
        }
        dst += n;
        off += n;
        len -= n;
        *got += n;
    }
    return FS_OK;
}

static uint64_t max_bytes(const struct ext2_fs *fs)
{
    uint64_t a = fs->apb, blocks = EXT2_NDIR + a + a * a + a * a * a;
    uint64_t lim = blocks * fs->bsize;
    /* i_blocks counts 512-byte units in 32 bits. */
    if (lim > ((uint64_t)1 << 41) - fs->bsize) lim = ((uint64_t)1 << 41) - 64 * (uint64_t)fs->bsize;
    return lim;
}

int e2_iwrite(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t off, const void *buf, size_t len,
              size_t *put)
{
    const uint8_t *src = buf;
    int rc = FS_OK;
    *put = 0;
    if (fs->rdonly) return FS_EROFS;
    if (off > max_bytes(fs) || len > max_bytes(fs) - off) return FS_EFBIG;
    while (len > 0) {
        uint64_t lblk = off / fs->bsize;
        uint32_t in = (uint32_t)(off % fs->bsize), n = fs->bsize - in, blk;
        int fresh;
        if (n > len) n = (uint32_t)len;
        if ((rc = e2_bmap(fs, ip, lblk, 1, &blk, &fresh))) break;
        struct bc_buf *b;
        rc = (fresh || n == fs->bsize) ? bc_get_zero(&fs->bc, blk, &b) : bc_get(&fs->bc, blk, &b);
        if (rc) break;
        memcpy(b->data + in, src, n);
        bc_dirty(b);
        bc_put(b);
        src += n;
        off += n;
        len -= n;
        *put += n;
    }
    if (off > e2_isize(ip) && *put > 0) {
        e2_set_isize(ip, off);
        if (off >= ((uint64_t)1 << 31) && !(fs->sb.s_feature_ro_compat & EXT2_RO_LARGE_FILE)) {
            fs->sb.s_feature_ro_compat |= EXT2_RO_LARGE_FILE;
            if (fs->sb.s_rev_level == 0) fs->sb.s_rev_level = 1;
            fs->sb_dirty = 1;
        }
    }
    ip->d.i_mtime = ip->d.i_ctime = e2_now(fs);
    int rc2 = e2_iput(fs, ip);
    if (*put > 0) return rc2;
    return rc ? rc : rc2;
}

/* Drops the inode's reference to its extended-attribute block. */
static int drop_xattr(struct ext2_fs *fs, struct ext2_ino *ip)
{
    uint32_t blk = ip->d.i_file_acl;
    if (blk == 0) return FS_OK;
    if (!e2_block_ok(fs, blk)) return FS_ECORRUPT;
    struct bc_buf *b;
    int rc = bc_get(&fs->bc, blk, &b);
    if (rc) return rc;
    struct ext2_xattr_header *h = (struct ext2_xattr_header *)b->data;
    if (h->h_magic != EXT2_XATTR_MAGIC || h->h_refcount == 0) {
        bc_put(b);
        return FS_ECORRUPT;
    }
    int last = --h->h_refcount == 0;
    bc_dirty(b);
    bc_put(b);
    ip->d.i_file_acl = 0;
    return last ? release(fs, ip, blk) : (ip->d.i_blocks -= fs->bsize / 512, FS_OK);
}

int e2_idelete(struct ext2_fs *fs, struct ext2_ino *ip)
{
    int is_dir = e2_itype(ip) == FS_T_DIR;
    if (is_dir) e2_dix_drop(fs, ip->num);
    int rc = e2_trunc_blocks(fs, ip, 0);
    if (rc == FS_OK) rc = drop_xattr(fs, ip);
    if (rc) return rc;
    memset(ip->d.i_block, 0, sizeof ip->d.i_block);
    e2_set_isize(ip, 0);
    ip->d.i_links_count = 0;
    ip->d.i_dtime = e2_now(fs);
    if (ip->d.i_dtime == 0) ip->d.i_dtime = 1;
    if ((rc = e2_iput(fs, ip))) return rc;
    return e2_free_inode(fs, ip->num, is_dir);
}
