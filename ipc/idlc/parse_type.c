/* chacm-idl: type specifiers, constant expressions, attributes and scoped
 * names — the parts of the grammar shared by every kind of definition. */
#include "parse.h"

#include <string.h>

static idl_type_t *int_type(parser_t *p, const char *cname, int s32, int s64, bool is_signed)
{
    idl_type_t *t = type_new(p->ctx, TY_INT, cname);
    t->size[0] = s32;
    t->size[1] = s64;
    t->align[0] = s32 > 4 ? 4 : s32;
    t->align[1] = s64;
    t->is_signed = is_signed;
    return t;
}

/* [unsigned|signed] char/short/int/long/long long/small/hyper */
static idl_type_t *integer_spec(parser_t *p)
{
    bool is_unsigned = false, sign_given = false;
    if (p_is(p, "unsigned") || p_is(p, "signed")) {
        is_unsigned = p_is(p, "unsigned");
        sign_given = true;
        p_advance(p);
    }
    const char *u = is_unsigned ? "unsigned " : "";
    if (p_accept(p, "char"))
        return int_type(p, is_unsigned ? "unsigned char" : sign_given ? "signed char" : "char", 1, 1,
                        !is_unsigned);
    if (p_accept(p, "small"))
        return int_type(p, is_unsigned ? "uint8_t" : "int8_t", 1, 1, !is_unsigned);
    if (p_accept(p, "hyper"))
        return int_type(p, is_unsigned ? "uint64_t" : "int64_t", 8, 8, !is_unsigned);
    if (p_accept(p, "short")) {
        p_accept(p, "int");
        return int_type(p, ctx_printf(p->ctx, "%sshort", u), 2, 2, !is_unsigned);
    }
    if (p_accept(p, "long")) {
        if (p_accept(p, "long")) {
            p_accept(p, "int");
            return int_type(p, ctx_printf(p->ctx, "%slong long", u), 8, 8, !is_unsigned);
        }
        p_accept(p, "int");
        return int_type(p, ctx_printf(p->ctx, "%slong", u), 4, 8, !is_unsigned);
    }
    if (p_accept(p, "int") || sign_given)
        return int_type(p, ctx_printf(p->ctx, "%sint", u), 4, 4, !is_unsigned);
    return NULL;
}

static int64_t bound_arg(parser_t *p, const char *what)
{
    idl_loc_t at = p->tok.loc;
    int64_t n = p_const_expr(p);
    if (n <= 0 || n > (1 << 22))
        ctx_error(p->ctx, at, "%s bound %lld out of range (1..%d)", what, (long long)n, 1 << 22);
    return n;
}

static idl_type_t *string_spec(parser_t *p)
{
    idl_type_t *t = type_new(p->ctx, TY_STRING, "char *");
    if (p_accept(p, "<")) {
        t->count = bound_arg(p, "string");
        p_expect(p, ">", "'>' after the string bound");
    }
    return t;
}

static idl_type_t *sequence_spec(parser_t *p)
{
    idl_type_t *t = type_new(p->ctx, TY_SEQUENCE, NULL);
    p_expect(p, "<", "'<' after 'sequence'");
    idl_loc_t at = p->tok.loc;
    p_enter(p);
    t->elem = p_type_spec(p);
    p_leave(p);
    const idl_type_t *e = type_resolve(t->elem);
    if (e->kind == TY_VOID || e->kind == TY_STRING || e->kind == TY_SEQUENCE || e->kind == TY_FPAGE)
        ctx_error(p->ctx, at, "sequence elements must be fixed-size types");
    if (p_accept(p, ","))
        t->count = bound_arg(p, "sequence");
    p_expect(p, ">", "'>' to close the sequence type");
    return t;
}

static idl_type_t *named_type(parser_t *p)
{
    idl_loc_t at;
    idl_decl_t *d = p_scoped_name(p, &at);
    switch (d->kind) {
    case D_BUILTIN:
    case D_TYPEDEF:
    case D_STRUCT:
    case D_ENUM:
        return d->type;
    case D_INTERFACE: {
        idl_type_t *t = type_new(p->ctx, TY_WORD, "L4_ThreadId_t");
        t->size[0] = 4;
        t->size[1] = 8;
        t->align[0] = 4;
        t->align[1] = 8;
        return t;
    }
    default:
        ctx_error(p->ctx, at, "'%s' is not a type", d->name);
    }
}

static idl_type_t *float_type(parser_t *p, const char *cname, int size)
{
    idl_type_t *t = type_new(p->ctx, TY_FLOAT, cname);
    t->size[0] = t->size[1] = size;
    t->align[0] = 4;
    t->align[1] = size;
    return t;
}

idl_type_t *p_type_spec(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    if (p->tok.kind != TK_IDENT && !p_is(p, "::"))
        p_unexpected(p, "a type");
    idl_type_t *t = integer_spec(p);
    if (t)
        return t;
    if (p_accept(p, "void"))
        return type_new(p->ctx, TY_VOID, "void");
    if (p_accept(p, "boolean")) {
        t = int_type(p, "bool", 1, 1, false);
        t->kind = TY_BOOL;
        return t;
    }
    if (p_accept(p, "octet") || p_accept(p, "byte"))
        return int_type(p, "uint8_t", 1, 1, false);
    if (p_accept(p, "float"))
        return float_type(p, "float", 4);
    if (p_accept(p, "double"))
        return float_type(p, "double", 8);
    if (p_accept(p, "string"))
        return string_spec(p);
    if (p_accept(p, "sequence"))
        return sequence_spec(p);
    if (p->importing && (p_is(p, "struct") || p_is(p, "enum")))
        p_advance(p);       /* C's 'struct tag' in an imported header */
    else if (p_is(p, "struct") || p_is(p, "enum") || p_is(p, "union"))
        ctx_error(p->ctx, at, "name the type without '%s' (or declare it first)", p->tok.text);
    if (p_is(p, "any") || p_is(p, "wchar") || p_is(p, "wstring") || p_is(p, "Object") ||
        p_is(p, "fixed"))
        ctx_error(p->ctx, at, "type '%s' is not supported", p->tok.text);
    return named_type(p);
}

/* ident[N][M]... after a declarator name: arrays of the base type. */
idl_type_t *p_array_suffix(parser_t *p, idl_type_t *base)
{
    if (!p_is(p, "["))
        return base;
    idl_loc_t at = p->tok.loc;
    p_advance(p);
    int64_t n = p_const_expr(p);
    if (n <= 0 || n > 65536)
        ctx_error(p->ctx, at, "array length %lld out of range (1..65536)", (long long)n);
    p_expect(p, "]", "']' after the array length");
    p_enter(p);
    idl_type_t *inner = p_array_suffix(p, base);
    p_leave(p);
    const idl_type_t *e = type_resolve(inner);
    if (e->kind == TY_VOID || e->kind == TY_STRING || e->kind == TY_SEQUENCE || e->kind == TY_FPAGE)
        ctx_error(p->ctx, at, "array elements must be fixed-size types");
    idl_type_t *t = type_new(p->ctx, TY_ARRAY, NULL);
    t->elem = inner;
    t->count = n;
    for (int w = 0; w < 2; w++) {
        t->size[w] = (int)(n * e->size[w] > (1 << 24) ? (1 << 24) : n * e->size[w]);
        t->align[w] = e->align[w];
    }
    return t;
}

/* ---- constant expressions: C precedence, 64-bit, every overflow an error ---- */

static int64_t expr_or(parser_t *p);

static G_NORETURN void overflow(parser_t *p, idl_loc_t at)
{
    ctx_error(p->ctx, at, "integer overflow in constant expression");
}

static int64_t primary(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    if (p->tok.kind == TK_INT || p->tok.kind == TK_CHAR) {
        if (p->tok.is_unsigned_big)
            ctx_error(p->ctx, at, "integer literal too large");
        int64_t v = p->tok.value;
        p_advance(p);
        return v;
    }
    if (p_accept(p, "(")) {
        int64_t v = expr_or(p);
        p_expect(p, ")", "')'");
        return v;
    }
    if (p_accept(p, "TRUE") || p_accept(p, "true"))
        return 1;
    if (p_accept(p, "FALSE") || p_accept(p, "false"))
        return 0;
    if (p->tok.kind == TK_IDENT || p_is(p, "::")) {
        idl_decl_t *d = p_scoped_name(p, &at);
        if (d->kind != D_CONST && d->kind != D_ENUMERATOR)
            ctx_error(p->ctx, at, "'%s' is not a constant", d->name);
        if (d->strval)
            ctx_error(p->ctx, at, "string constant '%s' used in an integer expression", d->name);
        return d->value;
    }
    p_unexpected(p, "an integer expression");
}

static int64_t unary(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    p_enter(p);
    int64_t v;
    if (p_accept(p, "-")) {
        v = unary(p);
        if (v == INT64_MIN)
            overflow(p, at);
        v = -v;
    } else if (p_accept(p, "+")) {
        v = unary(p);
    } else if (p_accept(p, "~")) {
        v = ~unary(p);
    } else {
        v = primary(p);
    }
    p_leave(p);
    return v;
}

static int64_t binop(parser_t *p, int64_t a, const char *op, int64_t b, idl_loc_t at)
{
    int64_t r = 0;
    switch (op[0]) {
    case '*': if (__builtin_mul_overflow(a, b, &r)) overflow(p, at); return r;
    case '+': if (__builtin_add_overflow(a, b, &r)) overflow(p, at); return r;
    case '-': if (__builtin_sub_overflow(a, b, &r)) overflow(p, at); return r;
    case '/':
    case '%':
        if (b == 0)
            ctx_error(p->ctx, at, "division by zero in constant expression");
        if (a == INT64_MIN && b == -1)
            overflow(p, at);
        return op[0] == '/' ? a / b : a % b;
    case '<':
    case '>':
        if (b < 0 || b > 62 || a < 0)
            ctx_error(p->ctx, at, "shift out of range in constant expression");
        if (op[0] == '>')
            return a >> b;
        if (a > (INT64_MAX >> b))
            overflow(p, at);
        return a << b;
    case '&': return a & b;
    case '^': return a ^ b;
    default: return a | b;
    }
}

/* Binary operators by level, loosest first. */
static const char *const levels[][4] = {
    { "|", NULL }, { "^", NULL }, { "&", NULL }, { "<<", ">>", NULL }, { "+", "-", NULL },
    { "*", "/", "%", NULL },
};

static int64_t level(parser_t *p, int n)
{
    if (n == (int)G_N_ELEMENTS(levels))
        return unary(p);
    p_enter(p);
    int64_t v = level(p, n + 1);
    for (;;) {
        const char *op = NULL;
        for (int i = 0; levels[n][i]; i++)
            if (p_is(p, levels[n][i]))
                op = levels[n][i];
        if (!op)
            break;
        idl_loc_t at = p->tok.loc;
        p_advance(p);
        v = binop(p, v, op, level(p, n + 1), at);
    }
    p_leave(p);
    return v;
}

static int64_t expr_or(parser_t *p)
{
    return level(p, 0);
}

int64_t p_const_expr(parser_t *p)
{
    return expr_or(p);
}

/* ---- attributes: '[' name ['(' arg ')'] {',' ...} ']' ---- */

static void attribute(parser_t *p, GPtrArray *list)
{
    idl_attr_t *a = ctx_alloc(p->ctx, sizeof *a);
    a->loc = p->tok.loc;
    a->name = p_ident(p, "an attribute name");
    if (p_accept(p, "(")) {
        a->has_arg = true;
        a->arg_loc = p->tok.loc;
        if (p->tok.kind == TK_IDENT && p_peek(p)->kind == TK_PUNCT && strcmp(p_peek(p)->text, ")") == 0 &&
            !scope_lookup(p->scope, p->tok.text)) {
            a->arg_is_ident = true;
            a->ident = p->tok.text;
            p_advance(p);
        } else if (p->tok.kind == TK_IDENT && p_peek(p)->kind == TK_PUNCT &&
                   strcmp(p_peek(p)->text, ")") == 0 && strcmp(a->name, "length_is") == 0) {
            a->arg_is_ident = true;   /* a parameter name that shadows a constant */
            a->ident = p->tok.text;
            p_advance(p);
        } else {
            a->value = p_const_expr(p);
        }
        p_expect(p, ")", "')' after the attribute argument");
    }
    for (guint i = 0; i < list->len; i++) {
        idl_attr_t *o = g_ptr_array_index(list, i);
        if (strcmp(o->name, a->name) == 0)
            ctx_error(p->ctx, a->loc, "duplicate attribute '%s'", a->name);
    }
    g_ptr_array_add(list, a);
}

GPtrArray *p_attributes(parser_t *p)
{
    GPtrArray *list = ctx_array(p->ctx);
    if (!p_accept(p, "["))
        return list;
    if (p_is(p, "]"))
        p_unexpected(p, "an attribute");
    do
        attribute(p, list);
    while (p_accept(p, ","));
    p_expect(p, "]", "']' or ',' in the attribute list");
    return list;
}

/* ---- scoped names: [::] a {:: b} ---- */

idl_decl_t *p_scoped_name(parser_t *p, idl_loc_t *loc)
{
    *loc = p->tok.loc;
    idl_scope_t *s = p->scope;
    bool absolute = p_accept(p, "::");
    if (absolute)
        while (s->parent)
            s = s->parent;
    const char *name = p_ident(p, "a name");
    idl_decl_t *d = absolute ? scope_lookup_local(s, name) : scope_lookup(s, name);
    while (d && p_is(p, "::")) {
        p_advance(p);
        idl_loc_t at = p->tok.loc;
        const char *inner = p_ident(p, "a name after '::'");
        idl_scope_t *in = d->kind == D_MODULE ? d->scope : d->kind == D_INTERFACE ? d->iface->scope : NULL;
        if (!in)
            ctx_error(p->ctx, at, "'%s' is not a module or interface", d->name);
        name = inner;
        d = scope_lookup_local(in, inner);
        if (!d)
            ctx_error(p->ctx, at, "'%s' is not declared in this scope", inner);
    }
    if (!d)
        ctx_error(p->ctx, *loc, "'%s' is not declared", name);
    return d;
}
