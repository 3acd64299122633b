/* filesvr: the block cache.  Blocks live in a fixed pool found through a hash
 * table; the least recently used unpinned block is replaced, written back
 * first when dirty.  A failed write-back leaves the block dirty and cached. */
#include <stdlib.h>
#include <string.h>

#include "bcache.h"

static uint32_t bc_hash(const struct bcache *c, uint64_t blk)
{
    return (uint32_t)((blk * 2654435761u) % c->nhash);
}

static void lru_unlink(struct bcache *c, struct bc_buf *b)
{
    if (b->lprev) b->lprev->lnext = b->lnext; else c->lru_head = b->lnext;
    if (b->lnext) b->lnext->lprev = b->lprev; else c->lru_tail = b->lprev;
    b->lprev = b->lnext = NULL;
}

static void lru_front(struct bcache *c, struct bc_buf *b)
{
    b->lnext = c->lru_head;
    b->lprev = NULL;
    if (c->lru_head) c->lru_head->lprev = b;
    c->lru_head = b;
    if (!c->lru_tail) c->lru_tail = b;
}

static void hash_remove(struct bcache *c, struct bc_buf *b)
{
    struct bc_buf **pp = &c->hash[bc_hash(c, b->blk)];
    while (*pp && *pp != b) pp = &(*pp)->hnext;
    if (*pp) *pp = b->hnext;
    b->hnext = NULL;
}

int bc_init(struct bcache *c, const struct fs_blkdev *dev, uint32_t bsize, uint32_t nbufs)
{
    memset(c, 0, sizeof *c);
    if (!dev || dev->sector_size == 0 || bsize < dev->sector_size || bsize % dev->sector_size || nbufs < 8)
        return FS_EINVAL;
    c->dev = dev;
    c->bsize = bsize;
    c->spb = bsize / dev->sector_size;
    c->nbufs = nbufs;
    c->nhash = nbufs * 2 + 1;
    c->bufs = calloc(nbufs, sizeof *c->bufs);
    c->hash = calloc(c->nhash, sizeof *c->hash);
    uint8_t *mem = malloc((size_t)nbufs * bsize);
    if (!c->bufs || !c->hash || !mem) {
        free(c->bufs);
        free(c->hash);
        free(mem);
        memset(c, 0, sizeof *c);
        return FS_ENOMEM;
    }
    for (uint32_t i = 0; i < nbufs; i++) {
        c->bufs[i].data = mem + (size_t)i * bsize;
        lru_front(c, &c->bufs[i]);
    }
    return FS_OK;
}

void bc_destroy(struct bcache *c)
{
    if (c->bufs) free(c->bufs[0].data);
    free(c->bufs);
    free(c->hash);
    memset(c, 0, sizeof *c);
}

static int bc_writeback(struct bcache *c, struct bc_buf *b)
{
    if (!b->dirty) return FS_OK;
    if (c->readonly) return FS_EROFS;
    if (c->dev->write(c->dev->ctx, b->blk * c->spb, c->spb, b->data) != 0) return FS_EIO;
    c->writes++;
    b->dirty = 0;
    return FS_OK;
}

static struct bc_buf *bc_lookup(struct bcache *c, uint64_t blk)
{
    for (struct bc_buf *b = c->hash[bc_hash(c, blk)]; b; b = b->hnext)
        if (b->valid && b->blk == blk) return b;
    return NULL;
}

/* Finds or makes a slot for blk; *fresh tells whether its data is unset. */
static int bc_slot(struct bcache *c, uint64_t blk, struct bc_buf **out, int *fresh)
{
    if ((blk + 1) * c->spb > c->dev->nsectors) return FS_EIO;
    struct bc_buf *b = bc_lookup(c, blk);
    if (b) {
        c->hits++;
        *fresh = 0;
    } else {
        for (b = c->lru_tail; b && b->pins; b = b->lprev) {}
        if (!b) return FS_EBUSY;
        if (b->valid) {
            int rc = bc_writeback(c, b);
            if (rc) return rc;
            hash_remove(c, b);
        }
        b->valid = 0;
        b->blk = blk;
        *fresh = 1;
    }
    lru_unlink(c, b);
    lru_front(c, b);
    *out = b;
    return FS_OK;
}

static void bc_install(struct bcache *c, struct bc_buf *b)
{
    b->valid = 1;
    uint32_t h = bc_hash(c, b->blk);
    b->hnext = c->hash[h];
    c->hash[h] = b;
}

int bc_get(struct bcache *c, uint64_t blk, struct bc_buf **out)
{
    struct bc_buf *b;
    int fresh, rc = bc_slot(c, blk, &b, &fresh);
    if (rc) return rc;
    if (fresh) {
        if (c->dev->read(c->dev->ctx, blk * c->spb, c->spb, b->data) != 0) return FS_EIO;
        c->reads++;
        b->dirty = 0;
        bc_install(c, b);
    }
    b->pins++;
    *out = b;
    return FS_OK;
}

int bc_get_zero(struct bcache *c, uint64_t blk, struct bc_buf **out)
{
    struct bc_buf *b;
    int fresh, rc = bc_slot(c, blk, &b, &fresh);
    if (rc) return rc;
    memset(b->data, 0, c->bsize);
    b->dirty = 1;
    if (fresh) bc_install(c, b);
    b->pins++;
    *out = b;
    return FS_OK;
}

void bc_dirty(struct bc_buf *b) { b->dirty = 1; }

void bc_put(struct bc_buf *b)
{
    if (b && b->pins > 0) b->pins--;
}

void bc_forget(struct bcache *c, uint64_t blk)
{
    struct bc_buf *b = bc_lookup(c, blk);
    if (!b || b->pins) return;
    hash_remove(c, b);
    b->valid = 0;
    b->dirty = 0;
    lru_unlink(c, b);
    /* Reuse it first. */
    b->lprev = c->lru_tail;
    b->lnext = NULL;
    if (c->lru_tail) c->lru_tail->lnext = b; else c->lru_head = b;
    c->lru_tail = b;
}

int bc_flush(struct bcache *c)
{
    int err = FS_OK;
    for (uint32_t i = 0; i < c->nbufs; i++) {
        struct bc_buf *b = &c->bufs[i];
        if (b->valid && b->dirty) {
            int rc = bc_writeback(c, b);
            if (rc && !err) err = rc;
        }
    }
    return err;
}

int bc_read_bytes(const struct fs_blkdev *dev, uint64_t off, void *buf, uint32_t len)
{
    uint32_t ss = dev->sector_size;
    uint8_t *tmp = malloc(ss);
    if (!tmp) return FS_ENOMEM;
    int rc = FS_OK;
    uint8_t *dst = buf;
    while (len > 0) {
        uint64_t sec = off / ss;
        uint32_t in = (uint32_t)(off % ss), n = ss - in;
        if (n > len) n = len;
        if (sec >= dev->nsectors || dev->read(dev->ctx, sec, 1, tmp) != 0) {
            rc = FS_EIO;
            break;
        }
        memcpy(dst, tmp + in, n);
        dst += n;
        off += n;
        len -= n;
    }
    free(tmp);
    return rc;
}
