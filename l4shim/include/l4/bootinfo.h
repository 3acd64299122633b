/* L4Ka::Pistachio's generic boot information: a header (L4_BootInfo_t)
 * followed by a chain of typed records (modules, simple executables, EFI
 * tables, multiboot info), all offsets relative to the structure holding them. */
#ifndef __L4__BOOTINFO_H__
#define __L4__BOOTINFO_H__

#include <l4/types.h>

/* The magic also tells the byte order; words are the KIP's word size. */
#define L4_BOOTINFO_MAGIC       ((L4_Word_t)0x14b0021d)
#define L4_BOOTINFO_VERSION     1

/* Record types. */
#define L4_BootInfo_Module      0x0001
#define L4_BootInfo_SimpleExec  0x0002
#define L4_BootInfo_EFITables   0x0101
#define L4_BootInfo_Multiboot   0x0102

/* The part every record starts with; offset_next is from this record. */
typedef struct {
    L4_Word_t type;
    L4_Word_t version;
    L4_Word_t offset_next;
} L4_BootRec_t;

/* A binary loaded into memory by the boot loader (type 1, version 1). */
typedef struct {
    L4_Word_t type;
    L4_Word_t version;
    L4_Word_t offset_next;
    L4_Word_t start;
    L4_Word_t size;
    L4_Word_t cmdline_offset;   /* from this record; 0 if none */
} L4_Boot_Module_t;

/* An executable already placed in memory by the boot loader (type 2,
 * version 1): physical and virtual start and size of text, data and bss. */
typedef struct {
    L4_Word_t type;
    L4_Word_t version;
    L4_Word_t offset_next;
    L4_Word_t text_pstart;
    L4_Word_t text_vstart;
    L4_Word_t text_size;
    L4_Word_t data_pstart;
    L4_Word_t data_vstart;
    L4_Word_t data_size;
    L4_Word_t bss_pstart;
    L4_Word_t bss_vstart;
    L4_Word_t bss_size;
    L4_Word_t initial_ip;
    L4_Word_t flags;
    L4_Word_t label;
    L4_Word_t cmdline_offset;   /* from this record; 0 if none */
} L4_Boot_SimpleExec_t;

/* EFI tables (type 0x101). */
typedef struct {
    L4_Word_t type;
    L4_Word_t version;
    L4_Word_t offset_next;
    L4_Word_t systab;
    L4_Word_t memmap;
    L4_Word_t memmap_size;
    L4_Word_t memdesc_size;
    L4_Word_t memdesc_version;
} L4_Boot_EFI_t;

/* A multiboot information structure (type 0x102). */
typedef struct {
    L4_Word_t type;
    L4_Word_t version;
    L4_Word_t offset_next;
    L4_Word_t address;
} L4_Boot_MBI_t;

/* The header; first_entry is from the header. */
typedef struct {
    L4_Word_t magic;
    L4_Word_t version;
    L4_Word_t size;
    L4_Word_t first_entry;
    L4_Word_t num_entries;
    L4_Word_t __reserved[3];
} L4_BootInfo_t;

L4_INLINE L4_Word_t L4_BootRec_Type(const L4_BootRec_t *r)
{
    return r->type;
}

L4_INLINE L4_BootRec_t *L4_BootRec_Next(const L4_BootRec_t *r)
{
    return (L4_BootRec_t *)((L4_Word_t)r + r->offset_next);
}

L4_INLINE char *__L4_BootRec_String(const L4_BootRec_t *r, L4_Word_t offset)
{
    return offset ? (char *)((L4_Word_t)r + offset) : (char *)0;
}

L4_INLINE L4_Word_t L4_Module_Start(const L4_BootRec_t *r)
{
    return ((const L4_Boot_Module_t *)r)->start;
}

L4_INLINE L4_Word_t L4_Module_Size(const L4_BootRec_t *r)
{
    return ((const L4_Boot_Module_t *)r)->size;
}

L4_INLINE char *L4_Module_Cmdline(const L4_BootRec_t *r)
{
    return __L4_BootRec_String(r, ((const L4_Boot_Module_t *)r)->cmdline_offset);
}

#define __L4_SIMPLEEXEC(r)      ((const L4_Boot_SimpleExec_t *)(r))

L4_INLINE L4_Word_t L4_SimpleExec_TextVstart(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->text_vstart; }
L4_INLINE L4_Word_t L4_SimpleExec_TextPstart(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->text_pstart; }
L4_INLINE L4_Word_t L4_SimpleExec_TextSize(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->text_size; }
L4_INLINE L4_Word_t L4_SimpleExec_DataVstart(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->data_vstart; }
L4_INLINE L4_Word_t L4_SimpleExec_DataPstart(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->data_pstart; }
L4_INLINE L4_Word_t L4_SimpleExec_DataSize(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->data_size; }
L4_INLINE L4_Word_t L4_SimpleExec_BssVstart(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->bss_vstart; }
L4_INLINE L4_Word_t L4_SimpleExec_BssPstart(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->bss_pstart; }
L4_INLINE L4_Word_t L4_SimpleExec_BssSize(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->bss_size; }
L4_INLINE L4_Word_t L4_SimpleExec_InitialIP(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->initial_ip; }
L4_INLINE L4_Word_t L4_SimpleExec_Flags(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->flags; }
L4_INLINE L4_Word_t L4_SimpleExec_Label(const L4_BootRec_t *r) { return __L4_SIMPLEEXEC(r)->label; }

/* The setters take a const record as Pistachio's do. */
L4_INLINE void L4_SimpleExec_Set_Flags(const L4_BootRec_t *r, L4_Word_t w)
{
    ((L4_Boot_SimpleExec_t *)(L4_Word_t)r)->flags = w;
}

L4_INLINE void L4_SimpleExec_Set_Label(const L4_BootRec_t *r, L4_Word_t w)
{
    ((L4_Boot_SimpleExec_t *)(L4_Word_t)r)->label = w;
}

L4_INLINE char *L4_SimpleExec_Cmdline(const L4_BootRec_t *r)
{
    return __L4_BootRec_String(r, __L4_SIMPLEEXEC(r)->cmdline_offset);
}

#undef __L4_SIMPLEEXEC

L4_INLINE L4_Word_t L4_EFI_Systab(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->systab; }
L4_INLINE L4_Word_t L4_EFI_Memmap(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memmap; }
L4_INLINE L4_Word_t L4_EFI_MemmapSize(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memmap_size; }
L4_INLINE L4_Word_t L4_EFI_MemdescSize(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memdesc_size; }
L4_INLINE L4_Word_t L4_EFI_MemdescVersion(const L4_BootRec_t *r)
{
    return ((const L4_Boot_EFI_t *)r)->memdesc_version;
}

L4_INLINE L4_Word_t L4_MBI_Address(const L4_BootRec_t *r)
{
    return ((const L4_Boot_MBI_t *)r)->address;
}

/* Valid magic and version? */
L4_INLINE L4_Bool_t L4_BootInfo_Valid(const void *b)
{
    const L4_BootInfo_t *bi = (const L4_BootInfo_t *)b;
    return bi->magic == L4_BOOTINFO_MAGIC && bi->version == L4_BOOTINFO_VERSION;
}

L4_INLINE L4_Word_t L4_BootInfo_Size(const void *b)
{
    return ((const L4_BootInfo_t *)b)->size;
}

L4_INLINE L4_BootRec_t *L4_BootInfo_FirstEntry(const void *b)
{
    return (L4_BootRec_t *)((L4_Word_t)b + ((const L4_BootInfo_t *)b)->first_entry);
}

L4_INLINE L4_Word_t L4_BootInfo_Entries(const void *b)
{
    return ((const L4_BootInfo_t *)b)->num_entries;
}

#endif /* !__L4__BOOTINFO_H__ */
