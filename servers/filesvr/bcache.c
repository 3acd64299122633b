/* filesvr: the block cache.  Blocks live in a fixed pool found through a hash
 * table; the least recently used unpinned block is replaced, written back
 * first when dirty.  A failed write-back leaves the block dirty and cached.
 *
 * Device requests carry runs of up to run_max consecutive blocks:
 *  - write-back (eviction or flush) of a dirty block writes it together with
 *    the dirty cached blocks next to it on the device, in one request;
 *  - a miss at the block after the previous miss's run is sequential: the
 *    read-ahead window doubles (up to run_max) and the missing block is read
 *    with the uncached blocks that follow it, in one request; any other
 *    miss reads one block and resets the window.
 * Read-ahead only fills clean slots: it never changes what a block reads as
 * (a cached block, dirty or not, ends a run). */
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
    c->run_max = BC_RUN_BYTES / bsize ? BC_RUN_BYTES / bsize : 1;
    if (c->run_max > nbufs / 4) c->run_max = nbufs / 4;
    c->window = 1;
    c->bufs = calloc(nbufs, sizeof *c->bufs);
    c->hash = calloc(c->nhash, sizeof *c->hash);
    c->run = malloc((size_t)c->run_max * bsize);
    uint8_t *mem = malloc((size_t)nbufs * bsize);
    if (!c->bufs || !c->hash || !mem || !c->run) {
        free(c->bufs);
        free(c->hash);
        free(c->run);
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
    free(c->run);
    memset(c, 0, sizeof *c);
}

static struct bc_buf *bc_lookup(struct bcache *c, uint64_t blk)
{
    for (struct bc_buf *b = c->hash[bc_hash(c, blk)]; b; b = b->hnext)
        if (b->valid && b->blk == blk) return b;
    return NULL;
}

static struct bc_buf *dirty_at(struct bcache *c, uint64_t blk)
{
    struct bc_buf *b = bc_lookup(c, blk);
    return b && b->dirty ? b : NULL;
}

/* Writes dirty block b and the dirty blocks around it, in one request. */
static int bc_writeback(struct bcache *c, struct bc_buf *b)
{
    if (!b->dirty) return FS_OK;
    if (c->readonly) return FS_EROFS;
    uint64_t first = b->blk, last = b->blk;
    while (first > 0 && last - first + 1 < c->run_max && dirty_at(c, first - 1)) first--;
    while (last - first + 1 < c->run_max && (last + 2) * c->spb <= c->dev->nsectors && dirty_at(c, last + 1))
        last++;
    uint32_t n = (uint32_t)(last - first + 1);
    const uint8_t *src = b->data;
    if (n > 1) {
        for (uint32_t i = 0; i < n; i++)
            memcpy(c->run + (size_t)i * c->bsize, dirty_at(c, first + i)->data, c->bsize);
        src = c->run;
    }
    if (c->dev->write(c->dev->ctx, first * c->spb, n * c->spb, src) != 0) return FS_EIO;
    c->dev_writes++;
    c->writes += n;
    for (uint32_t i = 0; i < n; i++) {
        struct bc_buf *d = n > 1 ? dirty_at(c, first + i) : b;
        d->dirty = 0;
    }
    return FS_OK;
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
    b->checked = 0;
    uint32_t h = bc_hash(c, b->blk);
    b->hnext = c->hash[h];
    c->hash[h] = b;
}

/* How many blocks a miss at blk reads: blk and the uncached ones after it,
 * up to the read-ahead window (which a sequential miss widens). */
static uint32_t bc_run_length(struct bcache *c, uint64_t blk)
{
    if (blk == c->seq_next) {
        c->window = c->window * 2 > c->run_max ? c->run_max : c->window * 2;
    } else {
        c->window = 1;
    }
    uint32_t n = 1;
    while (n < c->window && (blk + n + 1) * c->spb <= c->dev->nsectors && !bc_lookup(c, blk + n)) n++;
    return n;
}

/* Reads blk (already in slot b, pinned by the caller) with n - 1 blocks
 * after it; a failure of the run falls back to blk alone. */
static int bc_fill(struct bcache *c, struct bc_buf *b, uint64_t blk, uint32_t n)
{
    struct bc_buf *extra[BC_RUN_BYTES / 512];
    uint32_t got = 1;
    b->pins++;                          /* not a victim for the blocks after it */
    for (; got < n; got++) {
        int fresh;
        if (bc_slot(c, blk + got, &extra[got], &fresh) || !fresh) break;
        extra[got]->pins++;
    }
    n = got;
    int rc = -1;
    if (n > 1) rc = c->dev->read(c->dev->ctx, blk * c->spb, n * c->spb, c->run);
    if (rc == 0) {
        memcpy(b->data, c->run, c->bsize);
        for (uint32_t i = 1; i < n; i++) {
            memcpy(extra[i]->data, c->run + (size_t)i * c->bsize, c->bsize);
            extra[i]->dirty = 0;
            bc_install(c, extra[i]);
        }
    }
    for (uint32_t i = 1; i < n; i++) extra[i]->pins--;
    if (rc != 0) {
        n = 1;
        rc = c->dev->read(c->dev->ctx, blk * c->spb, c->spb, b->data);
    }
    b->pins--;
    if (rc != 0) return FS_EIO;
    c->dev_reads++;
    c->reads += n;
    c->seq_next = blk + n;
    b->dirty = 0;
    bc_install(c, b);
    return FS_OK;
}

int bc_get(struct bcache *c, uint64_t blk, struct bc_buf **out)
{
    struct bc_buf *b;
    int fresh, rc = bc_slot(c, blk, &b, &fresh);
    if (rc) return rc;
    if (fresh && (rc = bc_fill(c, b, blk, bc_run_length(c, blk)))) return rc;
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
    b->checked = 0;
    if (fresh) bc_install(c, b);
    b->pins++;
    *out = b;
    return FS_OK;
}

void bc_dirty(struct bc_buf *b)
{
    b->dirty = 1;
    b->checked = 0;
}

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
