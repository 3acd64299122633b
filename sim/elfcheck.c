/* ELF checks of program modules.  dlopen maps a module's segments from the
 * file and trusts its headers: a truncated file ends in SIGBUS inside the
 * dynamic linker, a foreign one in a vague message.  Everything dlopen will
 * read is checked here first. */
#include <elf.h>
#include <string.h>

#include "elfcheck.h"

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#define HOST_MACHINE_NAME "x86-64"
#elif defined(__i386__)
#define HOST_MACHINE EM_386
#define HOST_MACHINE_NAME "i386"
#else
#error "elfcheck: unknown host machine"
#endif

#if __SIZEOF_POINTER__ == 8
typedef Elf64_Ehdr ehdr_t;
typedef Elf64_Phdr phdr_t;
typedef Elf64_Dyn dyn_t;
typedef Elf64_Sxword dyn_tag_t;
#define HOST_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr ehdr_t;
typedef Elf32_Phdr phdr_t;
typedef Elf32_Dyn dyn_t;
typedef Elf32_Sword dyn_tag_t;
#define HOST_CLASS ELFCLASS32
#endif

/* Does [off, off + size) lie within a file of len bytes? */
static int inside(size_t off, size_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static const char *check_header(const ehdr_t *eh)
{
    if (eh->e_ident[EI_CLASS] != HOST_CLASS)
        return "an ELF file of the other word size than this host's";
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return "a big-endian ELF file";
    if (eh->e_machine != HOST_MACHINE)
        return "an ELF file for another machine (this host is " HOST_MACHINE_NAME ")";
    if (eh->e_type != ET_DYN)
        return eh->e_type == ET_EXEC ? "an executable, not a program module (a shared object)"
                                     : "not a program module (an ELF shared object)";
    if (eh->e_phentsize != sizeof(phdr_t) || eh->e_phnum == 0)
        return "bad program header table";
    return NULL;
}

const char *elf_check_module(const void *image, size_t len)
{
    const ehdr_t *eh = image;
    if (len < SELFMAG || memcmp(eh->e_ident, ELFMAG, SELFMAG))
        return "not an ELF file";
    if (len < sizeof *eh)
        return "the ELF header extends past the end of the file";
    const char *why = check_header(eh);
    if (why)
        return why;
    if (!inside(eh->e_phoff, (size_t)eh->e_phnum * sizeof(phdr_t), len))
        return "the program headers extend past the end of the file";
    const phdr_t *ph = (const phdr_t *)((const char *)image + eh->e_phoff);
    int loads = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD && ph[i].p_type != PT_DYNAMIC && ph[i].p_type != PT_NOTE &&
            ph[i].p_type != PT_GNU_PROPERTY)
            continue;
        loads += ph[i].p_type == PT_LOAD;
        if (!inside(ph[i].p_offset, ph[i].p_filesz, len))
            return "a segment extends past the end of the file (truncated?)";
        if (ph[i].p_type == PT_LOAD && ph[i].p_memsz < ph[i].p_filesz)
            return "a segment is smaller in memory than in the file";
    }
    return loads ? NULL : "no loadable segment";
}

/* Why the dynamic tag is refused in an image from a task, or NULL. */
static const char *refused_tag(dyn_tag_t tag)
{
    switch (tag) {
    case DT_NEEDED:
        return "it needs a shared library (a program image stands alone)";
    case DT_INIT:
    case DT_INIT_ARRAY:
    case DT_PREINIT_ARRAY:
    case DT_FINI:
    case DT_FINI_ARRAY:
        return "it has initialisers or finalisers (code that would run in the simulator)";
    case DT_RPATH:
    case DT_RUNPATH:
    case DT_AUDIT:
    case DT_DEPAUDIT:
    case DT_AUXILIARY:
    case DT_FILTER:
        return "it names library search paths, filters or auditors";
    default:
        return NULL;
    }
}

const char *elf_check_guest_image(const void *image, size_t len)
{
    (void)len;      /* elf_check_module has held every segment to it */
    const ehdr_t *eh = image;
    const phdr_t *ph = (const phdr_t *)((const char *)image + eh->e_phoff);
    const phdr_t *dyn = NULL;
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = &ph[i];
        else if (ph[i].p_type == PT_INTERP)
            return "it asks for a program interpreter";
        else if (ph[i].p_type == PT_TLS)
            return "it has thread-local storage";
    if (!dyn)
        return "it has no dynamic section";
    if (dyn->p_filesz % sizeof(dyn_t) || (dyn->p_offset & (sizeof(void *) - 1)))
        return "its dynamic section is malformed";
    const dyn_t *d = (const dyn_t *)((const char *)image + dyn->p_offset);
    size_t n = dyn->p_filesz / sizeof(dyn_t);
    size_t i = 0;
    for (; i < n && d[i].d_tag != DT_NULL; i++) {
        const char *why = refused_tag(d[i].d_tag);
        if (why)
            return why;
    }
    return i < n ? NULL : "its dynamic section has no end marker";
}
