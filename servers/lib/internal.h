/* servers/lib private interfaces: the heap over explicit regions (heap.c),
 * bounded formatting (format.c) and the kernel-debugger sink (kdb_putc.c).
 * Host unit tests compile these files directly, hence the relative include. */
#ifndef CHACM_LIB_INTERNAL_H
#define CHACM_LIB_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "include/chacm/lib.h"

/* ---- heap.c: first-fit allocator over regions given by the caller ----
 * Every block starts with a header; free blocks form one list sorted by
 * address, and adjacent free blocks are always merged.  Blocks and payloads
 * are HEAP_ALIGN-aligned. */
#define HEAP_ALIGN 16

typedef struct heap_block {
    _Alignas(HEAP_ALIGN) size_t size; /* bytes including the header */
    uintptr_t link;                  /* free: next free block; used: heap_tag(block) */
} heap_block_t;

typedef struct heap {
    heap_block_t *free_list; /* free blocks, ascending addresses */
    size_t total;            /* bytes given to the heap, after alignment */
} heap_t;

typedef struct heap_stats {
    size_t total;       /* bytes under management */
    size_t free;        /* bytes in free blocks, headers included */
    size_t largest;     /* largest payload one allocation could get now */
    size_t free_blocks; /* length of the free list */
} heap_stats_t;

/* malloc grows the heap by at least this much at a time (mach_vm.c):
 * lib_heap_more returns new zero-filled memory of the task, or NULL when
 * the task is not paged by memsvr. */
#define LIB_HEAP_GROW ((size_t)1 << 20)
void *lib_heap_more(size_t bytes);

void heap_create(heap_t *h);
/* Adds [base, base+size) to h.  Returns 0, or -1 if it is too small to hold
 * a block after alignment. */
int heap_extend(heap_t *h, void *base, size_t size);
/* Returns a HEAP_ALIGN-aligned block of at least size bytes (size 0 gives a
 * unique minimal block), or NULL if no free block is large enough. */
void *heap_alloc(heap_t *h, size_t size);
/* Returns 1 if p was returned by heap_alloc/heap_realloc on h and is not
 * free, 0 otherwise (a best-effort check through the block's tag). */
int heap_owns(const heap_t *h, const void *p);
/* Frees p (NULL is ignored).  Returns 0, or -1 without touching the heap if
 * p is not an allocated block. */
int heap_free(heap_t *h, void *p);
/* Resizes p, in place when possible.  p == NULL allocates; size == 0 frees
 * and returns NULL.  On failure returns NULL and leaves p allocated. */
void *heap_realloc(heap_t *h, void *p, size_t size);
void heap_get_stats(const heap_t *h, heap_stats_t *st);
/* Checks the free list's invariants (sorted, merged, aligned, sized).
 * Returns 0 if they hold, otherwise the 1-based position of the first bad block. */
int heap_check(const heap_t *h);

/* ---- format.c ----
 * vsnprintf's contract: writes at most size-1 characters and a terminating
 * NUL (if size > 0) and returns the length the full output would have. */
int lib_vsnformat(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- kdb_putc.c: the default output sink, the L4 kernel debugger ---- */
void lib_kdb_putc(int c, void *arg);
/* Writes s[0..n); s must have room for s[n], which it overwrites. */
void lib_kdb_write(char *s, size_t n);

#endif /* !CHACM_LIB_INTERNAL_H */
