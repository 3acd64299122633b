/* Server side of generated IDL code: receive buffers, request validation
 * and dispatch through the generated tables, and the ReplyWait loop. */
#include <chacm/idlrt.h>

void chacm_idl_accept(const chacm_idl_loop_t *loop)
{
    const chacm_idl_server_t *s = loop->server;
    L4_Acceptor_t a = L4_MapGrantItems(loop->rcv_window);
    if (s->n_strings)
        a = L4_AddAcceptor(a, L4_StringItemsAcceptor);
    L4_Accept(a);
    for (unsigned i = 0; i < s->n_strings; i++)
        chacm_idl_load_rcvbuf((int)i, (char *)loop->bufs + s->string_offset[i], s->string_size[i],
                              i + 1 < s->n_strings);
}

/* Kernel protocol labels are negative numbers: 16 bits on ia32, sign-extended
 * over the 48-bit label field on 64-bit words (as Pistachio does).  Returns
 * the kernel message's number, or -1 for any other label. */
static long kernel_message(L4_Word_t label)
{
    L4_Word_t top = label >> 16;
    L4_Word_t ones = ((L4_Word_t)1 << (sizeof(L4_Word_t) * 8 - 32)) - 1;
    if ((label & 0xf000) != 0xf000 || (top != 0 && top != ones))
        return -1;
    return (long)((0x10000 - (label & 0xfff0)) >> 4);
}

static const chacm_idl_method_t *lookup(const chacm_idl_server_t *s, L4_Word_t label)
{
    long k = kernel_message(label);
    if (k >= 0)
        return k < CHACM_IDL_KMSG_COUNT && s->kernel && s->kernel[k].handler ? &s->kernel[k] : NULL;
    L4_Word_t uuid = label >> CHACM_IDL_METHOD_BITS;
    L4_Word_t num = label & ((1u << CHACM_IDL_METHOD_BITS) - 1);
    /* interfaces that share a uuid number their methods apart (docs/idl.md) */
    for (unsigned i = 0; i < s->n_ifaces; i++) {
        const chacm_idl_iface_t *f = s->ifaces[i];
        if (f->uuid == uuid && num < f->count && f->methods[num].handler)
            return &f->methods[num];
    }
    return NULL;
}

static L4_Word_t reject(const chacm_idl_loop_t *loop, chacm_srvenv_t *env, L4_Word_t why, L4_Word_t err)
{
    if (loop->reject)
        loop->reject(env, why);
    return chacm_idl_tag(err, 0, 0).raw;
}

L4_Word_t chacm_idl_dispatch(const chacm_idl_loop_t *loop, chacm_srvenv_t *env)
{
    L4_MsgTag_t tag = env->tag;
    env->exception = 0;
    env->defer = false;
    const chacm_idl_method_t *m = lookup(loop->server, L4_Label(tag));
    if (!m)
        return reject(loop, env, CHACM_IDL_REJECT_UNKNOWN, CHACM_IDL_EUNKNOWN);
    if (L4_UntypedWords(tag) != m->u || L4_TypedWords(tag) != m->t)
        return reject(loop, env, CHACM_IDL_REJECT_SHAPE, CHACM_IDL_EMALFORMED);
    L4_Word_t r = m->handler(loop->ops, env, loop->bufs);
    if (r == chacm_idl_tag(CHACM_IDL_EMALFORMED, 0, 0).raw && loop->reject)
        loop->reject(env, CHACM_IDL_REJECT_CONTENT);
    /* the handlers leave deferred calls and exceptions to this one place */
    if (env->defer || m->oneway)
        return CHACM_IDL_NO_REPLY;
    if (env->exception)
        return chacm_idl_tag(CHACM_IDL_EXC_BASE + (env->exception & 0xff), 0, 0).raw;
    return r;
}

/* The receive timeout of the next wait: the poll hook's, or never. */
static L4_Time_t wait_timeout(const chacm_idl_loop_t *loop, L4_ThreadId_t reply_to)
{
    return loop->poll ? loop->poll(loop->user, reply_to) : L4_Never;
}

/* A receive phase that timed out: the poll hook asked for it. */
static bool rcv_timed_out(L4_MsgTag_t tag)
{
    L4_Word_t e = L4_ErrorCode();
    return L4_IpcFailed(tag) && (e & 1) && ((e >> 1) & 7) == 1;
}

void chacm_idl_serve(const chacm_idl_loop_t *loop)
{
    chacm_srvenv_t env = { .user = loop->user };
    chacm_idl_accept(loop);
    L4_MsgTag_t tag = L4_Wait_Timeout(wait_timeout(loop, L4_nilthread), &env.caller);
    for (;;) {
        if (L4_IpcFailed(tag)) {
            /* A failed receive (or a reply the client never took) carries no request. */
            if (loop->reject && !(loop->poll && rcv_timed_out(tag))) {
                env.tag = tag;
                loop->reject(&env, CHACM_IDL_REJECT_FAILED_IPC);
            }
            chacm_idl_accept(loop);
            tag = L4_Wait_Timeout(wait_timeout(loop, L4_nilthread), &env.caller);
            continue;
        }
        env.tag = tag;
        L4_Word_t reply = chacm_idl_dispatch(loop, &env);
        if (env.stop) {
            if (reply != CHACM_IDL_NO_REPLY) {
                L4_Set_MsgTag((L4_MsgTag_t){ .raw = reply });
                L4_Reply(env.caller);
            }
            return;
        }
        chacm_idl_accept(loop);
        if (reply == CHACM_IDL_NO_REPLY) {
            tag = L4_Wait_Timeout(wait_timeout(loop, L4_nilthread), &env.caller);
        } else {
            L4_Set_MsgTag((L4_MsgTag_t){ .raw = reply });
            tag = L4_ReplyWait_Timeout(env.caller, wait_timeout(loop, env.caller), &env.caller);
        }
    }
}
