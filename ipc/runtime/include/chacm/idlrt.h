/* Runtime of the stubs chacm-idl generates: the client environment, the wire
 * error codes, and the server loop that validates and dispatches requests.
 * Freestanding; the wire format is described in docs/idl.md. */
#ifndef CHACM_IDLRT_H
#define CHACM_IDLRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <l4/types.h>
#include <l4/message.h>
#include <l4/ipc.h>

/* A request's label: interface uuid (0..959) above a 6-bit method number. */
#define CHACM_IDL_METHOD_BITS   6
#define CHACM_IDL_LABEL(iface, method) (((L4_Word_t)(iface) << CHACM_IDL_METHOD_BITS) | (method))
#define CHACM_IDL_LABEL_PAGEFAULT 0xFFE0    /* X.2 page fault, low 4 bits = access */
/* Kernel messages (IDL4's numbers): message n has the label -n << 4 on 16
 * bits, sign-extended over the label field on 64-bit words. */
#define CHACM_IDL_KMSG_INTERRUPT 1
#define CHACM_IDL_KMSG_PAGEFAULT 2
#define CHACM_IDL_KMSG_SYSEXC    4
#define CHACM_IDL_KMSG_ARCHEXC   5
#define CHACM_IDL_KMSG_COUNT     9

/* Message registers a value of 'bytes' bytes occupies. */
#define CHACM_IDL_WORDS(bytes)  (((bytes) + sizeof(L4_Word_t) - 1) / sizeof(L4_Word_t))
#define CHACM_IDL_MAX(a, b)     ((a) > (b) ? (a) : (b))

/* Wire errors: the label of an error reply, and env->error on the client. */
enum {
    CHACM_IDL_OK = 0,
    CHACM_IDL_EIPC = 1,         /* the IPC failed; env->ipc_error holds the ErrorCode */
    CHACM_IDL_EUNKNOWN = 2,     /* no such interface or method at the server */
    CHACM_IDL_EMALFORMED = 3,   /* the server rejected the request before running it */
    CHACM_IDL_EREPLY = 4,       /* the reply does not have the method's shape */
    CHACM_IDL_EOVERFLOW = 5,    /* data longer than its bound or the receiving buffer */
    CHACM_IDL_EEXCEPTION = 6,   /* the method raised env->exception */
};
#define CHACM_IDL_EXC_BASE      0x100   /* reply label of exception n is 0x100 + n */
#define CHACM_IDL_NO_REPLY      (~(L4_Word_t)0)

/* Client environment: zero-initialise it ({0}) for no timeouts and the whole
 * address space as the receive window of [out] fpages. */
typedef struct chacm_env {
    L4_Word_t error;            /* CHACM_IDL_* of the last call */
    L4_Word_t ipc_error;        /* ErrorCode TCR when error == CHACM_IDL_EIPC */
    L4_Word_t exception;        /* exception code when error == CHACM_IDL_EEXCEPTION */
    L4_Time_t snd_timeout, rcv_timeout;
    L4_Fpage_t rcv_window;      /* where [out] fpages land; nil: complete address space */
} chacm_env_t;

/* A client environment for calls that must not wait for ever: the call
 * fails with an IPC error (a timeout in env->ipc_error) when the server
 * does not take the request, or its reply does not come, within us
 * microseconds each (a lost message, a dead or hung server). */
static inline chacm_env_t chacm_env_within(L4_Word64_t us)
{
    return (chacm_env_t){ .snd_timeout = L4_TimePeriod(us), .rcv_timeout = L4_TimePeriod(us) };
}

/* Whether the call of env failed because its IPC timed out (ErrorCode 1,
 * in the send or the receive phase): nothing else is known about it. */
static inline bool chacm_env_timed_out(const chacm_env_t *env)
{
    return env->error == CHACM_IDL_EIPC && (env->ipc_error >> 1 & 7) == 1;
}

/* Makes `call` (a stub call with env) with chacm_env_within(us), up to
 * tries times while it times out: for calls that may be made again when
 * their request or reply was lost (a lookup, a link that then finds its
 * name linked).  env holds the last try's outcome. */
#define CHACM_CALL_RETRIED(env, us, tries, call)                \
    for (int chacm_try_ = 0; chacm_try_ < (tries); chacm_try_++) { \
        (env) = chacm_env_within(us);                           \
        call;                                                   \
        if (!chacm_env_timed_out(&(env)))                       \
            break;                                              \
    }

/* Server-side environment of one request. */
typedef struct chacm_srvenv {
    L4_ThreadId_t caller;
    L4_MsgTag_t tag;            /* the request's tag (the access bits of a page fault) */
    L4_Word_t exception;        /* set by chacm_srv_raise */
    bool defer;                 /* the implementation replies later with <method>_reply */
    bool stop;                  /* leave chacm_idl_serve after this request */
    void *user;                 /* chacm_idl_loop_t.user */
} chacm_srvenv_t;

static inline void chacm_srv_defer(chacm_srvenv_t *env) { env->defer = true; }
static inline void chacm_srv_raise(chacm_srvenv_t *env, L4_Word_t code) { env->exception = code; }
static inline void chacm_srv_stop(chacm_srvenv_t *env) { env->stop = true; }

/* Generated tables.  A handler decodes the request in the MRs, calls the
 * implementation and encodes the reply; it returns the reply tag's raw
 * value, or CHACM_IDL_NO_REPLY. */
typedef L4_Word_t (*chacm_idl_handler_t)(const void *ops, chacm_srvenv_t *env, void *bufs);

typedef struct chacm_idl_method {
    chacm_idl_handler_t handler;    /* NULL: no method with this number */
    uint8_t u, t;                   /* exact untyped and typed words of the request */
    uint8_t oneway;                 /* never answered */
} chacm_idl_method_t;

typedef struct chacm_idl_iface {
    L4_Word_t uuid;
    const char *name;
    unsigned count;                 /* entries in methods, indexed by method number */
    const chacm_idl_method_t *methods;
} chacm_idl_iface_t;

typedef struct chacm_idl_server {
    const chacm_idl_iface_t *const *ifaces;
    unsigned n_ifaces;
    const chacm_idl_method_t *kernel;       /* CHACM_IDL_KMSG_COUNT entries: kernelmsg methods */
    unsigned n_strings;                     /* receive buffers for incoming strings */
    const size_t *string_offset;            /* of each buffer in the buffer struct */
    const size_t *string_size;              /* bytes of each buffer */
} chacm_idl_server_t;

/* Why a request was rejected (passed to chacm_idl_loop_t.reject). */
enum { CHACM_IDL_REJECT_UNKNOWN = 1, CHACM_IDL_REJECT_SHAPE, CHACM_IDL_REJECT_CONTENT,
       CHACM_IDL_REJECT_FAILED_IPC };

typedef struct chacm_idl_loop {
    const chacm_idl_server_t *server;
    const void *ops;                /* the generated <iface>_ops_t the server filled */
    void *bufs;                     /* a generated <iface>_buffers_t */
    void *user;
    L4_Fpage_t rcv_window;          /* where [in] fpages may be mapped (nil: nowhere) */
    void (*reject)(const chacm_srvenv_t *env, L4_Word_t why);  /* optional log hook */
    /* Optional: called before every wait for a request, with the thread
     * the loop is about to reply to (nilthread: none; that thread waits
     * for the reply, so the hook must not send it anything).  The reply is
     * in the MRs then, and the hook must leave them as it found them.
     * Returns the wait's receive timeout (L4_Never: none); a wait that
     * times out only calls the hook again. */
    L4_Time_t (*poll)(void *user, L4_ThreadId_t reply_to);
} chacm_idl_loop_t;

/* Loads BR0 (acceptor) and the receive string buffers. */
void chacm_idl_accept(const chacm_idl_loop_t *loop);
/* Validates the request in the MRs and runs its handler; returns the reply tag
 * (raw) with the reply in the MRs, or CHACM_IDL_NO_REPLY. */
L4_Word_t chacm_idl_dispatch(const chacm_idl_loop_t *loop, chacm_srvenv_t *env);
/* Receives, dispatches and replies until an implementation calls chacm_srv_stop. */
void chacm_idl_serve(const chacm_idl_loop_t *loop);

/* --- used by generated code --- */

/* The tag of a message with the given label and word counts. */
static inline L4_MsgTag_t chacm_idl_tag(L4_Word_t label, L4_Word_t u, L4_Word_t t)
{
    L4_MsgTag_t tag;
    tag.raw = (label << 16) | (t << 6) | u;
    return tag;
}

/* Sends the request in the MRs and checks the reply's shape: returns
 * CHACM_IDL_OK with the reply in the MRs, or the error also stored in env. */
static inline L4_Word_t chacm_idl_call(L4_ThreadId_t server, L4_MsgTag_t tag, chacm_env_t *env,
                                       L4_Word_t rep_u, L4_Word_t rep_t)
{
    L4_Set_MsgTag(tag);
    L4_MsgTag_t r = L4_Call_Timeouts(server, env->snd_timeout, env->rcv_timeout);
    env->exception = 0;
    if (L4_IpcFailed(r)) {
        env->ipc_error = L4_ErrorCode();
        return env->error = CHACM_IDL_EIPC;
    }
    L4_Word_t label = L4_Label(r);
    if (label >= CHACM_IDL_EXC_BASE && label < 2 * CHACM_IDL_EXC_BASE) {
        env->exception = label - CHACM_IDL_EXC_BASE;
        return env->error = CHACM_IDL_EEXCEPTION;
    }
    if (label != CHACM_IDL_OK)
        return env->error = label < CHACM_IDL_EXC_BASE ? label : CHACM_IDL_EREPLY;
    if (L4_UntypedWords(r) != rep_u || L4_TypedWords(r) != rep_t)
        return env->error = CHACM_IDL_EREPLY;
    return env->error = CHACM_IDL_OK;
}

/* Sends a oneway request. */
static inline L4_Word_t chacm_idl_send(L4_ThreadId_t server, L4_MsgTag_t tag, chacm_env_t *env)
{
    L4_Set_MsgTag(tag);
    L4_MsgTag_t r = L4_Send_Timeout(server, env->snd_timeout);
    env->exception = 0;
    if (L4_IpcFailed(r)) {
        env->ipc_error = L4_ErrorCode();
        return env->error = CHACM_IDL_EIPC;
    }
    return env->error = CHACM_IDL_OK;
}

/* Loads a string item (2 words) at MR i; 'more' sets the continuation bit
 * only for receive buffers, where it chains BRs. */
static inline void chacm_idl_load_string(int i, const void *p, L4_Word_t bytes)
{
    L4_StringItem_t s = L4_StringItem((int)bytes, (void *)(uintptr_t)p);
    L4_LoadMRs(i, 2, s.raw);
}

/* Loads receive buffer string item n (BR 2n+1, 2n+2). */
static inline void chacm_idl_load_rcvbuf(int n, void *p, L4_Word_t bytes, bool more)
{
    L4_StringItem_t s = L4_StringItem((int)bytes, p);
    if (more)
        s.raw[0] |= 1;
    L4_LoadBR(2 * n + 1, s.raw[0]);
    L4_LoadBR(2 * n + 2, s.raw[1]);
}

/* Length in bytes of the string item at MR i, or ~0 if it is not a simple string item. */
static inline L4_Word_t chacm_idl_string_length(int i)
{
    L4_Word_t w;
    L4_StoreMR(i, &w);
    if ((w & 0x8) != 0 || (w & (0x1f << 4)) != 0 || (w & (1 << 9)) != 0)
        return ~(L4_Word_t)0;
    return w >> 10;
}

/* Loads a map or grant item (2 words) at MR i. */
static inline void chacm_idl_load_item(int i, L4_MapItem_t m)
{
    L4_LoadMRs(i, 2, m.raw);
}

/* Reads the map or grant item at MR i; false if it is neither. */
static inline bool chacm_idl_store_item(int i, L4_MapItem_t *m)
{
    L4_StoreMRs(i, 2, m->raw);
    L4_Word_t type = (m->raw[0] >> 1) & 7;
    return type == 4 || type == 5;
}

/* BR0 for a client expecting n strings and possibly map items. */
static inline void chacm_idl_client_accept(const chacm_env_t *env, bool strings, bool fpages)
{
    L4_Word_t a = strings ? L4_StringItemsAcceptor.raw : 0;
    if (fpages)
        a |= L4_MapGrantItems(L4_IsNilFpage(env->rcv_window) ? L4_CompleteAddressSpace
                                                              : env->rcv_window).raw;
    L4_LoadBR(0, a);
}

#endif /* CHACM_IDLRT_H */
