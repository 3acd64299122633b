/* chacm-idl: scopes, declarations, the predefined type names and IDL4's
 * built-in module idl4 (the kernel message numbers). */
#include "check.h"
#include "parse.h"

#include <string.h>

idl_scope_t *scope_new(idl_ctx_t *ctx, idl_scope_t *parent, idl_decl_t *owner)
{
    idl_scope_t *s = ctx_alloc(ctx, sizeof *s);
    s->parent = parent;
    s->owner = owner;
    s->names = ctx_table(ctx);
    return s;
}

idl_type_t *type_new(idl_ctx_t *ctx, ty_kind_t kind, const char *cname)
{
    idl_type_t *t = ctx_alloc(ctx, sizeof *t);
    t->kind = kind;
    t->cname = cname;
    return t;
}

const idl_type_t *type_resolve(const idl_type_t *t)
{
    while (t && t->kind == TY_TYPEDEF)
        t = t->elem;
    return t;
}

bool type_is_integer(const idl_type_t *t)
{
    t = type_resolve(t);
    return t && (t->kind == TY_INT || t->kind == TY_ENUM);
}

idl_decl_t *decl_new(parser_t *p, decl_kind_t kind, const char *name, idl_loc_t loc)
{
    idl_decl_t *d = ctx_alloc(p->ctx, sizeof *d);
    d->kind = kind;
    d->name = name;
    d->loc = loc;
    d->parent = p->scope;
    d->from_main = p->lx.main_file && loc.file == p->lx.main_file;
    const char *prefix = "";
    if (p->scope->owner && !p->importing)
        prefix = ctx_printf(p->ctx, "%s_", p->scope->owner->cname);
    d->cname = ctx_printf(p->ctx, "%s%s", prefix, name);
    d->doc = p->pending_doc;
    p->pending_doc = NULL;
    return d;
}

static const char *const c_keywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
    "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
    NULL,
};

void scope_declare(parser_t *p, idl_decl_t *d)
{
    for (int i = 0; c_keywords[i]; i++)
        if (strcmp(d->name, c_keywords[i]) == 0)
            ctx_error(p->ctx, d->loc, "'%s' is a C keyword and cannot name a declaration", d->name);
    if (d->name[0] == '_')
        ctx_error(p->ctx, d->loc, "names may not begin with '_' ('%s')", d->name);
    idl_decl_t *old = scope_lookup_local(p->scope, d->name);
    if (old && old->kind == D_BUILTIN)
        ctx_error(p->ctx, d->loc, "'%s' is a predefined type name", d->name);
    if (old)
        ctx_error(p->ctx, d->loc, "redefinition of '%s' (previous declaration at %d:%d)", d->name,
                  old->loc.line, old->loc.col);
    g_hash_table_insert(p->scope->names, (gpointer)d->name, d);
}

idl_decl_t *scope_lookup_local(idl_scope_t *s, const char *name)
{
    return g_hash_table_lookup(s->names, name);
}

/* Looks in s and, for an interface scope, in its bases (depth-limited, so an
 * inheritance cycle cannot loop here; the checker reports it). */
static idl_decl_t *lookup_inherited(idl_scope_t *s, const char *name, int depth)
{
    idl_decl_t *d = scope_lookup_local(s, name);
    if (d || depth > 16 || !s->owner || s->owner->kind != D_INTERFACE)
        return d;
    GPtrArray *bases = s->owner->iface->bases;
    for (guint i = 0; bases && i < bases->len; i++) {
        idl_base_ref_t *b = g_ptr_array_index(bases, i);
        if (b->decl->iface->scope && (d = lookup_inherited(b->decl->iface->scope, name, depth + 1)))
            return d;
    }
    return NULL;
}

idl_decl_t *scope_lookup(idl_scope_t *s, const char *name)
{
    for (; s; s = s->parent) {
        idl_decl_t *d = lookup_inherited(s, name, 0);
        if (d)
            return d;
    }
    return NULL;
}

struct builtin {
    const char *name, *cname;
    ty_kind_t kind;
    int s32, s64;
    bool is_signed;
};

/* Type names every specification knows (keywords like int, long, char are
 * handled by the parser). */
static const struct builtin builtins[] = {
    { "word", "L4_Word_t", TY_INT, 4, 8, false },
    { "L4_Word_t", "L4_Word_t", TY_INT, 4, 8, false },
    { "signed_word", "long", TY_INT, 4, 8, true },
    { "threadid", "L4_ThreadId_t", TY_WORD, 4, 8, false },
    { "L4_ThreadId_t", "L4_ThreadId_t", TY_WORD, 4, 8, false },
    { "l4_threadid_t", "L4_ThreadId_t", TY_WORD, 4, 8, false },
    { "L4_Fpage_t", "L4_Fpage_t", TY_WORD, 4, 8, false },
    { "fpage", "L4_MapItem_t", TY_FPAGE, 8, 16, false },
    { "int8_t", "int8_t", TY_INT, 1, 1, true },
    { "int16_t", "int16_t", TY_INT, 2, 2, true },
    { "int32_t", "int32_t", TY_INT, 4, 4, true },
    { "int64_t", "int64_t", TY_INT, 8, 8, true },
    { "uint8_t", "uint8_t", TY_INT, 1, 1, false },
    { "uint16_t", "uint16_t", TY_INT, 2, 2, false },
    { "uint32_t", "uint32_t", TY_INT, 4, 4, false },
    { "uint64_t", "uint64_t", TY_INT, 8, 8, false },
    { NULL, NULL, TY_VOID, 0, 0, false },
};

static const char *const kmsg_names[IDL_KMSG_COUNT] = {
    [IDL_KMSG_STARTUP] = "startup", [IDL_KMSG_INTERRUPT] = "interrupt", [IDL_KMSG_PAGEFAULT] = "pagefault",
    [IDL_KMSG_PREEMPTION] = "preemption", [IDL_KMSG_SYSEXC] = "sysexc", [IDL_KMSG_ARCHEXC] = "archexc",
    [IDL_KMSG_SIGMA0RPC] = "sigma0rpc", [IDL_KMSG_IOPAGEFAULT] = "iopagefault",
};

const char *idl_kmsg_name(int n)
{
    return n >= 0 && n < IDL_KMSG_COUNT ? kmsg_names[n] : NULL;
}

int idl_kmsg_by_name(const char *name)
{
    for (int n = 0; n < IDL_KMSG_COUNT; n++)
        if (kmsg_names[n] && strcmp(kmsg_names[n], name) == 0)
            return n;
    return -1;
}

static const idl_loc_t builtin_loc = { "<builtin>", 0, 0 };

/* IDL4's module idl4: one integer constant per kernel message, so that
 * kernelmsg(idl4::pagefault) names message 2. */
static void add_idl4_module(idl_ctx_t *ctx, idl_scope_t *root)
{
    idl_decl_t *m = ctx_alloc(ctx, sizeof *m);
    m->kind = D_MODULE;
    m->name = m->cname = "idl4";
    m->loc = builtin_loc;
    m->scope = scope_new(ctx, root, m);
    idl_type_t *t = type_new(ctx, TY_INT, "int");
    t->size[0] = t->size[1] = t->align[0] = t->align[1] = 4;
    t->is_signed = true;
    for (int n = 0; n < IDL_KMSG_COUNT; n++) {
        if (!kmsg_names[n])
            continue;
        idl_decl_t *c = ctx_alloc(ctx, sizeof *c);
        c->kind = D_CONST;
        c->name = kmsg_names[n];
        c->cname = ctx_printf(ctx, "idl4_%s", kmsg_names[n]);
        c->loc = builtin_loc;
        c->parent = m->scope;
        c->type = t;
        c->value = n;
        g_hash_table_insert(m->scope->names, (gpointer)c->name, c);
    }
    g_hash_table_insert(root->names, (gpointer)m->name, m);
}

void scope_add_builtins(idl_ctx_t *ctx, idl_scope_t *root)
{
    for (int i = 0; builtins[i].name; i++) {
        const struct builtin *b = &builtins[i];
        idl_type_t *t = type_new(ctx, b->kind, b->cname);
        t->size[0] = b->s32;
        t->size[1] = b->s64;
        t->align[0] = b->s32 > 4 ? 4 : b->s32;
        t->align[1] = b->s64 > 8 ? 8 : b->s64;
        t->is_signed = b->is_signed;
        idl_decl_t *d = ctx_alloc(ctx, sizeof *d);
        d->kind = D_BUILTIN;
        d->name = b->name;
        d->cname = b->cname;
        d->type = t;
        d->loc = builtin_loc;
        g_hash_table_insert(root->names, (gpointer)d->name, d);
    }
    add_idl4_module(ctx, root);
}
