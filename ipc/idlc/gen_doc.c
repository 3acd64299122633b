/* chacm-idl: the Markdown reference of the interfaces a file defines —
 * numbers, labels, C signatures, parameters and how each travels. */
#include "gen_msg.h"

#define OUT(...) fprintf(g->out, __VA_ARGS__)

static const char *dir_name(idl_dir_t d)
{
    return d == DIR_IN ? "in" : d == DIR_OUT ? "out" : "in, out";
}

static const char *words(gen_t *g, const int u[2], int t)
{
    const char *s = u[0] == u[1] ? ctx_printf(g->ctx, "%d untyped", u[0])
                                 : ctx_printf(g->ctx, "%d untyped (64-bit: %d)", u[0], u[1]);
    return t ? ctx_printf(g->ctx, "%s + %d typed", s, t) : s;
}

static const char *travels(gen_t *g, const idl_param_t *a)
{
    if (a->from_label)
        return "the label's low 3 bits (rwx)";
    switch (a->kind) {
    case P_VALUE: {
        int w32 = type_words(a->type, 0), w64 = type_words(a->type, 1);
        return w32 == w64 ? ctx_printf(g->ctx, "%d word%s", w32, w32 == 1 ? "" : "s")
                          : ctx_printf(g->ctx, "%d words (64-bit: %d)", w32, w64);
    }
    case P_FPAGE: return "map/grant item";
    case P_BLOB:
        return ctx_printf(g->ctx, "string item of its %d bytes (64-bit: %d; too large for the registers)",
                          type_resolve(a->type)->size[0], type_resolve(a->type)->size[1]);
    case P_STRING: return ctx_printf(g->ctx, "string item, at most %lld chars + NUL", (long long)a->bound);
    case P_SEQUENCE: return ctx_printf(g->ctx, "string item, at most %lld elements", (long long)a->bound);
    case P_ARRAY:
        if (a->length)
            return ctx_printf(g->ctx, "string item, `%s` elements (at most %lld)", a->length->name,
                              (long long)a->bound);
        return ctx_printf(g->ctx, "string item, %lld elements", (long long)a->length_const);
    }
    return "";
}

static void signature(gen_t *g, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    OUT("```c\n%s %s(L4_ThreadId_t server%s", gen_ctype(g, m->ret), md->cname, m->params->len ? ", " : "");
    gen_proto_params(g, m, false);
    OUT(", chacm_env_t *env);\n```\n");
}

static void method_doc(gen_t *g, idl_decl_t *d, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    OUT("\n### `%s::%s`\n\n", d->name, md->name);
    if (m->kernelmsg)
        OUT("Kernel message `idl4::%s`, label 0x%04llx.  Request: %s words; ", idl_kmsg_name(m->kmsg),
            (long long)m->label, words(g, m->req_u, m->req_t));
    else
        OUT("Method %lld, label 0x%04llx%s.  Request: %s words; ", (long long)m->uuid, (long long)m->label,
            m->oneway ? ", **oneway** (no reply)" : "", words(g, m->req_u, m->req_t));
    if (m->oneway)
        OUT("no reply.\n\n");
    else
        OUT("reply: %s words.\n\n", words(g, m->rep_u, m->rep_t));
    if (md->doc)
        OUT("%s\n\n", md->doc);
    signature(g, md);
    if (m->params->len) {
        OUT("\n| parameter | direction | C type | travels as |\n|---|---|---|---|\n");
        for (guint i = 0; i < m->params->len; i++) {
            idl_param_t *a = g_ptr_array_index(m->params, i);
            OUT("| `%s` | %s | `%s` | %s |\n", a->name, dir_name(a->dir), gen_param_decl(g, a, false),
                travels(g, a));
        }
    }
    if (m->raises->len) {
        OUT("\nRaises:");
        for (guint i = 0; i < m->raises->len; i++) {
            idl_decl_t *e = g_ptr_array_index(m->raises, i);
            OUT("%s `%s` (code %lld)", i ? "," : "", e->cname, (long long)e->value);
        }
        OUT(".\n");
    }
}

static void iface_doc(gen_t *g, idl_decl_t *d)
{
    idl_iface_t *f = d->iface;
    OUT("\n## Interface `%s`\n\n", d->name);
    OUT("uuid %lld", (long long)f->uuid);
    if (f->bases->len) {
        OUT(", inherits");
        for (guint i = 0; i < f->bases->len; i++)
            OUT("%s `%s`", i ? "," : "", ((idl_base_ref_t *)g_ptr_array_index(f->bases, i))->decl->name);
        OUT(" (a server of `%s` dispatches their methods by their own labels)", d->name);
    }
    OUT(".\n\n");
    if (d->doc)
        OUT("%s\n\n", d->doc);
    if (!f->methods->len) {
        OUT("No methods of its own.\n");
        return;
    }
    OUT("| method | number | label | request words | reply words |\n|---|---|---|---|---|\n");
    for (guint i = 0; i < f->methods->len; i++) {
        idl_decl_t *md = g_ptr_array_index(f->methods, i);
        idl_method_t *m = md->method;
        const char *num = m->kernelmsg ? ctx_printf(g->ctx, "`idl4::%s`", idl_kmsg_name(m->kmsg))
                                       : ctx_printf(g->ctx, "%lld", (long long)m->uuid);
        OUT("| `%s` | %s | 0x%04llx | %s | %s |\n", md->name, num, (long long)m->label,
            words(g, m->req_u, m->req_t), m->oneway ? "—" : words(g, m->rep_u, m->rep_t));
    }
    for (guint i = 0; i < f->methods->len; i++)
        method_doc(g, d, g_ptr_array_index(f->methods, i));
}

static void constants_doc(gen_t *g)
{
    bool any = false;
    for (guint i = 0; i < g->spec->decls->len; i++) {
        idl_decl_t *d = g_ptr_array_index(g->spec->decls, i);
        if (d->kind != D_CONST || !d->from_main)
            continue;
        if (!any)
            OUT("\n## Constants\n\n| name | value | meaning |\n|---|---|---|\n");
        any = true;
        if (d->strval)
            OUT("| `%s` | \"%s\" | %s |\n", d->cname, d->strval, d->doc ? d->doc : "");
        else if (d->value > 0xffff)
            OUT("| `%s` | 0x%08llx | %s |\n", d->cname, (long long)d->value, d->doc ? d->doc : "");
        else
            OUT("| `%s` | %lld | %s |\n", d->cname, (long long)d->value, d->doc ? d->doc : "");
    }
}

void gen_doc(gen_t *g)
{
    OUT("# %s.idl\n\n", g->base);
    OUT("<!-- Generated by chacm-idl --doc from %s.idl; do not edit. -->\n\n", g->base);
    OUT("Stubs: `#include \"%s_client.h\"`; servers: `#include \"%s_server.h\"`.  Every call can also fail\n"
        "with a wire error in `env->error` (see docs/idl.md): `CHACM_IDL_EIPC`, `CHACM_IDL_EUNKNOWN`,\n"
        "`CHACM_IDL_EMALFORMED`, `CHACM_IDL_EREPLY`, `CHACM_IDL_EOVERFLOW`, `CHACM_IDL_EEXCEPTION`.\n",
        g->base, g->base);
    for (guint i = 0; i < g->spec->interfaces->len; i++) {
        idl_decl_t *d = g_ptr_array_index(g->spec->interfaces, i);
        if (d->from_main)
            iface_doc(g, d);
    }
    constants_doc(g);
}
