/* servers/lib: formatted output.  Output goes through the putc hook of
 * <chacm/lib.h> (default: the L4 kernel debugger); there is no input side. */
#ifndef CHACM_STDIO_H
#define CHACM_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int sprintf(char *restrict buf, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int puts(const char *s);
int putchar(int c);

#endif /* !CHACM_STDIO_H */
