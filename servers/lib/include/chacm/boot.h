/* The boot information and the programs it lists, as the arch's boot
 * loader passes them (hosted: the simulator placed every program; ia32:
 * Pistachio's kickstart placed them in physical memory).  The arch part
 * is servers/lib/arch/ARCH/boot.c; see docs/cross-build.md. */
#ifndef CHACM_BOOT_H
#define CHACM_BOOT_H

#include <l4/bootinfo.h>
#include <l4/types.h>
#include <mach/port.h>

/* The boot information (L4_BootInfo_t) where this program can read it,
 * or NULL if it cannot: hosted, every task reads the KIP's; on ia32 the
 * KIP holds a physical address, which only sigma0 and the tasks it pages
 * (the root task, memsvr) see 1:1.  A program that gets NULL asks the booter
 * for its command line. */
const void *lib_boot_info(void);

/* The end of the memory the boot loader filled where sigma0 maps it 1:1
 * into the root task's usable range (programs, boot modules, the boot
 * information: the root task must not use it as free memory), 0 if none.
 * Hosted there is none (the simulator keeps the modules outside the
 * tasks' windows); on ia32 the KIP's bootloader-specific memory
 * descriptors, where kickstart and GRUB put everything. */
L4_Word_t lib_boot_loader_end(void);

/* This program's own record in the boot information (the SimpleExec
 * record whose initial IP is its _start), or NULL if it has none or
 * cannot read the boot information. */
const L4_BootRec_t *lib_boot_self(void);

/* Makes the program of boot record r (a SimpleExec record of the boot
 * information) the program of the task whose memory is memtask (a memsvr
 * task the caller holds) and sets *entry, where its first thread starts.
 * Hosted the simulator has placed it (nothing to copy); on ia32 its text
 * and data are copied from where kickstart loaded them and its bss is
 * zero-filled memory.  ESUCCESS; ENOTFOUND: not a program record or a
 * layout it cannot place (*why says what is wrong); EFULL: no memory at
 * memsvr for it. */
int lib_boot_program_load(const L4_BootRec_t *r, task_t memtask, L4_Word_t *entry, const char **why);
/* As lib_boot_program_load, for a program that ran before (a restart): its
 * code and data start again as at boot.  Hosted the kernel loads a fresh
 * instance of the record's module (LoadImage, size 0); on ia32 the copy is
 * made again from where kickstart loaded it. */
int lib_boot_program_reload(const L4_BootRec_t *r, task_t memtask, L4_Word_t *entry, const char **why);

#endif /* !CHACM_BOOT_H */
