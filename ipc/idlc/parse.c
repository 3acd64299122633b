/* chacm-idl: recursive-descent parser for the IDL4/DCE dialect — modules,
 * interfaces, constants, types, exceptions and imports.  Methods and
 * parameters are in parse_method.c, types and expressions in parse_type.c. */
#include "parse.h"

#include <setjmp.h>

#include <string.h>

void parse_method(parser_t *p, idl_decl_t *iface, GPtrArray *attrs);

void p_advance(parser_t *p)
{
    if (p->have_next) {
        p->tok = p->next;
        p->have_next = false;
    } else {
        p->tok = lex_next(&p->lx);
    }
}

const token_t *p_peek(parser_t *p)
{
    if (!p->have_next) {
        p->next = lex_next(&p->lx);
        p->have_next = true;
    }
    return &p->next;
}

bool p_is(const parser_t *p, const char *text)
{
    return (p->tok.kind == TK_IDENT || p->tok.kind == TK_PUNCT) && strcmp(p->tok.text, text) == 0;
}

bool p_accept(parser_t *p, const char *text)
{
    if (!p_is(p, text))
        return false;
    p_advance(p);
    return true;
}

static const char *describe(const token_t *t)
{
    switch (t->kind) {
    case TK_EOF: return "end of input";
    case TK_INT: return "integer literal";
    case TK_STRING: return "string literal";
    case TK_CHAR: return "character literal";
    default: return NULL;
    }
}

void p_unexpected(parser_t *p, const char *what)
{
    const char *d = describe(&p->tok);
    if (d)
        ctx_error(p->ctx, p->tok.loc, "expected %s, found %s", what, d);
    ctx_error(p->ctx, p->tok.loc, "expected %s, found '%s'", what, p->tok.text);
}

void p_expect(parser_t *p, const char *text, const char *what)
{
    if (!p_accept(p, text))
        p_unexpected(p, what);
}

const char *p_ident(parser_t *p, const char *what)
{
    if (p->tok.kind != TK_IDENT)
        p_unexpected(p, what);
    const char *s = p->tok.text;
    p_advance(p);
    return s;
}

void p_enter(parser_t *p)
{
    if (++p->depth > IDL_MAX_DEPTH)
        ctx_error(p->ctx, p->tok.loc, "nesting too deep");
}

void p_leave(parser_t *p)
{
    p->depth--;
}

static void definition(parser_t *p);

static void add_decl(parser_t *p, idl_decl_t *d)
{
    if (p->importing) {
        d->imported = true;
        d->from_main = false;
    }
    scope_declare(p, d);
    g_ptr_array_add(p->spec->decls, d);
}

/* const type name = expr ; */
static void const_decl(parser_t *p)
{
    idl_loc_t tloc = p->tok.loc;
    idl_type_t *t = p_type_spec(p);
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the constant's name");
    p_expect(p, "=", "'=' in the constant declaration");
    idl_decl_t *d = decl_new(p, D_CONST, name, at);
    d->type = t;
    const idl_type_t *r = type_resolve(t);
    if (r->kind == TY_STRING) {
        if (p->tok.kind != TK_STRING)
            p_unexpected(p, "a string literal");
        d->strval = p->tok.text;
        p_advance(p);
    } else if (r->kind == TY_INT || r->kind == TY_BOOL || r->kind == TY_ENUM) {
        idl_loc_t vloc = p->tok.loc;
        d->value = p_const_expr(p);
        int bits = r->size[0] * 8;
        bool fits = bits >= 64 || (r->is_signed ? d->value >= -(INT64_C(1) << (bits - 1)) &&
                                                       d->value < (INT64_C(1) << (bits - 1))
                                                 : d->value >= 0 && d->value < (INT64_C(1) << bits));
        if (r->kind == TY_INT && !r->is_signed && bits >= 64 && d->value < 0)
            fits = false;
        if (r->kind == TY_BOOL)
            fits = d->value == 0 || d->value == 1;
        if (!fits)
            ctx_error(p->ctx, vloc, "value %lld does not fit the constant's type", (long long)d->value);
    } else {
        ctx_error(p->ctx, tloc, "constants must have an integer, boolean or string type");
    }
    add_decl(p, d);
}

static int align_up(int v, int a)
{
    return a ? (v + a - 1) / a * a : v;
}

static void struct_member(parser_t *p, idl_decl_t *d, idl_type_t *t)
{
    idl_loc_t tloc = p->tok.loc;
    idl_type_t *base = p_type_spec(p);
    do {
        idl_loc_t at = p->tok.loc;
        if (p_is(p, "*"))
            ctx_error(p->ctx, at, "struct members cannot be pointers");
        idl_member_t *m = ctx_alloc(p->ctx, sizeof *m);
        m->loc = at;
        m->name = p_ident(p, "a member name");
        m->type = p_array_suffix(p, base);
        const idl_type_t *r = type_resolve(m->type);
        if (r->kind == TY_VOID || r->kind == TY_STRING || r->kind == TY_SEQUENCE || r->kind == TY_FPAGE)
            ctx_error(p->ctx, tloc, "struct members must be fixed-size types");
        for (guint i = 0; i < d->members->len; i++) {
            idl_member_t *o = g_ptr_array_index(d->members, i);
            if (strcmp(o->name, m->name) == 0)
                ctx_error(p->ctx, at, "duplicate member '%s' (previous at %d:%d)", m->name, o->loc.line,
                          o->loc.col);
        }
        for (int w = 0; w < 2; w++) {
            int a = r->align[w] ? r->align[w] : 1;
            t->size[w] = align_up(t->size[w], a) + r->size[w];
            if (t->size[w] > (1 << 24))
                ctx_error(p->ctx, at, "struct too large");
            if (a > t->align[w])
                t->align[w] = a;
        }
        g_ptr_array_add(d->members, m);
    } while (p_accept(p, ","));
    p_expect(p, ";", "';' after the struct member");
}

/* '{' members '}' of struct name: declares nothing yet. */
static idl_decl_t *struct_body(parser_t *p, const char *name, idl_loc_t at)
{
    idl_decl_t *d = decl_new(p, D_STRUCT, name, at);
    idl_type_t *t = type_new(p->ctx, TY_STRUCT, d->cname);
    t->decl = d;
    d->type = t;
    d->members = ctx_array(p->ctx);
    p_expect(p, "{", "'{' to open the struct");
    while (!p_accept(p, "}"))
        struct_member(p, d, t);
    if (d->members->len == 0)
        ctx_error(p->ctx, at, "struct '%s' has no members", *name ? name : "(anonymous)");
    for (int w = 0; w < 2; w++)
        t->size[w] = align_up(t->size[w], t->align[w]);
    return d;
}

/* struct name { members } ; (the name and body; the caller takes the ';') */
static idl_decl_t *struct_decl(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the struct's name");
    if (!p_is(p, "{"))
        ctx_error(p->ctx, p->tok.loc, "expected '{' after 'struct %s' (forward declarations are not supported)",
                  name);
    idl_decl_t *d = struct_body(p, name, at);
    if (p->importing)       /* C spells a struct without typedef with its tag */
        d->cname = d->type->cname = ctx_printf(p->ctx, "struct %s", name);
    add_decl(p, d);
    return d;
}

static bool peek_is(parser_t *p, const char *text)
{
    const token_t *n = p_peek(p);
    return n->kind == TK_PUNCT && strcmp(n->text, text) == 0;
}

/* typedef struct [tag] { members } name: an anonymous struct takes the
 * first declarator's name (C's typedef struct {...} t), a tagged one is
 * declared under its tag.  Returns the struct; *anon says which. */
static idl_decl_t *typedef_struct(parser_t *p, bool *anon)
{
    idl_loc_t at = p->tok.loc;
    p_advance(p);
    *anon = p_is(p, "{");
    return *anon ? struct_body(p, "", at) : struct_decl(p);
}

/* Gives anonymous struct d the name of the typedef that declares it. */
static void name_struct(parser_t *p, idl_decl_t *d)
{
    if (p_peek(p)->kind == TK_PUNCT && strcmp(p_peek(p)->text, "[") == 0)
        ctx_error(p->ctx, p->tok.loc, "the first name of an anonymous struct cannot be an array");
    d->loc = p->tok.loc;
    d->name = p_ident(p, "the new type's name");
    d->cname = ctx_printf(p->ctx, "%s%s", d->cname, d->name);
    d->type->cname = d->cname;
    add_decl(p, d);
}

/* typedef type declarator {, declarator} ; */
static void typedef_decl(parser_t *p)
{
    idl_loc_t tloc = p->tok.loc;
    idl_decl_t *st = NULL;
    bool anon = false;
    if (p_is(p, "struct") && (peek_is(p, "{") || p_peek(p)->kind == TK_IDENT))
        st = typedef_struct(p, &anon);
    idl_type_t *base = st ? st->type : p_type_spec(p);
    if (anon) {
        name_struct(p, st);
        if (!p_accept(p, ","))
            return;
    }
    const idl_type_t *r = type_resolve(base);
    if (r->kind == TY_VOID || r->kind == TY_FPAGE)
        ctx_error(p->ctx, tloc, "cannot define a type alias of '%s'", r->cname);
    do {
        if (p_is(p, "*"))
            ctx_error(p->ctx, p->tok.loc, "pointer types cannot be named with typedef");
        idl_loc_t at = p->tok.loc;
        const char *name = p_ident(p, "the new type's name");
        idl_decl_t *d = decl_new(p, D_TYPEDEF, name, at);
        idl_type_t *t = type_new(p->ctx, TY_TYPEDEF, d->cname);
        t->elem = p_array_suffix(p, base);
        const idl_type_t *e = type_resolve(t->elem);
        memcpy(t->size, e->size, sizeof t->size);
        memcpy(t->align, e->align, sizeof t->align);
        t->is_signed = e->is_signed;
        t->decl = d;
        d->type = t;
        if (base->kind == TY_SEQUENCE && !base->cname)
            base->cname = d->cname;
        add_decl(p, d);
    } while (p_accept(p, ","));
}

/* enum name { a [= expr], ... } ; */
static void enum_decl(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the enum's name");
    idl_decl_t *d = decl_new(p, D_ENUM, name, at);
    idl_type_t *t = type_new(p->ctx, TY_ENUM, p->importing ? ctx_printf(p->ctx, "enum %s", name) : d->cname);
    t->size[0] = t->size[1] = t->align[0] = t->align[1] = 4;
    t->is_signed = true;
    t->decl = d;
    d->type = t;
    d->members = ctx_array(p->ctx);
    add_decl(p, d);
    p_expect(p, "{", "'{' after the enum's name");
    int64_t next = 0;
    do {
        if (p_is(p, "}") && d->members->len > 0)
            break;
        idl_loc_t eloc = p->tok.loc;
        idl_decl_t *e = decl_new(p, D_ENUMERATOR, p_ident(p, "an enumerator"), eloc);
        e->type = t;
        if (p_accept(p, "="))
            next = p_const_expr(p);
        if (next < INT32_MIN || next > INT32_MAX)
            ctx_error(p->ctx, eloc, "enumerator value %lld out of range", (long long)next);
        e->value = next++;
        add_decl(p, e);
        g_ptr_array_add(d->members, e);
    } while (p_accept(p, ","));
    p_expect(p, "}", "'}' to close the enum");
}

/* exception name { } ; — members are not supported */
static void exception_decl(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the exception's name");
    idl_decl_t *d = decl_new(p, D_EXCEPTION, name, at);
    p_expect(p, "{", "'{' after the exception's name");
    if (!p_is(p, "}"))
        ctx_error(p->ctx, p->tok.loc, "exceptions with members are not supported");
    p_advance(p);
    idl_decl_t *owner = p->scope->owner;
    if (!owner || owner->kind != D_INTERFACE)
        ctx_error(p->ctx, at, "exceptions must be declared inside an interface");
    g_ptr_array_add(owner->iface->exceptions, d);
    d->value = owner->iface->exceptions->len;
    add_decl(p, d);
}

/* Skips one C declaration or function definition of an imported header. */
static void skip_c_declaration(parser_t *p)
{
    int depth = 0;
    bool after_paren = false, function = false;
    while (p->tok.kind != TK_EOF) {
        bool end = false;
        if (p_is(p, "{")) {
            function |= depth == 0 && after_paren;
            depth++;
        } else if (p_is(p, "}")) {
            end = --depth <= 0 && function;
        } else if (p_is(p, ";")) {
            end = depth <= 0;
        }
        after_paren = p_is(p, ")");
        p_advance(p);
        if (end)
            return;
    }
}

/* One declaration of an imported C header: typedefs, structs and enums are
 * declared (with their C names), everything else is skipped. */
static void c_declaration(parser_t *p)
{
    if (p_accept(p, "typedef"))
        typedef_decl(p);
    else if (p_is(p, "struct") && p_peek(p)->kind == TK_IDENT && (p_advance(p), peek_is(p, "{")))
        struct_decl(p);
    else if (p_is(p, "enum") && p_peek(p)->kind == TK_IDENT && (p_advance(p), peek_is(p, "{")))
        enum_decl(p);
    else {
        skip_c_declaration(p);
        return;
    }
    p_expect(p, ";", "';'");
}

/* The declarations of an imported C header, into the current scope.  What
 * the IDL cannot express (pointer typedefs, unions, prototypes, ...) is
 * left out silently: only a use of such a type is an error. */
static void c_header(parser_t *p)
{
    idl_ctx_t *c = p->ctx;
    jmp_buf saved;
    memcpy(saved, c->fail, sizeof saved);
    bool quiet = c->quiet;
    int errors = c->errors;
    volatile bool skipping = false, give_up = false;
    c->quiet = true;
    if (setjmp(c->fail)) {
        c->errors = errors;
        give_up = skipping;     /* even skipping failed: the lexer cannot go on */
        skipping = true;
    }
    while (!give_up && p->tok.kind != TK_EOF) {
        if (skipping) {
            skip_c_declaration(p);
            skipping = false;
        } else {
            c_declaration(p);
        }
    }
    memcpy(c->fail, saved, sizeof saved);
    c->quiet = quiet;
}

static void import_header(parser_t *p, const char *name)
{
    size_t len = 0;
    char *text = p->ctx->import_text ? p->ctx->import_text(name, p->tok.loc.file, &len) : NULL;
    if (!text)
        return;     /* not found: the client header still includes it */
    parser_t h = { .ctx = p->ctx, .spec = p->spec, .scope = p->scope, .importing = true };
    lex_init(&h.lx, p->ctx, ctx_strndup(p->ctx, text, len), len, name);
    g_free(text);
    p_advance(&h);
    c_header(&h);
}

static void import_decl(parser_t *p)
{
    if (p->tok.kind != TK_STRING)
        p_unexpected(p, "a header name in quotes");
    const char *name = p->tok.text;
    if (p->tok.loc.file == p->lx.main_file || !p->lx.main_file)
        g_ptr_array_add(p->spec->imports, (gpointer)name);
    if (!p->importing)
        import_header(p, name);
    p_advance(p);
}

static void module_decl(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the module's name");
    idl_decl_t *d = scope_lookup_local(p->scope, name);
    if (!d || d->kind != D_MODULE) {   /* modules may be reopened */
        d = decl_new(p, D_MODULE, name, at);
        d->scope = scope_new(p->ctx, p->scope, d);
        add_decl(p, d);
    }
    p_expect(p, "{", "'{' after the module's name");
    p_enter(p);
    idl_scope_t *saved = p->scope;
    p->scope = d->scope;
    while (!p_accept(p, "}")) {
        if (p->tok.kind == TK_EOF)
            p_unexpected(p, "'}' to close the module");
        definition(p);
    }
    p->scope = saved;
    p_leave(p);
}

static void iface_attrs(parser_t *p, idl_decl_t *d, GPtrArray *attrs)
{
    for (guint i = 0; i < attrs->len; i++) {
        idl_attr_t *a = g_ptr_array_index(attrs, i);
        if (strcmp(a->name, "uuid") == 0 && a->has_arg && !a->arg_is_ident) {
            d->iface->has_uuid = true;
            d->iface->uuid = a->value;
            d->iface->uuid_loc = a->arg_loc;
        } else if (strcmp(a->name, "uuid") == 0) {
            ctx_error(p->ctx, a->loc, "uuid needs a constant argument");
        } else if (strcmp(a->name, "object") != 0 && strcmp(a->name, "version") != 0) {
            ctx_error(p->ctx, a->loc, "unknown interface attribute '%s'", a->name);
        }
    }
}

static void base_list(parser_t *p, idl_decl_t *d)
{
    do {
        idl_base_ref_t *b = ctx_alloc(p->ctx, sizeof *b);
        b->decl = p_scoped_name(p, &b->loc);
        if (b->decl->kind != D_INTERFACE)
            ctx_error(p->ctx, b->loc, "'%s' is not an interface", b->decl->name);
        if (b->decl == d)
            ctx_error(p->ctx, b->loc, "interface '%s' inherits from itself", d->name);
        for (guint i = 0; i < d->iface->bases->len; i++)
            if (((idl_base_ref_t *)g_ptr_array_index(d->iface->bases, i))->decl == b->decl)
                ctx_error(p->ctx, b->loc, "'%s' is listed twice as a base", b->decl->name);
        g_ptr_array_add(d->iface->bases, b);
    } while (p_accept(p, ","));
}

static void interface_body(parser_t *p, idl_decl_t *d)
{
    idl_scope_t *saved = p->scope;
    p->scope = d->iface->scope;
    while (!p_accept(p, "}")) {
        if (p->tok.kind == TK_EOF)
            p_unexpected(p, "'}' to close the interface");
        if (p_is(p, "const") || p_is(p, "typedef") || p_is(p, "struct") || p_is(p, "enum") ||
            p_is(p, "exception") || p_is(p, "import")) {
            definition(p);
            continue;
        }
        if (p_is(p, "attribute") || p_is(p, "readonly") || p_is(p, "interface") || p_is(p, "module"))
            ctx_error(p->ctx, p->tok.loc, "'%s' is not allowed inside an interface", p->tok.text);
        p->pending_doc = p->lx.doc;
        p->lx.doc = NULL;
        parse_method(p, d, p_attributes(p));
    }
    p->scope = saved;
}

/* [attrs] interface name [: base, ...] { exports } ;   or a forward declaration */
static void interface_decl(parser_t *p, GPtrArray *attrs)
{
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the interface's name");
    idl_decl_t *d = scope_lookup_local(p->scope, name);
    if (d && (d->kind != D_INTERFACE || d->iface->defined))
        ctx_error(p->ctx, at, "redefinition of '%s' (previous declaration at %d:%d)", name, d->loc.line,
                  d->loc.col);
    if (!d) {
        d = decl_new(p, D_INTERFACE, name, at);
        d->iface = ctx_alloc(p->ctx, sizeof *d->iface);
        d->iface->bases = ctx_array(p->ctx);
        d->iface->methods = ctx_array(p->ctx);
        d->iface->exceptions = ctx_array(p->ctx);
        add_decl(p, d);
    }
    if (p_is(p, ";")) {
        if (attrs->len)
            ctx_error(p->ctx, at, "attributes on a forward declaration");
        return;
    }
    d->loc = at;
    d->from_main = p->lx.main_file && at.file == p->lx.main_file;
    if (p->pending_doc)
        d->doc = p->pending_doc;
    p->pending_doc = NULL;
    d->iface->defined = true;
    d->iface->scope = scope_new(p->ctx, p->scope, d);
    g_ptr_array_add(p->spec->interfaces, d);
    iface_attrs(p, d, attrs);
    if (p_accept(p, ":"))
        base_list(p, d);
    p_expect(p, "{", "'{' to open the interface");
    interface_body(p, d);
}

static void definition(parser_t *p)
{
    idl_loc_t at = p->tok.loc;
    p->pending_doc = p->lx.doc;
    p->lx.doc = NULL;
    GPtrArray *attrs = p_attributes(p);
    if (attrs->len && !p_is(p, "interface"))
        p_unexpected(p, "'interface' after the attribute list");
    if (p->tok.kind != TK_IDENT)
        p_unexpected(p, "a definition");
    const char *kw = p->tok.text;
    p_advance(p);
    if (strcmp(kw, "module") == 0 || strcmp(kw, "library") == 0)
        module_decl(p);
    else if (strcmp(kw, "interface") == 0)
        interface_decl(p, attrs);
    else if (strcmp(kw, "const") == 0)
        const_decl(p);
    else if (strcmp(kw, "typedef") == 0)
        typedef_decl(p);
    else if (strcmp(kw, "struct") == 0)
        struct_decl(p);
    else if (strcmp(kw, "enum") == 0)
        enum_decl(p);
    else if (strcmp(kw, "exception") == 0)
        exception_decl(p);
    else if (strcmp(kw, "import") == 0)
        import_decl(p);
    else if (strcmp(kw, "union") == 0 || strcmp(kw, "local") == 0 || strcmp(kw, "valuetype") == 0)
        ctx_error(p->ctx, at, "'%s' is not supported", kw);
    else
        ctx_error(p->ctx, at, "expected a definition, found '%s'", kw);
    p_expect(p, ";", "';' after the definition");
}

idl_spec_t *parse_spec(idl_ctx_t *ctx, const char *buf, size_t len, const char *file)
{
    parser_t p = { .ctx = ctx };
    idl_spec_t *spec = ctx_alloc(ctx, sizeof *spec);
    spec->decls = ctx_array(ctx);
    spec->imports = ctx_array(ctx);
    spec->interfaces = ctx_array(ctx);
    spec->root = scope_new(ctx, NULL, NULL);
    scope_add_builtins(ctx, spec->root);
    p.spec = spec;
    p.scope = spec->root;
    lex_init(&p.lx, ctx, buf, len, file);
    p_advance(&p);
    while (p.tok.kind != TK_EOF)
        definition(&p);
    spec->main_file = p.lx.main_file ? p.lx.main_file : p.lx.file;
    return spec;
}
