/* Unit tests of servers/lib's pure parts: the printf engine, the heap over a
 * local buffer, and the string, ctype and number functions, compiled here
 * under t_ names so they do not replace glibc's in this host program. */
#include <check.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "../../servers/lib/format.c"
#include "../../servers/lib/heap.c"

/* The library's C-named functions, renamed.  Their definitions have no
 * prototypes here (the headers they include are glibc's, already seen). */
#undef isdigit
#undef isspace
#undef isalpha
#undef isalnum
#undef isupper
#undef islower
#undef isprint
#undef isxdigit
#undef toupper
#undef tolower
#define memcpy t_memcpy
#define memmove t_memmove
#define memset t_memset
#define memcmp t_memcmp
#define memchr t_memchr
#define strlen t_strlen
#define strnlen t_strnlen
#define strcmp t_strcmp
#define strncmp t_strncmp
#define strcpy t_strcpy
#define strncpy t_strncpy
#define strlcpy t_strlcpy
#define strchr t_strchr
#define strrchr t_strrchr
#define strstr t_strstr
#define strtok_r t_strtok_r
#define isdigit t_isdigit
#define isspace t_isspace
#define isalpha t_isalpha
#define isalnum t_isalnum
#define isupper t_isupper
#define islower t_islower
#define isprint t_isprint
#define isxdigit t_isxdigit
#define toupper t_toupper
#define tolower t_tolower
#define strtol t_strtol
#define strtoul t_strtoul
#define atoi t_atoi
#define abs t_abs
#define qsort t_qsort
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#include "../../servers/lib/mem.c"
#include "../../servers/lib/string.c"
#include "../../servers/lib/ctype.c"
#include "../../servers/lib/stdlib.c"
#include "../../servers/lib/qsort.c"
#pragma GCC diagnostic pop
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strcpy
#undef strncpy
#undef strlcpy
#undef strchr
#undef strrchr
#undef strstr
#undef strtok_r
#undef isdigit
#undef isspace
#undef isalpha
#undef isalnum
#undef isupper
#undef islower
#undef isprint
#undef isxdigit
#undef toupper
#undef tolower
#undef strtol
#undef strtoul
#undef atoi
#undef abs
#undef qsort

/* ------------------------------------------------------------------ format */

static int lib_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vsnformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats with the library and with glibc and requires identical results. */
#define SAME_AS_GLIBC(...)                                                  \
    do {                                                                    \
        char ours[256], theirs[256];                                        \
        int n_ours = lib_snprintf(ours, sizeof ours, __VA_ARGS__);          \
        int n_theirs = snprintf(theirs, sizeof theirs, __VA_ARGS__);        \
        ck_assert_str_eq(ours, theirs);                                     \
        ck_assert_int_eq(n_ours, n_theirs);                                 \
    } while (0)

#define FORMATS_AS(expected, ...)                                           \
    do {                                                                    \
        char out[256];                                                      \
        int n = lib_snprintf(out, sizeof out, __VA_ARGS__);                 \
        ck_assert_str_eq(out, expected);                                    \
        ck_assert_int_eq(n, (int)strlen(expected));                         \
    } while (0)

START_TEST(fmt_integers)
{
    SAME_AS_GLIBC("%d %d %d", 0, 42, -42);
    SAME_AS_GLIBC("%d|%i", INT_MIN, INT_MAX);
    SAME_AS_GLIBC("%u %x %X", UINT_MAX, 0xdeadbeefu, 0xabcdefu);
    SAME_AS_GLIBC("%ld %ld %lu %lx", LONG_MIN, LONG_MAX, ULONG_MAX, 0x123456789abcdefUL);
    SAME_AS_GLIBC("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, 0xfedcba9876543210ULL);
    SAME_AS_GLIBC("%zu %zd %zx", SIZE_MAX, (ssize_t)-5, (size_t)4096);
    SAME_AS_GLIBC("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
    SAME_AS_GLIBC("%o %#x %#X %#x", 8u, 255u, 255u, 0u);
    SAME_AS_GLIBC("%+d %+d % d % d", 5, -5, 5, -5);
}
END_TEST

START_TEST(fmt_width_precision)
{
    SAME_AS_GLIBC("[%5d][%-5d][%05d][%05d]", 42, 42, 42, -42);
    SAME_AS_GLIBC("[%08lx][%8lx][%-8lx]", 0xbeefUL, 0xbeefUL, 0xbeefUL);
    SAME_AS_GLIBC("[%.5d][%.0d][%8.3d][%-8.3d]", 42, 0, -7, -7);
    SAME_AS_GLIBC("[%*d][%-*d][%*d]", 6, 42, 6, 42, -6, 42);
    SAME_AS_GLIBC("[%s][%-10s][%10s][%.3s][%-10.2s][%.*s]", "hello", "ab", "ab", "abcdef", "xyz",
                  2, "abc");
    SAME_AS_GLIBC("[%c][%3c][%-3c]", 'x', 'y', 'z');
    SAME_AS_GLIBC("100%% %s", "done");
    SAME_AS_GLIBC("%p %p", (void *)0x1234, (void *)UINTPTR_MAX);
    SAME_AS_GLIBC("[%20llu][%-20lld]", ULLONG_MAX, LLONG_MIN);
}
END_TEST

START_TEST(fmt_own_choices)
{
    FORMATS_AS("0x0", "%p", (void *)NULL);
    FORMATS_AS("", "%s", "");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
    FORMATS_AS("(null)", "%s", (char *)NULL);
    FORMATS_AS("[    (null)]", "[%10s]", (char *)NULL);
    FORMATS_AS("[     007]", "[%08.3d]", 7); /* '0' is ignored with a precision */
#pragma GCC diagnostic ignored "-Wformat-extra-args"
    FORMATS_AS("%y %", "%y %");     /* unknown conversions are shown as written */
    FORMATS_AS("n=%n", "n=%n", 0);  /* %n is not supported */
#pragma GCC diagnostic pop
}
END_TEST

START_TEST(fmt_snprintf_truncation)
{
    char buf[16];

    memset(buf, 'X', sizeof buf);
    ck_assert_int_eq(lib_snprintf(buf, 5, "hello world"), 11);
    ck_assert_str_eq(buf, "hell");
    ck_assert_int_eq(buf[5], 'X');

    ck_assert_int_eq(lib_snprintf(buf, 1, "abc"), 3);
    ck_assert_str_eq(buf, "");

    memset(buf, 'X', sizeof buf);
    ck_assert_int_eq(lib_snprintf(buf, 0, "abc"), 3);
    ck_assert_int_eq(buf[0], 'X');
    ck_assert_int_eq(lib_snprintf(NULL, 0, "%d", INT_MIN), 11);

    ck_assert_int_eq(lib_snprintf(buf, 6, "%d", -123456789), 10);
    ck_assert_str_eq(buf, "-1234");
    ck_assert_int_eq(lib_snprintf(buf, sizeof buf, "%s", "exactly 15 char"), 15);
    ck_assert_str_eq(buf, "exactly 15 char");
    ck_assert_int_eq(lib_snprintf(buf, sizeof buf, "%s", "exactly 16 chars"), 16);
    ck_assert_str_eq(buf, "exactly 16 char");
}
END_TEST

/* A sink that records every character, NULs included. */
typedef struct rec_sink {
    char data[64];
    int n;
} rec_sink_t;

static void rec_putc(int c, void *arg)
{
    rec_sink_t *r = arg;

    if (r->n < (int)sizeof r->data)
        r->data[r->n] = (char)c;
    r->n++;
}

static int rec_format(rec_sink_t *r, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vformat(rec_putc, r, fmt, ap);
    va_end(ap);
    return n;
}

START_TEST(fmt_sink)
{
    rec_sink_t r = { .n = 0 };

    ck_assert_int_eq(rec_format(&r, "a%cb%3c", 0, 'z'), 6);
    ck_assert_int_eq(r.n, 6);
    ck_assert_mem_eq(r.data, "a\0b  z", 6);
}
END_TEST

/* -------------------------------------------------------------------- heap */

#define ARENA_SIZE (64 * 1024)
static _Alignas(64) unsigned char arena[ARENA_SIZE];
static _Alignas(64) unsigned char arena2[ARENA_SIZE];

static heap_t h;

static void heap_setup(void)
{
    heap_create(&h);
    ck_assert_int_eq(heap_extend(&h, arena, sizeof arena), 0);
}

/* Requires the heap to be one free block covering everything again. */
static void assert_all_free(void)
{
    heap_stats_t st;

    heap_get_stats(&h, &st);
    ck_assert_int_eq(heap_check(&h), 0);
    ck_assert_uint_eq(st.free, st.total);
}

START_TEST(heap_alloc_free_coalesce)
{
    void *p[8];
    heap_stats_t st;

    heap_setup();
    for (int i = 0; i < 8; i++) {
        p[i] = heap_alloc(&h, 100 + (size_t)i * 50);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_uint_eq((uintptr_t)p[i] % HEAP_ALIGN, 0);
        ck_assert_int_eq(heap_owns(&h, p[i]), 1);
        memset(p[i], 0xa0 + i, 100 + (size_t)i * 50);
    }
    for (int i = 0; i < 8; i++) { /* no overlap: every pattern is intact */
        for (size_t j = 0; j < 100 + (size_t)i * 50; j++)
            ck_assert_uint_eq(((unsigned char *)p[i])[j], 0xa0 + i);
    }
    for (int i = 0; i < 8; i += 2) /* free every other block: no merging possible */
        ck_assert_int_eq(heap_free(&h, p[i]), 0);
    ck_assert_int_eq(heap_check(&h), 0);
    heap_get_stats(&h, &st);
    ck_assert_uint_ge(st.free_blocks, 4);
    for (int i = 1; i < 8; i += 2) /* fill the holes: everything merges back */
        ck_assert_int_eq(heap_free(&h, p[i]), 0);
    assert_all_free();
    heap_get_stats(&h, &st);
    ck_assert_uint_eq(st.free_blocks, 1);
}
END_TEST

START_TEST(heap_exhaustion)
{
    void *p;
    int n = 0;
    heap_stats_t st;

    heap_setup();
    ck_assert_ptr_null(heap_alloc(&h, ARENA_SIZE));
    ck_assert_ptr_null(heap_alloc(&h, SIZE_MAX));
    ck_assert_ptr_null(heap_alloc(&h, SIZE_MAX - 8));
    while ((p = heap_alloc(&h, 1000)) != NULL)
        n++;
    ck_assert_int_gt(n, 50);
    heap_get_stats(&h, &st);
    ck_assert_uint_lt(st.largest, 1000);
    ck_assert_int_eq(heap_check(&h), 0);
}
END_TEST

START_TEST(heap_zero_and_invalid)
{
    void *a, *b;

    heap_setup();
    a = heap_alloc(&h, 0);
    b = heap_alloc(&h, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_assert_int_eq(heap_free(&h, NULL), 0);
    ck_assert_int_eq(heap_free(&h, (char *)a + 1), -1);
    ck_assert_int_eq(heap_free(&h, arena + 4096), -1);
    ck_assert_int_eq(heap_free(&h, a), 0);
    ck_assert_int_eq(heap_owns(&h, a), 0);
    ck_assert_int_eq(heap_free(&h, a), -1); /* double free is refused */
    ck_assert_int_eq(heap_free(&h, b), 0);
    assert_all_free();
}
END_TEST

START_TEST(heap_realloc_patterns)
{
    unsigned char *p, *q, *r;

    heap_setup();
    p = heap_realloc(&h, NULL, 64); /* NULL: allocate */
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < 64; i++)
        p[i] = (unsigned char)i;
    q = heap_realloc(&h, p, 16); /* shrink: in place */
    ck_assert_ptr_eq(q, p);
    q = heap_realloc(&h, p, 4000); /* the neighbour is free: grows in place */
    ck_assert_ptr_eq(q, p);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(q[i], i);

    r = heap_alloc(&h, 32); /* a block right behind q blocks growth in place */
    ck_assert_ptr_nonnull(r);
    memset(q, 0x5c, 4000);
    p = heap_realloc(&h, q, 8000);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_ne(p, q);
    for (int i = 0; i < 4000; i++)
        ck_assert_uint_eq(p[i], 0x5c);
    ck_assert_int_eq(heap_owns(&h, q), 0);

    ck_assert_ptr_null(heap_realloc(&h, p, ARENA_SIZE * 2)); /* failure keeps p */
    ck_assert_int_eq(heap_owns(&h, p), 1);
    ck_assert_uint_eq(p[3999], 0x5c);
    ck_assert_ptr_null(heap_realloc(&h, p, 0)); /* size 0: frees */
    ck_assert_int_eq(heap_free(&h, r), 0);
    assert_all_free();
}
END_TEST

START_TEST(heap_regions)
{
    void *big;
    heap_stats_t st;

    heap_create(&h);
    ck_assert_int_eq(heap_extend(&h, arena + 3, 20), -1); /* nothing fits after aligning */
    ck_assert_int_eq(heap_extend(&h, arena + 3, 4096), 0);
    ck_assert_int_eq(heap_extend(&h, arena2, sizeof arena2), 0);
    heap_get_stats(&h, &st);
    ck_assert_uint_eq(st.free_blocks, 2);
    big = heap_alloc(&h, 32 * 1024); /* only the second region can serve it */
    ck_assert_ptr_nonnull(big);
    ck_assert((unsigned char *)big >= arena2 && (unsigned char *)big < arena2 + sizeof arena2);
    ck_assert_int_eq(heap_free(&h, big), 0);
    assert_all_free();
}
END_TEST

/* A small LCG: the stress test must replay identically. */
static unsigned next_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

START_TEST(heap_random_stress)
{
    enum { SLOTS = 64 };
    unsigned char *slot[SLOTS] = { 0 };
    size_t len[SLOTS] = { 0 };
    unsigned seed = 12345;
    int failed_allocs = 0;

    heap_setup();
    for (int step = 0; step < 5000; step++) {
        int i = (int)(next_rand(&seed) % SLOTS);
        if (slot[i]) { /* check the pattern, then free or resize */
            for (size_t j = 0; j < len[i]; j++)
                ck_assert_uint_eq(slot[i][j], (unsigned char)(i + j));
        }
        if (slot[i] && next_rand(&seed) % 3 == 0) {
            ck_assert_int_eq(heap_free(&h, slot[i]), 0);
            slot[i] = NULL;
            len[i] = 0;
        } else {
            size_t n = next_rand(&seed) % 3000;
            unsigned char *p = heap_realloc(&h, slot[i], n);
            size_t keep = n < len[i] ? n : len[i];
            if (!p && n) { /* out of memory: the old block must be intact */
                failed_allocs++;
                continue;
            }
            slot[i] = p;
            for (size_t j = keep; j < n; j++)
                p[j] = (unsigned char)(i + j);
            len[i] = p ? n : 0;
        }
        ck_assert_int_eq(heap_check(&h), 0);
    }
    ck_assert_int_gt(failed_allocs, 0); /* the run did reach exhaustion */
    for (int i = 0; i < SLOTS; i++)
        ck_assert_int_eq(heap_free(&h, slot[i]), 0);
    assert_all_free();
}
END_TEST

/* ----------------------------------------------------------------- strings */

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

START_TEST(str_memory)
{
    char buf[16] = "0123456789";

    t_memmove(buf + 2, buf, 8); /* overlap, moving up */
    ck_assert_str_eq(buf, "0101234567");
    t_memmove(buf, buf + 3, 7); /* overlap, moving down */
    ck_assert_str_eq(buf, "1234567567");
    ck_assert_ptr_eq(t_memset(buf, 'z', 3), buf);
    ck_assert_mem_eq(buf, "zzz4", 4);
    ck_assert_int_eq(sign(t_memcmp("abc", "abd", 3)), -1);
    ck_assert_int_eq(sign(t_memcmp("ab\xff", "ab\x01", 3)), 1);
    ck_assert_int_eq(t_memcmp("abc", "abd", 2), 0);
    ck_assert_ptr_eq(t_memchr("hello", 'l', 5), (const char *)"hello" + 2);
    ck_assert_ptr_null(t_memchr("hello", 'l', 2));
    ck_assert_ptr_eq(t_memcpy(buf, "xy", 2), buf);
    ck_assert_mem_eq(buf, "xyz4", 4);
}
END_TEST

/* The word-at-a-time paths against a byte-by-byte model, at every
 * alignment of both ends and lengths around the block size. */
START_TEST(str_memory_words)
{
    static unsigned char a[160], b[160], want[160];

    for (size_t off = 0; off < 9; off++)
        for (size_t soff = 0; soff < 9; soff++)
            for (size_t n = 0; n < 80; n += 1 + n / 8) {
                for (size_t i = 0; i < sizeof a; i++) {
                    a[i] = (unsigned char)(i * 7 + 1);
                    b[i] = want[i] = (unsigned char)(i * 13 + 5);
                }
                for (size_t i = 0; i < n; i++)
                    want[off + i] = a[soff + i];
                ck_assert_ptr_eq(t_memcpy(b + off, a + soff, n), b + off);
                ck_assert_mem_eq(b, want, sizeof b);
                for (size_t i = 0; i < n; i++)
                    want[off + i] = 0xa5;
                t_memset(b + off, 0xa5, n);
                ck_assert_mem_eq(b, want, sizeof b);
                /* overlapping moves both ways within one buffer */
                memcpy(want, a, sizeof a);
                memmove(want + off, want + 40 + soff, n);
                memcpy(b, a, sizeof a);
                ck_assert_ptr_eq(t_memmove(b + off, b + 40 + soff, n), b + off);
                ck_assert_mem_eq(b, want, sizeof b);
                memcpy(want, a, sizeof a);
                memmove(want + 40 + off, want + soff, n);
                memcpy(b, a, sizeof a);
                t_memmove(b + 40 + off, b + soff, n);
                ck_assert_mem_eq(b, want, sizeof b);
            }
}
END_TEST

START_TEST(str_compare_length)
{
    ck_assert_uint_eq(t_strlen(""), 0);
    ck_assert_uint_eq(t_strlen("four"), 4);
    ck_assert_uint_eq(t_strnlen("four", 2), 2);
    ck_assert_uint_eq(t_strnlen("four", 10), 4);
    ck_assert_int_eq(t_strcmp("abc", "abc"), 0);
    ck_assert_int_eq(sign(t_strcmp("abc", "abd")), -1);
    ck_assert_int_eq(sign(t_strcmp("abc", "ab")), 1);
    ck_assert_int_eq(sign(t_strcmp("\xe9", "a")), 1); /* compared as unsigned char */
    ck_assert_int_eq(t_strncmp("abcX", "abcY", 3), 0);
    ck_assert_int_eq(sign(t_strncmp("ab", "abc", 5)), -1);
    ck_assert_int_eq(t_strncmp("a", "b", 0), 0);
}
END_TEST

START_TEST(str_copy)
{
    char buf[8];

    ck_assert_ptr_eq(t_strcpy(buf, "hi"), buf);
    ck_assert_str_eq(buf, "hi");
    memset(buf, 'X', sizeof buf);
    t_strncpy(buf, "ab", 5); /* pads with NULs */
    ck_assert_mem_eq(buf, "ab\0\0\0XXX", 8);
    t_strncpy(buf, "abcdefgh", 3); /* no terminator */
    ck_assert_mem_eq(buf, "abc\0", 4);
    ck_assert_uint_eq(t_strlcpy(buf, "truncated!", sizeof buf), 10);
    ck_assert_str_eq(buf, "truncat");
    ck_assert_uint_eq(t_strlcpy(buf, "ok", sizeof buf), 2);
    ck_assert_str_eq(buf, "ok");
    ck_assert_uint_eq(t_strlcpy(buf, "zero", 0), 4);
    ck_assert_str_eq(buf, "ok");
}
END_TEST

START_TEST(str_search)
{
    const char *s = "a/b/c";

    ck_assert_ptr_eq(t_strchr(s, '/'), s + 1);
    ck_assert_ptr_eq(t_strchr(s, '\0'), s + 5);
    ck_assert_ptr_null(t_strchr(s, 'z'));
    ck_assert_ptr_eq(t_strrchr(s, '/'), s + 3);
    ck_assert_ptr_eq(t_strrchr(s, '\0'), s + 5);
    ck_assert_ptr_null(t_strrchr(s, 'z'));
    ck_assert_ptr_eq(t_strstr(s, "b/c"), s + 2);
    ck_assert_ptr_eq(t_strstr(s, ""), s);
    ck_assert_ptr_eq(t_strstr(s + 5, ""), s + 5);
    ck_assert_ptr_null(t_strstr(s, "c/"));
    ck_assert_ptr_null(t_strstr("ab", "abc"));
}
END_TEST

START_TEST(str_tokens)
{
    char line[] = "  ls -l,, /dev ";
    char *save, *tok;
    const char *want[] = { "ls", "-l", "/dev" };
    int n = 0;

    for (tok = t_strtok_r(line, " ,", &save); tok; tok = t_strtok_r(NULL, " ,", &save)) {
        ck_assert_int_lt(n, 3);
        ck_assert_str_eq(tok, want[n++]);
    }
    ck_assert_int_eq(n, 3);
    ck_assert_ptr_null(t_strtok_r(NULL, " ,", &save));

    char empty[] = " , ";
    ck_assert_ptr_null(t_strtok_r(empty, " ,", &save));
}
END_TEST

/* ------------------------------------------------------------ ctype, stdlib */

START_TEST(ctype_matches_c_locale)
{
    for (int c = -1; c < 256; c++) {
        ck_assert_int_eq(!!t_isdigit(c), !!isdigit(c));
        ck_assert_int_eq(!!t_isspace(c), !!isspace(c));
        ck_assert_int_eq(!!t_isalpha(c), !!isalpha(c));
        ck_assert_int_eq(!!t_isalnum(c), !!isalnum(c));
        ck_assert_int_eq(!!t_isupper(c), !!isupper(c));
        ck_assert_int_eq(!!t_islower(c), !!islower(c));
        ck_assert_int_eq(!!t_isprint(c), !!isprint(c));
        ck_assert_int_eq(!!t_isxdigit(c), !!isxdigit(c));
        ck_assert_int_eq(t_toupper(c), toupper(c));
        ck_assert_int_eq(t_tolower(c), tolower(c));
    }
}
END_TEST

START_TEST(stdlib_strtol_like_glibc)
{
    static const char *inputs[] = {
        "0", "42", "  -17xyz", "+8", "0x1F", "0X", "0x", "0xg", "077", "09", "z", "",
        "   ", "-", "zz", "101", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
        "18446744073709551616", "-1", "\t\n 12", "0x7fffffffffffffff", "1010b",
    };
    static const int bases[] = { 0, 2, 8, 10, 16, 36 };

    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *e_ours, *e_theirs;
            long l = t_strtol(inputs[i], &e_ours, bases[b]);
            ck_assert_msg(l == strtol(inputs[i], &e_theirs, bases[b]), "strtol(\"%s\", %d)",
                          inputs[i], bases[b]);
            ck_assert_ptr_eq(e_ours, e_theirs);
            unsigned long u = t_strtoul(inputs[i], &e_ours, bases[b]);
            ck_assert_msg(u == strtoul(inputs[i], &e_theirs, bases[b]), "strtoul(\"%s\", %d)",
                          inputs[i], bases[b]);
            ck_assert_ptr_eq(e_ours, e_theirs);
        }
    }
    ck_assert_int_eq(t_strtol("12", NULL, 1), 0);
    ck_assert_int_eq(t_strtol("12", NULL, 37), 0);
}
END_TEST

START_TEST(stdlib_atoi_abs)
{
    ck_assert_int_eq(t_atoi("123abc"), 123);
    ck_assert_int_eq(t_atoi("  -2147483648"), INT_MIN);
    ck_assert_int_eq(t_atoi("99999999999"), INT_MAX);
    ck_assert_int_eq(t_atoi("x"), 0);
    ck_assert_int_eq(t_abs(-5), 5);
    ck_assert_int_eq(t_abs(5), 5);
    ck_assert_int_eq(t_abs(0), 0);
}
END_TEST

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

typedef struct rec {
    int key;
    char tag[16];
} rec_t;

static int cmp_rec(const void *a, const void *b)
{
    return cmp_int(&((const rec_t *)a)->key, &((const rec_t *)b)->key);
}

START_TEST(stdlib_qsort)
{
    int v[257];
    rec_t r[50];
    unsigned seed = 7;

    for (int n = 0; n <= 257; n += 16) {
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = (int)(seed >> 8) % 100 - 50; /* many duplicates */
        }
        t_qsort(v, (size_t)n, sizeof v[0], cmp_int);
        for (int i = 1; i < n; i++)
            ck_assert_int_le(v[i - 1], v[i]);
    }
    for (int i = 0; i < 50; i++) {
        r[i].key = 49 - i;
        snprintf(r[i].tag, sizeof r[i].tag, "k%d", 49 - i);
    }
    t_qsort(r, 50, sizeof r[0], cmp_rec);
    for (int i = 0; i < 50; i++) {
        char tag[16];
        snprintf(tag, sizeof tag, "k%d", i);
        ck_assert_int_eq(r[i].key, i);
        ck_assert_str_eq(r[i].tag, tag);
    }
}
END_TEST

static Suite *lib_suite(void)
{
    Suite *s = suite_create("lib");
    TCase *fmt = tcase_create("format");
    TCase *heap = tcase_create("heap");
    TCase *str = tcase_create("string");
    TCase *misc = tcase_create("ctype_stdlib");

    tcase_add_test(fmt, fmt_integers);
    tcase_add_test(fmt, fmt_width_precision);
    tcase_add_test(fmt, fmt_own_choices);
    tcase_add_test(fmt, fmt_snprintf_truncation);
    tcase_add_test(fmt, fmt_sink);
    tcase_add_test(heap, heap_alloc_free_coalesce);
    tcase_add_test(heap, heap_exhaustion);
    tcase_add_test(heap, heap_zero_and_invalid);
    tcase_add_test(heap, heap_realloc_patterns);
    tcase_add_test(heap, heap_regions);
    tcase_add_test(heap, heap_random_stress);
    tcase_add_test(str, str_memory);
    tcase_add_test(str, str_memory_words);
    tcase_add_test(str, str_compare_length);
    tcase_add_test(str, str_copy);
    tcase_add_test(str, str_search);
    tcase_add_test(str, str_tokens);
    tcase_add_test(misc, ctype_matches_c_locale);
    tcase_add_test(misc, stdlib_strtol_like_glibc);
    tcase_add_test(misc, stdlib_atoi_abs);
    tcase_add_test(misc, stdlib_qsort);
    suite_add_tcase(s, fmt);
    suite_add_tcase(s, heap);
    suite_add_tcase(s, str);
    suite_add_tcase(s, misc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lib_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
