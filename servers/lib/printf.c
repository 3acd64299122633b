/* printf and friends.  Each call formats into a small buffer and hands it to
 * the output hook when full and at the end, so one printf reaches the kernel
 * debugger as whole strings rather than a kernel entry per character. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"

#define OUT_CHUNK 128

static lib_putc_fn out_putc = lib_kdb_putc;
static void *out_arg;

typedef struct out_buf {
    char data[OUT_CHUNK + 1]; /* +1: room for the NUL lib_kdb_write adds */
    size_t len;
} out_buf_t;

void lib_set_putc(lib_putc_fn putc, void *arg)
{
    out_putc = putc ? putc : lib_kdb_putc;
    out_arg = putc ? arg : NULL;
}

static void out_flush(out_buf_t *b)
{
    if (out_putc == lib_kdb_putc) {
        lib_kdb_write(b->data, b->len);
    } else {
        for (size_t i = 0; i < b->len; i++)
            out_putc((unsigned char)b->data[i], out_arg);
    }
    b->len = 0;
}

static void out_buf_putc(int c, void *arg)
{
    out_buf_t *b = arg;

    b->data[b->len++] = (char)c;
    if (b->len == OUT_CHUNK)
        out_flush(b);
}

int vprintf(const char *restrict fmt, va_list ap)
{
    out_buf_t b = { .len = 0 };
    int n = lib_vformat(out_buf_putc, &b, fmt, ap);

    out_flush(&b);
    return n;
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    return printf("%s\n", s);
}

int putchar(int c)
{
    printf("%c", c);
    return (unsigned char)c;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    return lib_vsnformat(buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vsnformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Unbounded, as ISO C: the caller guarantees the room. */
int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vsnformat(buf, SIZE_MAX, fmt, ap);
    va_end(ap);
    return n;
}
