/* LoadImage: the hosted kernel's one extension of the X.2 API (docs/kernel.md,
 * "Loading program images").  Hosted, a program image is a module image (a
 * shared object) that only the host's dynamic linker can load, so a root
 * task that runs a program from a file hands the file's bytes to the
 * kernel, which has the simulator load a fresh instance, registers it as a
 * program image and returns its entry point: a thread started there runs
 * that instance as its task's program.  Only privileged tasks may call it;
 * servers/lib's loader is its one user.  Every refusal leaves the system as
 * it was and says why on the kernel log. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <l4/hosted/image.h>
#include "kern.h"
#include "kern_boot.h"

static kern_image_loader_fn image_loader;

void kern_set_image_loader(kern_image_loader_fn fn)
{
    image_loader = fn;
}

/* Fails the call: error code in the ErrorCode TCR and the second result. */
static kern_pair_t refuse(unsigned err, const char *name, const char *why)
{
    kern_log("kernel: %s: LoadImage of '%s' refused: %s", kern_self->name, name, why);
    kern_self->utcb[__L4_TCR_ERROR_CODE] = err;
    return (kern_pair_t){ 0, err };
}

/* Copies the guest's name (at most L4_IMAGE_NAME_MAX characters and the
 * NUL) into buf; false if it is unreadable, empty, too long or not a plain
 * name (letters, digits, '_', '-', '.'). */
static bool read_name(const char *s, char *buf)
{
    size_t got = kern_copy_from_guest(buf, s, L4_IMAGE_NAME_MAX + 1);
    void *nul = memchr(buf, 0, got);
    if (!nul || nul == buf)
        return false;
    for (const char *p = buf; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
            return false;
    return true;
}

kern_pair_t kern_sys_load_image(L4_Word_t image, L4_Word_t size, L4_Word_t name);
kern_pair_t kern_sys_load_image(L4_Word_t image, L4_Word_t size, L4_Word_t name)
{
    kern_entry_nocharge();
    char label[L4_IMAGE_NAME_MAX + 1];
    if (!read_name((const char *)name, label))
        return refuse(L4_IMAGE_ERR_INVALID_PARAM, "?",
                      "the name is unreadable, empty, longer than 63 characters or not a plain name");
    if (!kern_self->space || !kern_self->space->privileged)
        return refuse(L4_IMAGE_ERR_NO_PRIVILEGE, label, "the caller is not privileged");
    if (size > L4_IMAGE_SIZE_MAX)
        return refuse(L4_IMAGE_ERR_INVALID_PARAM, label, "the size is above 64 MiB");
    if (!image_loader)
        return refuse(L4_IMAGE_ERR_NO_MEM, label, "this simulator loads no images");
    if (size == 0) {
        /* a fresh instance of the boot program whose entry point image is */
        char why[256];
        bool no_mem = false;
        L4_Word_t entry = image_loader(label, (const void *)image, 0, why, sizeof why, &no_mem);
        if (!entry)
            return refuse(no_mem ? L4_IMAGE_ERR_NO_MEM : L4_IMAGE_ERR_INVALID_PARAM, label, why);
        return (kern_pair_t){ entry, 0 };
    }
    char *copy = malloc(size);
    if (!copy)
        return refuse(L4_IMAGE_ERR_NO_MEM, label, "out of host memory");
    if (kern_copy_from_guest(copy, (const void *)image, size) != size) {
        free(copy);
        return refuse(L4_IMAGE_ERR_INVALID_PARAM, label,
                      "the image is not all readable memory of the caller (its pages must be touched)");
    }
    char why[256];
    bool no_mem = false;
    L4_Word_t entry = image_loader(label, copy, size, why, sizeof why, &no_mem);
    free(copy);
    if (!entry)
        return refuse(no_mem ? L4_IMAGE_ERR_NO_MEM : L4_IMAGE_ERR_INVALID_PARAM, label, why);
    return (kern_pair_t){ entry, 0 };
}
