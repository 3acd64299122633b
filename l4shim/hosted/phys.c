/* Physical memory: one memfd of the configured size.  Frame n is the page
 * at offset n * 4 KiB; a mapping of it into a window is an mmap of that
 * offset, so every space that maps a frame shares it, as on hardware.
 * Device memory (the VGA text buffer at 0xB8000) is part of the same file,
 * so a device model reads it through the kernel's own view. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/kip.h>
#include "kern_mem.h"

kern_phys_t kern_phys = { .fd = -1 };

void kern_phys_init(L4_Word_t size)
{
    size &= ~(KERN_PAGE_SIZE - 1);
    if (size < 2 * KERN_PHYS_RESERVED_END)
        size = 2 * KERN_PHYS_RESERVED_END;
    int fd = memfd_create("chacmsim-physical", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
        kern_panic("cannot create %lu MiB of physical memory", size >> 20);
    void *view = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (view == MAP_FAILED)
        kern_panic("cannot map physical memory into the kernel");
    kern_phys.fd = fd;
    kern_phys.size = size;
    kern_phys.nframes = size >> KERN_PAGE_BITS;
    kern_phys.view = view;
}

void *kern_phys_ptr(L4_Word_t pa)
{
    return pa < kern_phys.size ? kern_phys.view + pa : NULL;
}

static void desc(L4_Word_t *md, unsigned type, L4_Word_t low, L4_Word_t high)
{
    L4_MemoryDesc_t d;
    memset(&d, 0, sizeof d);
    d.x.type = type;
    d.x.v = 0;
    d.x.low = low >> 10;
    d.x.high = high >> 10;
    md[0] = d.raw[0];
    md[1] = d.raw[1];
}

/* The physical map: all of the memfd is conventional memory; the first
 * 2 MiB are reserved (a PC's legacy area and, on a real machine, the
 * kernel image at 1 MiB); the VGA text buffer is dedicated device memory
 * inside that range.  Later descriptors take precedence, as sigma0 reads
 * them. */
unsigned kern_phys_memdesc(L4_Word_t *md, unsigned max)
{
    if (max < 3)
        return 0;
    desc(md + 0, L4_ConventionalMemoryType, 0, kern_phys.size - 1);
    desc(md + 2, L4_ReservedMemoryType, 0, KERN_PHYS_RESERVED_END - 1);
    desc(md + 4, L4_DedicatedMemoryType, KERN_PHYS_VGA, KERN_PHYS_VGA + KERN_PHYS_VGA_SIZE - 1);
    return 3;
}
