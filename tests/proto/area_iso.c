/* Protocol tests of isolation between tasks (docs/kernel.md, deviation 3):
 * with protection keys a load, store or jump by one task into another
 * task's memory is what a real kernel gives for an address outside the
 * space, an exception (label -5<<4: MR3 14, MR4 the error code, MR5 the
 * address), never the other task's data; the same accesses in the own task
 * work.  The kernel's own memory is out of reach with strict isolation
 * (KIP feature "isolation-strict"). */
#include <l4/bootinfo.h>
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>
#include "ptest.h"
#include "pt_mem.h"

#define ISO_MAGIC 0x150150150UL
#define ISO_TASKS 40
#define ERR_READ 0
#define ERR_WRITE 2
#define ERR_FETCH 0x10
/* the test device's words of kernel memory (l4shim/hosted/devices.c) */
#define TESTDEV_KWORD 0xE0
#define TESTDEV_KWORD_LO 0xE4
#define TESTDEV_KWORD_HI 0xE8
#define TESTDEV_KWORD_VAL 0xEC
#define TESTDEV_CANARY 0x15015015UL

/* pt_shared[0]: the address to touch; [1]: what kind (0 read, 1 write,
 * 2 jump); [3]: what a read saw; [4]: 1 once the access completed; [6]:
 * non-zero to take the kernel's long IPC path first (a receive with a
 * timeout: the kernel allows every key there, and the IPC stub's exit
 * must give the thread its own keys back). */
static void toucher(void)
{
    L4_Set_ExceptionHandler(pt_main_id);
    if (pt_shared[6])
        L4_Sleep(L4_TimePeriod(1000));
    volatile L4_Word_t *p = (volatile L4_Word_t *)pt_shared[0];
    if (pt_shared[1] == 0)
        pt_shared[3] = *p;
    else if (pt_shared[1] == 1)
        *p = 0xbad;
    else
        pt_shared[3] = ((L4_Word_t (*)(void))pt_shared[0])();
    pt_shared[4] = 1;
    pt_park();
}

/* Starts a toucher task on addr and receives its exception into w[0..4];
 * false if none came (the access went through, or no message).  The task
 * is deleted now (kill) or when the case ends. */
static bool touch(L4_Word_t addr, L4_Word_t kind, L4_Word_t w[5], bool kill)
{
    pt_shared[0] = addr;
    pt_shared[1] = kind;
    pt_shared[3] = 0;
    pt_shared[4] = 0;
    L4_ThreadId_t t = pt_task(toucher);
    bool exc = pt_receive_exception(t, 100000, w);
    pt_shared[6] = 0;
    if (kill)
        pt_kill(t);
    return exc;
}

/* A page of this task's window, installed for reads and writes. */
static L4_Word_t own_page(void)
{
    L4_Word_t page = pm_page(12);
    if (page)
        *(volatile L4_Word_t *)page = ISO_MAGIC;
    return page;
}

DEFINE_TEST(ISO0001, "a load from a page another task holds and has touched is an exception, not its data")
{
    L4_Word_t page = own_page(), w[5];
    PT_ASSERT(page);
    PT_ASSERT(touch(page + 8, 0, w, true));
    PT_EQ(w[2], 14);
    PT_EQ(w[3], ERR_READ);
    PT_EQ(w[4], page + 8);
    PT_EQ(pt_shared[4], 0);
    PT_EQ(pt_shared[3], 0);
}

DEFINE_TEST(ISO0002, "a store into another task's page is an exception and leaves the page as it was")
{
    L4_Word_t page = own_page(), w[5];
    PT_ASSERT(page);
    PT_ASSERT(touch(page, 1, w, true));
    PT_EQ(w[2], 14);
    PT_EQ(w[3], ERR_WRITE);
    PT_EQ(w[4], page);
    PT_EQ(*(volatile L4_Word_t *)page, ISO_MAGIC);
}

DEFINE_TEST(ISO0003, "a jump into another task's page that it has not executed is an exception (fetch)")
{
    L4_Word_t page = own_page(), w[5];
    PT_ASSERT(page);
    PT_ASSERT(touch(page, 2, w, true));
    PT_EQ(w[2], 14);
    PT_EQ(w[3], ERR_FETCH);
    PT_EQ(w[4], page);
    PT_EQ(pt_shared[4], 0);
}

/* sigma0's boot record (the first), NULL if it is not a program. */
static L4_BootRec_t *sigma0_rec(void)
{
    void *bi = (void *)L4_BootInfo(L4_GetKernelInterface());
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    return L4_BootRec_Type(r) == L4_BootInfo_SimpleExec ? r : (L4_BootRec_t *)0;
}

/* sigma0's entry point: code of another program's module instance. */
static L4_Word_t sigma0_code(void)
{
    L4_BootRec_t *r = sigma0_rec();
    return r ? L4_SimpleExec_InitialIP(r) : 0;
}

DEFINE_TEST(ISO0004, "a load from another program's module instance (sigma0's code) is an exception")
{
    L4_Word_t code = sigma0_code(), w[5];
    PT_ASSERT(code);
    PT_ASSERT(touch(code, 0, w, true));
    PT_EQ(w[2], 14);
    PT_EQ(w[3], ERR_READ);
    PT_EQ(w[4], code);
    PT_EQ(pt_shared[4], 0);
}

static L4_Word_t own_global = ISO_MAGIC;

static L4_Word_t returns_42(void)
{
    return 42;
}

/* A thread of this task: reads and writes its window page and globals and
 * calls its own code. */
static void own_worker(void)
{
    volatile L4_Word_t *p = (volatile L4_Word_t *)pt_shared[0];
    pt_shared[3] = *p + *(volatile L4_Word_t *)&own_global;
    *p = 7;
    own_global = 8;
    pt_shared[5] = ((L4_Word_t (*)(void))pt_shared[2])();
    pt_shared[4] = 1;
    pt_park();
}

DEFINE_TEST(ISO0005, "loads, stores and calls within the own task and its own program work")
{
    L4_Word_t page = own_page();
    PT_ASSERT(page);
    pt_shared[0] = page;
    pt_shared[2] = (L4_Word_t)returns_42;
    pt_shared[4] = 0;
    own_global = ISO_MAGIC;
    L4_ThreadId_t t = pt_thread(own_worker);
    L4_ThreadSwitch(t);
    PT_EQ(pt_shared[4], 1);
    PT_EQ(pt_shared[3], 2 * ISO_MAGIC);
    PT_EQ(*(volatile L4_Word_t *)page, 7);
    PT_EQ(own_global, 8);
    PT_EQ(pt_shared[5], 42);
}

static const L4_Word_t err_of_kind[3] = { ERR_READ, ERR_WRITE, ERR_FETCH };

/* ISO_TASKS toucher tasks, all alive until the case ends, each doing kind
 * at addr: every one must get the exception. */
static void touch_many(L4_Word_t addr, unsigned kind)
{
    for (unsigned i = 0; i < ISO_TASKS; i++) {
        L4_Word_t w[5];
        PT_ASSERT(touch(addr, kind, w, false));
        PT_EQ(w[2], 14);
        PT_EQ(w[3], err_of_kind[kind]);
        PT_EQ(w[4], addr);
        PT_EQ(pt_shared[4], 0);
    }
}

DEFINE_TEST(ISO0006, "40 tasks at once, more than there are keys: a load from this task's page is an exception "
                     "for every one of them (keys move to the tasks that run, docs/kernel.md)")
{
    L4_Word_t page = own_page();
    PT_ASSERT(page);
    touch_many(page, 0);
    if (pt_failed())
        return;
    PT_EQ(*(volatile L4_Word_t *)page, ISO_MAGIC);
}

/* A word of the kernel's memory (0 static data, 1 heap, 2 a kernel
 * stack), set to TESTDEV_CANARY by the test device. */
static L4_Word_t kernel_word(unsigned which)
{
    outl(TESTDEV_KWORD, which);
    return (L4_Word_t)inl(TESTDEV_KWORD_LO) | (L4_Word_t)inl(TESTDEV_KWORD_HI) << 32;
}

DEFINE_TEST(ISO0007, "the kernel's static data, heap and stacks: with strict isolation a load, store or jump is an "
                     "exception and the word stays; otherwise loads and stores reach it, a jump faults (no-execute)")
{
    bool strict = L4_HasFeature("isolation-strict");
    for (unsigned which = 0; which < 3; which++) {
        for (unsigned kind = 0; kind < 3; kind++) {
            L4_Word_t a = kernel_word(which), w[5];
            PT_ASSERT(a);
            bool exc = touch(a, kind, w, true);
            if (strict || kind == 2) {
                PT_ASSERT(exc);
                PT_EQ(w[2], 14);
                PT_EQ(w[3], err_of_kind[kind]);
                PT_EQ(w[4], a);
                PT_EQ(pt_shared[4], 0);
                PT_EQ(inl(TESTDEV_KWORD_VAL), TESTDEV_CANARY);
            } else {
                PT_ASSERT(!exc);
                PT_EQ(pt_shared[4], 1);
                if (kind == 0)
                    PT_EQ(pt_shared[3], TESTDEV_CANARY);
                else
                    PT_EQ(inl(TESTDEV_KWORD_VAL), 0xbad);
            }
        }
    }
}

DEFINE_TEST(ISO0008, "a jump into another program's code (sigma0's entry) runs it with the jumper's rights only: "
                     "its first store into sigma0's memory (its stack) is an exception; sigma0 works on")
{
    PT_ASSERT(L4_HasFeature("isolation"));
    L4_BootRec_t *r = sigma0_rec();
    PT_ASSERT(r);
    L4_Word_t code = L4_SimpleExec_InitialIP(r), w[5];
    L4_Word_t data = L4_SimpleExec_DataVstart(r), size = L4_SimpleExec_DataSize(r);
    PT_ASSERT(data && size);
    PT_ASSERT(touch(code, 2, w, true));
    PT_EQ(w[2], 14);
    PT_EQ(w[3], ERR_WRITE);
    PT_ASSERT(w[4] >= data && w[4] < data + size);
    PT_ASSERT(w[0] >= L4_SimpleExec_TextVstart(r) && w[0] < L4_SimpleExec_TextVstart(r) + L4_SimpleExec_TextSize(r));
    PT_EQ(pt_shared[4], 0);
    PT_ASSERT(own_page());          /* sigma0 still serves */
}

DEFINE_TEST(ISO0009, "a load, store or jump into another program's globals (sigma0's bss) is an exception; "
                     "sigma0 works on")
{
    PT_ASSERT(L4_HasFeature("isolation"));
    L4_BootRec_t *r = sigma0_rec();
    PT_ASSERT(r);
    /* the last word of sigma0's data and bss: writable, never read-only */
    L4_Word_t a = (L4_SimpleExec_DataVstart(r) + L4_SimpleExec_DataSize(r) - 8) & ~7UL, w[5];
    PT_ASSERT(L4_SimpleExec_DataSize(r) >= 8);
    for (unsigned kind = 0; kind < 3; kind++) {
        PT_ASSERT(touch(a, kind, w, true));
        PT_EQ(w[2], 14);
        PT_EQ(w[3], err_of_kind[kind]);
        PT_EQ(w[4], a);
        PT_EQ(pt_shared[4], 0);
    }
    PT_ASSERT(own_page());
}

DEFINE_TEST(ISO0010, "40 tasks at once: a store into another program's globals (sigma0's bss) is an exception "
                     "for every one of them; sigma0 works on")
{
    L4_BootRec_t *r = sigma0_rec();
    PT_ASSERT(r && L4_SimpleExec_DataSize(r) >= 8);
    L4_Word_t a = (L4_SimpleExec_DataVstart(r) + L4_SimpleExec_DataSize(r) - 8) & ~7UL;
    touch_many(a, 1);
    if (pt_failed())
        return;
    PT_ASSERT(own_page());
}

DEFINE_TEST(ISO0011, "after the kernel's long IPC path (a receive with a timeout) a load, store or jump into another "
                     "task's page is still an exception: the IPC exit gives the thread its own keys back")
{
    L4_Word_t page = own_page(), w[5];
    PT_ASSERT(page);
    for (L4_Word_t kind = 0; kind < 3; kind++) {
        pt_shared[6] = 1;
        PT_ASSERT(touch(page, kind, w, true));
        PT_EQ(w[2], 14);
        PT_EQ(w[3], err_of_kind[kind]);
        PT_EQ(w[4], page);
        PT_EQ(pt_shared[4], 0);
    }
    PT_EQ(*(volatile L4_Word_t *)page, ISO_MAGIC);
}
