/* chacm-idl: the lexer.  It reads preprocessed text (or raw text when no
 * preprocessor runs), follows cpp line markers so every token carries the
 * location in the original file, and skips comments. */
#ifndef IDLC_LEX_H
#define IDLC_LEX_H

#include "ctx.h"

typedef enum {
    TK_EOF, TK_IDENT, TK_INT, TK_STRING, TK_CHAR, TK_PUNCT,
} tok_kind_t;

typedef struct token {
    tok_kind_t kind;
    idl_loc_t loc;
    const char *text;   /* identifier, punctuator ("::", "<<", ...) or string value */
    int64_t value;      /* TK_INT, TK_CHAR */
    bool is_unsigned_big; /* integer literal above INT64_MAX (rejected by the parser) */
} token_t;

typedef struct lexer {
    idl_ctx_t *ctx;
    const char *buf;
    size_t len, pos;
    const char *file;
    int line, col;
    bool line_start;
    const char *main_file;  /* the file being compiled */
    const char *doc;        /* last documentation comment, cleared by ; { } */
} lexer_t;

void lex_init(lexer_t *lx, idl_ctx_t *ctx, const char *buf, size_t len, const char *file);
token_t lex_next(lexer_t *lx);

#endif /* IDLC_LEX_H */
