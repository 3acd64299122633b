/* First-fit heap over caller-given regions, for malloc and for programs that
 * want a private heap.  Invariants (heap_check verifies 1-3):
 *  1. the free list is sorted by address;
 *  2. no two free blocks touch (free merges with both neighbours);
 *  3. every block is HEAP_ALIGN-aligned and at least HEAP_MIN_BLOCK long;
 *  4. an allocated block's link holds heap_tag(block), which a free block's
 *     link (a list pointer, or 0) never equals. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define HEAP_HDR sizeof(heap_block_t)
#define HEAP_MIN_BLOCK (HEAP_HDR + HEAP_ALIGN)
#define HEAP_TAG_KEY ((uintptr_t)0x5a17c0deb10c4ea9ULL)

static uintptr_t heap_tag(const heap_block_t *b)
{
    return HEAP_TAG_KEY ^ (uintptr_t)b;
}

static heap_block_t *block_of(const void *p)
{
    return (heap_block_t *)((uintptr_t)p - HEAP_HDR);
}

static void *payload_of(heap_block_t *b)
{
    return (char *)b + HEAP_HDR;
}

static heap_block_t *block_end(const heap_block_t *b)
{
    return (heap_block_t *)((uintptr_t)b + b->size);
}

static heap_block_t *next_free(const heap_block_t *b)
{
    return (heap_block_t *)b->link;
}

/* The block size that serves a request of size bytes, or 0 on overflow. */
static size_t block_size_for(size_t size)
{
    if (size > SIZE_MAX - HEAP_HDR - HEAP_ALIGN)
        return 0;
    if (size == 0)
        size = 1;
    return (size + HEAP_HDR + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
}

/* Puts b on the free list in address order and merges it with touching
 * neighbours. */
static void insert_free(heap_t *h, heap_block_t *b)
{
    heap_block_t *prev = NULL, *next = h->free_list;

    while (next && next < b) {
        prev = next;
        next = next_free(next);
    }
    b->link = (uintptr_t)next;
    if (next && block_end(b) == next) {
        b->size += next->size;
        b->link = next->link;
    }
    if (prev && block_end(prev) == b) {
        prev->size += b->size;
        prev->link = b->link;
    } else if (prev) {
        prev->link = (uintptr_t)b;
    } else {
        h->free_list = b;
    }
}

/* Marks b allocated with exactly need bytes; a tail of at least
 * HEAP_MIN_BLOCK beyond need goes back to the free list. */
static void trim_block(heap_t *h, heap_block_t *b, size_t need)
{
    if (b->size - need >= HEAP_MIN_BLOCK) {
        heap_block_t *tail = (heap_block_t *)((uintptr_t)b + need);
        tail->size = b->size - need;
        b->size = need;
        insert_free(h, tail);
    }
    b->link = heap_tag(b);
}

void heap_create(heap_t *h)
{
    h->free_list = NULL;
    h->total = 0;
}

int heap_extend(heap_t *h, void *base, size_t size)
{
    uintptr_t start = ((uintptr_t)base + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
    uintptr_t skip = start - (uintptr_t)base;
    heap_block_t *b = (heap_block_t *)start;

    if (!base || size < skip + HEAP_MIN_BLOCK)
        return -1;
    b->size = (size - skip) & ~(size_t)(HEAP_ALIGN - 1);
    h->total += b->size;
    insert_free(h, b);
    return 0;
}

void *heap_alloc(heap_t *h, size_t size)
{
    size_t need = block_size_for(size);
    heap_block_t *prev = NULL, *b, *rest;

    if (!need)
        return NULL;
    for (b = h->free_list; b && b->size < need; b = next_free(b))
        prev = b;
    if (!b)
        return NULL;
    if (b->size - need >= HEAP_MIN_BLOCK) { /* serve the front, so a realloc can grow into the rest */
        rest = (heap_block_t *)((uintptr_t)b + need);
        rest->size = b->size - need;
        rest->link = b->link;
        b->size = need;
    } else {
        rest = next_free(b);
    }
    if (prev)
        prev->link = (uintptr_t)rest;
    else
        h->free_list = rest;
    b->link = heap_tag(b);
    return payload_of(b);
}

int heap_owns(const heap_t *h, const void *p)
{
    const heap_block_t *b = block_of(p);

    (void)h;
    if (!p || ((uintptr_t)p & (HEAP_ALIGN - 1)))
        return 0;
    return b->link == heap_tag(b) && b->size >= HEAP_MIN_BLOCK && !(b->size & (HEAP_ALIGN - 1));
}

int heap_free(heap_t *h, void *p)
{
    if (!p)
        return 0;
    if (!heap_owns(h, p))
        return -1;
    insert_free(h, block_of(p));
    return 0;
}

/* Takes the free block that starts right at b's end, if there is one large
 * enough to grow b to need bytes; returns 1 if b grew. */
static int grow_in_place(heap_t *h, heap_block_t *b, size_t need)
{
    heap_block_t *prev = NULL, *n = h->free_list;
    heap_block_t *end = block_end(b);

    while (n && n < end) {
        prev = n;
        n = next_free(n);
    }
    if (n != end || b->size + n->size < need)
        return 0;
    if (prev)
        prev->link = n->link;
    else
        h->free_list = next_free(n);
    b->size += n->size;
    return 1;
}

void *heap_realloc(heap_t *h, void *p, size_t size)
{
    size_t need = block_size_for(size);
    heap_block_t *b;
    void *q;

    if (!p)
        return heap_alloc(h, size);
    if (!heap_owns(h, p))
        return NULL;
    if (size == 0) {
        heap_free(h, p);
        return NULL;
    }
    if (!need)
        return NULL;
    b = block_of(p);
    if (need <= b->size || grow_in_place(h, b, need)) {
        trim_block(h, b, need);
        return p;
    }
    q = heap_alloc(h, size);
    if (!q)
        return NULL;
    memcpy(q, p, b->size - HEAP_HDR);
    heap_free(h, p);
    return q;
}

void heap_get_stats(const heap_t *h, heap_stats_t *st)
{
    st->total = h->total;
    st->free = st->largest = st->free_blocks = 0;
    for (const heap_block_t *b = h->free_list; b; b = next_free(b)) {
        st->free += b->size;
        st->free_blocks++;
        if (b->size - HEAP_HDR > st->largest)
            st->largest = b->size - HEAP_HDR;
    }
}

int heap_check(const heap_t *h)
{
    int pos = 1;

    for (const heap_block_t *b = h->free_list; b; b = next_free(b), pos++) {
        const heap_block_t *n = next_free(b);
        if (((uintptr_t)b & (HEAP_ALIGN - 1)) || (b->size & (HEAP_ALIGN - 1)) ||
            b->size < HEAP_MIN_BLOCK)
            return pos;
        if (n && block_end(b) >= n) /* unsorted, overlapping or unmerged */
            return pos;
    }
    return 0;
}
