/* chacm-idl: the parser's interface.  parse_spec builds the tree of one
 * preprocessed specification; on the first error it reports and unwinds
 * through ctx->fail, so callers set that jump point first. */
#ifndef IDLC_PARSE_H
#define IDLC_PARSE_H

#include "ctx.h"
#include "lex.h"

#define IDL_MAX_DEPTH 100   /* nesting of modules, expressions, types */

typedef struct parser {
    idl_ctx_t *ctx;
    lexer_t lx;
    token_t tok, next;
    bool have_next;
    idl_spec_t *spec;
    idl_scope_t *scope;
    int depth;
    const char *pending_doc;    /* doc comment of the definition being parsed */
    bool importing;             /* declarations of an imported C header (C names) */
} parser_t;

/* Parses buf (preprocessed text; file names the input for locations). */
idl_spec_t *parse_spec(idl_ctx_t *ctx, const char *buf, size_t len, const char *file);

/* --- shared between the parser's files --- */
void p_advance(parser_t *p);
const token_t *p_peek(parser_t *p);
bool p_is(const parser_t *p, const char *text);
bool p_accept(parser_t *p, const char *text);
void p_expect(parser_t *p, const char *text, const char *what);
const char *p_ident(parser_t *p, const char *what);
G_NORETURN void p_unexpected(parser_t *p, const char *what);
void p_enter(parser_t *p);
void p_leave(parser_t *p);

idl_type_t *p_type_spec(parser_t *p);
idl_type_t *p_array_suffix(parser_t *p, idl_type_t *base);
int64_t p_const_expr(parser_t *p);
GPtrArray *p_attributes(parser_t *p);
idl_decl_t *p_scoped_name(parser_t *p, idl_loc_t *loc);

/* Symbol tables (scope.c). */
idl_scope_t *scope_new(idl_ctx_t *ctx, idl_scope_t *parent, idl_decl_t *owner);
void scope_declare(parser_t *p, idl_decl_t *d);
idl_decl_t *scope_lookup(idl_scope_t *s, const char *name);
idl_decl_t *scope_lookup_local(idl_scope_t *s, const char *name);
idl_decl_t *decl_new(parser_t *p, decl_kind_t kind, const char *name, idl_loc_t loc);
void scope_add_builtins(idl_ctx_t *ctx, idl_scope_t *root);
idl_type_t *type_new(idl_ctx_t *ctx, ty_kind_t kind, const char *cname);
bool type_is_integer(const idl_type_t *t);
const idl_type_t *type_resolve(const idl_type_t *t);

#endif /* IDLC_PARSE_H */
