/* servers/lib's arch seam: what the files under arch/ARCH provide (the
 * build picks the directory; no source tests the arch). */
#ifndef CHACM_LIB_ARCH_H
#define CHACM_LIB_ARCH_H

#include <stddef.h>
#include <l4/types.h>
#include <mach/port.h>

/* arch/ARCH/image.c, the arch's program images (chacm/loader.h): turns
 * image[0..size) into the program of task memtask; lib_program_load's
 * contract after its argument checks. */
int lib_arch_load(const void *image, size_t size, const char *name, task_t memtask, L4_Word_t *entry,
                  const char **why);

#endif /* !CHACM_LIB_ARCH_H */
