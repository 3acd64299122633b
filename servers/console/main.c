/* console: the text console (ipc/idl/console.idl).  Output goes to the
 * kernel debugger's PrintChar/PrintString, input comes from its ReadChar
 * through the line discipline (ldisc.c); ^C ends the foreground task with
 * task::kill at its server.  One thread: a read waits inside its handler,
 * as the kernel debugger's input stops the machine until a key comes.
 * While a foreground task runs, the console looks for a ^C whenever
 * someone writes and, for a program that neither writes nor reads, when
 * its receive times out: POLL_US after the last request, doubling while
 * none comes (up to never), so that a system where everything waits still
 * ends in the kernel's deadlock report instead of waking the console for
 * ever. */
#include <stdio.h>
#include <string.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/schedule.h>

#include "consvr_server.h"
#include "task_client.h"
#include "input.h"
#include "ldisc.h"

#define POLL_US 20000

static consvr_ops_t ops;
static consvr_buffers_t bufs;
static ld_t ld;
static L4_ThreadId_t fg_svr;    /* the foreground task, nilthread: none */
static int fg_obj;

/* Prints n bytes: whole strings where there is no NUL. */
static void out(const char *s, int n, void *arg)
{
    char chunk[257];
    (void)arg;
    while (n > 0) {
        int k = n < 256 ? n : 256;
        memcpy(chunk, s, (size_t)k);
        chunk[k] = 0;
        if ((int)strlen(chunk) == k) {
            L4_KDB_PrintString(chunk);
        } else {
            for (int i = 0; i < k; i++)
                L4_KDB_PrintChar(chunk[i]);
        }
        s += k;
        n -= k;
    }
}

/* ^C: the foreground task is killed (once); a server that does not answer
 * within a second of virtual time is reported, never waited for. */
static void interrupt(void)
{
    in_drop();
    if (L4_IsNilThread(fg_svr))
        return;
    chacm_env_t env = { .snd_timeout = L4_TimePeriod(1000000), .rcv_timeout = L4_TimePeriod(1000000) };
    int rc = task_kill(fg_svr, fg_obj, &env);
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS)
        printf("console: cannot stop the foreground task <%lx,%d> (%s %d)\n", fg_svr.raw, fg_obj,
               env.error != CHACM_IDL_OK ? "call failed" : "code", env.error != CHACM_IDL_OK ? (int)env.error : rc);
    fg_svr = L4_nilthread;
    ld.intr_is_byte = true;
}

/* Looks at what has arrived for a ^C while a foreground task runs; other
 * bytes wait in the read-ahead queue, unechoed, for the next read. */
static void watch_interrupt(void)
{
    int c;
    while (!L4_IsNilThread(fg_svr) && in_room() && (c = in_poll()) >= 0) {
        if (c == 0x03) {
            ld_flush(&ld);
            if (ld.mode == LD_MODE_COOKED)
                out("^C\n", 3, NULL);
            interrupt();
            return;
        }
        in_unget((unsigned char)c);
    }
}

static int do_write(int obj, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    if (size < 0)
        return EBADPARM;
    out(data, size, NULL);
    watch_interrupt();
    return ESUCCESS;
}

static int do_read(int obj, int length, int *size, char **data, chacm_srvenv_t *env)
{
    (void)env;
    *size = 0;
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    if (length < 1)
        return EBADPARM;
    if (length > CHACM_CON_XFER_MAX)
        length = CHACM_CON_XFER_MAX;
    L4_Yield();     /* whoever is ready prints before the machine waits for a key */
    for (;;) {
        if (ld.ready_len > 0) {
            *size = ld_take(&ld, *data, length);
            return ESUCCESS;
        }
        if (ld_take_eof(&ld))
            return EEOF;
        int c = in_getc();
        if (c < 0)
            return EEOF;
        if (ld_input(&ld, (unsigned char)c) == LD_INTR) {
            interrupt();
            return EAGAIN;
        }
    }
}

static int do_set_mode(int obj, int mode, chacm_srvenv_t *env)
{
    (void)env;
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    if (mode != CON_COOKED && mode != CON_RAW)
        return EBADPARM;
    ld_set_mode(&ld, mode == CON_RAW ? LD_MODE_RAW : LD_MODE_COOKED);
    return ESUCCESS;
}

static int do_get_mode(int obj, int *mode, chacm_srvenv_t *env)
{
    (void)env;
    *mode = ld.mode == LD_MODE_RAW ? CON_RAW : CON_COOKED;
    return obj == DEFAULT_OBJECT ? ESUCCESS : EINVALID;
}

static int do_set_foreground(int obj, L4_ThreadId_t svr, int tobj, chacm_srvenv_t *env)
{
    (void)env;
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    fg_svr = svr;
    fg_obj = tobj;
    ld.intr_is_byte = L4_IsNilThread(svr);
    return ESUCCESS;
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    (void)env;
    if (obj != DEFAULT_OBJECT)
        return EINVALID;
    for (int i = 0; i < n; i++)
        if (ids[i] != GENERIC_API && ids[i] != CONSOLE_API)
            return ENO;
    return EYES;
}

/* The server loop (consvr_serve's, with the timeout above). */
static void serve(void)
{
    chacm_idl_loop_t loop = { .server = &consvr_server, .ops = &ops, .bufs = &bufs };
    L4_Word64_t period = POLL_US;
    for (;;) {
        chacm_srvenv_t env = { .user = NULL };
        chacm_idl_accept(&loop);
        env.tag = L4_Wait_Timeout(L4_IsNilThread(fg_svr) ? L4_Never : L4_TimePeriod(period), &env.caller);
        if (L4_IpcFailed(env.tag)) {
            if (period < ((L4_Word64_t)1 << 42))
                period *= 2;        /* beyond 1023 * 2^31 us: never */
            watch_interrupt();
            continue;
        }
        period = POLL_US;
        L4_Word_t reply = chacm_idl_dispatch(&loop, &env);
        if (reply != CHACM_IDL_NO_REPLY) {
            L4_Set_MsgTag((L4_MsgTag_t){ .raw = reply });
            L4_Reply(env.caller);
        }
    }
}

int main(void)
{
    ld_init(&ld, out, NULL);
    ld.intr_is_byte = true;
    fg_svr = L4_nilthread;
    ops.generic_implements = do_implements;
    ops.console_write = do_write;
    ops.console_read = do_read;
    ops.console_set_mode = do_set_mode;
    ops.console_get_mode = do_get_mode;
    ops.console_set_foreground = do_set_foreground;
    serve();
    return 0;
}
