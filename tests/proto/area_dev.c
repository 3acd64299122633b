/* DEV0xxx: the machine's device bus from a task: port I/O reaches the
 * device models once the task holds the ports (from sigma0), their
 * interrupts arrive as interrupt IPC at the virtual time the model
 * raises them, string I/O moves a buffer in one call, and ports that no
 * model claims read as an open bus.  Booted with sigma0 (dev.lst). */
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/thread.h>

#include <chacm/l4util.h>

#include "ptest.h"

#define PIT 0x40
#define COM1 0x3F8
#define IRQ_LABEL ((~0UL << 4) & (~0UL >> 16))

static L4_ThreadId_t irq_id(unsigned n)
{
    return L4_GlobalId(n, 1);
}

static bool get_ports(L4_Word_t base, int log2)
{
    return L4_IsIoFpage(L4_Sigma0_GetPage(L4_nilthread, L4_IoFpageLog2(base, log2)));
}

DEFINE_TEST(DEV0001, "COM1's scratch register keeps what the task writes; a port no model claims reads all ones")
{
    PT_ASSERT(get_ports(COM1, 3));
    outb(COM1 + 7, 0xA5);
    PT_EQ(inb(COM1 + 7), 0xA5);
    outb(COM1 + 7, 0x3C);
    PT_EQ(inb(COM1 + 7), 0x3C);
    PT_EQ(inb(COM1 + 5) & 0x60, 0x60);              /* LSR: transmitter empty */
    PT_ASSERT(get_ports(0x2F8, 3));                 /* COM2: no model */
    PT_EQ(inb(0x2F8), 0xFF);
    PT_EQ(inw(0x2F8), 0xFFFF);
    PT_EQ(inl(0x2F8 + 4), 0xFFFFFFFFu);
}

DEFINE_TEST(DEV0002, "the PIT's one-shot counter raises IRQ 0 at its terminal count on the virtual clock, as interrupt IPC")
{
    PT_ASSERT(get_ports(PIT, 2));
    L4_DeassociateInterrupt(irq_id(0));
    PT_EQ(L4_AssociateInterrupt(irq_id(0), L4_Myself()), 1);
    L4_Word_t t0 = (L4_Word_t)L4_SystemClock().raw;
    outb(PIT + 3, 0x30);                            /* counter 0, LSB then MSB, mode 0 */
    outb(PIT, 0x9c);
    outb(PIT, 0x2e);                                /* 11932 ticks: 10 ms */
    PT_IPC_ERR(L4_Receive_Timeout(irq_id(0), L4_ZeroTime), 1, 1);  /* not yet */
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(1000000), &from);
    PT_IPC_OK(tag);
    PT_EQ(from.raw, irq_id(0).raw);
    PT_EQ(L4_Label(tag), IRQ_LABEL);
    L4_Word_t dt = (L4_Word_t)L4_SystemClock().raw - t0;
    PT_ASSERT(dt >= 10000 && dt < 10100);
    L4_LoadMR(0, 0);
    PT_IPC_OK(L4_Send(irq_id(0)));                  /* acknowledge */
    /* one-shot: nothing more */
    PT_IPC_ERR(L4_Receive_Timeout(irq_id(0), L4_TimePeriod(50000)), 1, 1);
    PT_EQ(L4_DeassociateInterrupt(irq_id(0)), 1);
}

DEFINE_TEST(DEV0003, "the PIT's rate generator interrupts at its rate: 10 acknowledged interrupts in 10 periods")
{
    PT_ASSERT(get_ports(PIT, 2));
    L4_DeassociateInterrupt(irq_id(0));
    PT_EQ(L4_AssociateInterrupt(irq_id(0), L4_Myself()), 1);
    L4_Word_t t0 = (L4_Word_t)L4_SystemClock().raw;
    outb(PIT + 3, 0x34);                            /* mode 2 */
    outb(PIT, 0xa9);
    outb(PIT, 0x04);                                /* 1193 ticks: 1 ms */
    for (int k = 0; k < 10; k++) {
        L4_ThreadId_t from;
        PT_IPC_OK(L4_Wait_Timeout(L4_TimePeriod(100000), &from));
        PT_EQ(from.raw, irq_id(0).raw);
        L4_LoadMR(0, 0);
        PT_IPC_OK(L4_Send(irq_id(0)));
    }
    L4_Word_t dt = (L4_Word_t)L4_SystemClock().raw - t0;
    PT_ASSERT(dt >= 9990 && dt < 10200);
    outb(PIT + 3, 0x30);                            /* stop: mode 0 without a count */
    PT_EQ(L4_DeassociateInterrupt(irq_id(0)), 1);
    /* a raise pending from the last period is dropped with the handler */
}

DEFINE_TEST(DEV0004, "string I/O: outsb and insb move 16 bytes through COM1's FIFO in loopback")
{
    PT_ASSERT(get_ports(COM1, 3));
    outb(COM1 + 3, 0x80);
    outb(COM1, 1);
    outb(COM1 + 1, 0);
    outb(COM1 + 3, 0x03);
    outb(COM1 + 2, 0x07);                           /* FIFO on, cleared */
    outb(COM1 + 4, 0x13);                           /* loopback */
    static char out[16] = "0123456789abcdef", in[16];
    outsb(COM1, out, 16);
    PT_EQ(inb(COM1 + 5) & 1, 1);
    insb(COM1, in, 16);
    for (int k = 0; k < 16; k++)
        PT_EQ(in[k], out[k]);
    PT_EQ(inb(COM1 + 5) & 1, 0);
    outb(COM1 + 4, 0x03);
}

DEFINE_TEST(DEV0005, "COM1 raises IRQ 4 for received data (loopback) with OUT2 set; reading the byte ends the condition")
{
    PT_ASSERT(get_ports(COM1, 3));
    L4_DeassociateInterrupt(irq_id(4));
    PT_EQ(L4_AssociateInterrupt(irq_id(4), L4_Myself()), 1);
    outb(COM1 + 2, 0x00);                           /* no FIFO */
    outb(COM1 + 4, 0x1B);                           /* loopback, OUT2 */
    outb(COM1 + 1, 0x01);                           /* received data interrupt */
    outb(COM1, 'z');
    L4_ThreadId_t from;
    PT_IPC_OK(L4_Wait_Timeout(L4_TimePeriod(100000), &from));
    PT_EQ(from.raw, irq_id(4).raw);
    PT_EQ(inb(COM1 + 2) & 0x0f, 0x04);
    PT_EQ(inb(COM1), 'z');
    PT_EQ(inb(COM1 + 2) & 0x0f, 0x01);
    L4_LoadMR(0, 0);
    PT_IPC_OK(L4_Send(irq_id(4)));
    outb(COM1 + 1, 0);
    outb(COM1 + 4, 0x03);
    PT_EQ(L4_DeassociateInterrupt(irq_id(4)), 1);
}


DEFINE_TEST(DEV0006, "string I/O with a buffer outside the caller's space (the system call itself, without the "
                     "inline helpers' touch): ins into the boot information writes nothing there, outs from an "
                     "unmapped address sends nothing")
{
    PT_ASSERT(get_ports(COM1, 3));
    outb(COM1 + 2, 0x07);                           /* FIFO on, cleared */
    outb(COM1 + 4, 0x13);                           /* loopback */
    static char out[16] = "0123456789abcdef";
    outsb(COM1, out, 16);
    PT_EQ(inb(COM1 + 5) & 1, 1);
    /* the last 16 bytes of the boot information's first page: every task
     * may read them, none may write them, the kernel neither */
    volatile unsigned char *bi = (volatile unsigned char *)((L4_BootInfo(L4_GetKernelInterface()) | 0xfff) - 15);
    unsigned char before[16];
    for (int k = 0; k < 16; k++)
        before[k] = bi[k];
    __L4_hosted_ins(COM1, (void *)bi, 16, 1);
    for (int k = 0; k < 16; k++)
        PT_EQ(bi[k], before[k]);
    outb(COM1 + 2, 0x07);                           /* whatever ins left: cleared */
    __L4_hosted_outs(COM1, (const void *)(lib_usable_end() - 0x400000), 16, 1);
    PT_EQ(inb(COM1 + 5) & 1, 0);
    outb(COM1 + 4, 0x03);
}
