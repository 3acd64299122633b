/* chacm-idl: methods that declare kernel messages (kernelmsg(idl4::...)):
 * each must have the shape of the message the kernel sends and of the reply
 * it expects, so that one server loop answers them and ordinary calls. */
#include "check_int.h"

#include <string.h>

static bool is_word_int(const idl_param_t *a)
{
    const idl_type_t *r = type_resolve(a->type);
    return a->dir == DIR_IN && a->kind == P_VALUE && r->kind == TY_INT && r->size[0] == 4 && r->size[1] == 8;
}

static bool is_small_int(const idl_param_t *a)
{
    const idl_type_t *r = type_resolve(a->type);
    return a->dir == DIR_IN && a->kind == P_VALUE && !a->byref && r->kind == TY_INT && r->size[0] <= 4;
}

static idl_param_t *param(const idl_method_t *m, guint i)
{
    return g_ptr_array_index(m->params, i);
}

/* Page fault: MR1 address, MR2 IP, the access in the label's low bits (an
 * optional third parameter, as IDL4 has it); the reply maps one fpage. */
static bool pagefault_shape(idl_method_t *m)
{
    guint n = m->params->len;
    if (n != 3 && n != 4)
        return false;
    if (!is_word_int(param(m, 0)) || !is_word_int(param(m, 1)))
        return false;
    if (n == 4) {
        if (!is_small_int(param(m, 2)))
            return false;
        param(m, 2)->from_label = true;
    }
    idl_param_t *f = param(m, n - 1);
    return f->dir == DIR_OUT && f->kind == P_FPAGE;
}

/* Exception: the register block travels in and (changed) back out. */
static bool exception_shape(const idl_method_t *m)
{
    if (m->params->len != 1)
        return false;
    const idl_param_t *a = param(m, 0);
    return a->dir == DIR_INOUT && a->kind == P_VALUE;
}

void check_kernelmsg(idl_ctx_t *ctx, idl_decl_t *md)
{
    idl_method_t *m = md->method;
    if (!m->kernelmsg)
        return;
    const char *kind = idl_kmsg_name(m->kmsg), *n = md->name;
    bool plain = type_resolve(m->ret)->kind == TY_VOID && !m->oneway;
    if (m->has_uuid)
        ctx_error(ctx, m->uuid_loc, "kernelmsg(%s) method '%s' takes no uuid: the kernel's label names it",
                  kind, n);
    switch (m->kmsg) {
    case IDL_KMSG_PAGEFAULT:
        if (!plain || !pagefault_shape(m))
            ctx_error(ctx, md->loc, "kernelmsg(pagefault) method '%s' must be 'void %s([in] word addr, "
                      "[in] word ip, [in] short rwx, [out] fpage *p)' (rwx may be left out)", n, n);
        break;
    case IDL_KMSG_INTERRUPT:
        if (!plain || m->params->len)
            ctx_error(ctx, md->loc, "kernelmsg(interrupt) method '%s' must be 'void %s()' (the reply "
                      "acknowledges the interrupt)", n, n);
        break;
    case IDL_KMSG_SYSEXC:
    case IDL_KMSG_ARCHEXC:
        if (!plain || !exception_shape(m))
            ctx_error(ctx, md->loc, "kernelmsg(%s) method '%s' must be 'void %s([in, out] T *regs)' with a "
                      "fixed-size T (the registers the kernel sends and the reply sets)", kind, n, n);
        break;
    default:
        ctx_error(ctx, md->loc, "kernelmsg(%s) is not supported: the kernel sends page fault, interrupt and "
                  "exception messages (idl4::pagefault, idl4::interrupt, idl4::sysexc, idl4::archexc)", kind);
    }
}
