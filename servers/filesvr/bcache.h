/* filesvr: a write-back cache of file-system blocks over a struct fs_blkdev,
 * with LRU replacement; a block in use is pinned until it is released.
 * Misses in sequence read ahead, write-back writes runs of neighbours. */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include "fs.h"

/* Most bytes one device request moves (read-ahead, clustered write-back). */
#define BC_RUN_BYTES (128u << 10)

struct bc_buf {
    uint64_t blk;
    uint8_t *data;
    int pins;
    int dirty;
    int valid;
    int checked;                   /* a user's check of the contents holds (cleared by any change) */
    struct bc_buf *hnext;          /* hash chain */
    struct bc_buf *lprev, *lnext;  /* LRU list, most recent first */
};

struct bcache {
    const struct fs_blkdev *dev;
    uint32_t bsize;                /* bytes per cached block */
    uint32_t spb;                  /* device sectors per block */
    uint32_t nbufs, nhash;
    struct bc_buf *bufs;
    struct bc_buf **hash;
    struct bc_buf *lru_head, *lru_tail;
    int readonly;                  /* writes to the device are refused */
    uint8_t *run;                  /* staging for runs of run_max blocks */
    uint32_t run_max;
    uint64_t seq_next;             /* the block after the last miss's run */
    uint32_t window;               /* current read-ahead, in blocks */
    uint64_t reads, writes, hits;  /* statistics: blocks read, written; hits */
    uint64_t dev_reads, dev_writes;   /* device requests */
};

/* Sets up a cache of nbufs blocks of bsize bytes; 0 or FS_ENOMEM/FS_EINVAL. */
int bc_init(struct bcache *c, const struct fs_blkdev *dev, uint32_t bsize, uint32_t nbufs);
/* Frees the cache's memory (dirty blocks are lost: flush first). */
void bc_destroy(struct bcache *c);
/* Pins block blk, reading it from the device; 0, FS_EIO or FS_EBUSY (all pinned). */
int bc_get(struct bcache *c, uint64_t blk, struct bc_buf **out);
/* Pins block blk without reading it: its contents are zeroed and it is dirty. */
int bc_get_zero(struct bcache *c, uint64_t blk, struct bc_buf **out);
/* Marks a pinned block as changed (and no longer checked). */
void bc_dirty(struct bc_buf *b);
/* Unpins a block. */
void bc_put(struct bc_buf *b);
/* Drops block blk from the cache without writing it (it was freed). */
void bc_forget(struct bcache *c, uint64_t blk);
/* Writes every dirty block back; 0 or FS_EIO. */
int bc_flush(struct bcache *c);
/* Reads or writes raw bytes at a byte offset, bypassing the cache (mount). */
int bc_read_bytes(const struct fs_blkdev *dev, uint64_t off, void *buf, uint32_t len);

#endif /* !FS_BCACHE_H */
