/* chacm-idl: the compilation context — arena allocation, diagnostics and the
 * escape from a failed parse or check (the first error ends the run). */
#ifndef IDLC_CTX_H
#define IDLC_CTX_H

#include <setjmp.h>
#include <stddef.h>
#include "ast.h"

typedef struct idl_ctx {
    GPtrArray *blocks;      /* arena memory, freed by ctx_free */
    GPtrArray *arrays;      /* GPtrArrays owned by the arena */
    GPtrArray *tables;      /* GHashTables owned by the arena */
    GHashTable *strings;    /* interned file names */
    jmp_buf fail;
    bool quiet;             /* do not print diagnostics (fuzzing) */
    int errors;
    GString *last_error;    /* text of the last diagnostic */
    /* Finds and preprocesses a header named by import (relative to the
     * importing file or on the include path); NULL if there is none. */
    char *(*import_text)(const char *header, const char *from, size_t *len);
} idl_ctx_t;

void ctx_init(idl_ctx_t *c, bool quiet);
void ctx_free(idl_ctx_t *c);

void *ctx_alloc(idl_ctx_t *c, size_t n);
char *ctx_strdup(idl_ctx_t *c, const char *s);
char *ctx_strndup(idl_ctx_t *c, const char *s, size_t n);
char *ctx_printf(idl_ctx_t *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
GPtrArray *ctx_array(idl_ctx_t *c);
GHashTable *ctx_table(idl_ctx_t *c);
const char *ctx_intern(idl_ctx_t *c, const char *s, size_t n);

/* Reports "file:line:col: error: msg" and unwinds to the setjmp in c->fail. */
G_NORETURN void ctx_error(idl_ctx_t *c, idl_loc_t loc, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#endif /* IDLC_CTX_H */
