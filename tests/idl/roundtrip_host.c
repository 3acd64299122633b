/* Round trip of the generated stubs on the host: a small model of X.2 IPC
 * between two UTCBs in one thread (untyped words, string items into the
 * receiver's buffer registers, map items checked against the acceptor)
 * stands in for the kernel, so every stub and handler runs for real. */
#include <stdio.h>
#include <stdlib.h>

#include "roundtrip_impl.h"

__thread L4_Word_t *__L4_hosted_utcb __attribute__((tls_model("initial-exec")));
__L4_hosted_pair_t __L4_hosted_Ipc(L4_Word_t to, L4_Word_t from_spec, L4_Word_t timeouts);

#define UTCB_WORDS 512
#define SERVER_TID (((L4_Word_t)0x101 << 14) | 1)
#define CLIENT_TID (((L4_Word_t)0x102 << 14) | 1)

static L4_Word_t client_utcb[UTCB_WORDS], server_utcb[UTCB_WORDS];
static L4_Word_t *const client = client_utcb + UTCB_WORDS / 2, *const server = server_utcb + UTCB_WORDS / 2;
static roundtrip_buffers_t bufs;
static chacm_idl_loop_t loop = { .server = &roundtrip_server, .ops = &rt_ops, .bufs = &bufs };
static bool replied;

#define ERR_OVERFLOW 4

static L4_Word_t br(const L4_Word_t *mr0, int i)
{
    return mr0[-16 - i];
}

/* Copies the message in src's MRs to dst as the kernel would; 0 or an error code. */
static L4_Word_t transfer(const L4_Word_t *src, L4_Word_t *dst)
{
    L4_MsgTag_t tag = { .raw = src[0] };
    L4_Word_t u = tag.X.u, t = tag.X.t, acc = br(dst, 0);
    if (1 + u + t > 64 || t % 2)
        return ERR_OVERFLOW;
    dst[0] = tag.raw & ~((L4_Word_t)0xf << 12);
    for (L4_Word_t i = 1; i <= u; i++)
        dst[i] = src[i];
    int buf = 1;
    bool more = true;
    for (L4_Word_t i = 1 + u; i < 1 + u + t; i += 2) {
        L4_Word_t w0 = src[i], w1 = src[i + 1], type = (w0 >> 1) & 7;
        if (type == 4 || type == 5) {
            if (!(acc & ~(L4_Word_t)0xf))
                return ERR_OVERFLOW;
            dst[i] = w0;
            dst[i + 1] = w1;
            continue;
        }
        L4_Word_t len = w0 >> 10;
        if (type & 4 || !(acc & 1) || !more || buf > 31 || len > (br(dst, buf) >> 10))
            return ERR_OVERFLOW;
        memcpy((void *)br(dst, buf + 1), (const void *)w1, len);
        more = br(dst, buf) & 1;
        dst[i] = len << 10;
        dst[i + 1] = br(dst, buf + 1);
        buf += 2;
    }
    return 0;
}

static __L4_hosted_pair_t result(L4_Word_t tag, L4_Word_t err, L4_Word_t phase)
{
    if (err) {
        __L4_hosted_utcb[__L4_TCR_ERROR_CODE] = (err << 1) | phase;
        tag = (L4_Word_t)1 << 15;
    }
    return (__L4_hosted_pair_t){ tag, SERVER_TID };
}

__L4_hosted_pair_t __L4_hosted_Ipc(L4_Word_t to, L4_Word_t from_spec, L4_Word_t timeouts)
{
    (void)timeouts;
    if (__L4_hosted_utcb == server) {       /* a deferred reply from the server */
        L4_Word_t err = to == CLIENT_TID ? transfer(server, client) : ERR_OVERFLOW;
        replied = !err;
        return result(0, err, 0);
    }
    __L4_hosted_utcb = server;
    chacm_idl_accept(&loop);
    L4_Word_t err = transfer(client, server);
    if (err) {
        __L4_hosted_utcb = client;
        return result(0, err, 0);
    }
    chacm_srvenv_t env = { .caller = { .raw = CLIENT_TID }, .tag = { .raw = server[0] } };
    L4_Word_t reply = chacm_idl_dispatch(&loop, &env);
    replied = false;
    if (reply == CHACM_IDL_NO_REPLY) {
        rt_finish_later();
    } else {
        server[0] = reply;
        err = transfer(server, client);
        replied = !err;
    }
    __L4_hosted_utcb = client;
    if (from_spec == 0)                     /* send only (oneway) */
        return result(0, 0, 0);
    return result(client[0], replied ? 0 : err ? err : 1, 1);
}

static void fail(const char *what)
{
    printf("FAIL: %s\n", what);
}

int main(void)
{
    __L4_hosted_utcb = client;
    client[__L4_TCR_MY_GLOBAL_ID] = CLIENT_TID;
    server[__L4_TCR_MY_GLOBAL_ID] = SERVER_TID;
    loop.rcv_window = L4_Nilpage;
    int failed = rt_run_checks((L4_ThreadId_t){ .raw = SERVER_TID }, NULL, fail);
    printf("roundtrip: %d failed\n", failed);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
