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

static void sleeper(void)
{
    L4_Sleep(L4_Never);
}

DEFINE_TEST(IPC0006, "send with a zero timeout to a thread not receiving from us times out")
{
    L4_ThreadId_t t = pt_thread(sleeper);
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
