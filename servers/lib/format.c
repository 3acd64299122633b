/* The printf formatting engine: parses conversion specifications and sends
 * the characters to a sink.  Uses only 32-bit division, so a 32-bit target
 * needs no libgcc helper for %llu. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

enum {
    FMT_LEFT = 1,  /* '-': pad on the right */
    FMT_ZERO = 2,  /* '0': pad numbers with zeros */
    FMT_PLUS = 4,  /* '+': sign on positive numbers */
    FMT_SPACE = 8, /* ' ': blank before positive numbers */
    FMT_ALT = 16,  /* '#': 0x before non-zero hex */
};

enum fmt_length { LEN_HH, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

typedef struct fmt_spec {
    unsigned flags;
    int width;     /* minimum field width, 0 if none */
    int precision; /* -1 if none */
    enum fmt_length length;
} fmt_spec_t;

typedef struct fmt_out {
    lib_putc_fn putc;
    void *arg;
    size_t count;
} fmt_out_t;

static void out_char(fmt_out_t *out, char c)
{
    out->putc((unsigned char)c, out->arg);
    out->count++;
}

static void out_repeat(fmt_out_t *out, char c, int n)
{
    while (n-- > 0)
        out_char(out, c);
}

static void out_chars(fmt_out_t *out, const char *s, int n)
{
    while (n-- > 0)
        out_char(out, *s++);
}

/* Parses a decimal field of the spec, or '*' taking an int argument. */
static int parse_count(const char **fmt, va_list *ap)
{
    int n = 0;

    if (**fmt == '*') {
        (*fmt)++;
        return va_arg(*ap, int);
    }
    while (**fmt >= '0' && **fmt <= '9') {
        if (n < INT_MAX / 10)
            n = n * 10 + (*(*fmt)++ - '0');
        else
            (*fmt)++;
    }
    return n;
}

/* Parses flags, width, precision and length after the '%'. */
static void parse_spec(const char **fmt, va_list *ap, fmt_spec_t *spec)
{
    static const char flag_chars[] = "-0+ #";
    const char *f;

    spec->flags = 0;
    for (;;) {
        for (f = flag_chars; *f && *f != **fmt; f++)
            ;
        if (!*f)
            break;
        spec->flags |= 1u << (f - flag_chars);
        (*fmt)++;
    }
    spec->width = parse_count(fmt, ap);
    if (spec->width < 0) { /* a negative '*' width means left alignment */
        spec->flags |= FMT_LEFT;
        spec->width = spec->width == INT_MIN ? INT_MAX : -spec->width;
    }
    spec->precision = -1;
    if (**fmt == '.') {
        (*fmt)++;
        spec->precision = parse_count(fmt, ap);
        if (spec->precision < 0)
            spec->precision = -1;
    }
    spec->length = LEN_INT;
    switch (**fmt) {
    case 'h': spec->length = (*fmt)[1] == 'h' ? LEN_HH : LEN_H; break;
    case 'l': spec->length = (*fmt)[1] == 'l' ? LEN_LL : LEN_L; break;
    case 'z': spec->length = LEN_Z; break;
    case 'j': spec->length = LEN_J; break;
    case 't': spec->length = LEN_T; break;
    default: return;
    }
    *fmt += spec->length == LEN_HH || spec->length == LEN_LL ? 2 : 1;
}

/* Fetches a signed argument of the spec's length, widened. */
static long long fetch_signed(const fmt_spec_t *spec, va_list *ap)
{
    switch (spec->length) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return (long long)va_arg(*ap, size_t); /* %zd: signed size_t */
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

/* Fetches an unsigned argument of the spec's length, widened. */
static unsigned long long fetch_unsigned(const fmt_spec_t *spec, va_list *ap)
{
    switch (spec->length) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Divides *n by base (2..16) in place and returns the remainder, working on
 * 16-bit limbs so that only 32-bit division is used. */
static unsigned divmod_small(unsigned long long *n, unsigned base)
{
    uint32_t rem = 0;
    unsigned long long q = 0;

    for (int shift = 48; shift >= 0; shift -= 16) {
        uint32_t cur = (rem << 16) | (uint32_t)((*n >> shift) & 0xffff);
        q |= (unsigned long long)(cur / base) << shift;
        rem = cur % base;
    }
    *n = q;
    return rem;
}

/* Writes a number: sign, prefix, precision zeros, digits, padded to width. */
static void out_number(fmt_out_t *out, const fmt_spec_t *spec, unsigned long long v, char sign,
                       const char *prefix, unsigned base, bool upper)
{
    const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    int ndigits = 0, nprefix = 0, zeros, pad;

    while (v) {
        digits[sizeof digits - 1 - ndigits++] = digit_set[divmod_small(&v, base)];
    }
    if (ndigits == 0 && spec->precision != 0)
        digits[sizeof digits - 1 - ndigits++] = '0';
    while (prefix && prefix[nprefix])
        nprefix++;
    zeros = spec->precision > ndigits ? spec->precision - ndigits : 0;
    pad = spec->width - (ndigits + zeros + nprefix + (sign != 0));
    if (pad > 0 && (spec->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO && spec->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(spec->flags & FMT_LEFT))
        out_repeat(out, ' ', pad);
    if (sign)
        out_char(out, sign);
    out_chars(out, prefix, nprefix);
    out_repeat(out, '0', zeros);
    out_chars(out, digits + sizeof digits - ndigits, ndigits);
    if (spec->flags & FMT_LEFT)
        out_repeat(out, ' ', pad);
}

/* Writes at most precision characters of s ("(null)" for NULL), padded. */
static void out_string(fmt_out_t *out, const fmt_spec_t *spec, const char *s)
{
    int len = 0;

    if (!s)
        s = "(null)";
    while (s[len] && (spec->precision < 0 || len < spec->precision) && len < INT_MAX)
        len++;
    if (!(spec->flags & FMT_LEFT))
        out_repeat(out, ' ', spec->width - len);
    out_chars(out, s, len);
    if (spec->flags & FMT_LEFT)
        out_repeat(out, ' ', spec->width - len);
}

/* Writes c (even NUL), padded to the width. */
static void out_padded_char(fmt_out_t *out, const fmt_spec_t *spec, char c)
{
    if (!(spec->flags & FMT_LEFT))
        out_repeat(out, ' ', spec->width - 1);
    out_char(out, c);
    if (spec->flags & FMT_LEFT)
        out_repeat(out, ' ', spec->width - 1);
}

static char sign_of(const fmt_spec_t *spec, bool negative)
{
    if (negative)
        return '-';
    if (spec->flags & FMT_PLUS)
        return '+';
    return spec->flags & FMT_SPACE ? ' ' : 0;
}

/* Formats one conversion; conv is the character after the spec. */
static void out_conversion(fmt_out_t *out, fmt_spec_t *spec, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        long long v = fetch_signed(spec, ap);
        unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        out_number(out, spec, mag, sign_of(spec, v < 0), NULL, 10, false);
        break;
    }
    case 'u': out_number(out, spec, fetch_unsigned(spec, ap), 0, NULL, 10, false); break;
    case 'o': out_number(out, spec, fetch_unsigned(spec, ap), 0, NULL, 8, false); break;
    case 'x':
    case 'X': {
        unsigned long long v = fetch_unsigned(spec, ap);
        const char *prefix = (spec->flags & FMT_ALT) && v ? (conv == 'x' ? "0x" : "0X") : NULL;
        out_number(out, spec, v, 0, prefix, 16, conv == 'X');
        break;
    }
    case 'p':
        out_number(out, spec, (uintptr_t)va_arg(*ap, void *), 0, "0x", 16, false);
        break;
    case 'c':
        out_padded_char(out, spec, (char)va_arg(*ap, int));
        break;
    case 's': out_string(out, spec, va_arg(*ap, const char *)); break;
    case '%': out_char(out, '%'); break;
    default: /* unknown (including %n): shown as written */
        out_char(out, '%');
        if (conv)
            out_char(out, conv);
        break;
    }
}

int lib_vformat(lib_putc_fn putc, void *arg, const char *fmt, va_list ap)
{
    fmt_out_t out = { putc, arg, 0 };
    fmt_spec_t spec;
    va_list args;

    va_copy(args, ap); /* a va_list parameter may be an array: work on a real object */
    while (*fmt) {
        if (*fmt != '%') {
            out_char(&out, *fmt++);
            continue;
        }
        fmt++;
        parse_spec(&fmt, &args, &spec);
        out_conversion(&out, &spec, *fmt, &args);
        if (*fmt)
            fmt++;
    }
    va_end(args);
    return out.count > INT_MAX ? INT_MAX : (int)out.count;
}

/* snprintf's sink: stores what fits, counts everything. */
typedef struct sn_buf {
    char *buf;
    size_t size;
    size_t len;
} sn_buf_t;

static void sn_putc(int c, void *arg)
{
    sn_buf_t *b = arg;

    if (b->len + 1 < b->size)
        b->buf[b->len] = (char)c;
    b->len++;
}

int lib_vsnformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    sn_buf_t b = { buf, size, 0 };
    int n = lib_vformat(sn_putc, &b, fmt, ap);

    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}
