/* filesvr: the ext2 back end's internal state and the functions its files
 * share (super/groups/allocation, inodes and block maps, directories). */
#ifndef FS_EXT2_PRIV_H
#define FS_EXT2_PRIV_H

#include "bcache.h"
#include "ext2.h"
#include "ext2_fmt.h"

#define E2_DIX_SLOTS 8           /* directories with a name index at once */
struct e2_dix;

struct ext2_fs {
    struct fs_blkdev dev;        /* what the cache reads and writes: raw, and the state rule below */
    struct fs_blkdev raw;        /* the device mounted */
    int clean_on_disk;           /* the device's superblock says clean (ext2_super.c) */
    struct bcache bc;
    struct ext2_super sb;
    struct ext2_group_desc *gd;
    uint32_t ngroups;
    uint32_t bsize, apb;         /* block size, block addresses per block */
    uint32_t isize;              /* bytes per inode on disk */
    uint32_t first_ino;
    uint32_t gd_blocks;          /* blocks the descriptor table takes */
    int rdonly;
    int gd_dirty, sb_dirty;
    int filetype;                /* directory entries carry a type */
    uint32_t hint;               /* the block allocated last (allocation goal) */
    struct e2_dix *dix[E2_DIX_SLOTS];   /* name indexes (ext2_dix.c) */
    uint64_t dix_clock;
};

/* A loaded inode: its number and a copy of its first 128 bytes. */
struct ext2_ino {
    uint32_t num;
    struct ext2_inode d;
};

/* ext2_super.c */
int e2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out);
int e2_free_block(struct ext2_fs *fs, uint32_t blk);
int e2_alloc_inode(struct ext2_fs *fs, uint32_t parent, int is_dir, uint32_t *out);
int e2_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir);
uint32_t e2_now(struct ext2_fs *fs);
int e2_block_ok(const struct ext2_fs *fs, uint32_t blk);

/* ext2_inode.c */
int e2_iget(struct ext2_fs *fs, uint32_t num, struct ext2_ino *ip);
int e2_iput(struct ext2_fs *fs, struct ext2_ino *ip);
int e2_iinit(struct ext2_fs *fs, uint32_t num, uint16_t mode, struct ext2_ino *ip);
uint64_t e2_isize(const struct ext2_ino *ip);
void e2_set_isize(struct ext2_ino *ip, uint64_t size);
int e2_itype(const struct ext2_ino *ip);
/* Maps logical block lblk to a disk block (0: a hole); with alloc, fills holes
 * and sets *fresh (may be NULL) when the data block is new (its contents unset). */
int e2_bmap(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t lblk, int alloc, uint32_t *out,
            int *fresh);
int e2_trunc_blocks(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t keep);
int e2_iread(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t off, void *buf, size_t len,
             size_t *got);
int e2_iwrite(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t off, const void *buf, size_t len,
              size_t *put);
/* Releases an inode with no links: its blocks, extended attributes, number. */
int e2_idelete(struct ext2_fs *fs, struct ext2_ino *ip);
int e2_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_ino *ip);

/* ext2_dir.c */
int e2_dir_find(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t *ino,
                int *type);
int e2_dir_add(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t ino, int type);
int e2_dir_remove(struct ext2_fs *fs, struct ext2_ino *dp, const char *name);
/* Points an existing entry at another inode (rename's replace, ".."). */
int e2_dir_retarget(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t ino,
                    int type);
/* FS_OK when the directory has only "." and "..", FS_ENOTEMPTY otherwise. */
int e2_dir_empty(struct ext2_fs *fs, struct ext2_ino *dp);
int e2_dir_init(struct ext2_fs *fs, struct ext2_ino *dp, uint32_t parent);
int e2_dir_next(struct ext2_fs *fs, struct ext2_ino *dp, uint64_t *pos, char *name,
                uint32_t *ino, int *type);
/* Pins the directory's block lblk after checking its entries. */
int e2_dir_block(struct ext2_fs *fs, struct ext2_ino *dp, uint64_t lblk, struct bc_buf **out);

/* ext2_dix.c: the in-memory name index of large directories (see there). */
/* The index of dp, built when missing or stale; NULL: scan the directory. */
struct e2_dix *e2_dix_get(struct ext2_fs *fs, struct ext2_ino *dp);
/* Iterates the blocks that may hold name (*it = UINT32_MAX first); 0 at the end. */
int e2_dix_next(const struct e2_dix *x, const char *name, size_t len, uint32_t *it, uint32_t *lblk);
/* A block that can take an entry of need bytes; 0 when none can. */
int e2_dix_block_with_room(const struct e2_dix *x, uint32_t need, uint32_t *lblk);
/* The largest entry a checked directory block can still take. */
uint32_t e2_dix_room(const struct ext2_fs *fs, const uint8_t *data);
/* Tell the index of dp (if any) that name went into or out of block lblk. */
void e2_dix_added(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t lblk,
                  const uint8_t *data);
void e2_dix_removed(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t lblk,
                    const uint8_t *data);
void e2_dix_drop(struct ext2_fs *fs, uint32_t dir);
void e2_dix_free_all(struct ext2_fs *fs);

#endif /* !FS_EXT2_PRIV_H */
