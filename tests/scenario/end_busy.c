/* end_busy: a root task that keeps the kernel busy until the real-time
 * limit ends the run, so that the end of the run meets kernel code in
 * progress.  Usage: end_busy MODE, as the root task:
 *   print    enters the kernel again and again, and prints a line through
 *            the kernel debugger every 1000 entries (so that anything the
 *            CPU does after the end shows);
 *   threads  creates a thread, lets it run and deletes it, again and again
 *            (the thread table changes all the time);
 *   compute  computes without entering the kernel;
 *   load     (boot list: sigma0, end_busy load, a program image as a data
 *            module) loads the image again and again until the kernel's
 *            table of program segments is full: from then on every load
 *            is refused with NoMem (the kernel panicked before); returns 0
 *            then, 1 for another refusal, 2 if no load is refused;
 *   locked   sends a string to a thread whose receive buffer is an
 *            unmapped page of the window, whose pager never receives: the
 *            transfer waits for that page fault for ever, the sender
 *            locked in it, and the run ends in a deadlock report.
 * Except "load", it never returns: only the real-time limit (or the
 * deadlock) ends it. */
#include <stdio.h>
#include <string.h>
#include <l4/bootinfo.h>
#include <l4/hosted/image.h>
#include <l4/kdebug.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <chacm/l4util.h>
#include <chacm/thread.h>

int main(int argc, char **argv);

static char image[1 << 20];     /* in this program's image: readable by the kernel */
static char stack[8192] __attribute__((aligned(16)));
static char stack2[8192] __attribute__((aligned(16)));
static char src[64];

/* Copies the boot list's data module into image[]; its size or 0. */
static L4_Word_t copy_image(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_Module && L4_Module_Size(r) <= sizeof image) {
            memcpy(image, (void *)L4_Module_Start(r), L4_Module_Size(r));
            return L4_Module_Size(r);
        }
    return 0;
}

/* Loads the image until a load is refused; see the header. */
static int load_until_refused(void)
{
    L4_Word_t size = copy_image(), err = 0;
    if (!size)
        return 3;
    for (unsigned n = 0; n < 100000; n++) {
        if (L4_LoadImage(image, size, "end_busy_image", &err))
            continue;
        printf("end_busy: load %u refused with error %lu\n", n + 1, err);
        if (err != L4_IMAGE_ERR_NO_MEM || n < 100)
            return 1;
        if (L4_LoadImage(image, size, "end_busy_image", &err) || err != L4_IMAGE_ERR_NO_MEM)
            return 1;
        printf("end_busy: the next load too\n");
        return 0;
    }
    return 2;
}

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
    if (!strcmp(mode, "load"))
        return load_until_refused();
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
