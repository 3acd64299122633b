/* BOOT00xx: the ia32 boot information as Pistachio's kickstart writes it
 * (header, SimpleExec records for the ELF modules it decoded, Module
 * records for the others, the multiboot record; each record's command line
 * right behind it, word-aligned) read through <l4/bootinfo.h>, and
 * servers/lib/arch/ia32/boot.c's lib_boot_program_load copying a program
 * record into a task, with memsvr's calls recorded.  A 32-bit Linux
 * process; "physical" memory is the process's own (1:1, as sigma0 maps
 * it to the booter).  PORT00xx: servers/lib/arch/ia32/ports.c reads the
 * I/O privilege level from EFLAGS (Pistachio without I/O fpages gives
 * user threads IOPL 3; a Linux process has 0 until iopl(3)). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <chacm/boot.h>
#include <mach/mach.h>

#include "../../servers/lib/arch.h"

#include "generic_client.h"

static int failed;
#define CHECK(id, cond)                                                         \
    do {                                                                        \
        if (!(cond)) {                                                          \
            printf("FAIL %s %s:%d: %s\n", id, __FILE__, __LINE__, #cond);       \
            failed++;                                                           \
        }                                                                       \
    } while (0)

/* ---- memsvr, recorded ---- */
#define MAX_CALLS 64
typedef struct {
    char what;              /* 'a' vm_allocate, 'w' vm_write_bytes */
    vm_address_t addr;
    vm_size_t size;
    const void *data;
} call_t;
static call_t calls[MAX_CALLS];
static int ncalls, fail_alloc, fail_write;
static char written[3 * 4096 * 4];  /* what the writes carried, in order */
static size_t nwritten;

kern_return_t vm_allocate(vm_task_t task, vm_address_t *address, vm_size_t size, boolean_t anywhere)
{
    if (task != 7 || anywhere || ncalls == MAX_CALLS)
        return KERN_RESOURCE_SHORTAGE;
    calls[ncalls++] = (call_t){ 'a', *address, size, NULL };
    return fail_alloc ? KERN_NO_SPACE : KERN_SUCCESS;
}

kern_return_t lib_vm_write_bytes(vm_task_t task, vm_address_t address, const void *data, vm_size_t size);
kern_return_t lib_vm_write_bytes(vm_task_t task, vm_address_t address, const void *data, vm_size_t size)
{
    if (task != 7 || ncalls == MAX_CALLS)
        return KERN_RESOURCE_SHORTAGE;
    calls[ncalls++] = (call_t){ 'w', address, size, data };
    if (nwritten + size <= sizeof written) {
        memcpy(written + nwritten, data, size);
        nwritten += size;
    }
    return fail_write ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
}

static void reset(void)
{
    ncalls = fail_alloc = fail_write = 0;
    nwritten = 0;
}

/* ---- a boot information block as kickstart writes it ---- */
static L4_Word_t bi_words[1024];

static L4_BootRec_t *add_cmdline(L4_BootInfo_t *bi, L4_BootRec_t *r, L4_Word_t *offset_field, L4_Word_t sz,
                                 const char *cmdline)
{
    *offset_field = sz;
    strcpy((char *)r + sz, cmdline);
    sz += strlen(cmdline) + 1;
    sz = (sz + sizeof(L4_Word_t) - 1) & ~(sizeof(L4_Word_t) - 1);
    r->offset_next = sz;
    bi->num_entries++;
    bi->size += sz;
    return (L4_BootRec_t *)((char *)r + sz);
}

static L4_BootRec_t *add_exec(L4_BootInfo_t *bi, L4_BootRec_t *r, L4_Word_t ip, const char *cmdline)
{
    L4_Boot_SimpleExec_t *e = (L4_Boot_SimpleExec_t *)r;
    memset(e, 0, sizeof *e);
    e->type = L4_BootInfo_SimpleExec;
    e->version = 1;
    e->initial_ip = ip;
    e->text_pstart = e->text_vstart = ip & ~0xfffUL;
    e->text_size = 0x1000;
    return add_cmdline(bi, r, &e->cmdline_offset, sizeof *e, cmdline);
}

static L4_BootRec_t *add_module(L4_BootInfo_t *bi, L4_BootRec_t *r, L4_Word_t start, L4_Word_t size,
                                const char *cmdline)
{
    L4_Boot_Module_t *m = (L4_Boot_Module_t *)r;
    m->type = L4_BootInfo_Module;
    m->version = 1;
    m->start = start;
    m->size = size;
    return add_cmdline(bi, r, &m->cmdline_offset, sizeof *m, cmdline);
}

static void make_bootinfo(void)
{
    L4_BootInfo_t *bi = (L4_BootInfo_t *)bi_words;
    memset(bi_words, 0, sizeof bi_words);
    bi->magic = L4_BOOTINFO_MAGIC;
    bi->version = L4_BOOTINFO_VERSION;
    bi->size = bi->first_entry = sizeof *bi;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    r = add_exec(bi, r, 0x050013b9, "sigma0");
    r = add_exec(bi, r, 0x0200103e, "booter");
    r = add_exec(bi, r, 0x0400108f, "memsvr");
    r = add_exec(bi, r, 0x040010a0, "ramdisk /dev/ram0");
    r = add_module(bi, r, 0x009c9000, 8u << 20, "disk.img");
    L4_Boot_MBI_t *m = (L4_Boot_MBI_t *)r;
    m->type = L4_BootInfo_Multiboot;
    m->version = 1;
    m->offset_next = sizeof *m;
    m->address = 0x0080a000;
    bi->num_entries++;
    bi->size += sizeof *m;
}

static void test_records(void)
{
    make_bootinfo();
    const void *bi = bi_words;
    CHECK("BOOT0001", L4_BootInfo_Valid(bi));
    CHECK("BOOT0001", L4_BootInfo_Entries(bi) == 6);
    CHECK("BOOT0001", sizeof(L4_Boot_SimpleExec_t) == 16 * 4 && sizeof(L4_Boot_Module_t) == 6 * 4);
    const char *want[] = { "sigma0", "booter", "memsvr", "ramdisk /dev/ram0", "disk.img", NULL };
    L4_Word_t types[] = { 2, 2, 2, 2, 1, 0x102 };
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    for (int i = 0; i < 6; i++, r = L4_BootRec_Next(r)) {
        CHECK("BOOT0002", L4_BootRec_Type(r) == types[i]);
        CHECK("BOOT0002", ((L4_Word_t)r & 3) == 0);
        const char *c = types[i] == 2 ? L4_SimpleExec_Cmdline(r) : types[i] == 1 ? L4_Module_Cmdline(r) : NULL;
        CHECK("BOOT0003", (c == NULL) == (want[i] == NULL) && (!c || !strcmp(c, want[i])));
        if (types[i] == 1)
            CHECK("BOOT0004", L4_Module_Start(r) == 0x009c9000 && L4_Module_Size(r) == 8u << 20);
        if (types[i] == 0x102)
            CHECK("BOOT0004", L4_MBI_Address(r) == 0x0080a000);
    }
    CHECK("BOOT0001", (char *)r == (char *)bi_words + L4_BootInfo_Size(bi));
}

/* ---- lib_boot_program_load ---- */
#define PAGE 4096
/* text (2 pages and a bit), data sharing its last page with the bss start,
 * bss over two more pages */
static char image[8 * PAGE] __attribute__((aligned(PAGE)));

static L4_Boot_SimpleExec_t prog(void)
{
    L4_Word_t b = (L4_Word_t)image;
    L4_Boot_SimpleExec_t e = { .type = L4_BootInfo_SimpleExec, .version = 1, .offset_next = sizeof e };
    e.text_pstart = e.text_vstart = b + 0x1000;
    e.text_size = 0x2100;
    e.data_pstart = e.data_vstart = b + 0x4000;
    e.data_size = 0x80;
    e.bss_pstart = e.bss_vstart = b + 0x4080;
    e.bss_size = 0x1f80 + 0x10;
    e.initial_ip = b + 0x1040;
    return e;
}

static int load(const L4_Boot_SimpleExec_t *e, L4_Word_t *entry, const char **why)
{
    *why = "";
    return lib_boot_program_load((const L4_BootRec_t *)e, 7, entry, why);
}

static void test_load(void)
{
    for (size_t i = 0; i < sizeof image; i++)
        image[i] = (char)(i * 7 + 1);
    L4_Word_t b = (L4_Word_t)image, entry;
    const char *why;
    L4_Boot_SimpleExec_t e = prog();
    reset();
    CHECK("BOOT0010", load(&e, &entry, &why) == ESUCCESS && entry == b + 0x1040);
    /* every page of text, data and bss allocated once, in order */
    CHECK("BOOT0011", ncalls == 5);
    CHECK("BOOT0011", calls[0].what == 'a' && calls[0].addr == b + 0x1000 && calls[0].size == 3 * PAGE);
    CHECK("BOOT0011", calls[1].what == 'a' && calls[1].addr == b + 0x4000 && calls[1].size == PAGE);
    CHECK("BOOT0011", calls[2].what == 'a' && calls[2].addr == b + 0x5000 && calls[2].size == 2 * PAGE);
    /* text and data written as whole pages from where they lie */
    CHECK("BOOT0012", calls[3].what == 'w' && calls[3].addr == b + 0x1000 && calls[3].size == 3 * PAGE &&
                          calls[3].data == image + 0x1000);
    CHECK("BOOT0012", calls[4].what == 'w' && calls[4].addr == b + 0x4000 && calls[4].size == PAGE &&
                          calls[4].data == image + 0x4000);
    CHECK("BOOT0012", nwritten == 4 * PAGE && !memcmp(written, image + 0x1000, 3 * PAGE) &&
                          !memcmp(written + 3 * PAGE, image + 0x4000, PAGE));

    /* no data: the bss follows the text */
    e = prog();
    e.data_size = 0;
    e.bss_vstart = e.bss_pstart = b + 0x3100;
    reset();
    CHECK("BOOT0013", load(&e, &entry, &why) == ESUCCESS && ncalls == 3 && calls[1].what == 'a' &&
                          calls[1].addr == b + 0x4000 && calls[1].size == 2 * PAGE && calls[2].what == 'w');

    /* records it refuses, each with a reason and no call to memsvr */
    struct {
        const char *id, *why;
        L4_Boot_SimpleExec_t e;
    } bad[6];
    for (int i = 0; i < 6; i++)
        bad[i].e = prog();
    bad[0].id = "BOOT0020", bad[0].why = "not a program record", bad[0].e.type = L4_BootInfo_Module;
    bad[1].id = "BOOT0021", bad[1].why = "not loaded at its link address", bad[1].e.data_pstart += PAGE;
    bad[2].id = "BOOT0022", bad[2].why = "ascending", bad[2].e.data_vstart = bad[2].e.data_pstart = b;
    bad[3].id = "BOOT0023", bad[3].why = "wraps", bad[3].e.bss_size = ~(L4_Word_t)0 - 0x100;
    bad[4].id = "BOOT0024", bad[4].why = "no text, data or bss";
    bad[4].e.text_size = bad[4].e.data_size = bad[4].e.bss_size = 0;
    bad[5].id = "BOOT0025", bad[5].why = "wraps", bad[5].e.text_vstart = bad[5].e.text_pstart = 0xfffff000;
    bad[5].e.text_size = 0x1000;
    bad[5].e.data_vstart = bad[5].e.data_pstart = 0xfffff800;
    for (int i = 0; i < 6; i++) {
        reset();
        int rc = load(&bad[i].e, &entry, &why);
        CHECK(bad[i].id, rc == ENOTFOUND && strstr(why, bad[i].why) && ncalls == 0 && entry == 0);
        if (rc != ENOTFOUND || !strstr(why, bad[i].why))
            printf("  %s: rc %d, why '%s'\n", bad[i].id, rc, why);
    }
    CHECK("BOOT0026", lib_boot_program_load(NULL, 7, &entry, &why) == ENOTFOUND);

    /* memsvr refuses: EFULL */
    e = prog();
    reset();
    fail_alloc = 1;
    CHECK("BOOT0030", load(&e, &entry, &why) == EFULL && strstr(why, "no memory") && ncalls == 1);
    reset();
    fail_write = 1;
    CHECK("BOOT0031", load(&e, &entry, &why) == EFULL && strstr(why, "cannot write") && ncalls == 4);
}

static void test_ports(void)
{
    CHECK("PORT0001", !lib_arch_ports_open());
    if (iopl(3) != 0) {
        printf("PORT0002 skipped: iopl(3) refused here (no CAP_SYS_RAWIO)\n");
        return;
    }
    CHECK("PORT0002", lib_arch_ports_open());
    iopl(0);
    CHECK("PORT0001", !lib_arch_ports_open());
}

int main(void)
{
    test_records();
    test_load();
    test_ports();
    printf("bootinfo checks: %d failed\n", failed);
    return failed ? 1 : 0;
}
