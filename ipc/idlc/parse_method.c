/* chacm-idl: method declarations inside an interface — attributes, return
 * type, parameters in DCE ([in] int *x) or CORBA (in long x) style, raises. */
#include "check.h"
#include "parse.h"

#include <string.h>

void parse_method(parser_t *p, idl_decl_t *iface, GPtrArray *attrs);

static idl_dir_t corba_direction(parser_t *p)
{
    if (p_accept(p, "in"))
        return DIR_IN;
    if (p_accept(p, "out"))
        return DIR_OUT;
    if (p_accept(p, "inout"))
        return DIR_INOUT;
    return DIR_NONE;
}

static idl_param_t *parameter(parser_t *p)
{
    idl_param_t *a = ctx_alloc(p->ctx, sizeof *a);
    a->loc = p->tok.loc;
    a->attrs = p_attributes(p);
    a->dir = corba_direction(p);
    a->corba_dir = a->dir != DIR_NONE;
    if (p_is(p, "const"))
        p_advance(p);
    a->type_loc = p->tok.loc;
    a->type = p_type_spec(p);
    while (p_accept(p, "*"))
        if (++a->ptr > 2)
            ctx_error(p->ctx, a->type_loc, "too many levels of pointers");
    a->loc = p->tok.loc;
    a->name = p_ident(p, "a parameter name");
    if (p_is(p, "["))
        ctx_error(p->ctx, p->tok.loc, "unexpected '[' after parameter '%s' (array parameters must be "
                  "named with typedef)", a->name);
    if (a->name[0] == '_')
        ctx_error(p->ctx, a->loc, "names may not begin with '_' ('%s')", a->name);
    return a;
}

static void parameters(parser_t *p, idl_method_t *m)
{
    p_expect(p, "(", "'(' to open the parameter list");
    if (p_is(p, "void") && p_peek(p)->kind == TK_PUNCT && strcmp(p_peek(p)->text, ")") == 0)
        p_advance(p);
    if (p_accept(p, ")"))
        return;
    do {
        idl_param_t *a = parameter(p);
        for (guint i = 0; i < m->params->len; i++) {
            idl_param_t *o = g_ptr_array_index(m->params, i);
            if (strcmp(o->name, a->name) == 0)
                ctx_error(p->ctx, a->loc, "duplicate parameter '%s' (previous at %d:%d)", a->name,
                          o->loc.line, o->loc.col);
        }
        if (m->params->len >= 64)
            ctx_error(p->ctx, a->loc, "too many parameters");
        g_ptr_array_add(m->params, a);
    } while (p_accept(p, ","));
    p_expect(p, ")", "')' or ',' in the parameter list");
}

static void raises(parser_t *p, idl_method_t *m)
{
    p_expect(p, "(", "'(' after 'raises'");
    do {
        idl_loc_t *at = ctx_alloc(p->ctx, sizeof *at);
        idl_decl_t *e = p_scoped_name(p, at);
        if (e->kind != D_EXCEPTION)
            ctx_error(p->ctx, *at, "'%s' is not an exception", e->name);
        for (guint i = 0; i < m->raises->len; i++)
            if (g_ptr_array_index(m->raises, i) == e)
                ctx_error(p->ctx, *at, "exception '%s' listed twice", e->name);
        g_ptr_array_add(m->raises, e);
        g_ptr_array_add(m->raise_locs, at);
    } while (p_accept(p, ","));
    p_expect(p, ")", "')' after the exception list");
}

static void method_attrs(parser_t *p, idl_method_t *m)
{
    for (guint i = 0; i < m->attrs->len; i++) {
        idl_attr_t *a = g_ptr_array_index(m->attrs, i);
        if (strcmp(a->name, "uuid") == 0) {
            if (!a->has_arg || a->arg_is_ident)
                ctx_error(p->ctx, a->loc, "uuid needs a constant argument");
            m->has_uuid = true;
            m->uuid = a->value;
            m->uuid_loc = a->arg_loc;
        } else if (strcmp(a->name, "oneway") == 0 && !a->has_arg) {
            m->oneway = true;
        } else if (strcmp(a->name, "kernelmsg") == 0 && a->has_arg) {
            /* kernelmsg(idl4::pagefault), or the bare name: kernelmsg(pagefault) */
            int n = a->arg_is_ident ? idl_kmsg_by_name(a->ident) : (int)a->value;
            if (a->arg_is_ident && n < 0)
                ctx_error(p->ctx, a->arg_loc, "unknown kernel message '%s' (idl4::interrupt, idl4::pagefault, "
                          "idl4::sysexc, idl4::archexc, ...)", a->ident);
            if (!a->arg_is_ident && (a->value < 0 || a->value >= IDL_KMSG_COUNT || !idl_kmsg_name(n)))
                ctx_error(p->ctx, a->arg_loc, "unknown kernel message %lld (use the constants of module idl4)",
                          (long long)a->value);
            m->kernelmsg = true;
            m->kmsg = n;
        } else {
            ctx_error(p->ctx, a->loc, "unknown or malformed method attribute '%s'", a->name);
        }
    }
}

void parse_method(parser_t *p, idl_decl_t *iface, GPtrArray *attrs)
{
    idl_method_t *m = ctx_alloc(p->ctx, sizeof *m);
    m->attrs = attrs;
    m->params = ctx_array(p->ctx);
    m->raises = ctx_array(p->ctx);
    m->raise_locs = ctx_array(p->ctx);
    m->iface = iface;
    method_attrs(p, m);
    if (p_accept(p, "oneway"))
        m->oneway = true;
    m->ret_loc = p->tok.loc;
    m->ret = p_type_spec(p);
    if (p_is(p, "*"))
        ctx_error(p->ctx, p->tok.loc, "methods cannot return pointers");
    idl_loc_t at = p->tok.loc;
    const char *name = p_ident(p, "the method's name");
    idl_decl_t *d = decl_new(p, D_METHOD, name, at);
    d->method = m;
    scope_declare(p, d);
    g_ptr_array_add(iface->iface->methods, d);
    parameters(p, m);
    if (p_accept(p, "raises"))
        raises(p, m);
    p_expect(p, ";", "';' after the method declaration");
}
