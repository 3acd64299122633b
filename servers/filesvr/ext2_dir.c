/* filesvr: ext2 directories as linear lists of entries (an htree index is
 * read linearly and its flag dropped on the first change, as ext2 allows).
 * Every block's chain of entries is checked before it is used (once per
 * change of the cached block).  Large directories are found through an
 * in-memory name index (ext2_dix.c), which every change here keeps up. */
#include <string.h>

#include "ext2_priv.h"

static struct ext2_dirent *ent_at(uint8_t *data, uint32_t off)
{
    return (struct ext2_dirent *)(data + off);
}

/* Whether the entry at off is well-formed inside a block of bsize bytes. */
static int ent_ok(const struct ext2_fs *fs, uint8_t *data, uint32_t off)
{
    if (off + EXT2_DIRENT_HDR > fs->bsize || (off & 3)) return 0;
    struct ext2_dirent *e = ent_at(data, off);
    if (e->rec_len < EXT2_DIRENT_HDR || (e->rec_len & 3) || off + e->rec_len > fs->bsize) return 0;
    if (EXT2_DIRENT_HDR + e->name_len > e->rec_len) return 0;
    if (e->inode > fs->sb.s_inodes_count) return 0;
    return 1;
}

static int block_ok(const struct ext2_fs *fs, uint8_t *data)
{
    for (uint32_t off = 0; off < fs->bsize; off += ent_at(data, off)->rec_len)
        if (!ent_ok(fs, data, off)) return 0;
    return 1;
}

int e2_dir_block(struct ext2_fs *fs, struct ext2_ino *dp, uint64_t lblk, struct bc_buf **out)
{
    uint32_t blk;
    int rc = e2_bmap(fs, dp, lblk, 0, &blk, NULL);
    if (rc) return rc;
    if (blk == 0) return FS_ECORRUPT;          /* directories have no holes */
    if ((rc = bc_get(&fs->bc, blk, out))) return rc;
    if (!(*out)->checked && !block_ok(fs, (*out)->data)) {
        bc_put(*out);
        return FS_ECORRUPT;
    }
    (*out)->checked = 1;
    return FS_OK;
}

#define dir_block e2_dir_block

static uint64_t dir_nblocks(const struct ext2_fs *fs, const struct ext2_ino *dp)
{
    return e2_isize(dp) / fs->bsize;
}

static int name_is(const struct ext2_dirent *e, const char *name, size_t len)
{
    return e->inode != 0 && e->name_len == len && memcmp(e->name, name, len) == 0;
}

static uint8_t ent_type(const struct ext2_fs *fs, int type)
{
    return fs->filetype ? (uint8_t)type : 0;
}

/* Finds name in block lblk: pins the block, gives the entry's offset and
 * the previous entry's (UINT32_MAX when it is the first); FS_ENOENT. */
static int block_locate(struct ext2_fs *fs, struct ext2_ino *dp, uint64_t lblk, const char *name,
                        size_t len, struct bc_buf **out, uint32_t *off, uint32_t *prev)
{
    struct bc_buf *b;
    int rc = dir_block(fs, dp, lblk, &b);
    if (rc) return rc;
    uint32_t p = UINT32_MAX;
    for (uint32_t o = 0; o < fs->bsize; p = o, o += ent_at(b->data, o)->rec_len) {
        if (name_is(ent_at(b->data, o), name, len)) {
            *out = b;
            *off = o;
            *prev = p;
            return FS_OK;
        }
    }
    bc_put(b);
    return FS_ENOENT;
}

/* Finds name: pins its block (logical number *lblk), gives its offset and
 * the previous entry's offset in the block (UINT32_MAX when it is the first). */
static int dir_locate(struct ext2_fs *fs, struct ext2_ino *dp, const char *name,
                      struct bc_buf **out, uint32_t *off, uint32_t *prev, uint64_t *lblk)
{
    size_t len = strlen(name);
    struct e2_dix *x = e2_dix_get(fs, dp);
    if (x) {
        uint32_t it = UINT32_MAX, l;
        while (e2_dix_next(x, name, len, &it, &l)) {
            int rc = block_locate(fs, dp, l, name, len, out, off, prev);
            if (rc != FS_ENOENT) return *lblk = l, rc;
        }
        return FS_ENOENT;
    }
    uint64_t n = dir_nblocks(fs, dp);
    for (uint64_t l = 0; l < n; l++) {
        int rc = block_locate(fs, dp, l, name, len, out, off, prev);
        if (rc != FS_ENOENT) return *lblk = l, rc;
    }
    return FS_ENOENT;
}

int e2_dir_find(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t *ino,
                int *type)
{
    struct bc_buf *b;
    uint32_t off, prev;
    uint64_t lblk;
    int rc = dir_locate(fs, dp, name, &b, &off, &prev, &lblk);
    if (rc) return rc;
    struct ext2_dirent *e = ent_at(b->data, off);
    *ino = e->inode;
    if (type) *type = e->file_type;
    bc_put(b);
    return FS_OK;
}

/* A change to the entries makes an htree index stale: drop its flag. */
static int dir_changed(struct ext2_fs *fs, struct ext2_ino *dp)
{
    dp->d.i_flags &= ~(uint32_t)EXT2_INDEX_FL;
    dp->d.i_mtime = dp->d.i_ctime = e2_now(fs);
    return e2_iput(fs, dp);
}

static void ent_fill(struct ext2_fs *fs, struct ext2_dirent *e, const char *name, size_t len,
                     uint32_t ino, int type, uint16_t rec_len)
{
    e->inode = ino;
    e->rec_len = rec_len;
    e->name_len = (uint8_t)len;
    e->file_type = ent_type(fs, type);
    memcpy(e->name, name, len);
}

/* Puts the entry into free room of block b; 1 when it fitted. */
static int block_insert(struct ext2_fs *fs, struct bc_buf *b, const char *name, size_t len,
                        uint32_t ino, int type)
{
    uint32_t need = EXT2_DIRENT_LEN(len);
    for (uint32_t o = 0; o < fs->bsize; o += ent_at(b->data, o)->rec_len) {
        struct ext2_dirent *e = ent_at(b->data, o);
        uint32_t used = e->inode ? EXT2_DIRENT_LEN(e->name_len) : 0;
        if (e->rec_len < used + need) continue;
        if (used == 0) {
            ent_fill(fs, e, name, len, ino, type, e->rec_len);
        } else {
            uint16_t rest = (uint16_t)(e->rec_len - used);
            e->rec_len = (uint16_t)used;
            ent_fill(fs, ent_at(b->data, o + used), name, len, ino, type, rest);
        }
        bc_dirty(b);
        return 1;
    }
    return 0;
}

int e2_dir_add(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t ino, int type)
{
    size_t len = strlen(name);
    uint64_t n = dir_nblocks(fs, dp);
    struct e2_dix *x = e2_dix_get(fs, dp);
    uint32_t l;
    int rc;
    if (x && e2_dix_block_with_room(x, EXT2_DIRENT_LEN(len), &l)) {
        struct bc_buf *b;
        if ((rc = dir_block(fs, dp, l, &b))) return rc;
        int done = block_insert(fs, b, name, len, ino, type);
        if (done) e2_dix_added(fs, dp, name, l, b->data);
        bc_put(b);
        if (done) return dir_changed(fs, dp);
        e2_dix_drop(fs, dp->num);                 /* its room was wrong: a new block */
    } else if (!x) {
        for (uint64_t k = 0; k < n; k++) {
            struct bc_buf *b;
            if ((rc = dir_block(fs, dp, k, &b))) return rc;
            int done = block_insert(fs, b, name, len, ino, type);
            bc_put(b);
            if (done) return dir_changed(fs, dp);
        }
    }
    uint32_t blk;
    int fresh;
    if ((rc = e2_bmap(fs, dp, n, 1, &blk, &fresh))) {
        e2_iput(fs, dp);     /* keep any indirect block it got */
        return rc;
    }
    struct bc_buf *b;
    if ((rc = bc_get_zero(&fs->bc, blk, &b))) return rc;
    ent_fill(fs, ent_at(b->data, 0), name, len, ino, type, (uint16_t)fs->bsize);
    e2_dix_added(fs, dp, name, (uint32_t)n, b->data);
    bc_put(b);
    e2_set_isize(dp, (n + 1) * fs->bsize);
    return dir_changed(fs, dp);
}

int e2_dir_remove(struct ext2_fs *fs, struct ext2_ino *dp, const char *name)
{
    struct bc_buf *b;
    uint32_t off, prev;
    uint64_t lblk;
    int rc = dir_locate(fs, dp, name, &b, &off, &prev, &lblk);
    if (rc) return rc;
    struct ext2_dirent *e = ent_at(b->data, off);
    if (prev == UINT32_MAX) {
        e->inode = 0;
    } else {
        ent_at(b->data, prev)->rec_len = (uint16_t)(ent_at(b->data, prev)->rec_len + e->rec_len);
    }
    bc_dirty(b);
    e2_dix_removed(fs, dp, name, (uint32_t)lblk, b->data);
    bc_put(b);
    return dir_changed(fs, dp);
}

int e2_dir_retarget(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t ino,
                    int type)
{
    struct bc_buf *b;
    uint32_t off, prev;
    uint64_t lblk;
    int rc = dir_locate(fs, dp, name, &b, &off, &prev, &lblk);
    if (rc) return rc;
    struct ext2_dirent *e = ent_at(b->data, off);
    e->inode = ino;
    e->file_type = ent_type(fs, type);
    bc_dirty(b);
    bc_put(b);
    return dir_changed(fs, dp);
}

int e2_dir_next(struct ext2_fs *fs, struct ext2_ino *dp, uint64_t *pos, char *name,
                uint32_t *ino, int *type)
{
    uint64_t size = dir_nblocks(fs, dp) * fs->bsize;
    while (*pos < size) {
        struct bc_buf *b;
        int rc = dir_block(fs, dp, *pos / fs->bsize, &b);
        if (rc) return rc;
        uint32_t o = (uint32_t)(*pos % fs->bsize);
        if (!ent_ok(fs, b->data, o)) {
            bc_put(b);
            return FS_ECORRUPT;
        }
        struct ext2_dirent *e = ent_at(b->data, o);
        *pos += e->rec_len;
        if (e->inode != 0) {
            memcpy(name, e->name, e->name_len);
            name[e->name_len] = 0;
            *ino = e->inode;
            if (type) *type = e->file_type;
            bc_put(b);
            return FS_OK;
        }
        bc_put(b);
    }
    return FS_ENOENT;
}

int e2_dir_empty(struct ext2_fs *fs, struct ext2_ino *dp)
{
    uint64_t pos = 0;
    char name[EXT2_NAME_LEN + 1];
    uint32_t ino;
    int rc;
    while ((rc = e2_dir_next(fs, dp, &pos, name, &ino, NULL)) == FS_OK)
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) return FS_ENOTEMPTY;
    return rc == FS_ENOENT ? FS_OK : rc;
}

int e2_dir_init(struct ext2_fs *fs, struct ext2_ino *dp, uint32_t parent)
{
    uint32_t blk;
    int fresh, rc = e2_bmap(fs, dp, 0, 1, &blk, &fresh);
    if (rc) return rc;
    struct bc_buf *b;
    if ((rc = bc_get_zero(&fs->bc, blk, &b))) return rc;
    ent_fill(fs, ent_at(b->data, 0), ".", 1, dp->num, FS_T_DIR, 12);
    ent_fill(fs, ent_at(b->data, 12), "..", 2, parent, FS_T_DIR, (uint16_t)(fs->bsize - 12));
    bc_put(b);
    e2_set_isize(dp, fs->bsize);
    return FS_OK;
}
