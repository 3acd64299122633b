/* IDL01xx: kernel messages declared in IDL (kmsg.idl) served by the
 * generated dispatch loop inside the simulator: a task paged by that loop
 * faults, calls it and raises an exception; an interrupt reaches it too;
 * all of it in one loop that also answers ordinary calls. */
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <chacm/thread.h>

#include "kmsg_server.h"
#include "ptest.h"
#include "pt_mem.h"

#define MiB (1UL << 20)
#define TOUCH_OFFSET (4 * MiB)
#define TESTDEV_RAISE 0xF0
#define IRQ 5

static km_seen seen;
static L4_Word_t page, resume_ip, resume_sp;
static km_pager_buffers_t bufs;

/* ---- the server: one generated loop ---- */

static void do_pagefault(L4_Word_t addr, L4_Word_t ip, short rwx, L4_MapItem_t *p, chacm_srvenv_t *env)
{
    (void)env;
    seen.fault_addr = addr;
    seen.fault_ip = ip;
    seen.fault_rwx = rwx;
    seen.faults++;
    *p = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible), addr & ~0xfffUL);
}

static void do_interrupt(chacm_srvenv_t *env)
{
    (void)env;
    seen.interrupts++;
}

static void do_exception(km_regs *regs, chacm_srvenv_t *env)
{
    (void)env;
    seen.exceptions++;
    seen.exc_addr = regs->addr;
    seen.exc_trapno = regs->trapno;
    regs->rip = resume_ip;
    regs->rsp = resume_sp;
}

static int do_start(L4_ThreadId_t t, L4_Word_t ip, L4_Word_t sp, chacm_srvenv_t *env)
{
    (void)env;
    return (int)lib_task_start(t, ip, sp);
}

static void do_set_resume(L4_Word_t ip, L4_Word_t sp, chacm_srvenv_t *env)
{
    (void)env;
    resume_ip = ip;
    resume_sp = sp;
}

static void do_seen(km_seen *s, chacm_srvenv_t *env)
{
    (void)env;
    *s = seen;
}

static const km_pager_ops_t ops = {
    .km_pager_pagefault = do_pagefault, .km_pager_interrupt = do_interrupt,
    .km_pager_exception = do_exception, .km_pager_start = do_start,
    .km_pager_set_resume = do_set_resume, .km_pager_seen = do_seen,
};

static void server(void)
{
    page = pm_page(12);
    if (!page)
        pt_park();
    *(volatile L4_Word_t *)page = 0x600d;
    km_pager_serve(&ops, &bufs, NULL);
    pt_park();
}

/* ---- the paged task ---- */

static void resumed(void)
{
    L4_LoadMR(0, 0);
    L4_Send(pt_main_id);
    pt_park();
}

/* Reads the page the server maps, asks the server what it saw (a call in
 * the same loop), then touches another task's window with the server as
 * its exception handler.  pt_shared[0]: the server's id; [1]: an address
 * outside this task's window. */
static void client(void)
{
    L4_ThreadId_t srv = { .raw = pt_shared[0] };
    pt_shared[2] = *(volatile L4_Word_t *)(lib_usable_base() + TOUCH_OFFSET);
    chacm_env_t env = { 0 };
    km_seen s;
    km_pager_seen(srv, &s, &env);
    pt_shared[3] = env.error == CHACM_IDL_OK ? (L4_Word_t)s.faults : ~0UL;
    pt_shared[4] = s.fault_addr - lib_usable_base();
    pt_shared[5] = (L4_Word_t)s.fault_rwx;
    L4_Set_ExceptionHandler(srv);
    pt_shared[6] = *(volatile L4_Word_t *)pt_shared[1];
    pt_shared[7] = 1;           /* never reached: the exception resumes elsewhere */
    pt_park();
}

static L4_ThreadId_t start_server(void)
{
    L4_ThreadId_t srv = pt_task(server);
    chacm_env_t env = { 0 };
    km_seen s;
    km_pager_seen(srv, &s, &env);     /* it is up and serving */
    return env.error == CHACM_IDL_OK ? srv : L4_nilthread;
}

DEFINE_TEST(IDL0101, "a task paged by a generated loop faults, calls it and raises an exception, all in that loop")
{
    memset(&seen, 0, sizeof seen);
    L4_ThreadId_t srv = start_server();
    PT_ASSERT(!L4_IsNilThread(srv));
    pt_shared[0] = srv.raw;
    pt_shared[1] = lib_usable_base() + 0x321000;        /* in our window */
    L4_ThreadId_t c = pt_new_id();
    PT_EQ(lib_task_create(c, srv), 0);
    pt_track(c);
    chacm_env_t env = { 0 };
    km_pager_set_resume(srv, (L4_Word_t)resumed, (L4_Word_t)pt_stack_top() - 8, &env);
    PT_EQ(env.error, CHACM_IDL_OK);
    PT_EQ(km_pager_start(srv, c, (L4_Word_t)client, (L4_Word_t)pt_stack_top(), &env), 0);
    PT_EQ(env.error, CHACM_IDL_OK);
    PT_IPC_OK(L4_Receive_Timeout(c, L4_TimePeriod(1000000)));
    PT_EQ(pt_shared[2], 0x600d);                        /* the server's page */
    PT_EQ(pt_shared[3], 1);
    PT_EQ(pt_shared[4], TOUCH_OFFSET);
    PT_EQ(pt_shared[5], L4_Readable);
    PT_EQ(pt_shared[7], 0);
    km_seen s;
    km_pager_seen(srv, &s, &env);
    PT_EQ(s.exceptions, 1);
    PT_EQ(s.exc_trapno, 14);
    PT_EQ(s.exc_addr, pt_shared[1]);
}

DEFINE_TEST(IDL0102, "interrupts reach the generated loop, and its reply acknowledges each one")
{
    memset(&seen, 0, sizeof seen);
    L4_ThreadId_t srv = start_server();
    PT_ASSERT(!L4_IsNilThread(srv));
    L4_ThreadId_t irq = L4_GlobalId(IRQ, 1);
    PT_EQ(L4_ThreadControl(irq, irq, L4_nilthread, srv, (void *)-1UL), 1);
    chacm_env_t env = { 0 };
    km_seen s;
    for (int i = 1; i <= 3; i++) {
        outb(TESTDEV_RAISE, IRQ);
        pt_sleep_us(100);
        km_pager_seen(srv, &s, &env);
        PT_EQ(env.error, CHACM_IDL_OK);
        PT_EQ(s.interrupts, i);         /* a second raise arrives only once the first was acknowledged */
    }
    L4_ThreadControl(irq, irq, L4_nilthread, irq, (void *)-1UL);
}

DEFINE_TEST(IDL0103, "a kernel-message label the server does not declare, or the wrong shape, gets an error reply")
{
    L4_ThreadId_t srv = start_server();
    PT_ASSERT(!L4_IsNilThread(srv));
    /* a preemption message (-3<<4): not declared */
    L4_LoadMR(0, (lib_proto_label(-3) << 16));
    L4_MsgTag_t tag = L4_Call(srv);
    PT_IPC_OK(tag);
    PT_EQ(L4_Label(tag), CHACM_IDL_EUNKNOWN);
    /* a page fault with one word instead of two */
    L4_LoadMR(1, 0x1000);
    L4_LoadMR(0, ((lib_proto_label(-2) | 4) << 16) | 1);
    tag = L4_Call(srv);
    PT_IPC_OK(tag);
    PT_EQ(L4_Label(tag), CHACM_IDL_EMALFORMED);
    /* and the loop still serves */
    chacm_env_t env = { 0 };
    km_seen s;
    km_pager_seen(srv, &s, &env);
    PT_EQ(env.error, CHACM_IDL_OK);
}
