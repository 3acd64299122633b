/* end_busy: a root task that keeps the kernel busy until the real-time
 * limit ends the run, so that the end of the run meets kernel code in
 * progress.  Usage: end_busy MODE, as the root task:
 *   print    enters the kernel again and again, and prints a line through
 *            the kernel debugger every 1000 entries (so that anything the
 *            CPU does after the end shows);
 *   threads  creates a thread, lets it run and deletes it, again and again
 *            (the thread table changes all the time);
 *   compute  computes without entering the kernel;
 *   locked   sends a string to a thread whose receive buffer is an
 *            unmapped page of the window, whose pager never receives: the
 *            transfer waits for that page fault for ever, the sender
 *            locked in it, and the run ends in a deadlock report.
 * It never returns: only the real-time limit (or the deadlock) ends it. */
#include <string.h>
#include <l4/kdebug.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

int main(int argc, char **argv);

static char stack[8192] __attribute__((aligned(16)));
static char stack2[8192] __attribute__((aligned(16)));
static char src[64];

static void yielder(void)
{
    for (;;)
        L4_Yield();
}

static volatile L4_Word_t spins;

static void sleeper(void)
{
    for (;;)
        L4_Sleep(L4_Never);
}

/* receives one string into an unmapped page of the window */
static void receiver(void)
{
    L4_MsgBuffer_t b;
    L4_MsgBufferClear(&b);
    L4_MsgBufferAppendSimpleRcvString(&b, L4_StringItem(64, (void *)(lib_usable_base() + 0x100000)));
    L4_AcceptStrings(L4_StringItemsAcceptor, &b);
    L4_ThreadId_t from;
    L4_Wait(&from);
    sleeper();
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "print"))
        for (;;) {
            L4_KDB_PrintString("end_busy: still running\n");
            for (unsigned i = 0; i < 1000; i++)
                L4_SystemClock();
        }
    if (!strcmp(mode, "threads")) {
        L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1);
        for (;;) {
            if (lib_thread_create(t, lib_utcb_slot(1), L4_Myself(), yielder, stack + sizeof stack))
                return 1;
            L4_Yield();
            L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
        }
    }
    if (!strcmp(mode, "locked")) {
        L4_ThreadId_t pager = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1);
        L4_ThreadId_t rcv = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 2, 1);
        if (lib_thread_create(pager, lib_utcb_slot(1), L4_Myself(), sleeper, stack + sizeof stack) ||
            lib_thread_create(rcv, lib_utcb_slot(2), pager, receiver, stack2 + sizeof stack2))
            return 1;
        L4_Yield();
        L4_Yield();
        L4_Msg_t m;
        L4_MsgClear(&m);
        L4_MsgAppendSimpleStringItem(&m, L4_StringItem(sizeof src, src));
        L4_MsgLoad(&m);
        L4_Send(rcv);
        return 1;
    }
    if (!strcmp(mode, "compute"))
        for (;;)
            spins++;
    return 64;
}
