/* The program's heap: malloc and friends over heap.c, starting with a static
 * 256 KiB arena in .bss (pages are only touched when used) and growing with
 * vm_allocate when the task is paged by memsvr.  One lock makes it safe for
 * a task with several threads. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <chacm/lock.h>

#include "internal.h"

#define LIB_ARENA_SIZE (256 * 1024)

static _Alignas(HEAP_ALIGN) unsigned char lib_arena[LIB_ARENA_SIZE];
static heap_t lib_heap;
static bool lib_heap_ready;
static lib_mutex_t lib_heap_lock = LIB_MUTEX_INIT;
static lib_heap_source_fn lib_heap_source_fn_set;

/* Gives the heap its static arena on first use. */
static heap_t *the_heap(void)
{
    if (!lib_heap_ready) {
        heap_create(&lib_heap);
        heap_extend(&lib_heap, lib_arena, sizeof lib_arena);
        lib_heap_ready = true;
    }
    return &lib_heap;
}

void heap_init(void *base, size_t size)
{
    lib_mutex_lock(&lib_heap_lock);
    heap_create(&lib_heap);
    lib_heap_ready = true;
    lib_mutex_unlock(&lib_heap_lock);
    heap_add(base, size);
}

void heap_add(void *base, size_t size)
{
    lib_mutex_lock(&lib_heap_lock);
    int r = heap_extend(the_heap(), base, size);
    lib_mutex_unlock(&lib_heap_lock);
    if (r != 0)
        panic("heap_add: region %p+%zu too small", base, size);
}

void lib_heap_source(lib_heap_source_fn more)
{
    lib_mutex_lock(&lib_heap_lock);
    lib_heap_source_fn_set = more;
    lib_mutex_unlock(&lib_heap_lock);
}

/* More memory for the heap, at least size bytes: from the program's own
 * source, else from memsvr. */
static bool grow(size_t size)
{
    size_t bytes = size + 4096 > LIB_HEAP_GROW ? (size + 4096 + LIB_HEAP_GROW - 1) & ~(LIB_HEAP_GROW - 1)
                                              : LIB_HEAP_GROW;
    size_t got = bytes;
    void *base = lib_heap_source_fn_set ? lib_heap_source_fn_set(size + 4096, &got) : lib_heap_more(bytes);
    return base && got >= size && heap_extend(the_heap(), base, got) == 0;
}

void *malloc(size_t size)
{
    lib_mutex_lock(&lib_heap_lock);
    void *p = heap_alloc(the_heap(), size);
    if (!p && size < SIZE_MAX / 2 && grow(size))
        p = heap_alloc(the_heap(), size);
    lib_mutex_unlock(&lib_heap_lock);
    return p;
}

void free(void *p)
{
    lib_mutex_lock(&lib_heap_lock);
    int r = heap_free(the_heap(), p);
    lib_mutex_unlock(&lib_heap_lock);
    if (r != 0)
        panic("free: %p is not an allocated block", p);
}

void *calloc(size_t nmemb, size_t size)
{
    void *p;

    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    p = malloc(nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

void *realloc(void *p, size_t size)
{
    lib_mutex_lock(&lib_heap_lock);
    if (p && !heap_owns(the_heap(), p)) {
        lib_mutex_unlock(&lib_heap_lock);
        panic("realloc: %p is not an allocated block", p);
    }
    void *q = heap_realloc(the_heap(), p, size);
    if (!q && size && size < SIZE_MAX / 2 && grow(size))
        q = heap_realloc(the_heap(), p, size);
    lib_mutex_unlock(&lib_heap_lock);
    return q;
}
