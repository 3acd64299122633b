/* chacm-idl: semantic checks over a parsed specification — inheritance,
 * uuids and labels, method shapes, and whether each message fits the 64
 * message registers. */
#include "check_int.h"

#include <string.h>

int type_words(const idl_type_t *t, int w)
{
    const idl_type_t *r = type_resolve(t);
    int word = w ? 8 : 4;
    if (r->kind == TY_VOID)
        return 0;
    if (r->kind == TY_FPAGE)
        return 2;
    return (r->size[w] + word - 1) / word;
}

/* ---- inheritance ---- */

static void visit_bases(idl_ctx_t *ctx, idl_decl_t *d, GPtrArray *path)
{
    idl_iface_t *f = d->iface;
    if (f->mark == 2)
        return;
    if (f->mark == 1) {
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < path->len; i++)
            g_string_append_printf(s, "%s -> ", ((idl_decl_t *)g_ptr_array_index(path, i))->name);
        g_string_append(s, d->name);
        char *msg = ctx_strdup(ctx, s->str);
        g_string_free(s, TRUE);
        ctx_error(ctx, d->loc, "recursive inheritance: %s", msg);
    }
    f->mark = 1;
    g_ptr_array_add(path, d);
    for (guint i = 0; i < f->bases->len; i++) {
        idl_base_ref_t *b = g_ptr_array_index(f->bases, i);
        if (!b->decl->iface->defined)
            ctx_error(ctx, b->loc, "base interface '%s' is declared but never defined", b->decl->name);
        visit_bases(ctx, b->decl, path);
    }
    g_ptr_array_remove_index(path, path->len - 1);
    f->mark = 2;
}

static void closure_add(GPtrArray *out, idl_decl_t *d)
{
    for (guint i = 0; i < out->len; i++)
        if (g_ptr_array_index(out, i) == d)
            return;
    g_ptr_array_add(out, d);
    for (guint i = 0; i < d->iface->bases->len; i++)
        closure_add(out, ((idl_base_ref_t *)g_ptr_array_index(d->iface->bases, i))->decl);
}

GPtrArray *iface_closure(idl_ctx_t *ctx, idl_decl_t *d)
{
    GPtrArray *out = ctx_array(ctx);
    closure_add(out, d);
    return out;
}

guint iface_numbered(const idl_decl_t *d)
{
    guint n = 0;
    for (guint i = 0; i < d->iface->methods->len; i++)
        n += !((idl_decl_t *)g_ptr_array_index(d->iface->methods, i))->method->kernelmsg;
    return n;
}

/* Interfaces a and b of d's closure share a uuid: their methods' numbers
 * must differ (a derived interface numbers on from its base, see
 * first_number; unrelated interfaces with one uuid may clash). */
static void check_shared_uuid(idl_ctx_t *ctx, idl_decl_t *d, idl_decl_t *a, idl_decl_t *b)
{
    for (guint i = 0; i < a->iface->methods->len; i++) {
        idl_decl_t *x = g_ptr_array_index(a->iface->methods, i);
        for (guint j = 0; j < b->iface->methods->len; j++) {
            idl_decl_t *y = g_ptr_array_index(b->iface->methods, j);
            if (!x->method->kernelmsg && !y->method->kernelmsg && x->method->uuid == y->method->uuid)
                ctx_error(ctx, d->loc, "interfaces '%s' (%d:%d) and '%s' (%d:%d) inherited by '%s' share uuid %lld "
                          "and method number %lld ('%s' and '%s')", a->name, a->loc.line, a->loc.col, b->name,
                          b->loc.line, b->loc.col, d->name, (long long)a->iface->uuid,
                          (long long)x->method->uuid, x->name, y->name);
        }
    }
}

/* Interfaces a server of d dispatches must not give two methods one label,
 * and only one method may answer each kernel message. */
static void check_closure(idl_ctx_t *ctx, idl_decl_t *d)
{
    GPtrArray *all = iface_closure(ctx, d);
    idl_decl_t *kmsg[IDL_KMSG_COUNT] = { NULL };
    for (guint i = 0; i < all->len; i++) {
        idl_decl_t *f = g_ptr_array_index(all, i);
        for (guint j = 0; j < f->iface->methods->len; j++) {
            idl_decl_t *md = g_ptr_array_index(f->iface->methods, j), *o;
            if (!md->method->kernelmsg)
                continue;
            o = kmsg[md->method->kmsg];
            if (o)
                ctx_error(ctx, d->loc, "'%s' inherits two kernelmsg(%s) methods, '%s' (%d:%d) and '%s' (%d:%d)",
                          d->name, idl_kmsg_name(md->method->kmsg), o->name, o->loc.line, o->loc.col, md->name,
                          md->loc.line, md->loc.col);
            kmsg[md->method->kmsg] = md;
        }
    }
    for (guint i = 0; i < all->len; i++) {
        idl_decl_t *a = g_ptr_array_index(all, i);
        for (guint j = i + 1; j < all->len; j++) {
            idl_decl_t *b = g_ptr_array_index(all, j);
            if (a->iface->uuid == b->iface->uuid)
                check_shared_uuid(ctx, d, a, b);
        }
    }
}

/* ---- methods ---- */

static void number_methods(idl_ctx_t *ctx, idl_decl_t *d);

/* The first free method number of d: above every number its bases with the
 * same uuid use, so that, as in IDL4, an interface that shares its base's
 * uuid continues that base's numbering and every label stays unique. */
static int64_t first_number(idl_ctx_t *ctx, idl_decl_t *d)
{
    GPtrArray *all = iface_closure(ctx, d);
    int64_t next = 0;
    for (guint i = 1; i < all->len; i++) {
        idl_decl_t *b = g_ptr_array_index(all, i);
        number_methods(ctx, b);
        if (b->iface->uuid != d->iface->uuid)
            continue;
        for (guint j = 0; j < b->iface->methods->len; j++) {
            idl_method_t *m = ((idl_decl_t *)g_ptr_array_index(b->iface->methods, j))->method;
            if (!m->kernelmsg && m->uuid + 1 > next)
                next = m->uuid + 1;
        }
    }
    return next;
}

static void number_methods(idl_ctx_t *ctx, idl_decl_t *d)
{
    idl_iface_t *f = d->iface;
    if (f->numbered)
        return;
    f->numbered = true;
    if (f->uuid < 0 || f->uuid > IDL_MAX_IFACE_UUID)
        ctx_error(ctx, f->uuid_loc, "interface uuid %lld out of range (0..%d)", (long long)f->uuid,
                  IDL_MAX_IFACE_UUID);
    int64_t next = first_number(ctx, d);
    for (guint i = 0; i < f->methods->len; i++) {
        idl_decl_t *md = g_ptr_array_index(f->methods, i);
        idl_method_t *m = md->method;
        if (m->kernelmsg) {
            /* the kernel's label names it; it takes no method number */
            m->label = IDL_KMSG_LABEL(m->kmsg);
            continue;
        }
        if (!m->has_uuid) {
            m->uuid = next;
            m->uuid_loc = md->loc;
        }
        if (m->uuid < 0 || m->uuid > IDL_MAX_METHOD_UUID)
            ctx_error(ctx, m->uuid_loc, "method uuid %lld out of range (0..%d)", (long long)m->uuid,
                      IDL_MAX_METHOD_UUID);
        for (guint j = 0; j < i; j++) {
            idl_decl_t *o = g_ptr_array_index(f->methods, j);
            if (!o->method->kernelmsg && o->method->uuid == m->uuid)
                ctx_error(ctx, m->uuid_loc, "duplicate uuid %lld (also used by method %s at %d:%d)",
                          (long long)m->uuid, o->name, o->loc.line, o->loc.col);
        }
        next = m->uuid + 1;
        m->label = (f->uuid << IDL_METHOD_BITS) | m->uuid;
    }
}

static void check_return(idl_ctx_t *ctx, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    const idl_type_t *r = type_resolve(m->ret);
    if (r->kind == TY_SEQUENCE || r->kind == TY_FPAGE)
        ctx_error(ctx, m->ret_loc, "method '%s' must return void, a string or a fixed-size type", md->name);
    if (m->oneway) {
        if (r->kind != TY_VOID)
            ctx_error(ctx, m->ret_loc, "oneway method '%s' must return void", md->name);
        if (m->raises->len)
            ctx_error(ctx, md->loc, "oneway method '%s' cannot raise exceptions", md->name);
        for (guint i = 0; i < m->params->len; i++) {
            idl_param_t *a = g_ptr_array_index(m->params, i);
            if (a->dir & DIR_OUT)
                ctx_error(ctx, a->loc, "oneway method '%s' cannot have [out] parameter '%s'", md->name,
                          a->name);
        }
    }
}

static void check_raises(idl_ctx_t *ctx, idl_method_t *m)
{
    for (guint i = 0; i < m->raises->len; i++)
        for (guint j = 0; j < i; j++) {
            idl_decl_t *a = g_ptr_array_index(m->raises, i), *b = g_ptr_array_index(m->raises, j);
            if (a->value == b->value)
                ctx_error(ctx, *(idl_loc_t *)g_ptr_array_index(m->raise_locs, i),
                          "exceptions '%s' and '%s' have the same code %lld", b->name, a->name,
                          (long long)a->value);
        }
}

/* Untyped and typed words of the request and the reply. */
static void count_words(idl_method_t *m)
{
    for (int w = 0; w < 2; w++) {
        m->req_u[w] = 0;
        m->rep_u[w] = type_words(m->ret, w);
        m->req_t = m->rep_t = 0;
        for (guint i = 0; i < m->params->len; i++) {
            idl_param_t *a = g_ptr_array_index(m->params, i);
            int u = a->kind == P_VALUE && !a->from_label ? type_words(a->type, w) : 0;
            int t = a->kind == P_VALUE ? 0 : 2;
            if (a->dir & DIR_IN) {
                m->req_u[w] += u;
                m->req_t += t;
            }
            if (a->dir & DIR_OUT) {
                m->rep_u[w] += u;
                m->rep_t += t;
            }
        }
    }
}

static bool fits(const idl_method_t *m)
{
    for (int w = 0; w < 2; w++)
        if (1 + m->req_u[w] + m->req_t > IDL_NUM_MRS || 1 + m->rep_u[w] + m->rep_t > IDL_NUM_MRS)
            return false;
    return true;
}

/* The largest struct or array value of m still in the MRs, or NULL. */
static idl_param_t *largest_value(const idl_method_t *m)
{
    idl_param_t *best = NULL;
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        ty_kind_t k = type_resolve(a->type)->kind;
        if (a->kind == P_VALUE && !a->from_label && (k == TY_STRUCT || k == TY_ARRAY) &&
            (!best || type_resolve(a->type)->size[1] > type_resolve(best->type)->size[1]))
            best = a;
    }
    return best;
}

/* Lays out m's messages.  A message that does not fit the message registers
 * carries its struct and array values as string items instead, largest
 * first, until it fits (IDL4 also sends large fixed-size values as
 * strings); kernel messages keep their fixed shapes. */
static void layout(idl_ctx_t *ctx, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    count_words(m);
    for (idl_param_t *a; !fits(m) && !m->kernelmsg && (a = largest_value(m));) {
        if (type_resolve(a->type)->size[1] > IDL_MAX_BYTES)
            ctx_error(ctx, a->loc, "'%s' is larger than a string item holds (%d bytes)", a->name, IDL_MAX_BYTES);
        a->kind = P_BLOB;
        count_words(m);
    }
    for (int w = 0; w < 2; w++) {
        const char *ws = w ? "64-bit" : "32-bit";
        if (1 + m->req_u[w] + m->req_t > IDL_NUM_MRS)
            ctx_error(ctx, md->loc, "request of '%s' needs %d message registers with %s words (at most %d)",
                      md->name, 1 + m->req_u[w] + m->req_t, ws, IDL_NUM_MRS);
        if (1 + m->rep_u[w] + m->rep_t > IDL_NUM_MRS)
            ctx_error(ctx, md->loc, "reply of '%s' needs %d message registers with %s words (at most %d)",
                      md->name, 1 + m->rep_u[w] + m->rep_t, ws, IDL_NUM_MRS);
    }
}

static idl_attr_t *attr_new(idl_ctx_t *ctx, const char *name, idl_loc_t loc)
{
    idl_attr_t *a = ctx_alloc(ctx, sizeof *a);
    a->name = name;
    a->loc = a->arg_loc = loc;
    return a;
}

/* A method that returns a string (string, string<N>, as IDL4 allows) gets
 * it through a last parameter [out, string, max_is(N)] char *_result: the
 * caller's buffer in the client stub, which returns it; the buffer the
 * implementation fills in the server. */
static void string_result(idl_ctx_t *ctx, idl_method_t *m)
{
    const idl_type_t *r = type_resolve(m->ret);
    if (r->kind != TY_STRING || m->oneway)
        return;
    idl_param_t *a = ctx_alloc(ctx, sizeof *a);
    a->name = "_result";
    a->loc = a->type_loc = m->ret_loc;
    a->type = type_new(ctx, TY_INT, "char");
    a->type->size[0] = a->type->size[1] = a->type->align[0] = a->type->align[1] = 1;
    a->type->is_signed = true;
    a->ptr = 1;
    a->attrs = ctx_array(ctx);
    g_ptr_array_add(a->attrs, attr_new(ctx, "out", m->ret_loc));
    g_ptr_array_add(a->attrs, attr_new(ctx, "string", m->ret_loc));
    if (r->count) {
        idl_attr_t *mx = attr_new(ctx, "max_is", m->ret_loc);
        mx->has_arg = true;
        mx->value = r->count;
        g_ptr_array_add(a->attrs, mx);
    }
    g_ptr_array_add(m->params, a);
    m->ret = type_new(ctx, TY_VOID, "void");
    m->string_result = true;
}

static void check_iface(idl_ctx_t *ctx, idl_decl_t *d)
{
    number_methods(ctx, d);
    for (guint i = 0; i < d->iface->methods->len; i++) {
        idl_decl_t *md = g_ptr_array_index(d->iface->methods, i);
        string_result(ctx, md->method);
        check_params(ctx, md->method);
        check_return(ctx, md);
        check_kernelmsg(ctx, md);
        check_raises(ctx, md->method);
        layout(ctx, md);
    }
}

void check_spec(idl_ctx_t *ctx, idl_spec_t *spec)
{
    GPtrArray *path = ctx_array(ctx);
    for (guint i = 0; i < spec->interfaces->len; i++)
        visit_bases(ctx, g_ptr_array_index(spec->interfaces, i), path);
    for (guint i = 0; i < spec->interfaces->len; i++)
        check_iface(ctx, g_ptr_array_index(spec->interfaces, i));
    for (guint i = 0; i < spec->interfaces->len; i++)
        check_closure(ctx, g_ptr_array_index(spec->interfaces, i));
}
