/* filesvr: an in-memory name index of large ext2 directories (the disk keeps
 * plain linear directories).  For a directory of at least DIX_MIN_BLOCKS
 * blocks it remembers, per entry, a hash of the name and the logical block
 * holding it, and per block the largest free gap an entry could take.  A
 * lookup then reads only the blocks whose entries have the name's hash, and
 * an insert goes straight to a block with room.
 *
 * Invariants (the index of directory D, while it exists):
 *  1. nblocks is D's size in blocks; every in-use entry of those blocks has
 *     exactly one index entry (hash, lblk), and no other index entry exists.
 *  2. room[l] is the largest entry block l could still take (block_insert's
 *     rule), as of the last change the index saw.
 *  3. Every change to D's entries goes through ext2_dir.c, which updates the
 *     index or drops it (e2_dix_drop); a directory whose size differs from
 *     nblocks is rebuilt; a deleted inode's index is dropped (e2_idelete).
 * The index is only a hint to where names are: every block it points to is
 * read and checked as before, and a name is only found in a block. */
#include <stdlib.h>
#include <string.h>

#include "ext2_priv.h"

#define DIX_MIN_BLOCKS 4        /* smaller directories are scanned */
#define DIX_MAX_ENTRIES (1u << 20)

struct dix_ent {
    uint32_t hash, lblk, next;  /* next: chain or free list, UINT32_MAX ends */
};

struct e2_dix {
    uint32_t dir;               /* inode number; 0: a free slot */
    uint64_t used;              /* last use, for replacement */
    uint32_t nblocks;
    uint32_t *room;             /* per block */
    uint32_t nhead, *head;      /* hash chains (nhead a power of two) */
    struct dix_ent *ent;
    uint32_t nent, cap, free;   /* entries in use, allocated, free list */
};

static uint32_t name_hash(const char *name, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)name[i]) * 16777619u;
    return h;
}

static void dix_clear(struct e2_dix *x)
{
    free(x->room);
    free(x->head);
    free(x->ent);
    memset(x, 0, sizeof *x);
}

void e2_dix_drop(struct ext2_fs *fs, uint32_t dir)
{
    for (int i = 0; i < E2_DIX_SLOTS; i++)
        if (fs->dix[i] && fs->dix[i]->dir == dir) dix_clear(fs->dix[i]);
}

void e2_dix_free_all(struct ext2_fs *fs)
{
    for (int i = 0; i < E2_DIX_SLOTS; i++) {
        if (!fs->dix[i]) continue;
        dix_clear(fs->dix[i]);
        free(fs->dix[i]);
        fs->dix[i] = NULL;
    }
}

/* Doubles the chains when they get long; 0 or FS_ENOMEM. */
static int dix_rehash(struct e2_dix *x, uint32_t nhead)
{
    uint32_t *head = malloc((size_t)nhead * sizeof *head);
    if (!head) return FS_ENOMEM;
    memset(head, 0xff, (size_t)nhead * sizeof *head);
    for (uint32_t i = 0; i < x->cap; i++) {
        if (x->ent[i].lblk == UINT32_MAX) continue;      /* free */
        uint32_t h = x->ent[i].hash & (nhead - 1);
        x->ent[i].next = head[h];
        head[h] = i;
    }
    free(x->head);
    x->head = head;
    x->nhead = nhead;
    return FS_OK;
}

static int dix_insert(struct e2_dix *x, uint32_t hash, uint32_t lblk)
{
    if (x->nent >= DIX_MAX_ENTRIES) return FS_ENOMEM;
    if (x->free == UINT32_MAX) {
        uint32_t cap = x->cap ? x->cap * 2 : 256;
        struct dix_ent *e = realloc(x->ent, (size_t)cap * sizeof *e);
        if (!e) return FS_ENOMEM;
        x->ent = e;
        for (uint32_t i = x->cap; i < cap; i++) e[i] = (struct dix_ent){ 0, UINT32_MAX, i + 1 < cap ? i + 1 : UINT32_MAX };
        x->free = x->cap;
        x->cap = cap;
    }
    if (x->nent + 1 > x->nhead * 2 && dix_rehash(x, x->nhead * 2)) return FS_ENOMEM;
    uint32_t i = x->free;
    x->free = x->ent[i].next;
    uint32_t h = hash & (x->nhead - 1);
    x->ent[i] = (struct dix_ent){ hash, lblk, x->head[h] };
    x->head[h] = i;
    x->nent++;
    return FS_OK;
}

static void dix_remove(struct e2_dix *x, uint32_t hash, uint32_t lblk)
{
    for (uint32_t *pp = &x->head[hash & (x->nhead - 1)]; *pp != UINT32_MAX; pp = &x->ent[*pp].next) {
        struct dix_ent *e = &x->ent[*pp];
        if (e->hash != hash || e->lblk != lblk) continue;
        uint32_t i = *pp;
        *pp = e->next;
        *e = (struct dix_ent){ 0, UINT32_MAX, x->free };
        x->free = i;
        x->nent--;
        return;
    }
}

uint32_t e2_dix_room(const struct ext2_fs *fs, const uint8_t *data)
{
    uint32_t best = 0;
    for (uint32_t o = 0; o < fs->bsize;) {
        const struct ext2_dirent *e = (const struct ext2_dirent *)(data + o);
        uint32_t used = e->inode ? EXT2_DIRENT_LEN(e->name_len) : 0;
        if (e->rec_len - used > best) best = e->rec_len - used;
        o += e->rec_len;
    }
    return best;
}

/* Indexes block lblk's entries (a checked block). */
static int dix_add_block(const struct ext2_fs *fs, struct e2_dix *x, uint32_t lblk, const uint8_t *data)
{
    for (uint32_t o = 0; o < fs->bsize;) {
        const struct ext2_dirent *e = (const struct ext2_dirent *)(data + o);
        if (e->inode && dix_insert(x, name_hash(e->name, e->name_len), lblk)) return FS_ENOMEM;
        o += e->rec_len;
    }
    x->room[lblk] = e2_dix_room(fs, data);
    return FS_OK;
}

static int dix_build(struct ext2_fs *fs, struct ext2_ino *dp, struct e2_dix *x, uint32_t nblocks)
{
    x->dir = dp->num;
    x->nblocks = nblocks;
    x->free = UINT32_MAX;
    x->room = calloc(nblocks, sizeof *x->room);
    if (!x->room || dix_rehash(x, 64)) return FS_ENOMEM;
    for (uint32_t l = 0; l < nblocks; l++) {
        struct bc_buf *b;
        int rc = e2_dir_block(fs, dp, l, &b);
        if (rc) return rc;
        rc = dix_add_block(fs, x, l, b->data);
        bc_put(b);
        if (rc) return rc;
    }
    return FS_OK;
}

struct e2_dix *e2_dix_get(struct ext2_fs *fs, struct ext2_ino *dp)
{
    uint64_t n = e2_isize(dp) / fs->bsize;
    struct e2_dix *x = NULL;
    int pick = -1;
    fs->dix_clock++;
    for (int i = 0; i < E2_DIX_SLOTS && !x; i++)
        if (fs->dix[i] && fs->dix[i]->dir == dp->num) x = fs->dix[i];
    if (x && x->nblocks == n) {
        x->used = fs->dix_clock;
        return x;
    }
    if (x) dix_clear(x);                          /* stale: rebuilt below */
    if (n < DIX_MIN_BLOCKS || n > DIX_MAX_ENTRIES) return NULL;
    for (int i = 0; i < E2_DIX_SLOTS && !x; i++) {
        struct e2_dix *s = fs->dix[i];
        if (!s || !s->dir) {
            pick = i;
            break;
        }
        if (pick < 0 || s->used < fs->dix[pick]->used) pick = i;
    }
    if (!x) {
        if (!fs->dix[pick]) fs->dix[pick] = calloc(1, sizeof *fs->dix[pick]);
        if (!(x = fs->dix[pick])) return NULL;
        dix_clear(x);
    }
    if (dix_build(fs, dp, x, (uint32_t)n)) {
        dix_clear(x);
        return NULL;
    }
    x->used = fs->dix_clock;
    return x;
}

int e2_dix_next(const struct e2_dix *x, const char *name, size_t len, uint32_t *it, uint32_t *lblk)
{
    uint32_t hash = name_hash(name, len);
    uint32_t i = *it == UINT32_MAX ? x->head[hash & (x->nhead - 1)] : x->ent[*it].next;
    for (; i != UINT32_MAX; i = x->ent[i].next) {
        if (x->ent[i].hash != hash) continue;
        *it = i;
        *lblk = x->ent[i].lblk;
        return 1;
    }
    return 0;
}

int e2_dix_block_with_room(const struct e2_dix *x, uint32_t need, uint32_t *lblk)
{
    for (uint32_t l = 0; l < x->nblocks; l++) {
        if (x->room[l] >= need) {
            *lblk = l;
            return 1;
        }
    }
    return 0;
}

void e2_dix_added(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t lblk,
                  const uint8_t *data)
{
    struct e2_dix *x = NULL;
    for (int i = 0; i < E2_DIX_SLOTS; i++)
        if (fs->dix[i] && fs->dix[i]->dir == dp->num) x = fs->dix[i];
    if (!x) return;
    if (lblk == x->nblocks) {                     /* a new block at the end */
        uint32_t *room = realloc(x->room, (size_t)(lblk + 1) * sizeof *room);
        if (!room) {
            dix_clear(x);
            return;
        }
        x->room = room;
        x->nblocks = lblk + 1;
    }
    if (lblk >= x->nblocks || dix_insert(x, name_hash(name, strlen(name)), lblk)) {
        dix_clear(x);
        return;
    }
    x->room[lblk] = e2_dix_room(fs, data);
}

void e2_dix_removed(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t lblk,
                    const uint8_t *data)
{
    for (int i = 0; i < E2_DIX_SLOTS; i++) {
        struct e2_dix *x = fs->dix[i];
        if (!x || x->dir != dp->num) continue;
        if (lblk >= x->nblocks) {
            dix_clear(x);
            return;
        }
        dix_remove(x, name_hash(name, strlen(name)), lblk);
        x->room[lblk] = e2_dix_room(fs, data);
    }
}
