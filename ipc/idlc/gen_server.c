/* chacm-idl: the server header (implementation table, buffers, reply
 * functions for deferred replies) and the dispatch source (one handler per
 * method that validates, decodes, calls and encodes; the label tables). */
#include "gen_msg.h"

#include <string.h>

#define OUT(...) fprintf(g->out, __VA_ARGS__)

static bool is_var(const idl_param_t *a)
{
    return a->kind == P_STRING || a->kind == P_ARRAY || a->kind == P_SEQUENCE || a->kind == P_BLOB;
}

/* ---- reply functions (server header) ---- */

static const char *reply_param(gen_t *g, const idl_param_t *a)
{
    switch (a->kind) {
    case P_VALUE:
        return ctx_printf(g->ctx, "%s%s %s", type_resolve(a->type)->kind == TY_ARRAY ? "const " : "",
                          gen_ctype(g, a->type), a->name);
    case P_FPAGE: return ctx_printf(g->ctx, "L4_MapItem_t %s", a->name);
    case P_BLOB:
    case P_SEQUENCE: return ctx_printf(g->ctx, "const %s *%s", gen_ctype(g, a->type), a->name);
    default: return ctx_printf(g->ctx, "const %s *%s", gen_elem_ctype(g, a), a->name);
    }
}

static void reply_params(gen_t *g, const idl_method_t *m, bool lead)
{
    bool first = !lead;
    if (type_resolve(m->ret)->kind != TY_VOID) {
        OUT("%s%s _ret", first ? "" : ", ", gen_ctype(g, m->ret));
        first = false;
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (param_has(a, DIR_OUT)) {
            OUT("%s%s", first ? "" : ", ", reply_param(g, a));
            first = false;
        }
    }
    if (first)
        OUT("void");
}

static void reply_value(gen_t *g, const idl_type_t *t, const char *v, const char *addr, const char *idx)
{
    if (gen_value_is_scalar(t)) {
        OUT("    L4_LoadMR(%s, %s);\n", idx, gen_to_word(g, t, v));
        return;
    }
    const char *c = gen_ctype(g, t);
    OUT("    {\n        L4_Word_t _v[CHACM_IDL_WORDS(sizeof(%s))] = { 0 };\n", c);
    OUT("        memcpy(_v, %s, sizeof(%s));\n", addr, c);
    OUT("        L4_LoadMRs(%s, (int)CHACM_IDL_WORDS(sizeof(%s)), _v);\n    }\n", idx, c);
}

static void reply_item(gen_t *g, const idl_param_t *a, const char *idx)
{
    const char *n = a->name, *e = gen_elem_ctype(g, a);
    long long b = (long long)a->bound;
    const char *over = "        return chacm_idl_tag(CHACM_IDL_EOVERFLOW, 0, 0).raw;\n";
    switch (a->kind) {
    case P_FPAGE:
        OUT("    chacm_idl_load_item(%s, %s);\n", idx, n);
        break;
    case P_BLOB:
        OUT("    chacm_idl_load_string(%s, %s, sizeof(%s));\n", idx, n, gen_ctype(g, a->type));
        break;
    case P_STRING:
        OUT("    L4_Word_t _n_%s = strnlen(%s, %lld);\n    if (_n_%s > %lld)\n%s", n, n, b + 1, n, b, over);
        if (a->length || a->length_const >= 0)
            OUT("    if (_n_%s > (L4_Word_t)(%s))\n%s", n,
                a->length ? a->length->name : ctx_printf(g->ctx, "%lld", (long long)a->length_const), over);
        OUT("    chacm_idl_load_string(%s, %s, _n_%s + 1);\n", idx, n, n);
        break;
    case P_ARRAY:
        OUT("    L4_Word_t _n_%s = (L4_Word_t)(%s);\n    if (_n_%s > %lld)\n%s", n,
            a->length ? a->length->name : ctx_printf(g->ctx, "%lld", (long long)a->length_const), n, b, over);
        OUT("    chacm_idl_load_string(%s, %s, _n_%s * sizeof(%s));\n", idx, n, n, e);
        break;
    default:
        OUT("    if (%s->_length > %lld)\n%s", n, b, over);
        OUT("    chacm_idl_load_string(%s, %s->_buffer, %s->_length * sizeof(%s));\n", idx, n, n, e);
    }
}

static void reply_functions(gen_t *g, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    if (m->oneway)
        return;
    const char *rep_u = msg_untyped(g, m, true);
    OUT("\n/* Loads the reply of %s into the MRs; returns its tag (an error tag if\n"
        " * variable-length data exceed their bound). */\n", md->cname);
    OUT("static inline L4_Word_t %s_reply_load(", md->cname);
    reply_params(g, m, false);
    OUT(")\n{\n");
    mr_index_t x;
    idx_init(&x, 1);
    if (type_resolve(m->ret)->kind != TY_VOID) {
        reply_value(g, m->ret, "_ret", "&_ret", idx_str(g, &x));
        idx_add_value(g, &x, m->ret);
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (a->kind == P_VALUE && param_has(a, DIR_OUT)) {
            reply_value(g, a->type, a->name, value_addr(g, &(idl_param_t){ .type = a->type }, a->name),
                        idx_str(g, &x));
            idx_add_value(g, &x, a->type);
        }
    }
    idx_free(&x);
    int t = 0;
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (a->kind != P_VALUE && param_has(a, DIR_OUT)) {
            reply_item(g, a, ctx_printf(g->ctx, "1 + %s + %d", rep_u, t));
            t += 2;
        }
    }
    OUT("    return chacm_idl_tag(CHACM_IDL_OK, %s, %d).raw;\n}\n", rep_u, m->rep_t);
    OUT("\n/* Sends a deferred reply of %s to caller. */\n", md->cname);
    OUT("static inline L4_Word_t %s_reply(L4_ThreadId_t _caller", md->cname);
    reply_params(g, m, true);
    OUT(")\n{\n    L4_MsgTag_t _tag = { .raw = %s_reply_load(", md->cname);
    bool first = true;
    if (type_resolve(m->ret)->kind != TY_VOID) {
        OUT("_ret");
        first = false;
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (param_has(a, DIR_OUT)) {
            OUT("%s%s", first ? "" : ", ", a->name);
            first = false;
        }
    }
    OUT(") };\n    L4_Set_MsgTag(_tag);\n");
    OUT("    return L4_IpcFailed(L4_Reply(_caller)) ? CHACM_IDL_EIPC : CHACM_IDL_OK;\n}\n");
}

/* ---- per-server buffers ---- */

typedef struct bufs {
    GPtrArray *in, *out;    /* GString * per buffer: CHACM_IDL_MAX(...) of sizes */
} bufs_t;

static void buf_add(gen_t *g, GPtrArray *list, guint k, const char *bytes)
{
    if (k >= list->len) {
        g_ptr_array_add(list, ctx_strdup(g->ctx, bytes));
        return;
    }
    list->pdata[k] = ctx_printf(g->ctx, "CHACM_IDL_MAX(%s, %s)", (char *)list->pdata[k], bytes);
}

static bufs_t server_bufs(gen_t *g, idl_decl_t *d)
{
    bufs_t b = { ctx_array(g->ctx), ctx_array(g->ctx) };
    GPtrArray *all = iface_closure(g->ctx, d);
    for (guint i = 0; i < all->len; i++) {
        idl_decl_t *f = g_ptr_array_index(all, i);
        for (guint j = 0; j < f->iface->methods->len; j++) {
            idl_method_t *m = ((idl_decl_t *)g_ptr_array_index(f->iface->methods, j))->method;
            guint k = 0, o = 0;
            for (guint p = 0; p < m->params->len; p++) {
                idl_param_t *a = g_ptr_array_index(m->params, p);
                if (is_var(a) && param_has(a, DIR_IN))
                    buf_add(g, b.in, k++, var_bytes(g, a));
                else if (is_var(a))
                    buf_add(g, b.out, o++, var_bytes(g, a));
            }
        }
    }
    return b;
}

static void buffers_type(gen_t *g, idl_decl_t *d)
{
    bufs_t b = server_bufs(g, d);
    OUT("\n/* Receive buffers for incoming strings (in*) and buffers for [out] data. */\n");
    OUT("typedef struct %s_buffers {\n", d->cname);
    for (guint i = 0; i < b.in->len; i++)
        OUT("    L4_Word_t in%u[CHACM_IDL_WORDS(%s)];\n", i, (char *)b.in->pdata[i]);
    for (guint i = 0; i < b.out->len; i++)
        OUT("    L4_Word_t out%u[CHACM_IDL_WORDS(%s)];\n", i, (char *)b.out->pdata[i]);
    if (!b.in->len && !b.out->len)
        OUT("    L4_Word_t _unused;\n");
    OUT("} %s_buffers_t;\n", d->cname);
}

void gen_server_header(gen_t *g)
{
    gen_banner(g, "Server interface");
    OUT("#ifndef CHACM_IDL_%s_SERVER_H\n#define CHACM_IDL_%s_SERVER_H\n\n", g->guard, g->guard);
    OUT("#include \"%s_client.h\"\n", g->base);
    for (guint i = 0; i < g->spec->interfaces->len; i++) {
        idl_decl_t *d = g_ptr_array_index(g->spec->interfaces, i);
        OUT("\n#ifndef CHACM_IDL_REPLY_%s\n#define CHACM_IDL_REPLY_%s\n", d->cname, d->cname);
        for (guint j = 0; j < d->iface->methods->len; j++)
            reply_functions(g, g_ptr_array_index(d->iface->methods, j));
        OUT("#endif\n");
    }
    for (guint i = 0; i < g->spec->interfaces->len; i++) {
        idl_decl_t *d = g_ptr_array_index(g->spec->interfaces, i);
        if (!d->from_main)
            continue;
        gen_ops_type(g, d);
        buffers_type(g, d);
        OUT("\n/* Dispatch tables of a %s server (its methods and its bases'). */\n", d->name);
        OUT("extern const chacm_idl_server_t %s_server;\n", d->cname);
        OUT("\n/* Serves requests with the implementations in ops until one calls chacm_srv_stop. */\n");
        OUT("static inline void %s_serve(const %s_ops_t *ops, %s_buffers_t *bufs, void *user)\n{\n",
            d->cname, d->cname, d->cname);
        OUT("    chacm_idl_loop_t loop = { .server = &%s_server, .ops = ops, .bufs = bufs, .user = user };\n"
            "    chacm_idl_serve(&loop);\n}\n", d->cname);
    }
    OUT("\n#endif /* CHACM_IDL_%s_SERVER_H */\n", g->guard);
}

/* ---- handlers (server source) ---- */

static void malformed_if(gen_t *g, const char *cond)
{
    OUT("    if (%s)\n        return chacm_idl_tag(CHACM_IDL_EMALFORMED, 0, 0).raw;\n", cond);
}

static void decode_value(gen_t *g, const idl_param_t *a, const char *idx)
{
    const idl_type_t *t = a->type;
    if (gen_value_is_scalar(t)) {
        OUT("    L4_StoreMR(%s, &_w);\n    %s = %s;\n", idx, a->name, gen_from_word(g, t, "_w"));
        return;
    }
    const char *c = gen_ctype(g, t);
    const char *addr = type_resolve(t)->kind == TY_ARRAY ? a->name : ctx_printf(g->ctx, "&%s", a->name);
    OUT("    {\n        L4_Word_t _v[CHACM_IDL_WORDS(sizeof(%s))];\n", c);
    OUT("        L4_StoreMRs(%s, (int)CHACM_IDL_WORDS(sizeof(%s)), _v);\n", idx, c);
    OUT("        memcpy(%s, _v, sizeof(%s));\n    }\n", addr, c);
}

static const char *count_local(gen_t *g, const idl_param_t *a)
{
    if (!a->length)
        return ctx_printf(g->ctx, "%lld", (long long)a->length_const);
    return a->length->name;
}

/* Declares the local of a variable-length or fpage parameter; checks incoming data. */
static void decode_item(gen_t *g, const idl_param_t *a, const char *idx, const char *buf)
{
    const char *n = a->name, *e = gen_elem_ctype(g, a);
    long long b = (long long)a->bound;
    bool in = param_has(a, DIR_IN);
    if (a->kind == P_FPAGE) {
        if (!in) {
            OUT("    L4_MapItem_t %s = L4_MapItem(L4_Nilpage, 0);\n", n);
            return;
        }
        OUT("    L4_MapItem_t %s;\n", n);
        malformed_if(g, ctx_printf(g->ctx, "!chacm_idl_store_item(%s, &%s)", idx, n));
        return;
    }
    if (a->kind == P_BLOB) {       /* in the buffer, so that an [out] one outlives the handler */
        const char *c = gen_ctype(g, a->type);
        OUT("    %s *%s = (%s *)%s;\n", c, n, c, buf);
        if (in)
            malformed_if(g, ctx_printf(g->ctx, "chacm_idl_string_length(%s) != sizeof(%s)", idx, c));
        else
            OUT("    memset(%s, 0, sizeof(%s));\n", n, c);
        return;
    }
    if (a->kind == P_SEQUENCE) {
        OUT("    %s %s = { ._maximum = %lld, ._length = 0, ._buffer = (%s *)%s };\n", gen_ctype(g, a->type), n,
            b, e, buf);
    } else {
        OUT("    %s *%s = (%s *)%s;\n", e, n, e, buf);
    }
    if (!in) {
        if (a->kind == P_STRING)
            OUT("    %s[0] = 0;\n", n);
        return;
    }
    OUT("    L4_Word_t _r_%s = chacm_idl_string_length(%s);\n", n, idx);
    if (a->kind == P_STRING) {
        malformed_if(g, ctx_printf(g->ctx, "_r_%s == 0 || _r_%s > %lld || strnlen(%s, _r_%s) != _r_%s - 1", n, n,
                                   b + 1, n, n, n));
        if (a->length || a->length_const >= 0)
            malformed_if(g, ctx_printf(g->ctx, "_r_%s - 1 > (L4_Word_t)(%s)", n, count_local(g, a)));
    } else if (a->kind == P_ARRAY) {
        const char *c = count_local(g, a);
        malformed_if(g, ctx_printf(g->ctx, "(L4_Word_t)(%s) > %lld || _r_%s != (L4_Word_t)(%s) * sizeof(%s)", c, b,
                                   n, c, e));
    } else {
        malformed_if(g, ctx_printf(g->ctx, "_r_%s %% sizeof(%s) != 0 || _r_%s / sizeof(%s) > %lld", n, e, n, e, b));
        OUT("    %s._length = _r_%s / sizeof(%s);\n", n, n, e);
    }
}

static const char *call_arg(gen_t *g, const idl_param_t *a)
{
    switch (a->kind) {
    case P_VALUE: return a->byref ? ctx_printf(g->ctx, "&%s", a->name) : a->name;
    case P_FPAGE: return a->byref ? ctx_printf(g->ctx, "&%s", a->name) : a->name;
    case P_BLOB: return a->byref ? a->name : ctx_printf(g->ctx, "*%s", a->name);
    case P_SEQUENCE: return ctx_printf(g->ctx, "&%s", a->name);
    default: return a->indirect ? ctx_printf(g->ctx, "&%s", a->name) : a->name;
    }
}

static void decode_request(gen_t *g, idl_method_t *m)
{
    mr_index_t x;
    idx_init(&x, 1);
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (a->kind != P_VALUE)
            continue;
        OUT("    %s = { 0 };\n", ctx_printf(g->ctx, "%s", type_resolve(a->type)->kind == TY_ARRAY
                                              ? ctx_printf(g->ctx, "%s %s", gen_ctype(g, a->type), a->name)
                                              : ctx_printf(g->ctx, "%s %s", gen_ctype(g, a->type), a->name)));
        if (a->from_label) {
            OUT("    %s = (%s)(L4_Label(_env->tag) & 7);\n", a->name, gen_ctype(g, a->type));
        } else if (param_has(a, DIR_IN)) {
            decode_value(g, a, idx_str(g, &x));
            idx_add_value(g, &x, a->type);
            if (a->has_max)
                malformed_if(g, ctx_printf(g->ctx, "%s > %lld", a->name, (long long)a->max_value));
        }
    }
    idx_free(&x);
    const char *req_u = msg_untyped(g, m, false);
    int t = 0, k = 0, o = 0;
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (a->kind == P_VALUE)
            continue;
        const char *buf = !is_var(a) ? NULL
                          : param_has(a, DIR_IN) ? ctx_printf(g->ctx, "_b->in%d", k++)
                                                 : ctx_printf(g->ctx, "_b->out%d", o++);
        decode_item(g, a, ctx_printf(g->ctx, "1 + %s + %d", req_u, t), buf);
        if (param_has(a, DIR_IN))
            t += 2;
    }
}

static void handler(gen_t *g, idl_decl_t *d, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    bool has_ret = type_resolve(m->ret)->kind != TY_VOID;
    OUT("\nstatic L4_Word_t %s__%s(const void *_ops, chacm_srvenv_t *_env, void *_bufs)\n{\n", d->cname,
        md->cname);
    OUT("    const %s_ops_t *_o = _ops;\n    %s_buffers_t *_b = _bufs;\n    L4_Word_t _w = 0;\n"
        "    (void)_b;\n    (void)_w;\n", d->cname, d->cname);
    OUT("    if (!_o->%s)\n        return chacm_idl_tag(CHACM_IDL_EUNKNOWN, 0, 0).raw;\n", md->cname);
    decode_request(g, m);
    OUT("    %s_o->%s(", has_ret ? ctx_printf(g->ctx, "%s _ret = ", gen_ctype(g, m->ret)) : "", md->cname);
    for (guint i = 0; i < m->params->len; i++)
        OUT("%s, ", call_arg(g, g_ptr_array_index(m->params, i)));
    OUT("_env);\n");
    if (m->oneway) {
        OUT("    return CHACM_IDL_NO_REPLY;\n}\n");
        return;
    }
    /* chacm_idl_dispatch answers a deferred call or an exception */
    OUT("    if (_env->defer || _env->exception)\n        return CHACM_IDL_NO_REPLY;\n");
    OUT("    return %s_reply_load(", md->cname);
    bool first = true;
    if (has_ret) {
        OUT("_ret");
        first = false;
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (param_has(a, DIR_OUT)) {
            OUT("%s%s%s", first ? "" : ", ", a->kind == P_SEQUENCE ? "&" : "", a->name);
            first = false;
        }
    }
    OUT(");\n}\n");
}

static void method_entry(gen_t *g, idl_decl_t *d, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    OUT("    [%lld] = { %s__%s, %s, %d%s },\n", (long long)m->uuid, d->cname, md->cname, msg_untyped(g, m, false),
        m->req_t, m->oneway ? ", 1" : "");
}

/* The method table of interface f in a server of d: its numbered methods. */
static void method_table(gen_t *g, idl_decl_t *d, idl_decl_t *f)
{
    int64_t count = 0;
    OUT("\nstatic const chacm_idl_method_t %s__%s_methods[] = {\n", d->cname, f->cname);
    for (guint j = 0; j < f->iface->methods->len; j++) {
        idl_decl_t *md = g_ptr_array_index(f->iface->methods, j);
        if (md->method->kernelmsg)
            continue;
        method_entry(g, d, md);
        if (md->method->uuid + 1 > count)
            count = md->method->uuid + 1;
    }
    OUT("};\n\nstatic const chacm_idl_iface_t %s__%s_iface = { %lld, \"%s\", %lld, %s__%s_methods };\n",
        d->cname, f->cname, (long long)f->iface->uuid, f->name, (long long)count, d->cname, f->cname);
}

/* The kernel messages a server of d answers, indexed by their number;
 * returns false (and writes nothing) if there are none. */
static bool kernel_table(gen_t *g, idl_decl_t *d, GPtrArray *all)
{
    bool any = false;
    for (guint i = 0; i < all->len; i++) {
        idl_decl_t *f = g_ptr_array_index(all, i);
        for (guint j = 0; j < f->iface->methods->len; j++) {
            idl_decl_t *md = g_ptr_array_index(f->iface->methods, j);
            idl_method_t *m = md->method;
            if (!m->kernelmsg)
                continue;
            if (!any)
                OUT("\nstatic const chacm_idl_method_t %s__kernel[CHACM_IDL_KMSG_COUNT] = {\n", d->cname);
            any = true;
            OUT("    [%d] = { %s__%s, %s, %d },   /* idl4::%s */\n", m->kmsg, d->cname, md->cname,
                msg_untyped(g, m, false), m->req_t, idl_kmsg_name(m->kmsg));
        }
    }
    if (any)
        OUT("};\n");
    return any;
}

static void tables(gen_t *g, idl_decl_t *d)
{
    GPtrArray *all = iface_closure(g->ctx, d);
    guint n = 0;
    for (guint i = 0; i < all->len; i++) {
        idl_decl_t *f = g_ptr_array_index(all, i);
        if (iface_numbered(f)) {
            method_table(g, d, f);
            n++;
        }
    }
    bool kernel = kernel_table(g, d, all);
    OUT("\nstatic const chacm_idl_iface_t *const %s__ifaces[] = {\n", d->cname);
    for (guint i = 0; i < all->len; i++) {
        idl_decl_t *f = g_ptr_array_index(all, i);
        if (iface_numbered(f))
            OUT("    &%s__%s_iface,\n", d->cname, f->cname);
    }
    if (!n)
        OUT("    NULL,\n");
    OUT("};\n");
    bufs_t b = server_bufs(g, d);
    OUT("\nstatic const size_t %s__string_offset[] = {", d->cname);
    for (guint i = 0; i < b.in->len; i++)
        OUT(" offsetof(%s_buffers_t, in%u),", d->cname, i);
    OUT(" 0 };\nstatic const size_t %s__string_size[] = {", d->cname);
    for (guint i = 0; i < b.in->len; i++)
        OUT(" %s,", (char *)b.in->pdata[i]);
    OUT(" 0 };\n");
    OUT("\nconst chacm_idl_server_t %s_server = {\n    .ifaces = %s__ifaces,\n    .n_ifaces = %u,\n", d->cname,
        d->cname, n);
    if (kernel)
        OUT("    .kernel = %s__kernel,\n", d->cname);
    OUT("    .n_strings = %u,\n    .string_offset = %s__string_offset,\n    .string_size = %s__string_size,\n};\n",
        b.in->len, d->cname, d->cname);
}

void gen_server_source(gen_t *g)
{
    gen_banner(g, "Server dispatch");
    OUT("#include \"%s_server.h\"\n", g->base);
    for (guint i = 0; i < g->spec->interfaces->len; i++) {
        idl_decl_t *d = g_ptr_array_index(g->spec->interfaces, i);
        if (!d->from_main)
            continue;
        GPtrArray *all = iface_closure(g->ctx, d);
        for (guint j = 0; j < all->len; j++) {
            idl_decl_t *f = g_ptr_array_index(all, j);
            for (guint k = 0; k < f->iface->methods->len; k++)
                handler(g, d, g_ptr_array_index(f->iface->methods, k));
        }
        tables(g, d);
    }
}
