/* NUL-terminated string functions: length, comparison, copying, searching
 * and tokenising. */
#include <stddef.h>
#include <string.h>

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
    size_t n = 0;

    while (n < maxlen && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
    char *d = dst;

    while ((*d++ = *src++))
        ;
    return dst;
}

/* ISO semantics: pads with NULs up to n and does not terminate a long src. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
    size_t i = 0;

    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
    size_t len = strlen(src);

    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i];
        dst[n] = '\0';
    }
    return len;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for (; *haystack; haystack++) {
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    }
    return n ? NULL : (char *)haystack;
}

/* Returns 1 if c occurs in the set. */
static int in_set(char c, const char *set)
{
    for (; *set; set++) {
        if (*set == c)
            return 1;
    }
    return 0;
}

char *strtok_r(char *restrict s, const char *restrict delim, char **restrict saveptr)
{
    char *tok;

    if (!s)
        s = *saveptr;
    if (!s)
        return NULL;
    while (*s && in_set(*s, delim))
        s++;
    if (!*s) {
        *saveptr = NULL;
        return NULL;
    }
    tok = s;
    while (*s && !in_set(*s, delim))
        s++;
    if (*s)
        *s++ = '\0';
    *saveptr = s;
    return tok;
}
