/* The mapping database's layout (mdb.c): a node of a frame's derivation
 * tree, and the two-level table by which a space finds its nodes.  Only
 * mdb.c and its end-of-run check (mdb_check.c) include it. */
#ifndef CHACM_MDB_LAYOUT_H
#define CHACM_MDB_LAYOUT_H

#include "kern_mem.h"

struct mdb_node {
    mdb_node_t *parent, *child, *next, *prev;
    kern_space_t *space;        /* NULL for a root (sigma0) */
    L4_Word_t vaddr;            /* page address in space; root: physical */
    uint32_t frame;
    uint32_t chunk;             /* index of the chunk it was allocated from */
    uint8_t rights, hw, access;
    bool installed;
};

#define DIR_SHIFT   21                      /* one table per 2 MiB of window */
#define TAB_ENTRIES (1u << (DIR_SHIFT - KERN_PAGE_BITS))

typedef struct {
    uint64_t used[TAB_ENTRIES / 64];    /* bit i: slot[i] holds a node */
    unsigned nused;
    mdb_node_t *slot[TAB_ENTRIES];
} table_t;

typedef struct {
    uint64_t *tables;           /* bit d: dir[d] holds a node (invariant 6) */
    L4_Word_t ndir;
    table_t *dir[1];            /* window_size >> DIR_SHIFT entries, lazily filled */
} ptab_t;

/* The roots of the frames' trees (sigma0's nodes), one per frame. */
extern mdb_node_t *kern_mdb_roots;

#endif
