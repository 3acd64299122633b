/* Memory block functions.  The compiler may emit calls to memcpy, memmove,
 * memset and memcmp itself, so every module needs these definitions; the
 * library is built with -fno-tree-loop-distribute-patterns so that GCC does
 * not turn these loops back into calls to themselves. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef unsigned long __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

/* Whether p and q are both aligned to a word. */
static int both_aligned(const void *p, const void *q)
{
    return (((uintptr_t)p | (uintptr_t)q) & (WORD - 1)) == 0;
}

/* Copies n bytes upwards, a word at a time where both are aligned (page
 * copies are, and they are what memsvr's copy-on-write does).  Each block
 * is loaded before it is stored, so dst may overlap src from below. */
static void copy_up(unsigned char *d, const unsigned char *s, size_t n)
{
    if (both_aligned(d, s)) {
        for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
            word_t a = ((const word_t *)s)[0], b = ((const word_t *)s)[1];
            word_t c = ((const word_t *)s)[2], e = ((const word_t *)s)[3];
            ((word_t *)d)[0] = a;
            ((word_t *)d)[1] = b;
            ((word_t *)d)[2] = c;
            ((word_t *)d)[3] = e;
        }
    }
    while (n--)
        *d++ = *s++;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    copy_up(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ((uintptr_t)d - (uintptr_t)s >= n) { /* dst below src, or no overlap: copy upwards */
        copy_up(d, s, n);
        return dst;
    }
    while (n--)
        d[n] = s[n];
    return dst;
}

/* Fills a word at a time once dst is aligned (zeroing a page is the
 * common case). */
void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    word_t w = (unsigned char)c * (~(word_t)0 / 0xff);

    for (; n && ((uintptr_t)d & (WORD - 1)); n--)
        *d++ = (unsigned char)c;
    for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD) {
        ((word_t *)d)[0] = w;
        ((word_t *)d)[1] = w;
        ((word_t *)d)[2] = w;
        ((word_t *)d)[3] = w;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x - *y;
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (; n; n--, p++) {
        if (*p == (unsigned char)c)
            return (void *)p;
    }
    return NULL;
}
