/* IRQ0xxx: interrupt threads: association with a handler through
 * ThreadControl, delivery as an IPC from the interrupt thread, the
 * acknowledgement that re-arms it, deassociation, errors, and delayed
 * interrupts on the virtual clock.  The chacmsim test device raises them:
 * outl(0xF4, us) sets a delay, outb(0xF0, n) raises interrupt n after it
 * (at once without one), inb(0xF0) counts raises. */
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>

#include "ptest.h"

#define TESTDEV_RAISE 0xF0
#define TESTDEV_DELAY 0xF4

/* The interrupt label -1 << 4, sign-extended over the label field as
 * Pistachio does: 0xfff0 on ia32, 0xfffffffffff0 with 64-bit words. */
#define IRQ_LABEL ((~0UL << 4) & (~0UL >> 16))

static L4_ThreadId_t irq_id(unsigned n)
{
    return L4_GlobalId(n, 1);
}

static void raise_irq(unsigned n)
{
    outb(TESTDEV_RAISE, (L4_Word8_t)n);
}

static void raise_irq_after(unsigned n, L4_Word_t us)
{
    outl(TESTDEV_DELAY, (L4_Word32_t)us);
    outb(TESTDEV_RAISE, (L4_Word8_t)n);
}

static L4_MsgTag_t ack(unsigned n)
{
    L4_LoadMR(0, 0);
    return L4_Send(irq_id(n));
}

static L4_MsgTag_t poll_irq(unsigned n)
{
    return L4_Receive_Timeout(irq_id(n), L4_ZeroTime);
}

/* No interrupt of an earlier (failed) test is left associated. */
static void irq_reset(void)
{
    for (unsigned n = 0; n < 16; n++)
        L4_DeassociateInterrupt(irq_id(n));
}

/* The interrupt message: from the interrupt thread, label -1<<4, no words. */
#define PT_IRQ_MSG(tag, from, n)                                  \
    do {                                                          \
        L4_MsgTag_t _tag = (tag);                                 \
        PT_IPC_OK(_tag);                                          \
        PT_EQ((from).raw, irq_id(n).raw);                         \
        PT_EQ(L4_Label(_tag), IRQ_LABEL);                         \
        PT_EQ(L4_Label(_tag) & 0xffff, 0xfff0);                   \
        PT_EQ(L4_UntypedWords(_tag), 0);                          \
        PT_EQ(L4_TypedWords(_tag), 0);                            \
    } while (0)

DEFINE_TEST(IRQ0001, "an associated interrupt arrives as an IPC from its thread: label -1<<4, no words")
{
    irq_reset();
    /* ThreadControl(irq, irq, nil, handler, -1), which L4_AssociateInterrupt wraps */
    PT_EQ(L4_ThreadControl(irq_id(5), irq_id(5), L4_nilthread, L4_Myself(), (void *)~0UL), 1);
    L4_Word8_t before = inb(TESTDEV_RAISE);
    raise_irq(5);
    PT_EQ((L4_Word8_t)(inb(TESTDEV_RAISE) - before), 1);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, &from);
    PT_IRQ_MSG(tag, from, 5);
    PT_IPC_OK(ack(5));
    PT_IPC_ERR(poll_irq(5), 1, 1);          /* one raise, one message */
    PT_EQ(L4_DeassociateInterrupt(irq_id(5)), 1);
}

static void irq_handler(void)
{
    for (;;) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait(&from);
        pt_shared[0]++;
        pt_shared[1] = from.raw;
        pt_shared[2] = tag.raw;
        pt_shared[3] = L4_SystemClock().raw;
        L4_LoadMR(0, 0);
        L4_Send(from);
    }
}

DEFINE_TEST(IRQ0002, "a handler thread waiting in an open receive gets the interrupt and acknowledges it")
{
    irq_reset();
    L4_ThreadId_t h = pt_thread(irq_handler);
    PT_EQ(L4_AssociateInterrupt(irq_id(6), h), 1);
    pt_sleep_us(10);                        /* h waits */
    raise_irq(6);
    PT_EQ(pt_shared[0], 0);                 /* same priority: h runs when we block */
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 1);
    L4_MsgTag_t tag = { .raw = pt_shared[2] };
    L4_ThreadId_t from = { .raw = pt_shared[1] };
    PT_IRQ_MSG(tag, from, 6);
    /* acknowledged: the next raise arrives too */
    raise_irq(6);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 2);
    PT_EQ(L4_DeassociateInterrupt(irq_id(6)), 1);
}

DEFINE_TEST(IRQ0003, "raises before the acknowledgement are held (one pending) until the handler replies")
{
    irq_reset();
    L4_ThreadId_t from;
    PT_EQ(L4_AssociateInterrupt(irq_id(7), L4_Myself()), 1);
    raise_irq(7);
    PT_IRQ_MSG(poll_irq(7), irq_id(7), 7);
    /* in service: further raises wait for the acknowledgement, and
     * coalesce into one pending interrupt */
    raise_irq(7);
    raise_irq(7);
    PT_IPC_ERR(poll_irq(7), 1, 1);
    PT_IPC_ERR(L4_Wait_Timeout(L4_ZeroTime, &from), 1, 1);
    PT_IPC_OK(ack(7));
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, &from);
    PT_IRQ_MSG(tag, from, 7);
    /* acknowledge and wait in one: nothing more is pending */
    L4_LoadMR(0, 0);
    tag = L4_Ipc(irq_id(7), irq_id(7), L4_Timeouts(L4_Never, L4_ZeroTime), &from);
    PT_IPC_ERR(tag, 1, 1);
    /* a raise now (not in service) is delivered at our next receive */
    raise_irq(7);
    L4_LoadMR(0, 0);
    PT_IRQ_MSG(L4_Receive_Timeout(irq_id(7), L4_ZeroTime), irq_id(7), 7);
    /* ReplyWait: the acknowledgement and the next interrupt in one call */
    raise_irq(7);
    L4_LoadMR(0, 0);
    tag = L4_ReplyWait_Timeout(irq_id(7), L4_ZeroTime, &from);
    PT_IRQ_MSG(tag, from, 7);
    PT_IPC_OK(ack(7));
    PT_EQ(L4_DeassociateInterrupt(irq_id(7)), 1);
}

DEFINE_TEST(IRQ0004, "deassociation (pager = the interrupt thread) stops delivery, also of a pending raise")
{
    irq_reset();
    PT_EQ(L4_AssociateInterrupt(irq_id(8), L4_Myself()), 1);
    raise_irq(8);                           /* pending, not yet received */
    PT_EQ(L4_ThreadControl(irq_id(8), irq_id(8), L4_nilthread, irq_id(8), (void *)~0UL), 1);
    PT_IPC_ERR(poll_irq(8), 1, 1);
    L4_Word8_t before = inb(TESTDEV_RAISE);
    raise_irq(8);                           /* the device raises, nobody listens */
    PT_EQ((L4_Word8_t)(inb(TESTDEV_RAISE) - before), 1);
    PT_IPC_ERR(poll_irq(8), 1, 1);
    /* deassociated while in service: the late acknowledgement fails */
    PT_EQ(L4_AssociateInterrupt(irq_id(8), L4_Myself()), 1);
    raise_irq(8);
    PT_IRQ_MSG(poll_irq(8), irq_id(8), 8);
    PT_EQ(L4_DeassociateInterrupt(irq_id(8)), 1);
    PT_IPC_ERR(ack(8), 2, 0);
    /* associated again, it works afresh */
    PT_EQ(L4_AssociateInterrupt(irq_id(8), L4_Myself()), 1);
    raise_irq(8);
    PT_IRQ_MSG(poll_irq(8), irq_id(8), 8);
    PT_IPC_OK(ack(8));
    PT_EQ(L4_DeassociateInterrupt(irq_id(8)), 1);
}

static void send_to_irq9(void)
{
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send(irq_id(9));
    pt_shared[0] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x100;
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(IRQ0005, "a thread that is not the handler cannot send to the interrupt thread (code 2)")
{
    irq_reset();
    PT_EQ(L4_AssociateInterrupt(irq_id(9), L4_Myself()), 1);
    raise_irq(9);
    PT_IRQ_MSG(poll_irq(9), irq_id(9), 9);
    L4_ThreadId_t h = pt_thread(send_to_irq9);
    PT_IPC_OK(L4_Receive(h));
    PT_EQ(pt_shared[0], (2 << 1) | 0);      /* non-existing partner, send phase */
    /* it did not acknowledge for us: a raise is still held */
    raise_irq(9);
    PT_IPC_ERR(poll_irq(9), 1, 1);
    PT_IPC_OK(ack(9));
    PT_IRQ_MSG(poll_irq(9), irq_id(9), 9);
    PT_IPC_OK(ack(9));
    /* nobody may send to an interrupt thread without a handler */
    PT_EQ(L4_DeassociateInterrupt(irq_id(9)), 1);
    PT_IPC_ERR(ack(9), 2, 0);
    /* nor to one that does not exist */
    L4_LoadMR(0, 0);
    PT_IPC_ERR(L4_Send(L4_GlobalId(9, 2)), 2, 0);
}

DEFINE_TEST(IRQ0006, "delayed interrupts arrive in virtual-time order at exact clock values")
{
    irq_reset();
    for (unsigned n = 10; n <= 12; n++)
        PT_EQ(L4_AssociateInterrupt(irq_id(n), L4_Myself()), 1);
    L4_Word_t c0 = L4_SystemClock().raw;
    raise_irq_after(10, 300);               /* entries c0+1, c0+2: due c0+302 */
    raise_irq_after(11, 100);               /* c0+3, c0+4: due c0+104 */
    raise_irq_after(12, 200);               /* c0+5, c0+6: due c0+206 */
    static const unsigned order[3] = { 11, 12, 10 };
    static const L4_Word_t at[3] = { 105, 207, 303 };
    for (unsigned i = 0; i < 3; i++) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait(&from);   /* clock jumps to the next raise */
        L4_Word_t now = L4_SystemClock().raw;
        PT_IRQ_MSG(tag, from, order[i]);
        PT_EQ(now - c0, at[i]);
        PT_IPC_OK(ack(order[i]));
    }
    for (unsigned n = 10; n <= 12; n++)
        PT_EQ(L4_DeassociateInterrupt(irq_id(n)), 1);
}

static void closed_then_open(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Receive(pt_main_id);
    pt_shared[0] = L4_Label(tag);
    tag = L4_Wait(&from);
    pt_shared[1] = from.raw;
    pt_shared[2] = tag.raw;
    L4_LoadMR(0, 0);
    L4_Send(from);
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(IRQ0007, "a handler in a closed receive from another thread gets the interrupt only when it waits for it")
{
    irq_reset();
    L4_ThreadId_t h = pt_thread(closed_then_open);
    PT_EQ(L4_AssociateInterrupt(irq_id(13), h), 1);
    pt_sleep_us(10);
    raise_irq(13);
    pt_sleep_us(10);
    PT_EQ(pt_shared[2], 0);                 /* still waiting for us */
    L4_LoadMR(0, 0x42UL << 16);             /* label 0x42, no words */
    PT_IPC_OK(L4_Send(h));
    PT_IPC_OK(L4_Receive(h));
    PT_EQ(pt_shared[0], 0x42);
    L4_MsgTag_t tag = { .raw = pt_shared[2] };
    L4_ThreadId_t from = { .raw = pt_shared[1] };
    PT_IRQ_MSG(tag, from, 13);
    PT_EQ(L4_DeassociateInterrupt(irq_id(13)), 1);
}

static void task_handler(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    pt_shared[0] = from.raw;
    pt_shared[1] = tag.raw;
    L4_LoadMR(0, 0);
    pt_shared[2] = L4_IpcFailed(L4_Send(from)) ? L4_ErrorCode() : 0x100;
    tag = L4_Wait(&from);
    pt_shared[3] = from.raw;
    L4_LoadMR(0, 0);
    L4_Send(from);
    pt_park();
}

DEFINE_TEST(IRQ0008, "the handler may be a thread of another (unprivileged) task")
{
    irq_reset();
    L4_ThreadId_t t = pt_task(task_handler);
    PT_EQ(L4_AssociateInterrupt(irq_id(14), t), 1);
    pt_sleep_us(10);
    raise_irq(14);
    pt_sleep_us(10);
    L4_MsgTag_t tag = { .raw = pt_shared[1] };
    L4_ThreadId_t from = { .raw = pt_shared[0] };
    PT_IRQ_MSG(tag, from, 14);
    PT_EQ(pt_shared[2], 0x100);
    raise_irq(14);
    pt_sleep_us(10);
    PT_EQ(pt_shared[3], irq_id(14).raw);
    PT_EQ(L4_DeassociateInterrupt(irq_id(14)), 1);
}

static void task_associate(void)
{
    pt_shared[0] = L4_AssociateInterrupt(irq_id(15), L4_Myself());
    pt_shared[1] = L4_ErrorCode();
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

DEFINE_TEST(IRQ0009, "association errors: no such handler, an interrupt as handler, kernel thread, no privilege")
{
    irq_reset();
    PT_EQ(L4_AssociateInterrupt(irq_id(15), pt_new_id()), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_AssociateInterrupt(irq_id(15), irq_id(14)), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_AssociateInterrupt(L4_GlobalId(16, 1), L4_Myself()), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    PT_EQ(L4_AssociateInterrupt(L4_GlobalId(15, 2), L4_Myself()), 0);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);
    L4_ThreadId_t t = pt_task(task_associate);
    PT_IPC_OK(L4_Receive(t));
    PT_EQ(pt_shared[0], 0);
    PT_EQ(pt_shared[1], L4_ERROR_NO_PRIVILEGE);
    /* none of these took effect */
    raise_irq(15);
    PT_IPC_ERR(poll_irq(15), 1, 1);
    /* the last interrupt thread, 15, works */
    PT_EQ(L4_AssociateInterrupt(irq_id(15), L4_Myself()), 1);
    raise_irq(15);
    PT_IRQ_MSG(poll_irq(15), irq_id(15), 15);
    PT_IPC_OK(ack(15));
    PT_EQ(L4_DeassociateInterrupt(irq_id(15)), 1);
}

DEFINE_TEST(IRQ0010, "a new handler replaces the old one; a deleted handler loses its interrupts")
{
    irq_reset();
    L4_ThreadId_t h = pt_thread(irq_handler);
    PT_EQ(L4_AssociateInterrupt(irq_id(4), L4_Myself()), 1);
    raise_irq(4);                           /* pending with us */
    PT_EQ(L4_AssociateInterrupt(irq_id(4), h), 1);
    PT_IPC_ERR(poll_irq(4), 1, 1);          /* we are not the handler any more */
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 0);                 /* the old raise is not moved over */
    raise_irq(4);
    pt_sleep_us(10);
    PT_EQ(pt_shared[0], 1);
    PT_EQ(pt_shared[1], irq_id(4).raw);
    pt_kill(h);
    raise_irq(4);
    PT_IPC_ERR(poll_irq(4), 1, 1);
    PT_EQ(L4_AssociateInterrupt(irq_id(4), L4_Myself()), 1);
    raise_irq(4);
    PT_IRQ_MSG(poll_irq(4), irq_id(4), 4);
    PT_IPC_OK(ack(4));
    PT_EQ(L4_DeassociateInterrupt(irq_id(4)), 1);
}

DEFINE_TEST(IRQ0011, "Schedule works on an associated interrupt thread: priority, time slice and its state")
{
    irq_reset();
    L4_Word_t old;
    PT_EQ(L4_Schedule(irq_id(3), ~0UL, ~0UL, ~0UL, ~0UL, &old) & 0xff, L4_SCHEDRESULT_ERROR);
    PT_EQ(L4_ErrorCode(), L4_ERROR_INVALID_THREAD);     /* no handler yet */
    PT_EQ(L4_AssociateInterrupt(irq_id(3), L4_Myself()), 1);
    PT_EQ(L4_Schedule(irq_id(3), ~0UL, ~0UL, 50, ~0UL, &old) & 0xff, L4_SCHEDRESULT_INACTIVE);
    PT_EQ(L4_Schedule(irq_id(3), ~0UL, ~0UL, ~0UL, ~0UL, &old) & 0xff, L4_SCHEDRESULT_INACTIVE);
    raise_irq(3);
    PT_EQ(pt_sched_state(irq_id(3)), L4_SCHEDRESULT_PENDING_SEND);
    PT_IRQ_MSG(poll_irq(3), irq_id(3), 3);
    PT_EQ(pt_sched_state(irq_id(3)), L4_SCHEDRESULT_WAITING);    /* for the acknowledgement */
    PT_IPC_OK(ack(3));
    PT_EQ(pt_sched_state(irq_id(3)), L4_SCHEDRESULT_INACTIVE);
    PT_EQ(L4_DeassociateInterrupt(irq_id(3)), 1);
    PT_EQ(L4_Schedule(irq_id(3), ~0UL, ~0UL, ~0UL, ~0UL, &old) & 0xff, L4_SCHEDRESULT_ERROR);
}
