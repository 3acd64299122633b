/* servers/lib's arch seam: what the files under arch/ARCH provide (the
 * build picks the directory; no source tests the arch). */
#ifndef CHACM_LIB_ARCH_H
#define CHACM_LIB_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <l4/kip.h>
#include <l4/types.h>
#include <mach/mach.h>

/* arch/ARCH/image.c, the arch's program images (chacm/loader.h): turns
 * image[0..size) into the program of task memtask; lib_program_load's
 * contract after its argument checks. */
int lib_arch_load(const void *image, size_t size, const char *name, task_t memtask, L4_Word_t *entry,
                  const char **why);

/* arch/ARCH/boot.c: lib_boot_info (chacm/boot.h) for the caller's KIP. */
const void *lib_arch_boot_info(L4_KernelInterfacePage_t *kip);

/* arch/ARCH/ports.c: drv_io_fpages (chacm/driver.h), and whether this
 * thread may use every I/O port without holding I/O fpages, as on a
 * kernel that has none (drv_get_ports asks only then). */
bool lib_arch_ports_open(void);

/* What the arch files use (mach_vm.c): vm_write of data[0..size) from
 * anywhere in the caller's space, carried in messages (memsvr's
 * vm_write_bytes), for a caller whose memory memsvr does not hold. */
kern_return_t lib_vm_write_bytes(vm_task_t task, vm_address_t address, const void *data, vm_size_t size);

#endif /* !CHACM_LIB_ARCH_H */
