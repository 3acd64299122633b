/* chacm-idl: arena allocation and diagnostics of one compilation. */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ctx_init(idl_ctx_t *c, bool quiet)
{
    memset(c, 0, sizeof *c);
    c->blocks = g_ptr_array_new_with_free_func(g_free);
    c->arrays = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    c->tables = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
    c->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->last_error = g_string_new(NULL);
    c->quiet = quiet;
}

void ctx_free(idl_ctx_t *c)
{
    g_ptr_array_unref(c->arrays);
    g_ptr_array_unref(c->tables);
    g_ptr_array_unref(c->blocks);
    g_hash_table_unref(c->strings);
    g_string_free(c->last_error, TRUE);
}

void *ctx_alloc(idl_ctx_t *c, size_t n)
{
    void *p = g_malloc0(n ? n : 1);
    g_ptr_array_add(c->blocks, p);
    return p;
}

char *ctx_strndup(idl_ctx_t *c, const char *s, size_t n)
{
    char *p = ctx_alloc(c, n + 1);
    memcpy(p, s, n);
    return p;
}

char *ctx_strdup(idl_ctx_t *c, const char *s)
{
    return ctx_strndup(c, s, strlen(s));
}

char *ctx_printf(idl_ctx_t *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(c->blocks, s);
    return s;
}

GPtrArray *ctx_array(idl_ctx_t *c)
{
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(c->arrays, a);
    return a;
}

GHashTable *ctx_table(idl_ctx_t *c)
{
    GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
    g_ptr_array_add(c->tables, t);
    return t;
}

const char *ctx_intern(idl_ctx_t *c, const char *s, size_t n)
{
    char *key = g_strndup(s, n);
    const char *old = g_hash_table_lookup(c->strings, key);
    if (old) {
        g_free(key);
        return old;
    }
    g_hash_table_insert(c->strings, key, key);
    return key;
}

void ctx_error(idl_ctx_t *c, idl_loc_t loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_string_printf(c->last_error, "%s:%d:%d: error: %s", loc.file ? loc.file : "<input>",
                    loc.line, loc.col, msg);
    g_free(msg);
    if (!c->quiet)
        fprintf(stderr, "%s\n", c->last_error->str);
    c->errors++;
    longjmp(c->fail, 1);
}
