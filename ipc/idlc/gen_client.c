/* chacm-idl: the client header — types, constants, labels and one inline
 * stub per method that marshals into the MRs, calls and unmarshals. */
#include "gen_msg.h"

#include <string.h>

typedef struct stub {
    gen_t *g;
    idl_method_t *m;
    const char *ret;        /* "return _ret;" or "return;" */
} stub_t;

#define OUT(...) fprintf(s->g->out, __VA_ARGS__)

static const char *ptr_of(stub_t *s, const idl_param_t *a)
{
    return a->indirect ? ctx_printf(s->g->ctx, "*%s", a->name) : a->name;
}

static const char *count_of(stub_t *s, const idl_param_t *a)
{
    if (!a->length)
        return ctx_printf(s->g->ctx, "%lld", (long long)a->length_const);
    return ctx_printf(s->g->ctx, "%s%s", a->length->byref ? "*" : "", a->length->name);
}

/* A [string] with length_is: at most that many characters. */
static bool has_length(const idl_param_t *a)
{
    return a->length || a->length_const >= 0;
}

static void fail(stub_t *s, const char *cond, const char *err)
{
    OUT("    if (%s) {\n        _env->error = %s;\n        %s\n    }\n", cond, err, s->ret);
}

static void load_value(stub_t *s, const idl_param_t *a, const char *idx)
{
    const char *v = a->byref ? ctx_printf(s->g->ctx, "*%s", a->name) : a->name;
    if (a->has_max)
        fail(s, ctx_printf(s->g->ctx, "(%s) > %lld", v, (long long)a->max_value), "CHACM_IDL_EOVERFLOW");
    if (gen_value_is_scalar(a->type)) {
        OUT("    L4_LoadMR(%s, %s);\n", idx, gen_to_word(s->g, a->type, v));
        return;
    }
    const char *t = gen_ctype(s->g, a->type);
    OUT("    {\n        L4_Word_t _v[CHACM_IDL_WORDS(sizeof(%s))] = { 0 };\n", t);
    OUT("        memcpy(_v, %s, sizeof(%s));\n", value_addr(s->g, a, a->name), t);
    OUT("        L4_LoadMRs(%s, (int)CHACM_IDL_WORDS(sizeof(%s)), _v);\n    }\n", idx, t);
}

static void load_item(stub_t *s, const idl_param_t *a, const char *idx)
{
    const char *e = gen_elem_ctype(s->g, a);
    long long b = (long long)a->bound;
    switch (a->kind) {
    case P_FPAGE:
        OUT("    chacm_idl_load_item(%s, %s);\n", idx, a->name);
        break;
    case P_BLOB:
        OUT("    chacm_idl_load_string(%s, %s, sizeof(%s));\n", idx, value_addr(s->g, a, a->name),
            gen_ctype(s->g, a->type));
        break;
    case P_STRING:
        OUT("    L4_Word_t _n_%s = strnlen(%s, %lld);\n", a->name, ptr_of(s, a), b + 1);
        fail(s, ctx_printf(s->g->ctx, "_n_%s > %lld", a->name, b), "CHACM_IDL_EOVERFLOW");
        if (has_length(a))
            fail(s, ctx_printf(s->g->ctx, "_n_%s > (L4_Word_t)(%s)", a->name, count_of(s, a)), "CHACM_IDL_EOVERFLOW");
        OUT("    chacm_idl_load_string(%s, %s, _n_%s + 1);\n", idx, ptr_of(s, a), a->name);
        break;
    case P_ARRAY:
        OUT("    L4_Word_t _n_%s = (L4_Word_t)(%s);\n", a->name, count_of(s, a));
        fail(s, ctx_printf(s->g->ctx, "_n_%s > %lld", a->name, b), "CHACM_IDL_EOVERFLOW");
        OUT("    chacm_idl_load_string(%s, %s, _n_%s * sizeof(%s));\n", idx, ptr_of(s, a), a->name, e);
        break;
    case P_SEQUENCE:
        fail(s, ctx_printf(s->g->ctx, "%s->_length > %lld", a->name, b), "CHACM_IDL_EOVERFLOW");
        OUT("    chacm_idl_load_string(%s, %s->_buffer, %s->_length * sizeof(%s));\n", idx, a->name, a->name, e);
        break;
    default:
        break;
    }
}

static void encode_request(stub_t *s, const char *typed_base)
{
    mr_index_t x;
    idx_init(&x, 1);
    for (guint i = 0; i < s->m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(s->m->params, i);
        if (a->kind == P_VALUE && param_has(a, DIR_IN) && !a->from_label) {
            load_value(s, a, idx_str(s->g, &x));
            idx_add_value(s->g, &x, a->type);
        }
    }
    idx_free(&x);
    int t = 0;
    for (guint i = 0; i < s->m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(s->m->params, i);
        if (a->kind != P_VALUE && param_has(a, DIR_IN)) {
            load_item(s, a, ctx_printf(s->g->ctx, "1 + %s + %d", typed_base, t));
            t += 2;
        }
    }
}

/* Receive buffers for [out] strings and the acceptor. */
static void accept_reply(stub_t *s)
{
    int k = 0, nvar = 0;
    bool fpages = false;
    for (guint i = 0; i < s->m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(s->m->params, i);
        nvar += param_has(a, DIR_OUT) && a->kind != P_VALUE && a->kind != P_FPAGE;
        fpages |= param_has(a, DIR_OUT) && a->kind == P_FPAGE;
    }
    for (guint i = 0; i < s->m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(s->m->params, i);
        if (!param_has(a, DIR_OUT) || a->kind == P_VALUE || a->kind == P_FPAGE)
            continue;
        const char *e = gen_elem_ctype(s->g, a);
        long long b = (long long)a->bound;
        if (a->kind == P_BLOB) {
            OUT("    chacm_idl_load_rcvbuf(%d, %s, sizeof(%s), %s);\n", k, a->name, gen_ctype(s->g, a->type),
                k + 1 < nvar ? "true" : "false");
        } else if (a->kind == P_STRING) {
            OUT("    chacm_idl_load_rcvbuf(%d, %s, %lld, %s);\n", k, ptr_of(s, a), b + 1,
                k + 1 < nvar ? "true" : "false");
        } else {
            const char *cap = a->kind == P_SEQUENCE ? ctx_printf(s->g->ctx, "%s->_maximum", a->name)
                              : a->prealloc && (a->length->dir & DIR_IN) ? count_of(s, a)
                                                                         : ctx_printf(s->g->ctx, "%lld", b);
            const char *buf = a->kind == P_SEQUENCE ? ctx_printf(s->g->ctx, "%s->_buffer", a->name)
                                                    : ptr_of(s, a);
            OUT("    L4_Word_t _cap_%s = (L4_Word_t)(%s);\n", a->name, cap);
            OUT("    if (_cap_%s > %lld)\n        _cap_%s = %lld;\n", a->name, b, a->name, b);
            OUT("    chacm_idl_load_rcvbuf(%d, %s, _cap_%s * sizeof(%s), %s);\n", k, buf, a->name, e,
                k + 1 < nvar ? "true" : "false");
        }
        k++;
    }
    OUT("    chacm_idl_client_accept(_env, %s, %s);\n", nvar ? "true" : "false", fpages ? "true" : "false");
}

static void store_value(stub_t *s, const idl_type_t *t, const char *dst_addr, const char *dst, const char *idx)
{
    if (gen_value_is_scalar(t)) {
        OUT("    L4_StoreMR(%s, &_w);\n    %s = %s;\n", idx, dst, gen_from_word(s->g, t, "_w"));
        return;
    }
    const char *c = gen_ctype(s->g, t);
    OUT("    {\n        L4_Word_t _v[CHACM_IDL_WORDS(sizeof(%s))];\n", c);
    OUT("        L4_StoreMRs(%s, (int)CHACM_IDL_WORDS(sizeof(%s)), _v);\n", idx, c);
    OUT("        memcpy(%s, _v, sizeof(%s));\n    }\n", dst_addr, c);
}

static void store_item(stub_t *s, const idl_param_t *a, const char *idx)
{
    const char *e = gen_elem_ctype(s->g, a);
    const char *n = a->name;
    long long b = (long long)a->bound;
    if (a->kind == P_FPAGE) {
        fail(s, ctx_printf(s->g->ctx, "!chacm_idl_store_item(%s, %s)", idx, n), "CHACM_IDL_EREPLY");
        return;
    }
    if (a->kind == P_BLOB) {        /* it landed in the caller's variable */
        fail(s, ctx_printf(s->g->ctx, "chacm_idl_string_length(%s) != sizeof(%s)", idx, gen_ctype(s->g, a->type)),
             "CHACM_IDL_EREPLY");
        return;
    }
    OUT("    L4_Word_t _r_%s = chacm_idl_string_length(%s);\n", n, idx);
    if (a->kind == P_STRING) {
        fail(s, ctx_printf(s->g->ctx, "_r_%s == 0 || _r_%s > %lld || (%s)[_r_%s - 1] != 0", n, n, b + 1,
                           ptr_of(s, a), n), "CHACM_IDL_EREPLY");
        if (has_length(a))
            fail(s, ctx_printf(s->g->ctx, "strnlen(%s, _r_%s) > (L4_Word_t)(%s)", ptr_of(s, a), n, count_of(s, a)),
                 "CHACM_IDL_EREPLY");
    } else if (a->kind == P_ARRAY) {
        fail(s, ctx_printf(s->g->ctx, "(L4_Word_t)(%s) > _cap_%s || _r_%s != (L4_Word_t)(%s) * sizeof(%s)",
                           count_of(s, a), n, n, count_of(s, a), e), "CHACM_IDL_EREPLY");
    } else {
        fail(s, ctx_printf(s->g->ctx, "_r_%s %% sizeof(%s) != 0 || _r_%s / sizeof(%s) > _cap_%s", n, e, n, e, n),
             "CHACM_IDL_EREPLY");
        OUT("    %s->_length = _r_%s / sizeof(%s);\n", n, n, e);
    }
}

static void decode_reply(stub_t *s, const char *rep_u)
{
    mr_index_t x;
    idx_init(&x, 1);
    if (type_resolve(s->m->ret)->kind != TY_VOID) {
        store_value(s, s->m->ret, "&_ret", "_ret", idx_str(s->g, &x));
        idx_add_value(s->g, &x, s->m->ret);
    }
    for (guint i = 0; i < s->m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(s->m->params, i);
        if (a->kind == P_VALUE && param_has(a, DIR_OUT)) {
            store_value(s, a->type, a->name, ctx_printf(s->g->ctx, "*%s", a->name), idx_str(s->g, &x));
            idx_add_value(s->g, &x, a->type);
        }
    }
    idx_free(&x);
    int t = 0;
    for (guint i = 0; i < s->m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(s->m->params, i);
        if (a->kind != P_VALUE && param_has(a, DIR_OUT)) {
            store_item(s, a, ctx_printf(s->g->ctx, "1 + %s + %d", rep_u, t));
            t += 2;
        }
    }
}

/* The request's label: the method's, with a page fault's access rights in
 * its low bits when the method names them. */
static const char *label_expr(gen_t *g, const idl_method_t *m)
{
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (a->from_label)
            return ctx_printf(g->ctx, "0x%04llx | ((L4_Word_t)%s & 7)", (long long)m->label, a->name);
    }
    return ctx_printf(g->ctx, "0x%04llx", (long long)m->label);
}

static void client_stub(gen_t *g, idl_decl_t *md)
{
    stub_t st = { g, md->method, NULL }, *s = &st;
    idl_method_t *m = md->method;
    bool has_ret = type_resolve(m->ret)->kind != TY_VOID;
    st.ret = has_ret ? "return _ret;" : m->string_result ? "return NULL;" : "return;";
    const char *req_u = msg_untyped(g, m, false), *rep_u = msg_untyped(g, m, true);
    OUT("\n/* %s::%s, label 0x%04llx%s */\n", m->iface->name, md->name, (long long)m->label,
        m->oneway ? ", oneway" : "");
    OUT("static inline %s%s(L4_ThreadId_t _server%s",
        m->string_result ? "char *" : ctx_printf(g->ctx, "%s ", gen_ctype(g, m->ret)), md->cname,
        m->params->len ? ", " : "");
    gen_proto_params(g, m, false);
    OUT(", chacm_env_t *_env)\n{\n");
    if (has_ret)
        OUT("    %s _ret = { 0 };\n", gen_ctype(g, m->ret));
    OUT("    L4_Word_t _w = 0;\n    (void)_w;\n");
    OUT("    _Static_assert(1 + %s + %d <= 64, \"request of %s exceeds 64 MRs\");\n", req_u, m->req_t, md->name);
    OUT("    _Static_assert(1 + %s + %d <= 64, \"reply of %s exceeds 64 MRs\");\n", rep_u, m->rep_t, md->name);
    encode_request(s, req_u);
    if (m->oneway) {
        OUT("    chacm_idl_send(_server, chacm_idl_tag(%s, %s, %d), _env);\n}\n", label_expr(g, m), req_u,
            m->req_t);
        return;
    }
    accept_reply(s);
    OUT("    if (chacm_idl_call(_server, chacm_idl_tag(%s, %s, %d), _env, %s, %d) != CHACM_IDL_OK)\n"
        "        %s\n", label_expr(g, m), req_u, m->req_t, rep_u, m->rep_t, st.ret);
    decode_reply(s, rep_u);
    OUT("    %s\n}\n", m->string_result ? "return _result;" : st.ret);
}

static void iface_stubs(gen_t *g, idl_decl_t *d)
{
    fprintf(g->out, "\n#ifndef CHACM_IDL_IFACE_%s\n#define CHACM_IDL_IFACE_%s\n", d->cname, d->cname);
    fprintf(g->out, "#define %s_UUID %lld\n", d->cname, (long long)d->iface->uuid);
    for (guint i = 0; i < d->iface->methods->len; i++) {
        idl_decl_t *md = g_ptr_array_index(d->iface->methods, i);
        fprintf(g->out, "#define %s_LABEL 0x%04llx\n", md->cname, (long long)md->method->label);
    }
    for (guint i = 0; i < d->iface->methods->len; i++)
        client_stub(g, g_ptr_array_index(d->iface->methods, i));
    fprintf(g->out, "#endif /* CHACM_IDL_IFACE_%s */\n", d->cname);
}

void gen_client_header(gen_t *g)
{
    gen_banner(g, "Client stubs and types");
    fprintf(g->out, "#ifndef CHACM_IDL_%s_CLIENT_H\n#define CHACM_IDL_%s_CLIENT_H\n\n", g->guard, g->guard);
    fprintf(g->out, "#include <chacm/idlrt.h>\n");
    for (guint i = 0; i < g->spec->imports->len; i++)
        fprintf(g->out, "#include \"%s\"\n", (const char *)g_ptr_array_index(g->spec->imports, i));
    gen_types(g);
    for (guint i = 0; i < g->spec->interfaces->len; i++)
        iface_stubs(g, g_ptr_array_index(g->spec->interfaces, i));
    fprintf(g->out, "\n#endif /* CHACM_IDL_%s_CLIENT_H */\n", g->guard);
}
