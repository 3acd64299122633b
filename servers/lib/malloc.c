/* The program's heap: malloc and friends over heap.c, starting with a static
 * 256 KiB arena in .bss (pages are only touched when used). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LIB_ARENA_SIZE (256 * 1024)

static _Alignas(HEAP_ALIGN) unsigned char lib_arena[LIB_ARENA_SIZE];
static heap_t lib_heap;
static bool lib_heap_ready;

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
    heap_create(&lib_heap);
    lib_heap_ready = true;
    heap_add(base, size);
}

void heap_add(void *base, size_t size)
{
    if (heap_extend(the_heap(), base, size) != 0)
        panic("heap_add: region %p+%zu too small", base, size);
}

void *malloc(size_t size)
{
    return heap_alloc(the_heap(), size);
}

void free(void *p)
{
    if (heap_free(the_heap(), p) != 0)
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
    if (p && !heap_owns(the_heap(), p))
        panic("realloc: %p is not an allocated block", p);
    return heap_realloc(the_heap(), p, size);
}
