/* chacm-idl: checks one method's parameters and decides how each travels —
 * in message registers, as a string item, or as a map item. */
#include "check_int.h"

#include <string.h>

static idl_attr_t *find_attr(GPtrArray *attrs, const char *name)
{
    for (guint i = 0; i < attrs->len; i++) {
        idl_attr_t *a = g_ptr_array_index(attrs, i);
        if (strcmp(a->name, name) == 0)
            return a;
    }
    return NULL;
}

/* [max_value(n)] (IDL4): an integer parameter that never exceeds n; a
 * length_is naming it is bounded by n. */
static void max_value(idl_ctx_t *ctx, idl_param_t *a, const idl_attr_t *t)
{
    if (!type_is_integer(a->type))
        ctx_error(ctx, t->loc, "max_value applies to integer parameters, not '%s'", a->name);
    if (t->value < 0)
        ctx_error(ctx, t->arg_loc, "max_value(%lld) is negative", (long long)t->value);
    a->has_max = true;
    a->max_value = t->value;
}

static void param_attrs(idl_ctx_t *ctx, idl_param_t *a)
{
    idl_dir_t dir = DIR_NONE;
    for (guint i = 0; i < a->attrs->len; i++) {
        idl_attr_t *t = g_ptr_array_index(a->attrs, i);
        bool bare = !t->has_arg;
        if (strcmp(t->name, "in") == 0 && bare)
            dir |= DIR_IN;
        else if (strcmp(t->name, "out") == 0 && bare)
            dir |= DIR_OUT;
        else if (strcmp(t->name, "string") == 0 && bare)
            a->is_string_attr = true;
        else if (strcmp(t->name, "prealloc") == 0 && bare)
            a->prealloc = true;
        else if ((strcmp(t->name, "length_is") == 0 || strcmp(t->name, "max_is") == 0) && t->has_arg)
            continue;
        else if (strcmp(t->name, "max_value") == 0 && t->has_arg && !t->arg_is_ident)
            max_value(ctx, a, t);
        else
            ctx_error(ctx, t->loc, "unknown or malformed parameter attribute '%s'", t->name);
    }
    if (dir && a->corba_dir)
        ctx_error(ctx, a->loc, "direction of '%s' given twice", a->name);
    if (!a->corba_dir)
        a->dir = dir;
    if (a->dir == DIR_NONE)
        ctx_error(ctx, a->loc, "parameter '%s' has no direction ([in], [out] or [in, out])", a->name);
}

static bool fixed_size(const idl_type_t *r)
{
    return r->kind != TY_VOID && r->kind != TY_STRING && r->kind != TY_SEQUENCE && r->kind != TY_FPAGE;
}

/* Pointer depth the declaration must have; CORBA-style parameters never use '*'. */
static void want_ptr(idl_ctx_t *ctx, idl_param_t *a, int lo, int hi, const char *why)
{
    if (a->corba_dir) {
        if (a->ptr)
            ctx_error(ctx, a->type_loc, "'%s': CORBA-style parameters take no '*'", a->name);
        return;
    }
    if (a->ptr < lo || a->ptr > hi)
        ctx_error(ctx, a->type_loc, "parameter '%s' %s", a->name, why);
}

static void check_bound(idl_ctx_t *ctx, idl_param_t *a)
{
    idl_attr_t *mx = find_attr(a->attrs, "max_is");
    if (mx) {
        if (mx->arg_is_ident)
            ctx_error(ctx, mx->arg_loc, "max_is needs a constant, not '%s'", mx->ident);
        if (mx->value <= 0 || mx->value > IDL_MAX_BYTES)
            ctx_error(ctx, mx->arg_loc, "max_is(%lld) out of range", (long long)mx->value);
        if (a->bound && mx->value > a->bound)
            ctx_error(ctx, mx->arg_loc, "max_is(%lld) exceeds the type's bound %lld", (long long)mx->value,
                      (long long)a->bound);
        a->bound = mx->value;
    }
    if (!a->bound)
        a->bound = IDL_DEFAULT_BOUND;
    int64_t esize = a->elem ? type_resolve(a->elem)->size[1] : 1;
    int64_t bytes = (a->bound + (a->kind == P_STRING)) * esize;
    if (bytes > IDL_MAX_BYTES)
        ctx_error(ctx, a->loc, "'%s' may carry %lld bytes, more than a string item holds (%d)", a->name,
                  (long long)bytes, IDL_MAX_BYTES);
}

static void length_param(idl_ctx_t *ctx, idl_method_t *m, idl_param_t *a, idl_attr_t *li)
{
    a->length_const = -1;
    if (!li->arg_is_ident) {
        if (li->value < 0 || li->value > IDL_MAX_BYTES)
            ctx_error(ctx, li->arg_loc, "length_is(%lld) out of range", (long long)li->value);
        a->length_const = li->value;
        if (!a->bound || a->bound > li->value)
            a->bound = li->value ? li->value : 1;
        return;
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *o = g_ptr_array_index(m->params, i);
        if (strcmp(o->name, li->ident) == 0)
            a->length = o;
    }
    if (!a->length)
        ctx_error(ctx, li->arg_loc, "length_is names no parameter '%s'", li->ident);
    idl_param_t *l = a->length;
    if (l == a)
        ctx_error(ctx, li->arg_loc, "'%s' cannot be its own length", a->name);
    if (!type_is_integer(l->type) || l->kind != P_VALUE || l->ptr > 1 || find_attr(l->attrs, "length_is"))
        ctx_error(ctx, li->arg_loc, "length_is parameter '%s' is not an integer", l->name);
    if (l->has_max && (!a->bound || a->bound > l->max_value))
        a->bound = l->max_value ? l->max_value : 1;
    if ((a->dir & DIR_IN) && !(l->dir & DIR_IN))
        ctx_error(ctx, li->arg_loc, "length of [in] data '%s' must be an [in] parameter", a->name);
    if ((a->dir & DIR_OUT) && !(l->dir & DIR_OUT))
        ctx_error(ctx, li->arg_loc, "length of [out] data '%s' must be an [out] parameter", a->name);
}

static void classify(idl_ctx_t *ctx, idl_method_t *m, idl_param_t *a, const idl_type_t *r)
{
    idl_attr_t *li = find_attr(a->attrs, "length_is");
    bool out = a->dir & DIR_OUT;
    if (r->kind == TY_VOID)
        ctx_error(ctx, a->type_loc, "parameter '%s' has type void", a->name);
    if ((a->is_string_attr || li) && !fixed_size(r))
        ctx_error(ctx, a->type_loc, "[string] and length_is apply to pointers to fixed-size elements");
    if (r->kind == TY_FPAGE) {
        if (a->dir == DIR_INOUT)
            ctx_error(ctx, a->loc, "fpage parameter '%s' must be [in] or [out]", a->name);
        want_ptr(ctx, a, out, out, out ? "must be declared 'fpage *'" : "must be declared 'fpage'");
        a->kind = P_FPAGE;
        a->byref = out;
        return;
    }
    if (r->kind == TY_STRING || r->kind == TY_SEQUENCE) {
        a->kind = r->kind == TY_STRING ? P_STRING : P_SEQUENCE;
        a->elem = r->kind == TY_STRING ? NULL : r->elem;
        a->bound = r->count;
        want_ptr(ctx, a, 0, r->kind == TY_SEQUENCE, "has too many '*'");
        return;
    }
    if (a->is_string_attr) {
        if (r->kind != TY_INT || r->size[0] != 1)
            ctx_error(ctx, a->type_loc, "[string] parameter '%s' must be a char pointer", a->name);
        a->kind = P_STRING;
        want_ptr(ctx, a, 1, out ? 2 : 1, "must be 'char *' ('char **' for [out])");
        a->indirect = a->ptr == 2;
        if (li)
            length_param(ctx, m, a, li);    /* at most that many characters */
        return;
    }
    if (li || (find_attr(a->attrs, "max_is") && a->ptr)) {
        a->kind = P_ARRAY;
        a->elem = a->type;
        if (a->corba_dir)
            ctx_error(ctx, a->type_loc, "length_is needs a DCE-style pointer parameter");
        want_ptr(ctx, a, 1, out ? 2 : 1, "must be 'T *' ('T **' for [out])");
        a->indirect = a->ptr == 2;
        if (li)
            length_param(ctx, m, a, li);
        else
            a->length_const = -1;
        if (!li)
            ctx_error(ctx, a->loc, "array parameter '%s' needs length_is", a->name);
        return;
    }
    a->kind = P_VALUE;
    if (a->has_max && a->ptr > (out ? 1 : 0))
        ctx_error(ctx, a->loc, "max_value applies to integer values, not to '%s'", a->name);
    if (a->prealloc)
        ctx_error(ctx, a->loc, "[prealloc] applies to variable-length [out] data");
    if (find_attr(a->attrs, "max_is"))
        ctx_error(ctx, a->loc, "max_is applies to variable-length data");
    want_ptr(ctx, a, out, 1, out ? "must be a pointer ([out] values are returned through '*')"
                                  : "has too many '*' (use [string] or length_is)");
    a->byref = out || a->ptr == 1;
}

void check_params(idl_ctx_t *ctx, idl_method_t *m)
{
    /* Directions and kinds first, so length_is can look at other parameters. */
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        param_attrs(ctx, a);
        a->length_const = -1;
        if (!find_attr(a->attrs, "length_is"))
            classify(ctx, m, a, type_resolve(a->type));
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        if (find_attr(a->attrs, "length_is"))
            classify(ctx, m, a, type_resolve(a->type));
        if (a->kind != P_VALUE && a->kind != P_FPAGE)
            check_bound(ctx, a);
        if (a->prealloc && !(a->dir & DIR_OUT))
            ctx_error(ctx, a->loc, "[prealloc] applies to variable-length [out] data");
        if (a->has_max && a->kind != P_VALUE)
            ctx_error(ctx, a->loc, "max_value applies to integer values, not to '%s'", a->name);
    }
    for (guint i = 0; i < m->params->len; i++) {
        idl_param_t *a = g_ptr_array_index(m->params, i);
        /* [prealloc]: the caller's buffer.  An [in, out] length gives its
         * capacity; with an [out] length it holds the declared bound.  A
         * sequence always comes with its caller's _buffer and _maximum. */
        if (a->prealloc && a->kind != P_SEQUENCE && (a->kind != P_ARRAY || !a->length))
            ctx_error(ctx, a->loc, "[prealloc] needs a sequence, or length_is naming a parameter");
    }
}
