/* Hosted program images: a module image (an ELF shared object for the
 * host), which only the host's dynamic linker can load.  The kernel's
 * LoadImage extension (<l4/image.h>, docs/kernel.md) makes a fresh
 * instance of it and returns its entry point; the task's memory at memsvr
 * is not involved (code and static data live in the instance). */
#include <l4/image.h>

#include "../../arch.h"
#include "generic_client.h"

int lib_arch_load(const void *image, size_t size, const char *name, task_t memtask, L4_Word_t *entry,
                  const char **why)
{
    (void)memtask;
    L4_Word_t err = 0;
    *entry = L4_LoadImage(image, size, name, &err);
    if (*entry)
        return ESUCCESS;
    switch (err) {
    case L4_IMAGE_ERR_NO_PRIVILEGE:
        *why = "the caller may not load programs";
        return EDENIED;
    case L4_IMAGE_ERR_NO_MEM:
        *why = "no room for another program";
        return EFULL;
    default:
        *why = "not a program image (a module for this host); the kernel log says why";
        return ENOTFOUND;
    }
}
