/* Number parsing (strtol, strtoul, atoi) and abs.  There is no errno: an
 * out-of-range value is clamped to the type's limit, as ISO C returns it. */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* Value of digit character c in bases up to 36, or 36 if c is no digit. */
static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 36;
}

/* Skips the "0x"/"0X" prefix or picks the base when base is 0 or 16.
 * Only takes the prefix when a hex digit follows it. */
static const char *parse_base(const char *s, int *base)
{
    bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit(s[2]);

    if ((*base == 0 || *base == 16) && hex_prefix) {
        *base = 16;
        return s + 2;
    }
    if (*base == 0)
        *base = s[0] == '0' ? 8 : 10;
    return s;
}

/* Parses [space][sign][prefix]digits.  Returns the magnitude, clamped to
 * ULONG_MAX with *overflow set; *end points after the last digit used, or at
 * the start of s when there was none. */
static unsigned long parse_magnitude(const char *s, char **end, int base, bool *neg, bool *overflow)
{
    const char *p = s;
    const char *digits;
    unsigned long v = 0;

    *neg = false;
    *overflow = false;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if (base < 0 || base == 1 || base > 36) {
        if (end)
            *end = (char *)s;
        return 0;
    }
    p = digits = parse_base(p, &base);
    for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
        if (v > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
            *overflow = true;
        else
            v = v * (unsigned long)base + (unsigned long)d;
    }
    if (end)
        *end = (char *)(p == digits ? s : p);
    return *overflow ? ULONG_MAX : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    bool neg, overflow;
    unsigned long m = parse_magnitude(s, end, base, &neg, &overflow);
    unsigned long limit = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;

    if (m >= limit)
        return neg ? LONG_MIN : LONG_MAX;
    return neg ? -(long)m : (long)m;
}

/* As ISO C: a leading '-' negates the result in unsigned arithmetic. */
unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    bool neg, overflow;
    unsigned long m = parse_magnitude(s, end, base, &neg, &overflow);

    if (overflow)
        return ULONG_MAX;
    return neg ? 0UL - m : m;
}

int atoi(const char *s)
{
    long v = strtol(s, NULL, 10);

    if (v > INT_MAX)
        return INT_MAX;
    if (v < INT_MIN)
        return INT_MIN;
    return (int)v;
}

int abs(int v)
{
    return v < 0 ? -v : v;
}
