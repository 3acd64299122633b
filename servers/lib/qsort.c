/* qsort as an in-place heapsort: O(n log n) in the worst case, no recursion
 * and no allocation, so it is safe on small guest stacks. */
#include <stddef.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Moves element i down the max-heap of n elements until both children are
 * no larger than it. */
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size, cmp_fn cmp)
{
    for (;;) {
        size_t largest = i;
        size_t left = 2 * i + 1;
        size_t right = left + 1;

        if (left < n && cmp(base + left * size, base + largest * size) > 0)
            largest = left;
        if (right < n && cmp(base + right * size, base + largest * size) > 0)
            largest = right;
        if (largest == i)
            return;
        swap_bytes(base + i * size, base + largest * size, size);
        i = largest;
    }
}

void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
{
    unsigned char *b = base;

    if (nmemb < 2 || size == 0)
        return;
    for (size_t i = nmemb / 2; i-- > 0;)
        sift_down(b, i, nmemb, size, compar);
    for (size_t end = nmemb - 1; end > 0; end--) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, compar);
    }
}
