/* Checks a program module's file before the host's dynamic linker sees it. */
#ifndef CHACM_SIM_ELFCHECK_H
#define CHACM_SIM_ELFCHECK_H

#include <stddef.h>

/* Returns NULL if image[0..len) is a whole ELF shared object for this
 * host (header, program headers and every segment inside the file, the
 * host's class, byte order and machine), else what is wrong with it. */
const char *elf_check_module(const void *image, size_t len);

#endif /* CHACM_SIM_ELFCHECK_H */
