/* servers/lib: memory and string functions (ISO C names, our implementation). */
#ifndef CHACM_STRING_H
#define CHACM_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
/* Copies at most size-1 bytes, always terminates (if size > 0); returns strlen(src). */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strtok_r(char *restrict s, const char *restrict delim, char **restrict saveptr);

#endif /* !CHACM_STRING_H */
