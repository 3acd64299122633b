/* chacm-idl: tokens from preprocessed IDL text, located in the original file. */
#include "lex.h"

#include <ctype.h>
#include <string.h>

void lex_init(lexer_t *lx, idl_ctx_t *ctx, const char *buf, size_t len, const char *file)
{
    memset(lx, 0, sizeof *lx);
    lx->ctx = ctx;
    lx->buf = buf;
    lx->len = len;
    lx->file = ctx_intern(ctx, file, strlen(file));
    lx->main_file = lx->file;
    lx->line = 1;
    lx->col = 1;
    lx->line_start = true;
}

static int peek(const lexer_t *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->buf[lx->pos + ahead] : -1;
}

static void advance(lexer_t *lx)
{
    if (lx->pos >= lx->len)
        return;
    if (lx->buf[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
        lx->line_start = true;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static idl_loc_t here(const lexer_t *lx)
{
    return (idl_loc_t){ lx->file, lx->line, lx->col };
}

/* Reads the rest of a "# 12 "file" flags" line; other directives are skipped. */
static void line_marker(lexer_t *lx)
{
    idl_loc_t at = here(lx);
    advance(lx); /* '#' */
    while (peek(lx, 0) == ' ' || peek(lx, 0) == '\t')
        advance(lx);
    if (peek(lx, 0) == 'l' && lx->len - lx->pos >= 4 && memcmp(lx->buf + lx->pos, "line", 4) == 0) {
        for (int i = 0; i < 4; i++)
            advance(lx);
        while (peek(lx, 0) == ' ' || peek(lx, 0) == '\t')
            advance(lx);
    }
    if (peek(lx, 0) < '0' || peek(lx, 0) > '9') {
        if (peek(lx, 0) == 'p') { /* #pragma: ignored */
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                advance(lx);
            return;
        }
        ctx_error(lx->ctx, at, "unexpected '#' (preprocessor directive left in the input)");
    }
    long line = 0;
    while (peek(lx, 0) >= '0' && peek(lx, 0) <= '9') {
        if (line < 100000000)
            line = line * 10 + (peek(lx, 0) - '0');
        advance(lx);
    }
    while (peek(lx, 0) == ' ' || peek(lx, 0) == '\t')
        advance(lx);
    const char *file = lx->file;
    if (peek(lx, 0) == '"') {
        advance(lx);
        size_t start = lx->pos;
        while (peek(lx, 0) != -1 && peek(lx, 0) != '"' && peek(lx, 0) != '\n')
            advance(lx);
        if (peek(lx, 0) != '"')
            ctx_error(lx->ctx, at, "malformed line marker");
        file = ctx_intern(lx->ctx, lx->buf + start, lx->pos - start);
        advance(lx);
    }
    while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
        advance(lx);
    advance(lx);
    lx->file = file;
    lx->line = (int)line;
    lx->col = 1;
}

/* Keeps the text of a documentation comment (slash-star-star or three
 * slashes), joining consecutive triple-slash lines. */
static void doc_comment(lexer_t *lx, size_t start, size_t end)
{
    const char *s = lx->buf + start;
    size_t n = end - start;
    bool block = n >= 5 && s[1] == '*' && s[2] == '*' && s[3] != '/';
    bool line = n >= 3 && s[1] == '/' && s[2] == '/';
    if (!block && !line)
        return;
    GString *text = g_string_new(line && lx->doc ? lx->doc : NULL);
    const char *p = s + 3, *e = block ? s + n - 2 : s + n;
    while (p < e) {
        while (p < e && (*p == ' ' || *p == '\t' || *p == '*' || *p == '/'))
            p++;
        const char *q = p;
        while (q < e && *q != '\n')
            q++;
        if (q > p) {
            if (text->len)
                g_string_append_c(text, ' ');
            g_string_append_len(text, p, q - p);
        }
        p = q + 1;
    }
    while (text->len && (text->str[text->len - 1] == ' ' || text->str[text->len - 1] == '\r'))
        g_string_truncate(text, text->len - 1);
    lx->doc = ctx_strndup(lx->ctx, text->str, text->len);
    g_string_free(text, TRUE);
}

static void skip_space(lexer_t *lx)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            advance(lx);
        } else if (c == '#' && lx->line_start) {
            line_marker(lx);
        } else if (c == '/' && peek(lx, 1) == '/') {
            size_t start = lx->pos;
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                advance(lx);
            doc_comment(lx, start, lx->pos);
        } else if (c == '/' && peek(lx, 1) == '*') {
            idl_loc_t at = here(lx);
            size_t at_pos = lx->pos;
            advance(lx);
            advance(lx);
            while (!(peek(lx, 0) == '*' && peek(lx, 1) == '/')) {
                if (peek(lx, 0) == -1)
                    ctx_error(lx->ctx, at, "unterminated comment");
                advance(lx);
            }
            advance(lx);
            advance(lx);
            doc_comment(lx, at_pos, lx->pos);
        } else {
            return;
        }
        if (c != '\n' && c != ' ' && c != '\t' && c != '\r' && c != '#')
            lx->line_start = false;
    }
}

static int escape(lexer_t *lx, idl_loc_t at)
{
    advance(lx); /* backslash */
    int c = peek(lx, 0);
    advance(lx);
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return 0;
    case '\\': case '\'': case '"': return c;
    default:
        ctx_error(lx->ctx, at, "unknown escape sequence in literal");
    }
}

static token_t string_lit(lexer_t *lx, token_t t)
{
    GString *s = g_string_new(NULL);
    advance(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c == -1 || c == '\n') {
            g_string_free(s, TRUE);
            ctx_error(lx->ctx, t.loc, "unterminated string literal");
        }
        if (c == '"')
            break;
        if (c == '\\') {
            c = escape(lx, t.loc);
            if (c == 0) {
                g_string_free(s, TRUE);
                ctx_error(lx->ctx, t.loc, "NUL character in string literal");
            }
        } else {
            advance(lx);
        }
        g_string_append_c(s, (char)c);
    }
    advance(lx);
    t.kind = TK_STRING;
    t.text = ctx_strndup(lx->ctx, s->str, s->len);
    g_string_free(s, TRUE);
    return t;
}

static token_t char_lit(lexer_t *lx, token_t t)
{
    advance(lx);
    int c = peek(lx, 0);
    if (c == -1 || c == '\n' || c == '\'')
        ctx_error(lx->ctx, t.loc, "empty or unterminated character literal");
    if (c == '\\')
        c = escape(lx, t.loc);
    else
        advance(lx);
    if (peek(lx, 0) != '\'')
        ctx_error(lx->ctx, t.loc, "unterminated character literal");
    advance(lx);
    t.kind = TK_CHAR;
    t.value = c;
    return t;
}

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

static token_t number(lexer_t *lx, token_t t)
{
    int base = 10;
    if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X')) {
        base = 16;
        advance(lx);
        advance(lx);
        if (digit_value(peek(lx, 0)) >= 16)
            ctx_error(lx->ctx, t.loc, "hexadecimal literal without digits");
    } else if (peek(lx, 0) == '0') {
        base = 8;
    }
    uint64_t v = 0;
    bool over = false;
    while (peek(lx, 0) != -1 && isalnum(peek(lx, 0))) {
        int d = digit_value(peek(lx, 0));
        if (d >= base)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            over = true;
        v = v * (uint64_t)base + (uint64_t)d;
        advance(lx);
    }
    while (peek(lx, 0) == 'u' || peek(lx, 0) == 'U' || peek(lx, 0) == 'l' || peek(lx, 0) == 'L')
        advance(lx);
    if (peek(lx, 0) != -1 && (isalnum(peek(lx, 0)) || peek(lx, 0) == '_' || peek(lx, 0) == '.'))
        ctx_error(lx->ctx, t.loc, "invalid integer literal");
    if (over)
        ctx_error(lx->ctx, t.loc, "integer literal too large");
    t.kind = TK_INT;
    t.value = (int64_t)v;
    t.is_unsigned_big = v > (uint64_t)INT64_MAX;
    return t;
}

static const char *const puncts2[] = { "::", "<<", ">>", NULL };
static const char puncts1[] = "{}()[]<>;,:=*+-/%~&|^";

token_t lex_next(lexer_t *lx)
{
    skip_space(lx);
    lx->line_start = false;
    token_t t = { .kind = TK_EOF, .loc = here(lx) };
    int c = peek(lx, 0);
    if (c == -1)
        return t;
    if (isalpha(c) || c == '_') {
        size_t start = lx->pos;
        while (peek(lx, 0) != -1 && (isalnum(peek(lx, 0)) || peek(lx, 0) == '_'))
            advance(lx);
        t.kind = TK_IDENT;
        t.text = ctx_strndup(lx->ctx, lx->buf + start, lx->pos - start);
        return t;
    }
    if (isdigit(c))
        return number(lx, t);
    if (c == '"')
        return string_lit(lx, t);
    if (c == '\'')
        return char_lit(lx, t);
    for (int i = 0; puncts2[i]; i++) {
        if (c == puncts2[i][0] && peek(lx, 1) == puncts2[i][1]) {
            advance(lx);
            advance(lx);
            t.kind = TK_PUNCT;
            t.text = puncts2[i];
            return t;
        }
    }
    const char *p = c ? strchr(puncts1, c) : NULL;
    if (!p) {
        if (c >= 0x20 && c < 0x7f)
            ctx_error(lx->ctx, t.loc, "unexpected character '%c'", c);
        ctx_error(lx->ctx, t.loc, "unexpected byte 0x%02x", c);
    }
    advance(lx);
    t.kind = TK_PUNCT;
    t.text = ctx_strndup(lx->ctx, p, 1);
    if (c == ';' || c == '{' || c == '}')
        lx->doc = NULL;
    return t;
}
