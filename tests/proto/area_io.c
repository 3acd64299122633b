/* IOP0xxx: I/O fpages, as X.2 on ia32 and Pistachio on x86 have them:
 * sigma0 holds every port at boot and hands ports out as I/O fpages; a
 * port access without the port is an I/O-fault IPC to the pager; map and
 * grant items carry I/O fpages (always accepted); Unmap revokes them
 * recursively.  Booted with sigma0 as the root task's pager (io.lst).  The
 * test device's port 0xF0 reads the number of interrupts raised. */
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>

#include "ptest.h"

#define PORT 0xF0

/* The ports 0xF0-0xF7 from sigma0 (again: granted again). */
static L4_Fpage_t test_ports(void)
{
    return L4_Sigma0_GetPage(L4_nilthread, L4_IoFpageLog2(PORT, 3));
}

DEFINE_TEST(IOP0001, "sigma0 hands out an I/O fpage to the first thread that asks, again to it, never to another")
{
    L4_Fpage_t f = test_ports();
    PT_ASSERT(L4_IsIoFpage(f));
    PT_EQ(L4_IoFpagePort(f), PORT);
    PT_EQ(L4_IoFpageSize(f), 8);
    f = test_ports();
    PT_ASSERT(L4_IsIoFpage(f));
    /* a port in the middle names its aligned fpage */
    f = L4_Sigma0_GetPage(L4_nilthread, L4_IoFpageLog2(PORT + 4, 2));
    PT_EQ(L4_IoFpagePort(f), PORT + 4);
    (void)inb(PORT);                    /* held now: no fault */
}

static void other_asks(void)
{
    pt_shared[1] = L4_Sigma0_GetPage(L4_nilthread, L4_IoFpageLog2(PORT, 3)).raw;
    pt_shared[2] = 1;
}

DEFINE_TEST(IOP0002, "sigma0 refuses ports another thread owns with the nil fpage")
{
    PT_ASSERT(L4_IsIoFpage(test_ports()));
    pt_shared[1] = ~0UL;
    pt_shared[2] = 0;
    L4_ThreadId_t t = pt_thread(other_asks);
    for (int i = 0; i < 5 && !pt_shared[2]; i++)
        L4_ThreadSwitch(t);
    pt_sleep_us(1000);
    PT_EQ(pt_shared[2], 1);
    PT_EQ(pt_shared[1], 0);
}

/* Reads the port (pt_shared[2]), then reads it again on each pt_shared[5]
 * step, counting the reads in pt_shared[3]. */
static void port_reader(void)
{
    pt_shared[2] = inb(PORT);
    pt_shared[3] = 1;
    for (L4_Word_t seen = 0;; seen++) {
        while (pt_shared[5] == seen)
            L4_ThreadSwitch(L4_nilthread);
        (void)inb(PORT);
        pt_shared[3]++;
    }
}

/* Receives t's I/O fault; false unless it is one, for PORT. */
static bool io_fault_from(L4_ThreadId_t t, L4_Word_t us)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(us));
    if (L4_IpcFailed(tag) || L4_Label(tag) != (lib_proto_label(-8) | 6) || L4_UntypedWords(tag) != 2 ||
        L4_TypedWords(tag) != 0)
        return false;
    L4_Word_t w[2];
    L4_StoreMRs(1, 2, w);
    return w[0] == L4_IoFpageLog2(PORT, 0).raw && w[1] != 0;
}

/* Replies to t's I/O fault with the map item of ports. */
static void map_ports(L4_ThreadId_t t, L4_Fpage_t ports)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendMapItem(&m, L4_MapItem(ports, 0));
    L4_MsgLoad(&m);
    L4_Send(t);
}

static void reset_reader(void)
{
    pt_shared[2] = ~0UL;
    pt_shared[3] = 0;
    pt_shared[5] = 0;
}

DEFINE_TEST(IOP0003, "a port access without the port is an I/O-fault IPC to the pager (-8<<4 | rw, I/O fpage, IP); its map item lets the access go on, and the next needs none")
{
    PT_ASSERT(L4_IsIoFpage(test_ports()));
    reset_reader();
    L4_ThreadId_t t = pt_task(port_reader);
    PT_ASSERT(io_fault_from(t, 1000000));
    PT_EQ(pt_shared[3], 0);
    map_ports(t, L4_IoFpageLog2(PORT, 3));
    L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[2], inb(PORT));
    pt_shared[5] = 1;
    PT_ASSERT(!io_fault_from(t, 2000));
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 2);
}

DEFINE_TEST(IOP0004, "Unmap of an I/O fpage revokes the ports from the task they were mapped to, not from the caller; the next access faults again")
{
    PT_ASSERT(L4_IsIoFpage(test_ports()));
    reset_reader();
    L4_ThreadId_t t = pt_task(port_reader);
    PT_ASSERT(io_fault_from(t, 1000000));
    map_ports(t, L4_IoFpageLog2(PORT, 3));
    L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 1);
    L4_Fpage_t f = L4_IoFpageLog2(PORT, 3);
    L4_UnmapFpage(f);
    (void)inb(PORT);                    /* ours stays (no flush) */
    pt_shared[5] = 1;
    PT_ASSERT(io_fault_from(t, 1000000));
    PT_EQ(pt_shared[3], 1);
    map_ports(t, f);
    L4_ThreadSwitch(t);
    pt_sleep_us(100);
    PT_EQ(pt_shared[3], 2);
}

/* Waits for one message with untyped words only (a nil receive window),
 * then reads the port: it must hold it already. */
static void accepts_nothing(void)
{
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[1] = L4_IpcFailed(tag) ? 2 : 1;
    pt_shared[2] = inb(PORT);
    pt_shared[3] = 1;
    pt_park();
}

DEFINE_TEST(IOP0005, "an I/O fpage map item is accepted even by a receiver with a nil receive window, as on Pistachio for x86")
{
    PT_ASSERT(L4_IsIoFpage(test_ports()));
    pt_shared[1] = pt_shared[3] = 0;
    L4_ThreadId_t t = pt_task(accepts_nothing);
    pt_sleep_us(100);
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendMapItem(&m, L4_MapItem(L4_IoFpageLog2(PORT, 3), 0));
    L4_MsgLoad(&m);
    PT_IPC_OK(L4_Send_Timeout(t, L4_TimePeriod(1000000)));
    PT_ASSERT(!io_fault_from(t, 2000));
    pt_sleep_us(100);
    PT_EQ(pt_shared[1], 1);
    PT_EQ(pt_shared[3], 1);
}

DEFINE_TEST(IOP0006, "a pager that answers an I/O fault without mapping the port: the thread is halted with a report, no endless faults")
{
    reset_reader();
    L4_ThreadId_t t = pt_task(port_reader);
    PT_ASSERT(io_fault_from(t, 1000000));
    L4_LoadMR(0, 0);
    L4_Send(t);
    PT_ASSERT(!io_fault_from(t, 2000));
    PT_EQ(pt_shared[3], 0);
    PT_EQ(pt_sched_state(t) & 0xff, 2);     /* halted: inactive */
}

static void no_pager_reader(void)
{
    L4_Set_Pager(L4_nilthread);
    pt_shared[3] = 1;
    (void)inb(PORT);
    pt_shared[4] = 1;
}

DEFINE_TEST(IOP0007, "a port access of a thread without a pager halts it with a report; the system goes on")
{
    pt_shared[3] = pt_shared[4] = 0;
    L4_ThreadId_t t = pt_task(no_pager_reader);
    PT_ASSERT(!L4_IsNilThread(t));
    pt_sleep_us(1000);
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[4], 0);
    PT_EQ(pt_sched_state(t) & 0xff, 2);     /* halted: inactive */
}
