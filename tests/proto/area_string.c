/* STR0xxx: string items: simple and compound strings into simple and
 * compound receive buffers, the string items the receiver finds in its
 * MRs, and message overflows (no acceptor, buffers too small or too few,
 * inaccessible memory) in both phases. */
#include <string.h>
#include <l4/ipc.h>
#include <l4/message.h>

#include "ptest.h"

/* The message the string sender loads, prepared by the test. */
static L4_Msg_t out_msg;
/* Words of a compound send string, built in place. */
static L4_Word_t out_items[16];
/* Source and receive memory. */
static char src[256];
static char rbuf[4][128];
static char big_src[10000];
static char big_buf[10240];

#define FILL 0xee

static L4_Word_t err_bits(L4_Word_t err)
{
    return err & 0xf;
}

/* Loads out_msg, sends it to the main thread and records [1] failed,
 * [2] the whole ErrorCode; [3] counts completions. */
static void string_sender(void)
{
    L4_MsgLoad(&out_msg);
    L4_MsgTag_t tag = L4_Send(pt_main_id);
    pt_shared[1] = L4_IpcFailed(tag);
    pt_shared[2] = L4_ErrorCode();
    pt_shared[3]++;
}

static void prepare(void)
{
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (char)(i * 7 + 1);
    memset(rbuf, FILL, sizeof rbuf);
    L4_MsgClear(&out_msg);
}

/* Accepts strings into the given buffer description. */
static void accept(L4_MsgBuffer_t *b)
{
    L4_AcceptStrings(L4_StringItemsAcceptor, b);
}

/* Accepts strings into one simple buffer of size bytes at buf. */
static void accept_one(L4_Word_t size, void *buf)
{
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(size, buf));
    accept(&b);
}

static bool untouched(const char *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if ((unsigned char)p[i] != FILL)
            return false;
    return true;
}

/* The ErrorCode after run_sender's receive. */
static L4_Word_t rcv_err;

/* Runs the sender and receives its message; lets the sender finish. */
static L4_MsgTag_t run_sender(void)
{
    L4_ThreadId_t s = pt_thread(string_sender);
    L4_MsgTag_t tag = L4_Receive(s);
    rcv_err = L4_ErrorCode();
    L4_Word_t mrs[8];
    L4_StoreMRs(0, 8, mrs);
    pt_sleep_us(10);
    L4_LoadMRs(0, 8, mrs);
    return tag;
}

static L4_Word_t mr(unsigned i)
{
    L4_Word_t w;
    L4_StoreMR((int)i, &w);
    return w;
}

/* Whether MRs first..first+n-1 hold the sender's words out_msg.raw[first..]:
 * as in Pistachio, a received string item is the sender's item, header
 * and addresses, whatever buffer the bytes went to. */
static bool sender_words(unsigned first, unsigned n)
{
    for (unsigned k = first; k < first + n; k++)
        if (mr(k) != out_msg.raw[k])
            return false;
    return true;
}

DEFINE_TEST(STR0001, "a simple string lands in the receive buffer; the receiver's MRs hold the sender's item")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_Set_MsgLabel(&out_msg, 0x51);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(16, src));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(pt_shared[1], 0);
    PT_EQ(L4_Label(tag), 0x51);
    PT_EQ(L4_UntypedWords(tag), 0);
    PT_EQ(L4_TypedWords(tag), 2);
    PT_EQ(mr(1), 16UL << 10);
    PT_EQ(mr(2), (L4_Word_t)src);
    PT_ASSERT(memcmp(rbuf[0], src, 16) == 0);
    PT_ASSERT(untouched(rbuf[0] + 16, 112));
}

DEFINE_TEST(STR0002, "a string exactly as long as the receive buffer fits")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(64, src));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(pt_shared[1], 0);
    PT_EQ(mr(1), 64UL << 10);
    PT_ASSERT(memcmp(rbuf[0], src, 64) == 0);
    PT_ASSERT(untouched(rbuf[0] + 64, 64));
}

DEFINE_TEST(STR0003, "a string longer than the buffer: overflow in both phases, offset = bytes copied")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(100, src));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    L4_Word_t err = rcv_err;
    PT_EQ(err_bits(err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(err), 64);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
    PT_EQ(L4_IpcErrorOffset(pt_shared[2]), 64);
    PT_ASSERT(memcmp(rbuf[0], src, 64) == 0);
    PT_ASSERT(untouched(rbuf[0] + 64, 64));
}

DEFINE_TEST(STR0004, "a receiver that accepts no strings: overflow in both phases, nothing copied")
{
    prepare();
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(64, rbuf[0]));
    L4_AcceptStrings(L4_UntypedWordsAcceptor, &b);      /* buffers, but s bit clear */
    L4_MsgAppendWord(&out_msg, 0x1234);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(8, src));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    L4_Word_t err = rcv_err;
    PT_EQ(err_bits(err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(err), 0);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
    PT_ASSERT(untouched(rbuf[0], 128));
}

DEFINE_TEST(STR0005, "a compound send string (3 substrings) is gathered into one simple buffer")
{
    prepare();
    accept_one(32, rbuf[0]);
    L4_StringItem_t *s = (L4_StringItem_t *)out_items;
    *s = L4_StringItem(8, src + 100);
    L4_AddSubstringAddressTo(s, src + 20);
    L4_AddSubstringAddressTo(s, src + 50);
    PT_EQ(L4_Substrings(s), 3);
    L4_MsgAppendStringItem(&out_msg, s);
    PT_EQ(L4_TypedWords(out_msg.tag), 4);
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(L4_TypedWords(tag), 4);
    PT_ASSERT(sender_words(1, 4));
    PT_ASSERT(memcmp(rbuf[0], src + 100, 8) == 0);
    PT_ASSERT(memcmp(rbuf[0] + 8, src + 20, 8) == 0);
    PT_ASSERT(memcmp(rbuf[0] + 16, src + 50, 8) == 0);
    PT_ASSERT(untouched(rbuf[0] + 24, 104));
}

DEFINE_TEST(STR0006, "a simple string is scattered over a compound receive buffer of three substrings")
{
    prepare();
    L4_StringItem_t rs[4];
    rs[0] = L4_StringItem(8, rbuf[0]);
    L4_AddSubstringAddressTo(&rs[0], rbuf[1]);
    L4_AddSubstringAddressTo(&rs[0], rbuf[2]);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendRcvString(&b, &rs[0]);
    accept(&b);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(20, src));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_ASSERT(memcmp(rbuf[0], src, 8) == 0);
    PT_ASSERT(memcmp(rbuf[1], src + 8, 8) == 0);
    PT_ASSERT(memcmp(rbuf[2], src + 16, 4) == 0);
    PT_ASSERT(untouched(rbuf[2] + 4, 124));
    PT_EQ(L4_TypedWords(tag), 2);
    PT_EQ(mr(1), 20UL << 10);
    PT_EQ(mr(2), (L4_Word_t)src);
}

DEFINE_TEST(STR0007, "two strings go into two receive buffers, in order")
{
    prepare();
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(32, rbuf[0]));
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(32, rbuf[1]));
    accept(&b);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(10, src));
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(30, src + 40));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(L4_TypedWords(tag), 4);
    PT_ASSERT(sender_words(1, 4));
    PT_EQ(mr(2), (L4_Word_t)src);
    PT_EQ(mr(4), (L4_Word_t)(src + 40));
    PT_ASSERT(memcmp(rbuf[0], src, 10) == 0);
    PT_ASSERT(untouched(rbuf[0] + 10, 118));
    PT_ASSERT(memcmp(rbuf[1], src + 40, 30) == 0);
    PT_ASSERT(untouched(rbuf[1] + 30, 98));
}

DEFINE_TEST(STR0008, "a zero-length string succeeds and copies nothing")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(0, src));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(pt_shared[1], 0);
    PT_EQ(L4_TypedWords(tag), 2);
    PT_EQ(mr(1), 0);
    PT_EQ(mr(2), (L4_Word_t)src);
    PT_ASSERT(untouched(rbuf[0], 128));
}

DEFINE_TEST(STR0009, "a string from an unreadable address fails with overflow in both phases, no crash")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(16, (void *)0x1000));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    L4_Word_t err = rcv_err;
    PT_EQ(err_bits(err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(err), 0);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
    PT_ASSERT(untouched(rbuf[0], 128));
}

DEFINE_TEST(STR0010, "untyped words and a string travel together; the item follows the words")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendWord(&out_msg, 11);
    L4_MsgAppendWord(&out_msg, 22);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(12, src + 3));
    L4_MsgAppendWord(&out_msg, 33);     /* words go before the items */
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(L4_UntypedWords(tag), 3);
    PT_EQ(L4_TypedWords(tag), 2);
    PT_EQ(mr(1), 11);
    PT_EQ(mr(2), 22);
    PT_EQ(mr(3), 33);
    PT_EQ(mr(4), 12UL << 10);
    PT_EQ(mr(5), (L4_Word_t)(src + 3));
    PT_ASSERT(memcmp(rbuf[0], src + 3, 12) == 0);
}

DEFINE_TEST(STR0011, "more strings than receive buffers: the first arrives, then overflow")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(24, src));
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(8, src + 64));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    L4_Word_t err = rcv_err;
    PT_EQ(err_bits(err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(err), 24);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
    PT_EQ(L4_IpcErrorOffset(pt_shared[2]), 24);
    PT_ASSERT(memcmp(rbuf[0], src, 24) == 0);
    PT_ASSERT(untouched(rbuf[0] + 24, 104));
}

static void task_string_sender(void)
{
    string_sender();
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
}

DEFINE_TEST(STR0012, "a string crosses address spaces from another task")
{
    prepare();
    accept_one(128, rbuf[3]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(128, src + 128));
    L4_ThreadId_t t = pt_task(task_string_sender);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, t, L4_Timeouts(L4_Never, L4_Never), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, t.raw);
    PT_EQ(mr(1), 128UL << 10);
    PT_EQ(mr(2), (L4_Word_t)(src + 128));
    PT_ASSERT(memcmp(rbuf[3], src + 128, 128) == 0);
    L4_Accept(L4_UntypedWordsAcceptor);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[1], 0);
}

DEFINE_TEST(STR0013, "a compound receive buffer followed by a simple one takes two strings")
{
    prepare();
    L4_StringItem_t rs[4];
    rs[0] = L4_StringItem(8, rbuf[0]);
    L4_AddSubstringAddressTo(&rs[0], rbuf[1]);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendRcvString(&b, &rs[0]);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(64, rbuf[2]));
    accept(&b);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(16, src));
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(40, src + 100));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_ASSERT(memcmp(rbuf[0], src, 8) == 0);
    PT_ASSERT(memcmp(rbuf[1], src + 8, 8) == 0);
    PT_ASSERT(memcmp(rbuf[2], src + 100, 40) == 0);
    PT_ASSERT(untouched(rbuf[2] + 40, 88));
    PT_EQ(L4_TypedWords(tag), 4);
    PT_ASSERT(sender_words(1, 4));
    L4_Msg_t m;
    L4_MsgStore(tag, &m);
    L4_StringItem_t got[4];
    PT_EQ(L4_MsgGetStringItem(&m, 0, got), 2);
    PT_EQ(L4_StringItemSize(got), 16);
    PT_EQ(L4_MsgGetStringItem(&m, 2, got), 2);
    PT_EQ(L4_StringItemSize(got), 40);
    PT_EQ((L4_Word_t)L4_Substring(got, 1), (L4_Word_t)(src + 100));
}

/* A server that replies to its first caller with a string of 48 bytes. */
static void string_server(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x99);
    L4_MsgAppendSimpleStringItem(&m, L4_StringItem(48, src + 7));
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Reply(from);
    pt_shared[1] = L4_IpcFailed(tag);
}

DEFINE_TEST(STR0014, "a reply carries a string into the caller's buffer")
{
    prepare();
    accept_one(64, rbuf[1]);
    L4_ThreadId_t srv = pt_thread(string_server);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call(srv);
    PT_IPC_OK(tag);
    PT_EQ(L4_Label(tag), 0x99);
    PT_EQ(mr(1), 48UL << 10);
    PT_EQ(mr(2), (L4_Word_t)(src + 7));
    PT_ASSERT(memcmp(rbuf[1], src + 7, 48) == 0);
    pt_sleep_us(10);
    PT_EQ(pt_shared[1], 0);
}

DEFINE_TEST(STR0015, "a receive buffer at an unwritable address: overflow in both phases, no crash")
{
    prepare();
    accept_one(64, (void *)0x1000);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(16, src));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    L4_Word_t err = rcv_err;
    PT_EQ(err_bits(err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(err), 0);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
}

DEFINE_TEST(STR0016, "a compound send string of two headers with different lengths is gathered in order")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_StringItem_t *s = (L4_StringItem_t *)out_items;
    *s = L4_StringItem(5, src + 10);
    L4_StringItem_t second = L4_StringItem(11, src + 200);
    L4_AddSubstringTo(s, &second);
    PT_EQ(L4_Substrings(s), 2);
    L4_MsgAppendStringItem(&out_msg, s);
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(L4_TypedWords(tag), 4);
    PT_ASSERT(sender_words(1, 4));
    PT_EQ(mr(1), 5UL << 10 | 1UL << 9);
    PT_ASSERT(memcmp(rbuf[0], src + 10, 5) == 0);
    PT_ASSERT(memcmp(rbuf[0] + 5, src + 200, 11) == 0);
    PT_ASSERT(untouched(rbuf[0] + 16, 112));
}

DEFINE_TEST(STR0017, "a string item cut off by the tag's typed-word count is a message overflow")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(8, src));
    out_msg.tag.raw = (out_msg.tag.raw & ~(0x3fUL << 6)) | 1UL << 6;   /* t = 1: no address word */
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(err_bits(rcv_err), 4 << 1 | 1);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
    PT_ASSERT(untouched(rbuf[0], 128));
}

DEFINE_TEST(STR0018, "a string sent to a receiver that queued first (sender blocked) is copied on receive")
{
    prepare();
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(32, src + 32));
    L4_ThreadId_t s = pt_thread(string_sender);
    pt_sleep_us(10);                    /* s blocks in its send */
    PT_EQ(pt_shared[3], 0);
    accept_one(32, rbuf[2]);
    L4_MsgTag_t tag = L4_Receive(s);
    PT_IPC_OK(tag);
    PT_EQ(mr(1), 32UL << 10);
    PT_EQ(mr(2), (L4_Word_t)(src + 32));
    PT_ASSERT(memcmp(rbuf[2], src + 32, 32) == 0);
    pt_sleep_us(10);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[1], 0);
}

DEFINE_TEST(STR0019, "a receive buffer of two chained headers followed by a simple one takes two strings")
{
    prepare();
    L4_StringItem_t rs[4], more;
    rs[0] = L4_StringItem(8, rbuf[0]);
    more = L4_StringItem(16, rbuf[1]);
    L4_AddSubstringTo(&rs[0], &more);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendRcvString(&b, &rs[0]);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(64, rbuf[2]));
    accept(&b);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(20, src));
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(6, src + 100));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(pt_shared[1], 0);
    PT_ASSERT(memcmp(rbuf[0], src, 8) == 0);
    PT_ASSERT(memcmp(rbuf[1], src + 8, 12) == 0);
    PT_ASSERT(untouched(rbuf[1] + 12, 116));
    PT_ASSERT(memcmp(rbuf[2], src + 100, 6) == 0);
    PT_EQ(L4_TypedWords(tag), 4);
    PT_ASSERT(sender_words(1, 4));
    PT_EQ(mr(1), 20UL << 10);
    PT_EQ(mr(3), 6UL << 10);
}

DEFINE_TEST(STR0020, "a string of 10000 bytes arrives whole; a longer one into 5000 bytes stops at 5000")
{
    prepare();
    for (unsigned i = 0; i < sizeof big_src; i++)
        big_src[i] = (char)(i % 251);
    memset(big_buf, FILL, sizeof big_buf);
    accept_one(sizeof big_buf, big_buf);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(sizeof big_src, big_src));
    L4_MsgTag_t tag = run_sender();
    PT_IPC_OK(tag);
    PT_EQ(mr(1), (L4_Word_t)sizeof big_src << 10);
    PT_ASSERT(memcmp(big_buf, big_src, sizeof big_src) == 0);
    PT_ASSERT(untouched(big_buf + sizeof big_src, sizeof big_buf - sizeof big_src));

    memset(big_buf, FILL, sizeof big_buf);
    accept_one(5000, big_buf);
    tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(err_bits(rcv_err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(rcv_err), 5000);
    PT_EQ(L4_IpcErrorOffset(pt_shared[2]), 5000);
    PT_ASSERT(memcmp(big_buf, big_src, 5000) == 0);
    PT_ASSERT(untouched(big_buf + 5000, sizeof big_buf - 5000));
}

/* Builds a compound string of n substrings of len bytes at base + step*k:
 * one header with n addresses, or (chained) n headers of one address each
 * linked with c, the last substring len + extra bytes long. */
static void build_split(L4_StringItem_t *s, unsigned n, unsigned len, unsigned extra, bool chained, char *base,
                        unsigned step)
{
    *s = L4_StringItem((int)(n == 1 ? len + extra : len), base);
    for (unsigned k = 1; k < n; k++) {
        if (!chained) {
            L4_AddSubstringAddressTo(s, base + step * k);
            continue;
        }
        L4_StringItem_t one = L4_StringItem((int)(k + 1 == n ? len + extra : len), base + step * k);
        L4_AddSubstringTo(s, &one);
    }
}

/* One case of STR0021: a compound send string of ns substrings of ls
 * bytes (substring k at src + 64k) into a compound receive buffer of nr
 * substrings of lr bytes (substring k at rbuf[k]); chained: one header per
 * substring, the last one a byte longer.  Returns 0 when the outcome is
 * X.2's, else the number of the first check that failed. */
static unsigned split_case(unsigned ns, unsigned ls, unsigned nr, unsigned lr, bool chained)
{
    prepare();
    L4_StringItem_t *s = (L4_StringItem_t *)out_items;
    unsigned extra = chained ? 1 : 0;
    build_split(s, ns, ls, extra, chained, src, 64);
    L4_MsgAppendStringItem(&out_msg, s);
    L4_StringItem_t r[8];
    build_split(&r[0], nr, lr, extra, chained, rbuf[0], 128);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendRcvString(&b, &r[0]);
    accept(&b);
    L4_MsgTag_t tag = run_sender();
    unsigned sent = ns * ls + extra, room = nr * lr + extra, moved = sent < room ? sent : room;
    if (sent <= room) {
        if (L4_IpcFailed(tag) || pt_shared[1])
            return 1;
    } else {
        if (!L4_IpcFailed(tag) || err_bits(rcv_err) != (4 << 1 | 1) || L4_IpcErrorOffset(rcv_err) != moved)
            return 2;
        if (err_bits(pt_shared[2]) != (4 << 1 | 0) || L4_IpcErrorOffset(pt_shared[2]) != moved)
            return 3;
    }
    for (unsigned i = 0; i < moved; i++) {
        unsigned si = i / ls < ns ? i / ls : ns - 1, ri = i / lr < nr ? i / lr : nr - 1;
        if (rbuf[ri][i - ri * lr] != src[64 * si + i - si * ls])
            return 4;
    }
    for (unsigned k = 0; k < 4; k++) {
        unsigned got = 0;
        if (k < nr && moved > k * lr)
            got = moved - k * lr;
        if (k + 1 < nr && got > lr)
            got = lr;
        if (!untouched(rbuf[k] + got, 128 - got))
            return 5;
    }
    return 0;
}

DEFINE_TEST(STR0021, "every split of a message over 1-4 send and 1-4 receive substrings: cut where the buffer ends, nothing past the message")
{
    static const unsigned ls[] = { 7, 63 }, lr[] = { 5, 64, 127 };
    for (unsigned ch = 0; ch < 2; ch++)
        for (unsigned ns = 1; ns <= 4; ns++)
            for (unsigned nr = 1; nr <= 4; nr++)
                for (unsigned a = 0; a < 2; a++)
                    for (unsigned c = 0; c < 3; c++) {
                        unsigned f = split_case(ns, ls[a], nr, lr[c], ch);
                        /* the case (chained, ns, nr, ls, lr) and the check that failed */
                        PT_EQ(f ? (L4_Word_t)ch << 40 | (L4_Word_t)f << 32 | ns << 24 | nr << 16 | ls[a] << 8 | lr[c] : 0,
                              0);
                    }
}


/* A receive buffer over this thread's own UTCB pointer, which lives in
 * the simulator's thread-local storage (host memory outside the task's
 * window and program image).  The string sent holds the pointer's own
 * value, so a kernel that wrongly wrote there changes nothing. */
DEFINE_TEST(STR0022, "a receive buffer in the simulator's memory, outside the task's address space: overflow, nothing written")
{
    prepare();
    L4_Word_t *slot = (L4_Word_t *)&__L4_hosted_utcb;
    static L4_Word_t value;
    value = *slot;
    accept_one(sizeof value, slot);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(sizeof value, &value));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(err_bits(rcv_err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(rcv_err), 0);
    PT_EQ(err_bits(pt_shared[2]), 4 << 1 | 0);
    PT_EQ(*slot, value);
}

DEFINE_TEST(STR0023, "a string from the simulator's own code, outside the sender's address space: overflow, nothing copied")
{
    prepare();
    accept_one(64, rbuf[0]);
    L4_MsgAppendSimpleStringItem(&out_msg, L4_StringItem(16, (void *)(L4_Word_t)&__L4_hosted_Ipc));
    L4_MsgTag_t tag = run_sender();
    PT_ASSERT(L4_IpcFailed(tag));
    PT_EQ(err_bits(rcv_err), 4 << 1 | 1);
    PT_EQ(L4_IpcErrorOffset(rcv_err), 0);
    PT_ASSERT(untouched(rbuf[0], 128));
}

/* A compound string as a list of headers, each with its substring length
 * and the number of substrings (addresses) of that length. */
typedef struct {
    unsigned char n;
    struct {
        unsigned short len, count;
    } h[4];
} shape_t;

static unsigned shape_bytes(const shape_t *sh)
{
    unsigned t = 0;
    for (unsigned k = 0; k < sh->n; k++)
        t += sh->h[k].len * sh->h[k].count;
    return t;
}

/* Builds sh as a compound string over memory at base, its substrings one
 * after the other with gap bytes between them. */
static void build_shape(L4_StringItem_t *s, const shape_t *sh, char *base, unsigned gap)
{
    char *p = base;
    for (unsigned k = 0; k < sh->n; k++) {
        L4_StringItem_t one = L4_StringItem(sh->h[k].len, p);
        if (k == 0)
            *s = one;
        else
            L4_AddSubstringTo(s, &one);
        p += sh->h[k].len + gap;
        for (unsigned a = 1; a < sh->h[k].count; a++, p += sh->h[k].len + gap)
            L4_AddSubstringAddressTo(s, p);
    }
}

/* One case of STR0024: the string of shape ss (from src, no gaps) into a
 * receive buffer of shape rs (in rbuf, 3 bytes between substrings).
 * Returns 0 when the outcome is X.2's, else the first check that failed. */
static unsigned shape_case(const shape_t *ss, const shape_t *rs)
{
    prepare();
    L4_StringItem_t *s = (L4_StringItem_t *)out_items;
    build_shape(s, ss, src, 0);
    L4_MsgAppendStringItem(&out_msg, s);
    L4_StringItem_t r[8];
    build_shape(&r[0], rs, &rbuf[0][0], 3);
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendRcvString(&b, &r[0]);
    accept(&b);
    L4_MsgTag_t tag = run_sender();
    unsigned sent = shape_bytes(ss), room = shape_bytes(rs), moved = sent < room ? sent : room;
    if (sent <= room) {
        if (L4_IpcFailed(tag) || pt_shared[1])
            return 1;
    } else {
        if (!L4_IpcFailed(tag) || err_bits(rcv_err) != (4 << 1 | 1) || L4_IpcErrorOffset(rcv_err) != moved)
            return 2;
        if (err_bits(pt_shared[2]) != (4 << 1 | 0) || L4_IpcErrorOffset(pt_shared[2]) != moved)
            return 3;
    }
    /* Walk the receive substrings: byte i of the message lands at the
     * i-th byte of the concatenated substrings; everything else keeps FILL. */
    const char *p = &rbuf[0][0], *end = p + sizeof rbuf;
    unsigned i = 0;
    for (unsigned k = 0; k < rs->n; k++)
        for (unsigned a = 0; a < rs->h[k].count; a++) {
            for (unsigned x = 0; x < rs->h[k].len; x++, p++, i++)
                if (i < moved ? *p != src[i] : (unsigned char)*p != FILL)
                    return 4;
            if (!untouched(p, 3))
                return 5;
            p += 3;
        }
    if (!untouched(p, (unsigned)(end - p)))
        return 6;
    return 0;
}

DEFINE_TEST(STR0024, "compound strings of uneven headers, several addresses per header and mixed chaining, into buffers longer and shorter than the message")
{
    static const shape_t send[] = {
        { 1, { { 252, 1 } } },
        { 1, { { 63, 4 } } },
        { 3, { { 100, 1 }, { 100, 1 }, { 52, 1 } } },
        { 2, { { 63, 2 }, { 126, 1 } } },
        { 4, { { 1, 1 }, { 50, 3 }, { 2, 2 }, { 97, 1 } } },
    };
    static const shape_t recv[] = {
        { 1, { { 256, 1 } } },
        { 1, { { 64, 4 } } },
        { 3, { { 100, 1 }, { 100, 1 }, { 56, 1 } } },
        { 2, { { 5, 3 }, { 237, 1 } } },
        { 1, { { 128, 1 } } },
        { 2, { { 64, 2 }, { 10, 1 } } },
        { 3, { { 50, 1 }, { 50, 1 }, { 50, 1 } } },
        { 4, { { 1, 1 }, { 120, 2 }, { 3, 1 }, { 8, 1 } } },
        { 1, { { 84, 3 } } },
    };
    for (unsigned a = 0; a < sizeof send / sizeof send[0]; a++)
        for (unsigned c = 0; c < sizeof recv / sizeof recv[0]; c++) {
            unsigned f = shape_case(&send[a], &recv[c]);
            /* which send and receive shapes, and the check that failed */
            PT_EQ(f ? (L4_Word_t)f << 16 | a << 8 | c : 0, 0);
        }
}
