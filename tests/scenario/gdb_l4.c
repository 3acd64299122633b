/* gdb_l4: a root task for scenario.gdb_l4 (scripts/gdb/chacmsim.py).  It
 * fills globals of the X.2 types the pretty printers show with known
 * values, puts threads into known states (one receiving from anyone, one
 * sending to a thread that never receives, one sleeping with a timeout,
 * one halted, one blocked in a call to the sleeper), enters the kernel
 * debugger for gdb's breakpoint, and returns 0. */
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

int main(void);

/* what the test prints in gdb (extern, so gdb finds them by name) */
extern L4_ThreadId_t gdb_me, gdb_nil, gdb_any, gdb_anylocal, gdb_local;
extern L4_MsgTag_t gdb_tag, gdb_pf_tag, gdb_err_tag;
extern L4_Fpage_t gdb_fpage, gdb_whole, gdb_nilpage, gdb_io;
extern L4_MapItem_t gdb_map;
extern L4_GrantItem_t gdb_grant;
L4_ThreadId_t gdb_me, gdb_nil, gdb_any, gdb_anylocal, gdb_local;
L4_MsgTag_t gdb_tag, gdb_pf_tag, gdb_err_tag;
L4_Fpage_t gdb_fpage, gdb_whole, gdb_nilpage, gdb_io;
L4_MapItem_t gdb_map;
L4_GrantItem_t gdb_grant;

enum { THREADS = 5, STACK = 8192 };
static char stacks[THREADS][STACK] __attribute__((aligned(16)));
static L4_ThreadId_t tid[THREADS];

static void receiver(void)
{
    L4_ThreadId_t from;
    for (;;)
        L4_Wait(&from);
}

static void sender(void)
{
    L4_LoadMR(0, 0);
    for (;;)
        L4_Send(tid[2]);        /* the sleeper, which never receives from it */
}

static void sleeper(void)
{
    for (;;)
        L4_Sleep(L4_TimePeriod(5000000));
}

static void spinner(void)
{
    for (;;)
        L4_Yield();
}

static void caller(void)
{
    L4_LoadMR(0, 0);
    L4_Call(tid[2]);
    for (;;)
        L4_Sleep(L4_Never);
}

int main(void)
{
    static void (*const fns[THREADS])(void) = { receiver, sender, sleeper, spinner, caller };
    L4_Word_t base = L4_ThreadNo(L4_Myself()) + 1;
    for (unsigned i = 0; i < THREADS; i++) {
        tid[i] = L4_GlobalId(base + i, 1);
        if (lib_thread_create(tid[i], lib_utcb_slot(1 + i), L4_Myself(), fns[i], stacks[i] + STACK))
            return 1;
    }
    L4_Yield();
    L4_Stop(tid[3]);            /* halted */

    gdb_me = L4_Myself();
    gdb_nil = L4_nilthread;
    gdb_any = L4_anythread;
    gdb_anylocal = L4_anylocalthread;
    gdb_local = L4_MyLocalId();
    gdb_tag = (L4_MsgTag_t){ .raw = 0 };
    gdb_tag = L4_MsgTagAddLabel(gdb_tag, 0x51);
    gdb_tag.X.u = 2;
    gdb_tag.X.t = 4;
    gdb_pf_tag = (L4_MsgTag_t){ .raw = ((L4_Word_t)-2 << 20) | 2 << 16 | 2 };     /* -2<<4 | w */
    gdb_err_tag = (L4_MsgTag_t){ .raw = 0x8000 | 0x1000 };
    gdb_fpage = L4_FpageLog2(0x200000, 21);
    L4_Set_Rights(&gdb_fpage, L4_Readable | L4_Writable);
    gdb_whole = L4_CompleteAddressSpace;
    L4_Set_Rights(&gdb_whole, L4_FullyAccessible);
    gdb_nilpage = L4_Nilpage;
    gdb_io = (L4_Fpage_t){ .raw = 0x60UL << 16 | 0UL << 10 | 2 << 4 | 6 };
    gdb_map = L4_MapItem(L4_FpageLog2(0x10000, 12), 0x40000);
    gdb_grant = L4_GrantItem(L4_FpageLog2(0x3000, 12), 0);
    L4_KDB_Enter("gdb_l4: ready");
    return 0;
}
