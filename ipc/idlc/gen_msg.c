/* chacm-idl: MR index arithmetic and message sizes for the generators. */
#include "gen_msg.h"

void idx_init(mr_index_t *x, int n)
{
    x->n = n;
    x->sym = g_string_new(NULL);
}

void idx_free(mr_index_t *x)
{
    g_string_free(x->sym, TRUE);
}

const char *idx_str(gen_t *g, const mr_index_t *x)
{
    if (!x->sym->len)
        return ctx_printf(g->ctx, "%d", x->n);
    return ctx_printf(g->ctx, "%d%s", x->n, x->sym->str);
}

void idx_add_value(gen_t *g, mr_index_t *x, const idl_type_t *t)
{
    if (type_resolve(t)->kind == TY_VOID)
        return;
    if (gen_value_is_scalar(t))
        x->n++;
    else
        g_string_append_printf(x->sym, " + CHACM_IDL_WORDS(sizeof(%s))", gen_ctype(g, t));
}

bool param_has(const idl_param_t *a, idl_dir_t d)
{
    return (a->dir & d) != 0;
}

const char *msg_untyped(gen_t *g, const idl_method_t *m, bool reply)
{
    mr_index_t x;
    idx_init(&x, 0);
    if (reply)
        idx_add_value(g, &x, m->ret);
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (a->kind == P_VALUE && !a->from_label && param_has(a, reply ? DIR_OUT : DIR_IN))
            idx_add_value(g, &x, a->type);
    }
    const char *s = idx_str(g, &x);
    idx_free(&x);
    return s;
}

const char *var_bytes(gen_t *g, const idl_param_t *a)
{
    if (a->kind == P_BLOB)
        return ctx_printf(g->ctx, "sizeof(%s)", gen_ctype(g, a->type));
    if (a->kind == P_STRING)
        return ctx_printf(g->ctx, "%lld", (long long)a->bound + 1);
    return ctx_printf(g->ctx, "%lld * sizeof(%s)", (long long)a->bound, gen_elem_ctype(g, a));
}

const char *value_addr(gen_t *g, const idl_param_t *a, const char *name)
{
    if (a->byref || type_resolve(a->type)->kind == TY_ARRAY)
        return name;
    return ctx_printf(g->ctx, "&%s", name);
}
