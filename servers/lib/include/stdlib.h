/* servers/lib: heap allocation, number parsing and sorting (ISO C names).
 * The heap is described in <chacm/lib.h> (heap_init, heap_add). */
#ifndef CHACM_STDLIB_H
#define CHACM_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t size);

int atoi(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
int abs(int v);
void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *));

#endif /* !CHACM_STDLIB_H */
