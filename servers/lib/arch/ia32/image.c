/* ia32 program images: ELF32 executables (ET_EXEC, EM_386), as GRUB
 * loads the boot modules.  Every loadable segment is placed at its address
 * in the new task's memory at memsvr (vm_allocate there, each page once,
 * then the file's bytes by vm_write_bytes, since the booter's own memory
 * is sigma0's and not memsvr's; the rest of the segment stays
 * zero-filled), and the entry point is the ELF header's. */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>

#include "../../arch.h"
#include "generic_client.h"

typedef struct {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr_t;

typedef struct {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr_t;

#define ELF_PT_LOAD 1
#define ELF_ET_EXEC 2
#define ELF_EM_386 3
#define PAGE 4096u

/* What is wrong with the header, or NULL. */
static const char *check(const elf32_ehdr_t *eh, size_t size)
{
    if (size < sizeof *eh || memcmp(eh->ident, "\177ELF", 4))
        return "not an ELF file";
    if (eh->ident[4] != 1 || eh->ident[5] != 1)
        return "not a little-endian ELF32 file";
    if (eh->type != ELF_ET_EXEC || eh->machine != ELF_EM_386)
        return "not an ia32 executable";
    if (eh->phentsize != sizeof(elf32_phdr_t) || eh->phnum == 0 || eh->phoff > size ||
        (size_t)eh->phnum * sizeof(elf32_phdr_t) > size - eh->phoff)
        return "bad program header table";
    return NULL;
}

/* Places one loadable segment (segments ascend; *mapped: the end of the
 * pages allocated so far); ESUCCESS or ENOTFOUND/EFULL with *why. */
static int place(const char *image, size_t size, const elf32_phdr_t *ph, task_t memtask, L4_Word_t *mapped,
                 const char **why)
{
    if (ph->offset > size || ph->filesz > size - ph->offset || ph->memsz < ph->filesz ||
        ph->vaddr + ph->memsz < ph->vaddr) {
        *why = "a segment lies outside the file or wraps";
        return ENOTFOUND;
    }
    vm_address_t lo = ph->vaddr & ~(PAGE - 1), hi = (ph->vaddr + ph->memsz + PAGE - 1) & ~(PAGE - 1);
    if (lo < *mapped) {
        if (ph->vaddr < *mapped - PAGE) {
            *why = "the segments overlap or are not in ascending order";
            return ENOTFOUND;
        }
        lo = *mapped;     /* it shares its first page with the one before */
    }
    if (lo < hi && vm_allocate(memtask, &lo, hi - lo, FALSE) != KERN_SUCCESS) {
        *why = "no memory for a segment";
        return EFULL;
    }
    if (hi > *mapped)
        *mapped = hi;
    if (ph->filesz &&
        lib_vm_write_bytes(memtask, ph->vaddr, image + ph->offset, ph->filesz) != KERN_SUCCESS) {
        *why = "cannot write a segment into the task";
        return EFULL;
    }
    return ESUCCESS;
}

int lib_arch_load(const void *image, size_t size, const char *name, task_t memtask, L4_Word_t *entry,
                  const char **why)
{
    (void)name;
    const elf32_ehdr_t *eh = image;
    const char *bad = check(eh, size);
    if (bad) {
        *why = bad;
        return ENOTFOUND;
    }
    const elf32_phdr_t *ph = (const elf32_phdr_t *)((const char *)image + eh->phoff);
    L4_Word_t mapped = 0;
    for (unsigned i = 0; i < eh->phnum; i++) {
        if (ph[i].type != ELF_PT_LOAD || ph[i].memsz == 0)
            continue;
        int rc = place(image, size, &ph[i], memtask, &mapped, why);
        if (rc != ESUCCESS)
            return rc;
    }
    *entry = eh->entry;
    return ESUCCESS;
}
