/* IPC0xxx: the send and receive phases, open and closed waits, the
 * sender's identity, Call/Reply/ReplyWait, errors in both phases. */
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/schedule.h>

#include "ptest.h"

static void echo_server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Msg_t m;
        L4_MsgStore(tag, &m);
        L4_Set_MsgLabel(&m, L4_Label(tag) + 1);
        L4_MsgLoad(&m);
        tag = L4_ReplyWait(from, &from);
    }
}

DEFINE_TEST(IPC0001, "call with 0 words reaches the server and the reply returns")
{
    L4_ThreadId_t srv = pt_thread(echo_server);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x10);
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Call(srv);
    PT_IPC_OK(tag);
    PT_EQ(L4_Label(tag), 0x11);
    PT_EQ(L4_UntypedWords(tag), 0);
}

DEFINE_TEST(IPC0002, "call with 63 untyped words returns them all")
{
    L4_ThreadId_t srv = pt_thread(echo_server);
    L4_Msg_t m;
    L4_MsgClear(&m);
    for (L4_Word_t i = 0; i < 63; i++)
        L4_MsgAppendWord(&m, i * 3 + 1);
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Call(srv);
    PT_IPC_OK(tag);
    PT_EQ(L4_UntypedWords(tag), 63);
    L4_MsgStore(tag, &m);
    for (L4_Word_t i = 0; i < 63; i++)
        PT_EQ(L4_MsgWord(&m, i), i * 3 + 1);
}

static void report_sender(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    pt_shared[0] = from.raw;
    L4_LoadMR(0, 0);
    L4_Reply(from);
}

DEFINE_TEST(IPC0003, "a sender in the same task is named by its local id")
{
    L4_ThreadId_t srv = pt_thread(report_sender);
    L4_LoadMR(0, 0);
    PT_IPC_OK(L4_Call(srv));
    PT_EQ(pt_shared[0], L4_MyLocalId().raw);
}

static void task_sender(void)
{
    L4_LoadMR(0, 0);
    L4_Call(pt_main_id);
    for (;;)
        L4_Sleep(L4_Never);
}

DEFINE_TEST(IPC0004, "a sender in another task is named by its global id")
{
    L4_ThreadId_t t = pt_task(task_sender);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, t.raw);
    L4_LoadMR(0, 0);
    L4_Reply(from);
}

DEFINE_TEST(IPC0005, "send to a thread that does not exist fails in the send phase")
{
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send(pt_new_id());
    PT_IPC_ERR(tag, 2, 0);
}

DEFINE_TEST(IPC0006, "send with a zero timeout to a thread not receiving from us times out")
{
    L4_ThreadId_t t = pt_thread(pt_park);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send_Timeout(t, L4_ZeroTime);
    PT_IPC_ERR(tag, 1, 0);
}

DEFINE_TEST(IPC0007, "receive with a zero timeout and no sender times out in the receive phase")
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, &from);
    PT_IPC_ERR(tag, 1, 1);
}

/* ---- shared helpers of the tests below ---- */

/* The low four bits of the ErrorCode TCR: code << 1 | phase. */
static L4_Word_t err_bits(void)
{
    return L4_ErrorCode() & 0xf;
}

static L4_ThreadId_t shared_id(unsigned i)
{
    L4_ThreadId_t t;
    t.raw = pt_shared[i];
    return t;
}

/* A helper tells the test's main thread that it is done. */
static void notify_main(void)
{
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
}

/* Order marks: each call returns the next number, starting at 1. */
static L4_Word_t next_mark(void)
{
    return ++pt_shared[0];
}

/* Receives one message from anyone; records its order mark in
 * pt_shared[1], its label in [2], its first word in [3]. */
static void recv_mark(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[1] = next_mark();
    pt_shared[2] = L4_Label(tag);
    L4_Word_t w = 0;
    if (L4_UntypedWords(tag))
        L4_StoreMR(1, &w);
    pt_shared[3] = w;
}

DEFINE_TEST(IPC0008, "send-only to an equal-priority receiver: the sender runs on, the receiver later")
{
    L4_ThreadId_t r = pt_thread(recv_mark);
    pt_sleep_us(10);                    /* r blocks in its open wait */
    L4_LoadMR(0, 5UL << 16);
    PT_IPC_OK(L4_Send(r));
    PT_EQ(next_mark(), 1);              /* we ran first ... */
    PT_EQ(pt_shared[1], 0);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 2);             /* ... and r took the message after us */
    PT_EQ(pt_shared[2], 5);
}

static void low_sender(void)
{
    L4_LoadMR(0, 7UL << 16);
    L4_MsgTag_t tag = L4_Send(shared_id(8));
    pt_shared[4] = next_mark();
    pt_shared[5] = L4_IpcFailed(tag);
    notify_main();
}

DEFINE_TEST(IPC0009, "send-only to a higher-priority receiver switches to the receiver at once")
{
    L4_ThreadId_t r = pt_thread(recv_mark);         /* priority 100 */
    pt_shared[8] = r.raw;
    L4_ThreadId_t s = pt_thread_prio(low_sender, 50);
    PT_IPC_OK(L4_Receive(s));
    PT_EQ(pt_shared[5], 0);
    PT_EQ(pt_shared[1], 1);             /* the receiver ran before the send returned */
    PT_EQ(pt_shared[4], 2);
    PT_EQ(pt_shared[2], 7);
}

DEFINE_TEST(IPC0010, "send-only to a lower-priority receiver: it runs only when the sender blocks")
{
    L4_ThreadId_t r = pt_thread_prio(recv_mark, 50);
    pt_sleep_us(10);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 9);
    L4_MsgAppendWord(&m, 0xabc);
    L4_MsgLoad(&m);
    PT_IPC_OK(L4_Send(r));
    L4_ThreadSwitch(L4_nilthread);      /* a yield does not reach priority 50 */
    PT_EQ(next_mark(), 1);
    PT_EQ(pt_shared[1], 0);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 2);
    PT_EQ(pt_shared[2], 9);
    PT_EQ(pt_shared[3], 0xabc);
}

/* Sends messages with 1 and 8 untyped words to the main thread. */
static void words_sender(void)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x21);
    L4_MsgAppendWord(&m, 0x5555);
    L4_MsgLoad(&m);
    L4_Send(pt_main_id);
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x22);
    for (L4_Word_t i = 0; i < 8; i++)
        L4_MsgAppendWord(&m, ~i);
    L4_MsgLoad(&m);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0011, "send and closed receive carry 1 and 8 untyped words exactly")
{
    L4_ThreadId_t s = pt_thread(words_sender);
    L4_Msg_t m;
    L4_MsgTag_t tag = L4_Receive(s);
    PT_IPC_OK(tag);
    PT_EQ(L4_UntypedWords(tag), 1);
    PT_EQ(L4_TypedWords(tag), 0);
    PT_EQ(L4_Label(tag), 0x21);
    L4_MsgStore(tag, &m);
    PT_EQ(L4_MsgWord(&m, 0), 0x5555);
    tag = L4_Receive(s);
    PT_IPC_OK(tag);
    PT_EQ(L4_UntypedWords(tag), 8);
    PT_EQ(L4_Label(tag), 0x22);
    L4_MsgStore(tag, &m);
    for (L4_Word_t i = 0; i < 8; i++)
        PT_EQ(L4_MsgWord(&m, i), ~i);
}

static const L4_Word_t labels[] = { 0x0000, 0x0001, 0x1234, 0x8000, 0xfffe, 0xffff };

static void label_sender(void)
{
    for (unsigned i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        L4_MsgTag_t tag = L4_Niltag;
        L4_Set_Label(&tag, labels[i]);
        L4_Set_MsgTag(tag);
        L4_Send(pt_main_id);
    }
}

DEFINE_TEST(IPC0012, "16-bit labels arrive unchanged, with no flags and no words")
{
    L4_ThreadId_t s = pt_thread(label_sender);
    for (unsigned i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        L4_MsgTag_t tag = L4_Receive(s);
        PT_IPC_OK(tag);
        PT_EQ(L4_Label(tag), labels[i]);
        PT_EQ(tag.raw & 0xffff, 0);
    }
}

static void word_to_main(void)
{
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x10c);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0013, "closed receive on a local id takes that thread's message and names it locally")
{
    L4_ThreadId_t s = pt_thread(word_to_main);
    L4_ThreadId_t local = L4_LocalIdOf(s);
    PT_ASSERT(L4_IsLocalId(local));
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, local, L4_Timeouts(L4_Never, L4_Never), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, local.raw);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x10c);
}

/* Sends its number k + 1 to the main thread, where pt_shared[10 + k]
 * holds its id (set by the test before it runs). */
static void numbered_sender(void)
{
    L4_Word_t me = L4_MyGlobalId().raw, n = 0;
    for (unsigned k = 0; k < 4; k++)
        if (pt_shared[10 + k] == me)
            n = k + 1;
    L4_LoadMR(0, 1);
    L4_LoadMR(1, n);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0014, "closed wait on a global id skips other queued senders, which stay queued")
{
    L4_ThreadId_t a = pt_thread(numbered_sender);
    pt_shared[10] = a.raw;
    L4_ThreadId_t b = pt_thread(numbered_sender);
    pt_shared[11] = b.raw;
    pt_sleep_us(10);                    /* a, then b, queue at us */
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, b, L4_Timeouts(L4_Never, L4_Never), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, L4_LocalIdOf(b).raw);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 2);
    PT_IPC_ERR(L4_Receive_Timeout(b, L4_ZeroTime), 1, 1);
    tag = L4_Wait_Timeout(L4_ZeroTime, &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, L4_LocalIdOf(a).raw);
    L4_StoreMR(1, &w);
    PT_EQ(w, 1);
}

DEFINE_TEST(IPC0015, "senders queued at an open wait are received in FIFO order")
{
    for (unsigned k = 0; k < 4; k++)
        pt_shared[10 + k] = pt_thread(numbered_sender).raw;
    pt_sleep_us(10);                    /* all four queue, in creation order */
    for (unsigned k = 0; k < 4; k++) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, &from);
        PT_IPC_OK(tag);
        PT_EQ(from.raw, L4_LocalIdOf(shared_id(10 + k)).raw);
        L4_Word_t w;
        L4_StoreMR(1, &w);
        PT_EQ(w, k + 1);
    }
}

static void task_word_sender(void)
{
    L4_LoadMR(0, 1);
    L4_LoadMR(1, 0x7a5c);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0016, "anylocalthread takes a same-task sender; another task's sender stays queued")
{
    L4_ThreadId_t foreign = pt_task(task_word_sender);
    pt_sleep_us(10);                    /* the foreign sender queues first */
    L4_ThreadId_t local = pt_thread(word_to_main);
    pt_sleep_us(10);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, L4_LocalIdOf(local).raw);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x10c);
    tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
    PT_IPC_ERR(tag, 1, 1);
    tag = L4_Wait_Timeout(L4_ZeroTime, &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, foreign.raw);
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x7a5c);
}

DEFINE_TEST(IPC0017, "anylocalthread blocks past another task's sender until a local one sends")
{
    pt_task(task_word_sender);
    pt_sleep_us(10);
    L4_ThreadId_t local = pt_thread(word_to_main);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_Never), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, L4_LocalIdOf(local).raw);
}

/* Loads a tag with u untyped and t typed words (the words themselves
 * are whatever the MRs hold). */
static void load_tag(L4_Word_t label, L4_Word_t u, L4_Word_t t)
{
    L4_LoadMR(0, label << 16 | t << 6 | u);
}

/* Waits for one message and records: [1] failed, [2] error bits,
 * [3] from; then tells the main thread. */
static void recv_report(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[1] = L4_IpcFailed(tag);
    pt_shared[2] = err_bits();
    pt_shared[3] = from.raw;
    notify_main();
}

DEFINE_TEST(IPC0018, "u + t = 64 to a waiting receiver: message overflow in both phases")
{
    L4_ThreadId_t r = pt_thread(recv_report);
    pt_sleep_us(10);
    load_tag(1, 40, 24);
    PT_IPC_ERR(L4_Send(r), 4, 0);
    PT_IPC_OK(L4_Receive(r));
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2], 4 << 1 | 1);
    PT_EQ(pt_shared[3], L4_MyLocalId().raw);
}

static void overflow_sender(void)
{
    load_tag(1, 63, 1);
    L4_MsgTag_t tag = L4_Send(pt_main_id);
    pt_shared[1] = L4_IpcFailed(tag);
    pt_shared[2] = err_bits();
    notify_main();
}

DEFINE_TEST(IPC0019, "u + t = 64 from a queued sender: message overflow in both phases")
{
    L4_ThreadId_t s = pt_thread(overflow_sender);
    pt_sleep_us(10);                    /* s is queued */
    L4_ThreadId_t from;
    PT_IPC_ERR(L4_Wait(&from), 4, 1);
    PT_EQ(from.raw, L4_LocalIdOf(s).raw);
    PT_IPC_OK(L4_Receive(s));
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2], 4 << 1 | 0);
}

DEFINE_TEST(IPC0020, "closed receive from a thread that does not exist fails at once with code 2")
{
    /* an unused UTCB location as a local id names no thread */
    L4_ThreadId_t nobody;
    nobody.raw = (L4_Word_t)pt_utcb_slot();
    L4_Clock_t c0 = L4_SystemClock();
    PT_IPC_ERR(L4_Receive(pt_new_id()), 2, 1);
    PT_IPC_ERR(L4_Receive(nobody), 2, 1);
    PT_EQ(L4_SystemClock().raw - c0.raw, 3);    /* three kernel entries, no waiting */
}

DEFINE_TEST(IPC0021, "call to a thread that does not exist, or to a stale version, fails in the send phase")
{
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Call(pt_new_id()), 2, 0);
    L4_ThreadId_t t = pt_thread(pt_park);
    L4_ThreadId_t stale = L4_GlobalId(L4_ThreadNo(t), L4_Version(t) + 1);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Call(stale), 2, 0);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(stale, L4_Never), 2, 0);
}

/* Sends (or calls, if pt_shared[9] is set) to the thread in pt_shared[8]
 * and records the error bits in pt_shared[12 + its index]. */
static void send_to_8(void)
{
    unsigned me = 0;
    for (unsigned k = 0; k < 3; k++)
        if (pt_shared[12 + k] == L4_MyGlobalId().raw)
            me = k;
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = pt_shared[9] ? L4_Call(shared_id(8)) : L4_Send(shared_id(8));
    pt_shared[12 + me] = L4_IpcFailed(tag) ? err_bits() : 0xff;
    pt_shared[1]++;
}

DEFINE_TEST(IPC0022, "deleting a thread fails its queued senders with code 2 in the send phase")
{
    L4_ThreadId_t r = pt_thread(pt_park);
    pt_shared[8] = r.raw;
    pt_shared[9] = 0;
    for (unsigned k = 0; k < 2; k++)
        pt_shared[12 + k] = pt_thread(send_to_8).raw;
    pt_sleep_us(10);
    pt_shared[9] = 1;                   /* the third one calls */
    pt_shared[14] = pt_thread(send_to_8).raw;
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0);             /* all three are blocked */
    pt_kill(r);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 3);
    PT_EQ(pt_shared[12], 2 << 1 | 0);
    PT_EQ(pt_shared[13], 2 << 1 | 0);
    PT_EQ(pt_shared[14], 2 << 1 | 0);
}

/* Closed receive from the thread in pt_shared[8]; records the error bits. */
static void receive_from_8(void)
{
    L4_MsgTag_t tag = L4_Receive(shared_id(8));
    pt_shared[2] = L4_IpcFailed(tag) ? err_bits() : 0xff;
    pt_shared[1]++;
}

DEFINE_TEST(IPC0023, "deleting the partner of a closed receive fails it with code 2 in the receive phase")
{
    L4_ThreadId_t s = pt_thread(pt_park);
    pt_shared[8] = s.raw;
    pt_thread(receive_from_8);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0);
    pt_kill(s);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2], 2 << 1 | 1);
}

/* A server that takes one message and never answers. */
static void silent_server(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    pt_shared[4] = 1;
}

DEFINE_TEST(IPC0024, "a caller whose server is deleted after taking the request gets code 2 in the receive phase")
{
    L4_ThreadId_t srv = pt_thread(silent_server);
    pt_shared[8] = srv.raw;
    pt_shared[9] = 1;
    pt_shared[12] = pt_thread(send_to_8).raw;
    pt_sleep_us(10);
    PT_EQ(pt_shared[4], 1);             /* the request was taken */
    PT_EQ(pt_shared[1], 0);             /* the caller waits for the reply */
    pt_kill(srv);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[12], 2 << 1 | 1);
}

DEFINE_TEST(IPC0025, "AbortReceive_and_stop cancels a closed receive with code 3 in the receive phase")
{
    pt_shared[8] = pt_thread(pt_park).raw;
    L4_ThreadId_t r = pt_thread(receive_from_8);
    pt_sleep_us(10);
    L4_ThreadState_t st = L4_AbortReceive_and_stop(r);
    PT_ASSERT(L4_ThreadWasReceiving(st));
    PT_ASSERT(!L4_ThreadWasSending(st));
    PT_ASSERT(!L4_ThreadWasHalted(st));
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0);             /* halted: it has not returned yet */
    L4_Start(r);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2], 3 << 1 | 1);
}

DEFINE_TEST(IPC0026, "AbortSend_and_stop cancels a blocked send with code 3 and withdraws the message")
{
    pt_shared[8] = pt_main_id.raw;
    pt_shared[9] = 0;
    L4_ThreadId_t s = pt_thread(send_to_8);
    pt_shared[12] = s.raw;
    pt_sleep_us(10);                    /* s is queued at us */
    L4_ThreadState_t st = L4_AbortSend_and_stop(s);
    PT_ASSERT(L4_ThreadWasSending(st));
    PT_ASSERT(!L4_ThreadWasReceiving(st));
    L4_ThreadId_t from;
    PT_IPC_ERR(L4_Wait_Timeout(L4_ZeroTime, &from), 1, 1);
    L4_Start(s);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[12], 3 << 1 | 0);
}

DEFINE_TEST(IPC0027, "AbortIpc_and_stop on a caller waiting for its reply: code 3 in the receive phase")
{
    pt_shared[8] = pt_thread(silent_server).raw;
    pt_shared[9] = 1;
    L4_ThreadId_t c = pt_thread(send_to_8);
    pt_shared[12] = c.raw;
    pt_sleep_us(10);
    PT_EQ(pt_shared[4], 1);
    L4_ThreadState_t st = L4_AbortIpc_and_stop(c);
    PT_ASSERT(L4_ThreadWasReceiving(st));
    L4_Start(c);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[12], 3 << 1 | 1);
}

/* X.2 halts a thread only where it leaves the kernel: stopping a thread
 * that is blocked in a send (without cancelling it) leaves the send
 * pending, and the message can still be received. */
DEFINE_TEST(IPC0028, "stopping a sender without abort leaves its message deliverable")
{
    pt_shared[8] = pt_main_id.raw;
    pt_shared[9] = 0;
    L4_ThreadId_t s = pt_thread(send_to_8);
    pt_shared[12] = s.raw;
    pt_sleep_us(10);
    L4_ThreadState_t st = L4_AbortReceive_and_stop(s);     /* R does not touch a send */
    PT_ASSERT(L4_ThreadWasSending(st));
    PT_IPC_OK(L4_Receive_Timeout(s, L4_ZeroTime));
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0);             /* still halted */
    L4_Word_t dummy;
    L4_ThreadId_t dummy_id;
    L4_ExchangeRegisters(s, L4_ExReg_Resume, 0, 0, 0, 0, L4_nilthread, &dummy, &dummy, &dummy, &dummy,
                         &dummy, &dummy_id);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[12], 0xff);         /* its send succeeded */
}

/* Propagation: a client in another task calls a forwarder, which passes
 * the request on to a worker in its own task on the client's behalf. */
static void prop_worker(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[1] = from.raw;
    pt_shared[2] = L4_IpcPropagated(tag);
    pt_shared[3] = L4_ActualSender().raw;
    pt_shared[6] = L4_Label(tag);
    L4_LoadMR(0, 0x77UL << 16);
    tag = L4_Reply(from);
    pt_shared[4] = L4_IpcFailed(tag) ? err_bits() : 0xff;
}

static void prop_forwarder(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Set_VirtualSender(from);
    tag = L4_Niltag;
    L4_Set_Label(&tag, L4_Label(L4_MsgTag()) + 0x11);
    L4_Set_Propagation(&tag);
    L4_Set_MsgTag(tag);
    tag = L4_Send(shared_id(8));
    pt_shared[5] = L4_IpcFailed(tag) ? err_bits() : 0xff;
}

static void prop_client(void)
{
    L4_ThreadId_t from;
    L4_LoadMR(0, 0x55UL << 16);
    L4_MsgTag_t tag = L4_Ipc(shared_id(9), shared_id(9), L4_Timeouts(L4_Never, L4_Never), &from);
    pt_shared[7] = L4_IpcFailed(tag) ? 0 : L4_Label(tag);
    pt_shared[10] = from.raw;
    notify_main();
}

DEFINE_TEST(IPC0029, "propagation: the receiver sees the virtual sender, and the client is redirected to it")
{
    L4_ThreadId_t w = pt_thread(prop_worker);
    L4_ThreadId_t f = pt_thread(prop_forwarder);
    pt_shared[8] = w.raw;
    pt_shared[9] = f.raw;
    L4_ThreadId_t c = pt_task(prop_client);
    PT_IPC_OK(L4_Receive(c));
    PT_EQ(pt_shared[5], 0xff);          /* the forwarder's send worked */
    PT_EQ(pt_shared[1], c.raw);         /* the worker was told: from the client */
    PT_EQ(pt_shared[2], 1);             /* with the propagated flag */
    PT_EQ(pt_shared[3], f.raw);         /* ActualSender: the forwarder */
    PT_EQ(pt_shared[6], 0x66);
    PT_EQ(pt_shared[4], 0xff);          /* the reply reached the client ... */
    PT_EQ(pt_shared[7], 0x77);
    PT_EQ(pt_shared[10], w.raw);        /* ... which now waited for the worker */
}

static void prop_outsider(void)
{
    L4_Set_VirtualSender(shared_id(9));
    L4_MsgTag_t tag = L4_Niltag;
    L4_Set_Label(&tag, 0x44);
    L4_Set_Propagation(&tag);
    L4_Set_MsgTag(tag);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0030, "propagation on behalf of a third task's thread is ignored: the actual sender is shown")
{
    L4_ThreadId_t v = pt_task(pt_park);
    pt_shared[9] = v.raw;
    L4_ThreadId_t p = pt_task(prop_outsider);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, p.raw);
    PT_ASSERT(!L4_IpcPropagated(tag));
    PT_EQ(L4_Label(tag), 0x44);
}

DEFINE_TEST(IPC0031, "a call whose receive phase times out fails with code 1 in the receive phase")
{
    L4_ThreadId_t srv = pt_thread(silent_server);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call_Timeouts(srv, L4_Never, L4_TimePeriod(100));
    PT_IPC_ERR(tag, 1, 1);
    PT_EQ(pt_shared[4], 1);             /* the send phase had succeeded */
}

/* X.2 (and Pistachio's ipc.cc): an error in the send phase ends the IPC;
 * the receive phase is not attempted. */
DEFINE_TEST(IPC0032, "ReplyWait to a client that is gone fails in the send phase and skips the wait")
{
    L4_ThreadId_t s = pt_thread(word_to_main);
    pt_sleep_us(10);                    /* s is queued at us */
    L4_ThreadId_t from = L4_nilthread;
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_ReplyWait(pt_new_id(), &from), 2, 0);
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, &from);
    PT_IPC_OK(tag);                     /* s's message was left for this wait */
    PT_EQ(from.raw, L4_LocalIdOf(s).raw);
}

DEFINE_TEST(IPC0033, "ReplyWait to a client that is not waiting times out in the send phase")
{
    L4_ThreadId_t c = pt_thread(pt_park);
    L4_ThreadId_t s = pt_thread(word_to_main);
    pt_sleep_us(10);
    L4_ThreadId_t from;
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_ReplyWait(c, &from), 1, 0);
    PT_IPC_OK(L4_Receive_Timeout(s, L4_ZeroTime));
}

static void local_server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_LreplyWait(L4_nilthread, &from);
    for (;;) {
        pt_shared[1] = from.raw;
        pt_shared[2]++;
        L4_Word_t w;
        L4_StoreMR(1, &w);
        L4_LoadMR(0, (L4_Label(tag) + 1) << 16 | 1);
        L4_LoadMR(1, w * 2);
        tag = L4_LreplyWait(from, &from);
    }
}

DEFINE_TEST(IPC0034, "Lcall and LreplyWait between threads of one task use local ids")
{
    L4_ThreadId_t srv = L4_LocalIdOf(pt_thread(local_server));
    for (L4_Word_t i = 1; i <= 3; i++) {
        L4_LoadMR(0, 0x30UL << 16 | 1);
        L4_LoadMR(1, i);
        L4_MsgTag_t tag = L4_Lcall(srv);
        PT_IPC_OK(tag);
        PT_EQ(L4_Label(tag), 0x31);
        L4_Word_t w;
        L4_StoreMR(1, &w);
        PT_EQ(w, 2 * i);
        PT_EQ(pt_shared[1], L4_MyLocalId().raw);
        PT_EQ(pt_shared[2], i);
    }
}

DEFINE_TEST(IPC0035, "a send to a local id arrives, and the receiver sees the sender's local id")
{
    L4_ThreadId_t r = pt_thread(recv_report);
    pt_sleep_us(10);
    L4_LoadMR(0, 0);
    PT_IPC_OK(L4_Send(L4_LocalIdOf(r)));
    PT_IPC_OK(L4_Receive(r));
    PT_EQ(pt_shared[1], 0);
    PT_EQ(pt_shared[3], L4_MyLocalId().raw);
}

DEFINE_TEST(IPC0036, "an IPC with neither send nor receive phase returns at once without error")
{
    L4_ThreadId_t from;
    L4_Clock_t c0 = L4_SystemClock();
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_nilthread, L4_Timeouts(L4_Never, L4_Never), &from);
    PT_IPC_OK(tag);
    PT_EQ(L4_SystemClock().raw - c0.raw, 2);
}

static void flag_sender(void)
{
    L4_LoadMR(0, 3UL << 16 | 0xe000 | 1);      /* flags E, X, R set by the sender */
    L4_LoadMR(1, 0xf1a9);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0037, "flag bits a sender puts in its tag do not reach the receiver")
{
    L4_ThreadId_t s = pt_thread(flag_sender);
    L4_MsgTag_t tag = L4_Receive(s);
    PT_IPC_OK(tag);
    PT_EQ(tag.raw & 0xf000, 0);
    PT_EQ(L4_Label(tag), 3);
    PT_EQ(L4_UntypedWords(tag), 1);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0xf1a9);
}

DEFINE_TEST(IPC0038, "a zero-timeout send to a thread waiting for someone else times out; it keeps waiting")
{
    pt_shared[8] = pt_thread(pt_park).raw;
    L4_ThreadId_t r = pt_thread(receive_from_8);
    pt_sleep_us(10);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(r, L4_ZeroTime), 1, 0);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0);
    L4_Word_t dummy;
    L4_ThreadId_t dummy_id;
    L4_Word_t ctl;
    L4_ExchangeRegisters(r, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &dummy, &dummy, &dummy, &dummy, &dummy_id);
    PT_EQ(ctl & 6, 2);                  /* still receiving, not sending */
}

DEFINE_TEST(IPC0039, "a closed receive on another task's thread names it by its global id")
{
    L4_ThreadId_t t = pt_task(task_word_sender);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, t, L4_Timeouts(L4_Never, L4_Never), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, t.raw);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    PT_EQ(w, 0x7a5c);
}

/* Calls the echo server in pt_shared[8] with label 0x100 + its index and
 * records the reply's label in pt_shared[12 + index]. */
static void echo_client(void)
{
    unsigned me = 0;
    for (unsigned k = 0; k < 3; k++)
        if (pt_shared[12 + k] == L4_MyGlobalId().raw)
            me = k;
    L4_LoadMR(0, (0x100UL + me) << 16);
    L4_MsgTag_t tag = L4_Call(shared_id(8));
    pt_shared[12 + me] = L4_IpcFailed(tag) ? 0 : L4_Label(tag);
    pt_shared[1]++;
}

DEFINE_TEST(IPC0040, "a ReplyWait server answers each queued caller with its own reply")
{
    pt_shared[8] = pt_thread(echo_server).raw;
    for (unsigned k = 0; k < 3; k++)
        pt_shared[12 + k] = pt_thread(echo_client).raw;
    pt_sleep_us(100);
    PT_EQ(pt_shared[1], 3);
    PT_EQ(pt_shared[12], 0x101);
    PT_EQ(pt_shared[13], 0x102);
    PT_EQ(pt_shared[14], 0x103);
}

DEFINE_TEST(IPC0041, "call and reply across tasks carry 8 words both ways")
{
    L4_ThreadId_t srv = pt_task(echo_server);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x4000);
    for (L4_Word_t i = 0; i < 8; i++)
        L4_MsgAppendWord(&m, 0x1000 + i);
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Call(srv);
    PT_IPC_OK(tag);
    PT_EQ(L4_Label(tag), 0x4001);
    PT_EQ(L4_UntypedWords(tag), 8);
    L4_MsgStore(tag, &m);
    for (L4_Word_t i = 0; i < 8; i++)
        PT_EQ(L4_MsgWord(&m, i), 0x1000 + i);
}

DEFINE_TEST(IPC0042, "a zero-timeout send to oneself times out (one is not receiving)")
{
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(L4_Myself(), L4_ZeroTime), 1, 0);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(L4_MyLocalId(), L4_ZeroTime), 1, 0);
}

/* The worker of IPC0029, but it starts to wait only after 50 us. */
static void late_prop_worker(void)
{
    pt_sleep_us(50);
    prop_worker();
}

DEFINE_TEST(IPC0043, "propagation to a receiver that is not yet waiting: queued, then delivered and redirected")
{
    L4_ThreadId_t w = pt_thread(late_prop_worker);
    L4_ThreadId_t f = pt_thread(prop_forwarder);
    pt_shared[8] = w.raw;
    pt_shared[9] = f.raw;
    L4_ThreadId_t c = pt_task(prop_client);
    PT_IPC_OK(L4_Receive(c));
    PT_EQ(pt_shared[5], 0xff);
    PT_EQ(pt_shared[1], c.raw);
    PT_EQ(pt_shared[2], 1);
    PT_EQ(pt_shared[3], f.raw);
    PT_EQ(pt_shared[4], 0xff);
    PT_EQ(pt_shared[7], 0x77);
    PT_EQ(pt_shared[10], w.raw);
}

/* Receives one message; records [1] = the order mark. */
static void take_one(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    pt_shared[1] = next_mark();
}

/* Pistachio's ipc.cc: a receive phase with a zero timeout that cannot
 * complete after a successful send donates the rest of the time slice to
 * the partner, which therefore runs before the caller continues. */
DEFINE_TEST(IPC0044, "a call with a zero receive timeout delivers the request, fails its receive, runs the server first")
{
    L4_ThreadId_t srv = pt_thread(take_one);
    pt_sleep_us(10);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call_Timeouts(srv, L4_Never, L4_ZeroTime);
    PT_IPC_ERR(tag, 1, 1);
    PT_EQ(next_mark(), 2);
    PT_EQ(pt_shared[1], 1);
}

DEFINE_TEST(IPC0045, "anythread or anylocalthread as a destination names no thread: code 2, send phase")
{
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(L4_anythread, L4_ZeroTime), 2, 0);
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send_Timeout(L4_anylocalthread, L4_ZeroTime), 2, 0);
}

DEFINE_TEST(IPC0046, "a receive that times out reports nilthread as the sender")
{
    L4_ThreadId_t from = L4_Myself();
    PT_IPC_ERR(L4_Wait_Timeout(L4_TimePeriod(5), &from), 1, 1);
    PT_EQ(from.raw, L4_nilthread.raw);
}

static void bogus_propagator(void)
{
    L4_Set_VirtualSender(shared_id(9));
    L4_MsgTag_t tag = L4_Niltag;
    L4_Set_Label(&tag, 0x45);
    L4_Set_Propagation(&tag);
    L4_Set_MsgTag(tag);
    L4_Send(pt_main_id);
}

DEFINE_TEST(IPC0047, "propagation on behalf of a thread that does not exist is ignored")
{
    pt_shared[9] = pt_new_id().raw;
    L4_ThreadId_t p = pt_thread(bogus_propagator);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, L4_LocalIdOf(p).raw);
    PT_ASSERT(!L4_IpcPropagated(tag));
    PT_EQ(L4_Label(tag), 0x45);
}

/* Sleeps forever; records [1] done and [2] the error bits. */
static void sleep_report(void)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(L4_MyGlobalId(), L4_Never);
    pt_shared[2] = L4_IpcFailed(tag) ? err_bits() : 0xff;
    pt_shared[1] = 1;
}

DEFINE_TEST(IPC0048, "cancelling the receive of a sleeping thread (without stopping it) wakes it with code 3")
{
    L4_ThreadId_t t = pt_thread(sleep_report);
    pt_sleep_us(10);
    L4_Word_t ctl, dummy;
    L4_ThreadId_t dummy_id;
    L4_ExchangeRegisters(t, L4_ExReg_AbortRecvIPC | L4_ExReg_Deliver, 0, 0, 0, 0, L4_nilthread, &ctl,
                         &dummy, &dummy, &dummy, &dummy, &dummy_id);
    PT_EQ(ctl & 7, 2);                  /* it was receiving, not halted */
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[2], 3 << 1 | 1);
}

/* Sleeps 100 us, then takes one message; records [2] its order mark. */
static void slow_taker(void)
{
    pt_sleep_us(100);
    L4_ThreadId_t from;
    L4_Wait(&from);
    pt_shared[2] = next_mark();
}

/* Sends to the thread in pt_shared[8]; records [1] its order mark. */
static void mark_sender(void)
{
    L4_LoadMR(0, 0);
    L4_Send(shared_id(8));
    pt_shared[1] = next_mark();
}

DEFINE_TEST(IPC0049, "a higher-priority sender queued at a lower-priority receiver runs as soon as it is received")
{
    pt_shared[8] = pt_thread_prio(slow_taker, 50).raw;
    pt_thread(mark_sender);             /* priority 100: queues at the taker */
    pt_sleep_us(1000);
    PT_EQ(pt_shared[1], 1);             /* the sender ran on first ... */
    PT_EQ(pt_shared[2], 2);             /* ... the receiver after it */
}

/* X.2's Ipc returns the message tag in MR0; a failed IPC leaves the error
 * tag there (as Pistachio's set_tag(error_tag()) does), not a stale tag. */
DEFINE_TEST(IPC0050, "after a failed IPC MR0 holds the returned error tag")
{
    L4_ThreadId_t s = pt_thread(pt_park);
    pt_sleep_us(10);
    L4_LoadMR(0, 0x1234UL << 16 | 3);
    L4_MsgTag_t tag = L4_Send_Timeout(s, L4_ZeroTime);
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(L4_MsgTag().raw, tag.raw);
    L4_LoadMR(0, 0x4321UL << 16);
    tag = L4_Receive_Timeout(s, L4_TimePeriod(10));
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(L4_MsgTag().raw, tag.raw);
    PT_EQ(L4_Label(tag), 0);
    PT_EQ(L4_UntypedWords(tag), 0);
}

static void take_one_msg(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    pt_shared[1] = 1;
    pt_park();
}

DEFINE_TEST(IPC0051, "a successful send returns the sent tag and leaves MR0, at once or after blocking")
{
    L4_ThreadId_t r = pt_thread(take_one_msg);
    pt_sleep_us(10);                    /* r waits: the send completes at once */
    L4_MsgTag_t sent = { .raw = 0x1234UL << 16 | 2 };   /* label 0x1234, two words */
    L4_LoadMR(0, sent.raw);
    L4_MsgTag_t tag = L4_Send(r);
    PT_IPC_OK(tag);
    PT_EQ(tag.raw, sent.raw);
    PT_EQ(L4_MsgTag().raw, sent.raw);
    L4_ThreadId_t r2 = pt_thread(take_one_msg);  /* not yet waiting: the send blocks */
    L4_LoadMR(0, sent.raw);
    tag = L4_Send(r2);
    PT_IPC_OK(tag);
    PT_EQ(tag.raw, sent.raw);
    PT_EQ(L4_MsgTag().raw, sent.raw);
    /* no phase at all: MR0 comes back as it was */
    L4_ThreadId_t dummy;
    tag = L4_Ipc(L4_nilthread, L4_nilthread, 0, &dummy);
    PT_EQ(tag.raw, sent.raw);
}
