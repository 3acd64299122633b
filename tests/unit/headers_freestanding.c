/* Build check, not a test: every portable l4/ header and <mach/mach.h> must
 * compile the way program modules use them (freestanding, no libc headers),
 * each alone and all together.  tests/unit/CMakeLists.txt builds this as an object. */
#include <l4/types.h>
#include <l4/message.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/misc.h>
#include <l4/kip.h>
#include <l4/sigma0.h>
#include <l4/kdebug.h>
#include <l4/bootinfo.h>
#include <mach/mach.h>
#include <mach.h>

/* Something to compile: a use of the inline calls, so that their bodies are
 * type-checked after inlining at the module optimisation level too. */
L4_Word_t __l4_headers_freestanding_check(L4_ThreadId_t to);
L4_Word_t __l4_headers_freestanding_check(L4_ThreadId_t to)
{
    L4_Msg_t msg;
    L4_MsgTag_t tag;
    void *kip = L4_GetKernelInterface();

    L4_MsgClear(&msg);
    L4_MsgAppendWord(&msg, L4_NumMemoryDescriptors(kip));
    L4_MsgAppendMapItem(&msg, L4_MapItem(L4_Fpage(0x1000, 4096), 0));
    L4_MsgLoad(&msg);
    L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
    tag = L4_Call_Timeouts(to, L4_Never, L4_TimePeriod(1000));
    if (L4_IpcFailed(tag))
        return L4_ErrorCode();
    L4_Yield();
    (void)L4_Flush(L4_Sigma0_GetPage(L4_nilthread, L4_FpageLog2(0x2000, 12)));
    (void)L4_Set_PageAttribute(L4_FpageLog2(0xb8000, 12), L4_UncachedMemory);
    L4_KDB_PrintString("ok");
    return L4_Label(tag) + L4_MyGlobalId().raw + L4_BootInfo(kip) +
           round_page(vm_page_size + KERN_SUCCESS + VM_PROT_ALL + VM_INHERIT_DEFAULT);
}
