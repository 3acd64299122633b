/* Checks a program module's file before the host's dynamic linker sees it. */
#ifndef CHACM_SIM_ELFCHECK_H
#define CHACM_SIM_ELFCHECK_H

#include <stddef.h>

/* Returns NULL if image[0..len) is a whole ELF shared object for this
 * host (header, program headers and every segment inside the file, the
 * host's class, byte order and machine), else what is wrong with it. */
const char *elf_check_module(const void *image, size_t len);
/* The further checks of an image that a task hands over (LoadImage): its
 * dynamic section lies in the file and asks for nothing that would run or
 * load host code while the dynamic linker loads it (no needed libraries,
 * no initialisers or finalisers, no search paths).  Call after
 * elf_check_module succeeded.  NULL or what is wrong. */
const char *elf_check_guest_image(const void *image, size_t len);

#endif /* CHACM_SIM_ELFCHECK_H */
