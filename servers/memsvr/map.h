/* memsvr: a task's address map, a pure data structure (no IPC, no frames).
 * It keeps the task's regions as sorted entries and applies Mach's rules
 * for each VM call on them; what an entry's memory is (an object and an
 * offset into it) stays opaque and is reached only through the server's
 * map_ops hooks.
 *
 * Invariants (map_check_invariants verifies them):
 *  1. entries are sorted by address and never overlap;
 *  2. every entry is non-empty and page aligned: start < end, both
 *     multiples of PAGE_SIZE, inside [map->min, map->max);
 *  3. cur is a subset of max, both within VM_PROT_ALL; inherit is SHARE,
 *     COPY or NONE;
 *  4. the map holds one reference (ops->ref) on entry->object for every
 *     entry whose object is not NULL, released (ops->release) when the
 *     entry goes or is given another object through the map;
 *  5. map->size is the sum of the entries' lengths.
 *
 * Address rules every call shares (docs/vm.md has the table):
 *  - a call on an existing range [addr, addr+size) acts on
 *    [trunc_page(addr), round_page(addr+size)); a call that makes a region
 *    (allocate, enter) places round_page(size) bytes at trunc_page(addr),
 *    as Mach's vm_allocate and vm_map do;
 *  - a range whose end wraps past the top of the address space, or a size
 *    that wraps when rounded to pages, is KERN_INVALID_ARGUMENT: XNU's
 *    check on existing ranges, applied to fixed placements too (where both
 *    kernels say KERN_INVALID_ADDRESS);
 *  - protections with bits outside VM_PROT_ALL and inheritance values other
 *    than SHARE/COPY/NONE are KERN_INVALID_ARGUMENT;
 *  - when a call fails it has changed nothing (all checks come first, and
 *    the entries a call may need are reserved before it changes the map). */
#ifndef MEMSVR_MAP_H
#define MEMSVR_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include <mach/mach.h>

typedef struct map map_t;
typedef struct map_entry map_entry_t;

/* One region.  The server may change object, offset, needs_copy and wired
 * of an entry it got from the map (the map then owns the reference on the
 * new object, and the server releases the old one itself); everything else
 * changes only through map calls. */
struct map_entry {
    vm_address_t start;   /* first byte, page aligned */
    vm_address_t end;     /* one past the last byte, page aligned */
    void *object;         /* the memory; NULL: zero-fill, no object made yet */
    vm_offset_t offset;   /* object offset that start maps */
    vm_prot_t cur;        /* current protection */
    vm_prot_t max;        /* maximum protection */
    vm_inherit_t inherit; /* what task_create gives a child */
    unsigned wired;       /* wire count (pages stay resident while > 0) */
    bool needs_copy;      /* object is shared copy-on-write: the first write
                             must give this entry a shadow of its own */
    map_entry_t *prev, *next; /* private to map.c */
};

/* Hooks the server supplies.  ref, release and flush are required; the
 * others may be NULL (see each).  Each receives the map it acts for, whose
 * ctx field is the server's own (its task). */
typedef struct map_ops {
    /* The map took one more reference on object (an entry was split, or
     * shared by remap or task creation). */
    void (*ref)(map_t *m, void *object);
    /* The map dropped one reference on object (an entry was removed). */
    void (*release)(map_t *m, void *object);
    /* Revoke the rights in `rights` from the task's installed mappings in
     * [start, end): VM_PROT_ALL when the range is removed, the rights
     * taken away when vm_protect lowers cur, VM_PROT_WRITE when the range
     * becomes copy-on-write. */
    void (*flush)(map_t *m, vm_address_t start, vm_address_t end, vm_prot_t rights);
    /* Give e an object of its own before it is shared: a fresh zero-filled
     * object when e->object is NULL, a shadow of it when e->needs_copy; the
     * hook then clears needs_copy.  Needed for VM_INHERIT_SHARE and shared
     * (copy FALSE) remaps; NULL makes those fail with KERN_FAILURE. */
    kern_return_t (*materialize)(map_t *m, map_entry_t *e);
    /* Make dst (a new entry of dst_map covering the same length as src,
     * object NULL) a copy-on-write copy of src.  NULL means map_copy_cow. */
    kern_return_t (*copy)(map_t *src_map, map_entry_t *src, map_t *dst_map, map_entry_t *dst);
} map_ops_t;

/* Entries come from a pool the server fills with memory it owns; one pool
 * may serve many maps.  An empty pool makes calls fail with
 * KERN_RESOURCE_SHORTAGE and change nothing. */
typedef struct map_pool {
    map_entry_t *free; /* free entries, linked through next */
    size_t nfree;      /* entries on the free list */
    size_t ntotal;     /* entries ever added */
} map_pool_t;

struct map {
    vm_address_t min, max;  /* usable addresses [min, max), page aligned */
    map_entry_t head;       /* sentinel: head.next is the lowest entry */
    map_entry_t *hint;      /* last entry found (speeds sequential faults) */
    size_t nentries;
    vm_size_t size;         /* bytes in all entries */
    const map_ops_t *ops;
    map_pool_t *pool;
    void *ctx;              /* the server's, untouched by the map */
};

/* ---- pool ---- */
void map_pool_init(map_pool_t *p);
/* Carves as many entries as fit into [mem, mem+bytes) (suitably aligned by
 * the map); returns how many were added. */
size_t map_pool_add(map_pool_t *p, void *mem, size_t bytes);

/* ---- life ---- */
/* An empty map of [min, max) (page aligned, min < max). */
void map_init(map_t *m, vm_address_t min, vm_address_t max, const map_ops_t *ops,
              map_pool_t *pool, void *ctx);
/* Removes every entry (flush, release) and leaves the map empty. */
void map_destroy(map_t *m);

/* ---- the VM calls' rules ---- */
/* vm_allocate: size 0 -> SUCCESS with *addr = 0; anywhere: first fit from
 * the bottom of the map (the given *addr is ignored); fixed: round(size)
 * bytes at trunc(*addr), outside the map -> INVALID_ADDRESS, overlapping an
 * entry -> NO_SPACE.  The entry has object NULL, cur DEFAULT, max ALL,
 * inherit COPY.  No room -> NO_SPACE.  *addr is set on success only. */
kern_return_t map_allocate(map_t *m, vm_address_t *addr, vm_size_t size, bool anywhere);

/* vm_map's placement, for any object: size 0 -> INVALID_ARGUMENT; cur not a
 * subset of max -> INVALID_ARGUMENT; anywhere: first fit at or above
 * trunc(*addr) (or the map's bottom) with (addr & mask) == 0; fixed: as
 * map_allocate, and an address with (addr & mask) != 0 -> NO_SPACE.
 * offset must be page aligned (INVALID_ARGUMENT).  On success the map holds
 * the caller's reference on object (no ops->ref is made) and *out, if not
 * NULL, is the new entry. */
kern_return_t map_enter(map_t *m, vm_address_t *addr, vm_size_t size, vm_address_t mask,
                        bool anywhere, void *object, vm_offset_t offset, bool needs_copy,
                        vm_prot_t cur, vm_prot_t max, vm_inherit_t inherit, map_entry_t **out);

/* vm_deallocate: removes whatever lies in the range (holes and the parts
 * outside the map are ignored, so twice is fine); size 0 -> SUCCESS. */
kern_return_t map_deallocate(map_t *m, vm_address_t addr, vm_size_t size);

/* vm_protect: unknown bits -> INVALID_ARGUMENT; size 0 -> SUCCESS; a hole
 * anywhere in the range -> INVALID_ADDRESS (XNU's rule); a protection
 * above an entry's max -> PROTECTION_FAILURE.  set_max sets max and lowers
 * cur to fit; otherwise sets cur.  Rights taken away are flushed. */
kern_return_t map_protect(map_t *m, vm_address_t addr, vm_size_t size, bool set_max,
                          vm_prot_t prot);

/* vm_inherit: value not SHARE/COPY/NONE -> INVALID_ARGUMENT; size 0 ->
 * SUCCESS; holes are skipped (GNU Mach and XNU agree). */
kern_return_t map_inherit(map_t *m, vm_address_t addr, vm_size_t size, vm_inherit_t inherit);

/* vm_region: *e is the entry containing *addr or the lowest one above it,
 * and *addr its start; none -> NO_SPACE. */
kern_return_t map_region(map_t *m, vm_address_t *addr, map_entry_t **e);

/* ---- lookup and walks ---- */
/* The entry containing addr, or NULL. */
map_entry_t *map_lookup(map_t *m, vm_address_t addr);
/* The entry containing addr or the lowest above it, or NULL. */
map_entry_t *map_lookup_at_or_above(map_t *m, vm_address_t addr);
/* Walk: map_first(m), then map_next(m, e) until NULL. */
map_entry_t *map_first(map_t *m);
map_entry_t *map_next(map_t *m, map_entry_t *e);

/* The vm_read / vm_write / vm_copy range check: [trunc(addr),
 * round(addr+size)) must be covered by entries without a hole
 * (INVALID_ADDRESS) whose cur includes `need` (PROTECTION_FAILURE; a hole
 * before a protection failure reports the hole).  Wrap -> INVALID_ARGUMENT,
 * size 0 -> SUCCESS.  *first, if not NULL, is the entry at the range's
 * start (NULL for size 0). */
kern_return_t map_check_range(map_t *m, vm_address_t addr, vm_size_t size, vm_prot_t need,
                              map_entry_t **first);

/* Splits entries so that none straddles start or end (page aligned; the
 * split halves share the object, with one more reference).  Holes are
 * fine.  RESOURCE_SHORTAGE when the pool is out of entries. */
kern_return_t map_clip(map_t *m, vm_address_t start, vm_address_t end);

/* Adds delta (+1 or -1) to the wire count of every entry in the range;
 * holes -> INVALID_ADDRESS, unwiring an unwired entry -> INVALID_ARGUMENT. */
kern_return_t map_wire(map_t *m, vm_address_t addr, vm_size_t size, int delta);

/* ---- copies between maps ---- */
/* vm_remap (XNU): maps [trunc(src_addr), round(src_addr+size)) of src at
 * *addr in dst (dst may be src; placement as map_enter, flags anywhere),
 * shared (copy false: each source entry is materialized, then shared) or
 * as a copy-on-write snapshot (copy true: ops->copy).  size 0 or wrap ->
 * INVALID_ARGUMENT; a hole in the source -> INVALID_ADDRESS; inherit bad
 * -> INVALID_ARGUMENT.  The new entries keep their sources' protections and
 * take `inherit`; *cur and *max are the strictest (intersection) across
 * the source. */
kern_return_t map_remap(map_t *dst, vm_address_t *addr, vm_size_t size, vm_address_t mask,
                        bool anywhere, map_t *src, vm_address_t src_addr, bool copy,
                        vm_inherit_t inherit, vm_prot_t *cur, vm_prot_t *max);

/* task_create: fills the empty map child from parent by each entry's
 * inheritance: NONE leaves a hole, SHARE materializes the parent's entry
 * and shares its object, COPY makes a copy-on-write copy (ops->copy).  On
 * failure the child may hold part of the copy: map_destroy it. */
kern_return_t map_fork(map_t *parent, map_t *child);

/* The default copy hook, the symmetric copy-on-write of Mach: dst takes a
 * reference on src's object, both become needs_copy, and the task of src
 * loses write access to the range (flush VM_PROT_WRITE).  An entry with no
 * object yet gives one with none (both stay zero-fill).  Correct only when
 * nothing else writes src's object directly (a shared object needs the
 * server's own copy hook). */
kern_return_t map_copy_cow(map_t *src_map, map_entry_t *src, map_t *dst_map, map_entry_t *dst);

/* ---- checks ---- */
/* 0 when invariants 1-3 and 5 hold, else the number of the first broken one. */
int map_check_invariants(const map_t *m);

#endif /* !MEMSVR_MAP_H */
