/* LoadImage, the hosted kernel's program-loading extension (docs/kernel.md,
 * "Loading program images"), through servers/lib's loader: an image handed
 * over in memory becomes a fresh instance that a new task runs; bad images
 * and bad arguments are refused with an error and change nothing; only
 * privileged tasks may load.  The image is image_probe (a data module). */
#include <string.h>
#include <chacm/loader.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/image.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "ptest.h"
#include "task_server.h"

static char image[1 << 20];     /* in this program's image: readable by the kernel */
static char scratch[1 << 20];
static L4_Word_t image_size;

/* Copies the boot list's data module into image[]; its size or 0. */
static L4_Word_t probe_image(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_Module && L4_Module_Size(r) <= sizeof image) {
            memcpy(image, (void *)L4_Module_Start(r), L4_Module_Size(r));
            return image_size = L4_Module_Size(r);
        }
    return 0;
}

/* Runs the instance at entry as a new task (this task its pager and
 * creator): answers its get_cmdline with cmdline and returns the status
 * of its task::exit, or -1. */
static int run(L4_Word_t entry, const char *cmdline)
{
    L4_ThreadId_t t = pt_new_id(), from;
    pt_track(t);
    if (lib_task_create(t, L4_Myself()) || lib_task_start(t, entry, 0))
        return -1;
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(1000000), &from);
    if (L4_IpcFailed(tag) || L4_Label(tag) != task_get_cmdline_LABEL || !L4_IsThreadEqual(from, t))
        return -1;
    task_get_cmdline_reply(t, ESUCCESS, cmdline);
    tag = L4_Wait_Timeout(L4_TimePeriod(1000000), &from);
    if (L4_IpcFailed(tag) || L4_Label(tag) != task_exit_LABEL || !L4_IsThreadEqual(from, t))
        return -1;
    L4_Word_t obj, status;
    L4_StoreMR(1, &obj);
    L4_StoreMR(2, &status);
    pt_kill(t);
    return (int)obj == TASK_SELF ? (int)status : -1;
}

DEFINE_TEST(IMG0001, "an image in memory loads as a fresh instance that a new task runs: it gets its "
                     "command line from its creator and reports main's result; a second load is separate")
{
    PT_ASSERT(probe_image() > 0);
    L4_Word_t e1, e2;
    const char *why;
    PT_EQ(lib_program_load(image, image_size, "image_probe", 0, &e1, &why), ESUCCESS);
    PT_EQ(lib_program_load(image, image_size, "image_probe", 0, &e2, &why), ESUCCESS);
    PT_ASSERT(e1 != 0 && e2 != 0 && e1 != e2);
    PT_EQ(run(e1, "image_probe one two"), 43);
    PT_EQ(run(e2, "image_probe three"), 43);    /* its own globals: runs is 1 again */
}

/* Loads a corrupted copy of the image; the loader's result. */
static int load_bad(L4_Word_t size)
{
    L4_Word_t entry = 1;
    const char *why;
    int rc = lib_program_load(scratch, size, "bad", 0, &entry, &why);
    return rc == ENOTFOUND && entry == 0 ? rc : -rc - 100;
}

/* The offset of the first program header of type type in scratch[]. */
static L4_Word_t phdr_of(unsigned type)
{
    L4_Word_t phoff = *(L4_Word_t *)(scratch + 0x20);
    unsigned phnum = *(uint16_t *)(scratch + 0x38);
    for (unsigned i = 0; i < phnum; i++)
        if (*(uint32_t *)(scratch + phoff + 56 * i) == type)
            return phoff + 56 * i;
    return 0;
}

DEFINE_TEST(IMG0002, "bad images are refused with an error and change nothing: not ELF, truncated, "
                     "another machine, an executable, a segment past the end, a needed library, an initialiser")
{
    PT_ASSERT(probe_image() > 0);
    memcpy(scratch, image, image_size);
    memcpy(scratch, "JUNK", 4);
    PT_EQ(load_bad(image_size), ENOTFOUND);
    memcpy(scratch, image, image_size);
    PT_EQ(load_bad(4096 + 64), ENOTFOUND);      /* the code segment cut short */
    PT_EQ(load_bad(16), ENOTFOUND);
    *(uint16_t *)(scratch + 0x12) = 3;          /* e_machine: i386 */
    PT_EQ(load_bad(image_size), ENOTFOUND);
    memcpy(scratch, image, image_size);
    *(uint16_t *)(scratch + 0x10) = 2;          /* e_type: ET_EXEC */
    PT_EQ(load_bad(image_size), ENOTFOUND);
    memcpy(scratch, image, image_size);
    L4_Word_t load = phdr_of(1);                /* PT_LOAD: p_offset far out */
    PT_ASSERT(load != 0);
    *(L4_Word_t *)(scratch + load + 8) = 1UL << 40;
    PT_EQ(load_bad(image_size), ENOTFOUND);
    memcpy(scratch, image, image_size);
    L4_Word_t dyn = phdr_of(2);                 /* PT_DYNAMIC: its first tag */
    PT_ASSERT(dyn != 0);
    L4_Word_t dynoff = *(L4_Word_t *)(scratch + dyn + 8);
    *(L4_Word_t *)(scratch + dynoff) = 1;       /* DT_NEEDED */
    PT_EQ(load_bad(image_size), ENOTFOUND);
    *(L4_Word_t *)(scratch + dynoff) = 25;      /* DT_INIT_ARRAY */
    PT_EQ(load_bad(image_size), ENOTFOUND);
    /* and the good image still loads and runs */
    L4_Word_t entry;
    const char *why;
    PT_EQ(lib_program_load(image, image_size, "image_probe", 0, &entry, &why), ESUCCESS);
    PT_EQ(run(entry, "image_probe after"), 43);
}

DEFINE_TEST(IMG0003, "bad arguments are refused with InvalidParam: size 0 (not at a boot program) or above 64 MiB, memory the "
                     "caller cannot read, names that are empty, too long, not plain or unreadable")
{
    PT_ASSERT(probe_image() > 0);
    L4_Word_t err = 0;
    PT_EQ(L4_LoadImage(image, 0, "x", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_LoadImage(image, L4_IMAGE_SIZE_MAX + 1, "x", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_LoadImage((void *)8, image_size, "x", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_LoadImage((void *)(lib_usable_end() - 4096), image_size, "x", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_LoadImage(image, image_size, "", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_LoadImage(image, image_size, "a/b", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    char longname[80];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    PT_EQ(L4_LoadImage(image, image_size, longname, &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_LoadImage(image, image_size, (const char *)8, &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
    PT_EQ(L4_ErrorCode(), L4_IMAGE_ERR_INVALID_PARAM);
}

extern void _start(void);

DEFINE_TEST(IMG0005, "size 0 and a boot program's entry point: a fresh instance of that program's module, "
                     "with an entry of its own; size 0 and any other address is refused with InvalidParam")
{
    L4_Word_t err = 1;
    L4_Word_t entry = L4_LoadImage((const void *)_start, 0, "restarted", &err);
    PT_ASSERT(entry != 0);
    PT_EQ(err, 0);
    PT_ASSERT(entry != (L4_Word_t)_start);
    L4_Word_t again = L4_LoadImage((const void *)_start, 0, "restarted", &err);
    PT_ASSERT(again != 0 && again != entry);
    PT_EQ(L4_LoadImage((const void *)((L4_Word_t)_start + 1), 0, "x", &err), 0);
    PT_EQ(err, L4_IMAGE_ERR_INVALID_PARAM);
}

static void unprivileged_load(void)
{
    L4_Word_t err = 0;
    pt_shared[0] = L4_LoadImage(image, image_size, "image_probe", &err);
    pt_shared[1] = err;
    pt_shared[2] = 1;
    pt_park();
}

DEFINE_TEST(IMG0004, "a task that is not privileged may not load images (NoPrivilege)")
{
    PT_ASSERT(probe_image() > 0);
    pt_shared[2] = 0;
    PT_ASSERT(!L4_IsNilThread(pt_task(unprivileged_load)));
    for (int i = 0; i < 100 && !pt_shared[2]; i++)
        pt_sleep_us(1000);
    PT_EQ(pt_shared[2], 1);
    PT_EQ(pt_shared[0], 0);
    PT_EQ(pt_shared[1], L4_IMAGE_ERR_NO_PRIVILEGE);
}
