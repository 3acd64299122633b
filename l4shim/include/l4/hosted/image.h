/* Hosted arch: LoadImage, the hosted kernel's one extension of the X.2 API
 * (docs/kernel.md, "Loading program images").  A privileged task hands the
 * kernel a program image (a module image: an ELF shared object for this
 * host) in its own memory; the kernel loads a fresh instance of it with
 * its own code and data, registers it as a program image, and returns its
 * entry point.  A task whose first thread starts there runs that instance.
 * Only servers/lib's program loader (servers/lib/arch/hosted) calls it. */
#ifndef __L4__HOSTED__IMAGE_H__
#define __L4__HOSTED__IMAGE_H__

#include <l4/types.h>

/* Longest instance name (letters, digits, '_', '-', '.'), without the NUL. */
#define L4_IMAGE_NAME_MAX 63
/* Largest image in bytes. */
#define L4_IMAGE_SIZE_MAX (64UL << 20)

/* Error codes (also in the ErrorCode TCR), with X.2's values. */
#define L4_IMAGE_ERR_NO_PRIVILEGE   1   /* the caller is not a privileged task */
#define L4_IMAGE_ERR_INVALID_PARAM  5   /* bad name, size, unreadable memory, or not a program image */
#define L4_IMAGE_ERR_NO_MEM         8   /* the simulator cannot load it */

/* Two words back in registers, as the other calls with two results. */
typedef struct { L4_Word_t entry, error; } __L4_hosted_image_t;
extern __L4_hosted_image_t __L4_hosted_LoadImage(L4_Word_t image, L4_Word_t size, const char *name);

/* Loads image[0..size) as a new instance named name.  Returns its entry
 * point, or 0 with *err set to one of the codes above (the kernel log says
 * what was wrong).  The image's pages must have been touched: the kernel
 * copies it without page faults.  Size 0 with image the entry point of a
 * boot program loads a fresh instance of that program's module file (a
 * root task restarting a boot program from its image). */
static inline L4_Word_t L4_LoadImage(const void *image, L4_Word_t size, const char *name, L4_Word_t *err)
{
    __L4_hosted_image_t r = __L4_hosted_LoadImage((L4_Word_t)image, size, name);
    *err = r.error;
    return r.entry;
}

#endif /* !__L4__HOSTED__IMAGE_H__ */
