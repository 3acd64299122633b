/* VM0001-VM0499: Mach's VM calls through the C library, rule by rule: each
 * call's success path and each of its error codes, page rounding, size 0,
 * wrap-around, first fit, masks, overlaps and holes, protections against
 * the maximum, inheritance, regions, named entries, remaps and copies, and
 * several client tasks at once under a fixed seed.  Each case runs in a
 * task that memsvr pages (pt_vm.h); docs/vm.md gives the rules. */
#include <string.h>
#include <chacm/l4util.h>
#include <chacm/mach_server.h>
#include <l4/schedule.h>
#include <l4/thread.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_vm.h"

#define PG PAGE_SIZE
#define TOP (~(vm_address_t)0)

typedef struct region {
    vm_address_t start;
    vm_size_t size;
    vm_prot_t cur, max;
    vm_inherit_t inh;
    boolean_t shared;
    vm_offset_t offset;
} region_t;

/* vm_region at or above a. */
static kern_return_t region(vm_address_t a, region_t *r)
{
    memory_object_name_t name;

    r->start = a;
    return vm_region(SELF, &r->start, &r->size, &r->cur, &r->max, &r->inh, &r->shared, &name,
                     &r->offset);
}

static vm_address_t alloc(vm_size_t size)
{
    vm_address_t a = 0;

    return vm_allocate(SELF, &a, size, TRUE) == KERN_SUCCESS ? a : 0;
}

static L4_Word_t peek(vm_address_t a)
{
    return *(volatile L4_Word_t *)a;
}

static void poke(vm_address_t a, L4_Word_t v)
{
    *(volatile L4_Word_t *)a = v;
}

/* A fresh address nothing is mapped at: allocated, then freed. */
static vm_address_t hole(vm_size_t size)
{
    vm_address_t a = alloc(size);

    if (a != 0)
        (void)vm_deallocate(SELF, a, size);
    return a;
}

/* ---- vm_allocate ---- */

TASK_TEST(VM0001, "vm_allocate anywhere: a page-aligned region of the rounded size, DEFAULT/ALL/COPY")
{
    vm_address_t a = 0;
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, 3 * PG - 10, TRUE), KERN_SUCCESS);
    PT_ASSERT(a != 0 && page_aligned(a));
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
    PT_EQ(r.size, 3 * PG);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
    PT_EQ(r.max, VM_PROT_ALL);
    PT_EQ(r.inh, VM_INHERIT_COPY);
    PT_EQ(r.shared, FALSE);
}

TASK_TEST(VM0002, "vm_allocate of size 0 succeeds with address 0, anywhere or fixed, and maps nothing")
{
    vm_address_t a = 0x12345, h = hole(PG);
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, 0, TRUE), KERN_SUCCESS);
    PT_EQ(a, 0);
    a = h;
    PT_EQ(vm_allocate(SELF, &a, 0, FALSE), KERN_SUCCESS);
    PT_EQ(a, 0);
    PT_ASSERT(region(h, &r) != KERN_SUCCESS || r.start != h);
}

TASK_TEST(VM0003, "vm_allocate anywhere is first fit from the bottom: a freed hole is reused")
{
    vm_address_t a = alloc(2 * PG), b = alloc(PG), c;

    PT_ASSERT(a != 0 && b != 0);
    PT_EQ(vm_deallocate(SELF, a, 2 * PG), KERN_SUCCESS);
    c = 0x7fff0000; /* ignored: anywhere searches from the bottom */
    PT_EQ(vm_allocate(SELF, &c, PG, TRUE), KERN_SUCCESS);
    PT_EQ(c, a);
    PT_EQ(vm_allocate(SELF, &c, PG, TRUE), KERN_SUCCESS);
    PT_EQ(c, a + PG);
}

TASK_TEST(VM0004, "vm_allocate fixed: the address is truncated to a page and the size rounded up")
{
    vm_address_t h = hole(4 * PG), a = h + PG + 0x123;
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, 10, FALSE), KERN_SUCCESS);
    PT_EQ(a, h + PG);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, h + PG);
    PT_EQ(r.size, PG);
}

TASK_TEST(VM0005, "vm_allocate fixed over an existing region is KERN_NO_SPACE: inside, over either end, covering")
{
    vm_address_t h = hole(8 * PG), a;

    a = h + 2 * PG;
    PT_EQ(vm_allocate(SELF, &a, 2 * PG, FALSE), KERN_SUCCESS);
    a = h + 2 * PG;
    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_NO_SPACE);
    a = h + 3 * PG;
    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_NO_SPACE);
    a = h + PG;
    PT_EQ(vm_allocate(SELF, &a, 2 * PG, FALSE), KERN_NO_SPACE);
    a = h + 3 * PG;
    PT_EQ(vm_allocate(SELF, &a, 2 * PG, FALSE), KERN_NO_SPACE);
    a = h;
    PT_EQ(vm_allocate(SELF, &a, 6 * PG, FALSE), KERN_NO_SPACE);
    a = h + PG;
    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_SUCCESS); /* adjacent below */
    a = h + 4 * PG;
    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_SUCCESS); /* adjacent above */
}

TASK_TEST(VM0006, "vm_allocate fixed outside the task's map is KERN_INVALID_ADDRESS")
{
    vm_address_t a = 0;

    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_INVALID_ADDRESS);
    a = lib_usable_end();
    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_INVALID_ADDRESS);
    a = lib_usable_end() - PG;
    PT_EQ(vm_allocate(SELF, &a, 2 * PG, FALSE), KERN_INVALID_ADDRESS);
}

TASK_TEST(VM0007, "vm_allocate: a size that wraps when rounded is KERN_INVALID_ARGUMENT, one larger than the map KERN_NO_SPACE")
{
    vm_address_t a = 0;

    PT_EQ(vm_allocate(SELF, &a, TOP, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_allocate(SELF, &a, TOP - PG + 2, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_allocate(SELF, &a, lib_usable_end() - lib_usable_base() + PG, TRUE), KERN_NO_SPACE);
    PT_EQ(a, 0);
}

TASK_TEST(VM0008, "vm_allocate fixed where the end would wrap past the top is KERN_INVALID_ARGUMENT, like every wrapping range")
{
    vm_address_t a = hole(PG);

    PT_EQ(vm_allocate(SELF, &a, TOP - a + 1, FALSE), KERN_INVALID_ARGUMENT);
    a = TOP - PG + 1;
    PT_EQ(vm_allocate(SELF, &a, 2 * PG, FALSE), KERN_INVALID_ARGUMENT);
}

TASK_TEST(VM0009, "new memory is zero-filled, and memory freed and allocated again at the same place is zero again")
{
    vm_address_t a = alloc(4 * PG), b;

    PT_ASSERT(a != 0);
    for (int i = 0; i < 4; i++) {
        PT_EQ(peek(a + (vm_address_t)i * PG + 8), 0);
        poke(a + (vm_address_t)i * PG + 8, 0xdead0000u + (unsigned)i);
    }
    PT_EQ(vm_deallocate(SELF, a, 4 * PG), KERN_SUCCESS);
    b = a;
    PT_EQ(vm_allocate(SELF, &b, 4 * PG, FALSE), KERN_SUCCESS);
    for (int i = 0; i < 4; i++)
        PT_EQ(peek(b + (vm_address_t)i * PG + 8), 0);
}

TASK_TEST(VM0010, "every VM call on a task the caller does not hold is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG), b = 0;
    vm_size_t size;
    vm_prot_t c, x;
    vm_inherit_t inh;
    boolean_t sh;
    memory_object_name_t name;
    vm_offset_t off;
    pointer_t data;
    mach_msg_type_number_t cnt;
    vm_statistics_data_t st;
    mem_entry_name_port_t h;

    size = PG;
    PT_EQ(vm_allocate(BOGUS_TASK, &b, PG, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_deallocate(BOGUS_TASK, a, PG), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_protect(BOGUS_TASK, a, PG, FALSE, VM_PROT_READ), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_inherit(BOGUS_TASK, a, PG, VM_INHERIT_NONE), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_region(BOGUS_TASK, &b, &size, &c, &x, &inh, &sh, &name, &off), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_map(BOGUS_TASK, &b, PG, 0, TRUE, MEMORY_OBJECT_NULL, 0, FALSE, 3, 7, 1),
          KERN_INVALID_ARGUMENT);
    PT_EQ(vm_read(BOGUS_TASK, a, PG, &data, &cnt), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_write(BOGUS_TASK, a, a, PG), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_copy(BOGUS_TASK, a, PG, a), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_statistics(BOGUS_TASK, &st), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_remap(BOGUS_TASK, &b, PG, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &c, &x, 1),
          KERN_INVALID_ARGUMENT);
    PT_EQ(vm_remap(SELF, &b, PG, 0, VM_FLAGS_ANYWHERE, BOGUS_TASK, a, TRUE, &c, &x, 1),
          KERN_INVALID_ARGUMENT);
    PT_EQ(vm_unmap(BOGUS_TASK, a, PG), KERN_INVALID_ARGUMENT);
    PT_EQ(mach_make_memory_entry(BOGUS_TASK, &size, 0, 3 | MAP_MEM_NAMED_CREATE, &h, 0),
          KERN_INVALID_ARGUMENT);
    PT_EQ(vm_allocate(TASK_NULL, &b, PG, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(b, 0);
    PT_EQ(region(a, &(region_t){0}), KERN_SUCCESS); /* and nothing changed */
}

/* ---- vm_deallocate ---- */

TASK_TEST(VM0011, "vm_deallocate removes the region: vm_region skips to the next one")
{
    vm_address_t a = alloc(2 * PG), b = alloc(PG);
    region_t r;

    PT_EQ(vm_deallocate(SELF, a, 2 * PG), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, b);
}

TASK_TEST(VM0012, "vm_deallocate of size 0 succeeds and removes nothing")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_deallocate(SELF, a, 0), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
    PT_EQ(r.size, PG);
}

TASK_TEST(VM0013, "vm_deallocate ignores holes: across two regions and the gap between, and twice")
{
    vm_address_t h = hole(6 * PG), a = h, b = h + 4 * PG, c;
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &b, PG, FALSE), KERN_SUCCESS);
    c = h + 6 * PG;
    PT_EQ(vm_allocate(SELF, &c, PG, FALSE), KERN_SUCCESS); /* a region after the range */
    PT_EQ(vm_deallocate(SELF, h, 6 * PG), KERN_SUCCESS);
    PT_EQ(vm_deallocate(SELF, h, 6 * PG), KERN_SUCCESS);
    PT_EQ(region(h, &r), KERN_SUCCESS);
    PT_EQ(r.start, c);
}

TASK_TEST(VM0014, "vm_deallocate acts on [trunc(address), round(address+size)): half a page each side takes two pages")
{
    vm_address_t a = alloc(4 * PG);
    region_t r;

    poke(a, 1);
    poke(a + 3 * PG, 4);
    PT_EQ(vm_deallocate(SELF, a + PG + PG / 2, PG), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
    PT_EQ(r.size, PG);
    PT_EQ(region(a + PG, &r), KERN_SUCCESS);
    PT_EQ(r.start, a + 3 * PG);
    PT_EQ(r.size, PG);
    PT_EQ(peek(a), 1);
    PT_EQ(peek(a + 3 * PG), 4);
}

TASK_TEST(VM0015, "vm_deallocate of a range that wraps past the top is KERN_INVALID_ARGUMENT and frees nothing")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_deallocate(SELF, a, TOP), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_deallocate(SELF, a, TOP - a + 1), KERN_INVALID_ARGUMENT);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
}

TASK_TEST(VM0016, "vm_deallocate in the middle of a region splits it in two that keep their data")
{
    vm_address_t a = alloc(3 * PG);
    region_t r;

    poke(a, 7);
    poke(a + 2 * PG, 9);
    PT_EQ(vm_deallocate(SELF, a + PG, PG), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.size, PG);
    PT_EQ(region(a + PG, &r), KERN_SUCCESS);
    PT_EQ(r.start, a + 2 * PG);
    PT_EQ(peek(a), 7);
    PT_EQ(peek(a + 2 * PG), 9);
}

TASK_TEST(VM0017, "vm_deallocate of a range outside the map succeeds and changes nothing")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_deallocate(SELF, lib_usable_end(), 4 * PG), KERN_SUCCESS);
    PT_EQ(vm_deallocate(SELF, 0, PG), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
}

/* ---- vm_protect ---- */

TASK_TEST(VM0018, "vm_protect to READ: vm_region shows it and the data can still be read")
{
    vm_address_t a = alloc(PG);
    region_t r;

    poke(a, 42);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_READ);
    PT_EQ(r.max, VM_PROT_ALL);
    PT_EQ(peek(a), 42);
}

TASK_TEST(VM0019, "vm_protect with bits outside VM_PROT_ALL is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_protect(SELF, a, PG, FALSE, 0x8), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, 0x10 | VM_PROT_READ), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_protect(SELF, a, PG, TRUE, -1), KERN_INVALID_ARGUMENT);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
}

TASK_TEST(VM0020, "vm_protect above the maximum is KERN_PROTECTION_FAILURE and changes nothing")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_DEFAULT), KERN_PROTECTION_FAILURE);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_EXECUTE), KERN_PROTECTION_FAILURE);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_READ);
    PT_EQ(r.max, VM_PROT_READ);
}

TASK_TEST(VM0021, "vm_protect with set_maximum lowers the maximum and the current protection with it")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_ALL), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_READ | VM_PROT_EXECUTE), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.max, VM_PROT_READ | VM_PROT_EXECUTE);
    PT_EQ(r.cur, VM_PROT_READ | VM_PROT_EXECUTE);
}

TASK_TEST(VM0022, "the maximum protection can never be raised again")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_ALL), KERN_PROTECTION_FAILURE);
    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_READ | VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.max, VM_PROT_READ);
}

TASK_TEST(VM0023, "vm_protect over a hole is KERN_INVALID_ADDRESS (XNU's rule) and changes no region")
{
    vm_address_t h = hole(3 * PG), a = h, b = h + 2 * PG;
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &b, PG, FALSE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, h, 3 * PG, FALSE, VM_PROT_READ), KERN_INVALID_ADDRESS);
    PT_EQ(vm_protect(SELF, h + PG, PG, FALSE, VM_PROT_READ), KERN_INVALID_ADDRESS);
    PT_EQ(vm_protect(SELF, h + 2 * PG, 2 * PG, FALSE, VM_PROT_READ), KERN_INVALID_ADDRESS);
    PT_EQ(region(h, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
    PT_EQ(region(b, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
}

TASK_TEST(VM0024, "vm_protect of size 0 succeeds; of a wrapping range is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG);

    PT_EQ(vm_protect(SELF, a, 0, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, TOP, FALSE, VM_PROT_READ), KERN_INVALID_ARGUMENT);
    poke(a, 1); /* still writable */
}

TASK_TEST(VM0025, "vm_protect of a few bytes inside a region protects their page and splits the region in three")
{
    vm_address_t a = alloc(3 * PG);
    region_t r;

    PT_EQ(vm_protect(SELF, a + PG + 100, 8, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.size, PG);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
    PT_EQ(region(a + PG, &r), KERN_SUCCESS);
    PT_EQ(r.start, a + PG);
    PT_EQ(r.size, PG);
    PT_EQ(r.cur, VM_PROT_READ);
    PT_EQ(region(a + 2 * PG, &r), KERN_SUCCESS);
    PT_EQ(r.start, a + 2 * PG);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
}

TASK_TEST(VM0026, "write access taken away and given back: the data written before is still there")
{
    vm_address_t a = alloc(2 * PG);

    poke(a, 5);
    poke(a + PG, 6);
    PT_EQ(vm_protect(SELF, a, 2 * PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(peek(a + PG), 6);
    PT_EQ(vm_protect(SELF, a, 2 * PG, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS);
    poke(a, 50);
    PT_EQ(peek(a), 50);
    PT_EQ(peek(a + PG), 6);
}

TASK_TEST(VM0027, "VM_PROT_NONE and back to READ keeps the contents")
{
    vm_address_t a = alloc(PG);
    region_t r;

    poke(a + 16, 77);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_NONE);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(peek(a + 16), 77);
}

TASK_TEST(VM0028, "vm_protect across two adjacent regions fails as a whole when one refuses")
{
    vm_address_t a = alloc(2 * PG), b = a + 2 * PG;
    region_t r;

    PT_EQ(vm_allocate(SELF, &b, PG, FALSE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, b, PG, TRUE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, 3 * PG, FALSE, VM_PROT_ALL), KERN_PROTECTION_FAILURE);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
    PT_EQ(r.size, 2 * PG);
    PT_EQ(vm_protect(SELF, a, 3 * PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
}

/* ---- vm_inherit ---- */

TASK_TEST(VM0029, "vm_inherit sets SHARE, COPY and NONE, and vm_region reports each")
{
    vm_address_t a = alloc(PG);
    region_t r;
    static const vm_inherit_t v[] = {VM_INHERIT_SHARE, VM_INHERIT_NONE, VM_INHERIT_COPY};

    for (int i = 0; i < 3; i++) {
        PT_EQ(vm_inherit(SELF, a, PG, v[i]), KERN_SUCCESS);
        PT_EQ(region(a, &r), KERN_SUCCESS);
        PT_EQ(r.inh, v[i]);
    }
}

TASK_TEST(VM0030, "vm_inherit with a value other than SHARE, COPY or NONE is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_inherit(SELF, a, PG, 3), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_inherit(SELF, a, PG, 0xffffffffu), KERN_INVALID_ARGUMENT);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.inh, VM_INHERIT_COPY);
}

TASK_TEST(VM0031, "vm_inherit skips holes (GNU Mach and XNU agree) and splits regions at the range's ends")
{
    vm_address_t h = hole(5 * PG), a = h, b = h + 3 * PG;
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, 2 * PG, FALSE), KERN_SUCCESS);
    PT_EQ(vm_allocate(SELF, &b, 2 * PG, FALSE), KERN_SUCCESS);
    PT_EQ(vm_inherit(SELF, h + PG, 3 * PG, VM_INHERIT_SHARE), KERN_SUCCESS);
    PT_EQ(region(h, &r), KERN_SUCCESS);
    PT_EQ(r.inh, VM_INHERIT_COPY);
    PT_EQ(r.size, PG);
    PT_EQ(region(h + PG, &r), KERN_SUCCESS);
    PT_EQ(r.inh, VM_INHERIT_SHARE);
    PT_EQ(region(h + 2 * PG, &r), KERN_SUCCESS);
    PT_EQ(r.start, h + 3 * PG);
    PT_EQ(r.inh, VM_INHERIT_SHARE);
    PT_EQ(r.size, PG);
    PT_EQ(region(h + 4 * PG, &r), KERN_SUCCESS);
    PT_EQ(r.inh, VM_INHERIT_COPY);
}

TASK_TEST(VM0032, "vm_inherit of size 0 succeeds, of a wrapping range is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG);
    region_t r;

    PT_EQ(vm_inherit(SELF, a, 0, VM_INHERIT_NONE), KERN_SUCCESS);
    PT_EQ(vm_inherit(SELF, a, TOP, VM_INHERIT_NONE), KERN_INVALID_ARGUMENT);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.inh, VM_INHERIT_COPY);
}

/* ---- vm_region ---- */

TASK_TEST(VM0033, "vm_region of an address in a hole describes the next region above it")
{
    vm_address_t h = hole(4 * PG), a = h + 2 * PG;
    region_t r;

    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_SUCCESS);
    PT_EQ(region(h, &r), KERN_SUCCESS);
    PT_EQ(r.start, h + 2 * PG);
    PT_EQ(r.size, PG);
}

TASK_TEST(VM0034, "vm_region of an address inside a region gives that region's start, below the address")
{
    vm_address_t a = alloc(3 * PG);
    region_t r;

    PT_EQ(region(a + 2 * PG + 17, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
    PT_EQ(r.size, 3 * PG);
    PT_EQ(r.offset, 0);
}

TASK_TEST(VM0035, "vm_region above the last region is KERN_NO_SPACE")
{
    region_t r;

    PT_EQ(region(lib_usable_end() - PG, &r), KERN_NO_SPACE);
}

TASK_TEST(VM0036, "a walk with vm_region visits every region once, in ascending order, without overlaps")
{
    vm_address_t a[5], at = 0;
    region_t r;
    int seen = 0, n = 0;

    for (int i = 0; i < 5; i++) {
        a[i] = alloc((vm_size_t)(i + 1) * PG);
        PT_ASSERT(a[i] != 0);
        PT_EQ(vm_protect(SELF, a[i], PG, FALSE, (i & 1) ? VM_PROT_READ : VM_PROT_ALL), KERN_SUCCESS);
    }
    while (region(at, &r) == KERN_SUCCESS) {
        PT_ASSERT(r.start >= at && r.size > 0 && page_aligned(r.start) && page_aligned(r.size));
        for (int i = 0; i < 5; i++)
            if (r.start == a[i])
                seen |= 1 << i;
        at = r.start + r.size;
        PT_ASSERT(++n < 10000);
    }
    PT_EQ(seen, 0x1f);
}

/* ---- vm_map ---- */

static kern_return_t map_anon(vm_address_t *a, vm_size_t size, vm_address_t mask, boolean_t anywhere,
                              vm_prot_t cur, vm_prot_t max, vm_inherit_t inh)
{
    return vm_map(SELF, a, size, mask, anywhere, MEMORY_OBJECT_NULL, 0, FALSE, cur, max, inh);
}

TASK_TEST(VM0037, "vm_map of anonymous memory: zero-filled, with the protections and inheritance given")
{
    vm_address_t a = 0;
    region_t r;

    PT_EQ(map_anon(&a, 2 * PG, 0, TRUE, VM_PROT_READ, VM_PROT_DEFAULT, VM_INHERIT_SHARE), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.start, a);
    PT_EQ(r.size, 2 * PG);
    PT_EQ(r.cur, VM_PROT_READ);
    PT_EQ(r.max, VM_PROT_DEFAULT);
    PT_EQ(r.inh, VM_INHERIT_SHARE);
    PT_EQ(peek(a + PG), 0);
}

TASK_TEST(VM0038, "vm_map of size 0 is KERN_INVALID_ARGUMENT (unlike vm_allocate)")
{
    vm_address_t a = 0;

    PT_EQ(map_anon(&a, 0, 0, TRUE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(a, 0);
}

TASK_TEST(VM0039, "vm_map anywhere with a mask returns an address with (address & mask) == 0")
{
    static const vm_address_t masks[] = {0xffff, 0xfffff, 0x3fffff};

    (void)alloc(PG); /* something at the bottom, so alignment matters */
    for (int i = 0; i < 3; i++) {
        vm_address_t a = 0;

        PT_EQ(map_anon(&a, PG, masks[i], TRUE, 3, 7, 1), KERN_SUCCESS);
        PT_EQ(a & masks[i], 0);
    }
}

TASK_TEST(VM0040, "vm_map fixed at an address that violates the mask is KERN_NO_SPACE (GNU Mach and XNU agree)")
{
    vm_address_t a = 0, b;

    PT_EQ(map_anon(&a, PG, 0xffff, TRUE, 3, 7, 1), KERN_SUCCESS);
    PT_EQ(vm_deallocate(SELF, a, PG), KERN_SUCCESS);
    b = a + PG;
    PT_EQ(map_anon(&b, PG, 0xffff, FALSE, 3, 7, 1), KERN_NO_SPACE);
    b = a;
    PT_EQ(map_anon(&b, PG, 0xffff, FALSE, 3, 7, 1), KERN_SUCCESS);
    PT_EQ(b, a);
}

TASK_TEST(VM0041, "vm_map with unknown protection bits, cur above max, or a bad inheritance is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = 0;

    PT_EQ(map_anon(&a, PG, 0, TRUE, 0x8, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(map_anon(&a, PG, 0, TRUE, 3, 0xf, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(map_anon(&a, PG, 0, TRUE, VM_PROT_ALL, VM_PROT_READ, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(map_anon(&a, PG, 0, TRUE, 3, 7, 3), KERN_INVALID_ARGUMENT);
    PT_EQ(a, 0);
}

TASK_TEST(VM0042, "vm_map fixed over an existing region is KERN_NO_SPACE; outside the map KERN_INVALID_ADDRESS")
{
    vm_address_t a = alloc(2 * PG), b = a + PG;

    PT_EQ(map_anon(&b, PG, 0, FALSE, 3, 7, 1), KERN_NO_SPACE);
    b = lib_usable_end();
    PT_EQ(map_anon(&b, PG, 0, FALSE, 3, 7, 1), KERN_INVALID_ADDRESS);
}

TASK_TEST(VM0043, "vm_map anywhere places the region at or above the address given")
{
    vm_address_t h = hole(64 * PG), a = h + 32 * PG + 5;

    PT_EQ(map_anon(&a, PG, 0, TRUE, 3, 7, 1), KERN_SUCCESS);
    PT_EQ(a, h + 32 * PG);
}

TASK_TEST(VM0044, "vm_map of anonymous memory with an unaligned offset is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = 0;

    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, MEMORY_OBJECT_NULL, 0x10, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
}

TASK_TEST(VM0045, "vm_map of an object handle the task does not hold is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = 0;

    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, (memory_object_t)0x7777, 0, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(a, 0);
}

/* ---- named entries ---- */

static mem_entry_name_port_t new_entry(vm_size_t *size, vm_prot_t perm)
{
    mem_entry_name_port_t h = MACH_PORT_NULL;

    if (mach_make_memory_entry(SELF, size, 0, perm | MAP_MEM_NAMED_CREATE, &h, MACH_PORT_NULL) !=
        KERN_SUCCESS)
        return MACH_PORT_NULL;
    return h;
}

static vm_address_t map_entry(mem_entry_name_port_t h, vm_size_t size, vm_offset_t off, boolean_t copy)
{
    vm_address_t a = 0;

    if (vm_map(SELF, &a, size, 0, TRUE, h, off, copy, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY) !=
        KERN_SUCCESS)
        return 0;
    return a;
}

TASK_TEST(VM0046, "mach_make_memory_entry with MAP_MEM_NAMED_CREATE rounds the size up to pages")
{
    vm_size_t size = 3 * PG - 1;

    PT_ASSERT(new_entry(&size, VM_PROT_DEFAULT) != MACH_PORT_NULL);
    PT_EQ(size, 3 * PG);
}

TASK_TEST(VM0047, "a named entry mapped twice (copy FALSE) in one task: each mapping sees the other's writes")
{
    vm_size_t size = 2 * PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), b = map_entry(h, size, 0, FALSE);
    region_t r;

    PT_ASSERT(a != 0 && b != 0 && a != b);
    poke(a, 11);
    PT_EQ(peek(b), 11);
    poke(b + PG, 22);
    PT_EQ(peek(a + PG), 22);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.shared, TRUE);
}

TASK_TEST(VM0048, "a named entry mapped with copy TRUE is private: writes are invisible in both directions")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), c;

    poke(a, 1);
    c = map_entry(h, size, 0, TRUE);
    PT_ASSERT(c != 0);
    PT_EQ(peek(c), 1);
    poke(c, 2);
    PT_EQ(peek(a), 1);
    poke(a, 3);
    PT_EQ(peek(c), 2);
}

TASK_TEST(VM0049, "vm_map of a named entry at an offset maps the entry's pages from that offset")
{
    vm_size_t size = 4 * PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), b;

    for (int i = 0; i < 4; i++)
        poke(a + (vm_address_t)i * PG, 100u + (unsigned)i);
    b = map_entry(h, 2 * PG, 2 * PG, FALSE);
    PT_ASSERT(b != 0);
    PT_EQ(peek(b), 102);
    PT_EQ(peek(b + PG), 103);
}

TASK_TEST(VM0050, "vm_map of a named entry beyond its size, or at an unaligned offset, is KERN_INVALID_ARGUMENT")
{
    vm_size_t size = 2 * PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = 0;

    PT_EQ(vm_map(SELF, &a, 3 * PG, 0, TRUE, h, 0, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, h, 2 * PG, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, h, 100, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(a, 0);
}

TASK_TEST(VM0051, "a shared mapping of a read-only named entry with write access is KERN_PROTECTION_FAILURE")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_READ);
    vm_address_t a = 0;

    PT_ASSERT(h != MACH_PORT_NULL);
    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, h, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, 1),
          KERN_PROTECTION_FAILURE);
    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, h, 0, FALSE, VM_PROT_READ, VM_PROT_READ, 1), KERN_SUCCESS);
}

TASK_TEST(VM0052, "mach_make_memory_entry of a task range names that memory: a mapping of it sees and shares the data")
{
    vm_address_t a = alloc(2 * PG), b;
    vm_size_t size = 2 * PG;
    mem_entry_name_port_t h = MACH_PORT_NULL;

    poke(a + PG, 55);
    PT_EQ(mach_make_memory_entry(SELF, &size, a, VM_PROT_DEFAULT, &h, MACH_PORT_NULL), KERN_SUCCESS);
    PT_EQ(size, 2 * PG);
    b = map_entry(h, size, 0, FALSE);
    PT_ASSERT(b != 0);
    PT_EQ(peek(b + PG), 55);
    poke(b, 66);
    PT_EQ(peek(a), 66);
}

TASK_TEST(VM0053, "mach_make_memory_entry: size 0 or bad bits KERN_INVALID_ARGUMENT, a hole KERN_INVALID_ADDRESS, above max KERN_PROTECTION_FAILURE")
{
    vm_address_t a = alloc(PG), h0 = hole(PG);
    vm_size_t size = 0;
    mem_entry_name_port_t h = MACH_PORT_NULL;

    PT_EQ(mach_make_memory_entry(SELF, &size, 0, 3 | MAP_MEM_NAMED_CREATE, &h, 0), KERN_INVALID_ARGUMENT);
    size = PG;
    PT_EQ(mach_make_memory_entry(SELF, &size, 0, 0x8 | MAP_MEM_NAMED_CREATE, &h, 0), KERN_INVALID_ARGUMENT);
    PT_EQ(mach_make_memory_entry(SELF, &size, h0, VM_PROT_READ, &h, 0), KERN_INVALID_ADDRESS);
    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(mach_make_memory_entry(SELF, &size, a, VM_PROT_DEFAULT, &h, 0), KERN_PROTECTION_FAILURE);
    PT_EQ(h, MACH_PORT_NULL);
}

TASK_TEST(VM0054, "mach_port_deallocate drops the handle: it maps no more, and existing mappings keep working")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), b = 0;

    poke(a, 9);
    PT_EQ(mach_port_deallocate(SELF, h), KERN_SUCCESS);
    PT_EQ(vm_map(SELF, &b, PG, 0, TRUE, h, 0, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(peek(a), 9);
    poke(a, 10);
    PT_EQ(peek(a), 10);
}

/* ---- vm_remap ---- */

static kern_return_t remap_self(vm_address_t *to, vm_size_t size, int flags, vm_address_t from,
                                boolean_t copy, vm_prot_t *c, vm_prot_t *x)
{
    return vm_remap(SELF, to, size, 0, flags, SELF, from, copy, c, x, VM_INHERIT_COPY);
}

TASK_TEST(VM0055, "vm_remap shared (copy FALSE) within a task: both ranges see each other's writes")
{
    vm_address_t a = alloc(2 * PG), b = 0;
    vm_prot_t c, x;

    poke(a, 1);
    PT_EQ(remap_self(&b, 2 * PG, VM_FLAGS_ANYWHERE, a, FALSE, &c, &x), KERN_SUCCESS);
    PT_ASSERT(b != 0 && b != a);
    PT_EQ(peek(b), 1);
    poke(b + PG, 2);
    PT_EQ(peek(a + PG), 2);
    poke(a, 3);
    PT_EQ(peek(b), 3);
}

TASK_TEST(VM0056, "vm_remap copy (copy TRUE): a snapshot; later writes are invisible in both directions")
{
    vm_address_t a = alloc(2 * PG), b = 0;
    vm_prot_t c, x;

    poke(a, 1);
    poke(a + PG, 2);
    PT_EQ(remap_self(&b, 2 * PG, VM_FLAGS_ANYWHERE, a, TRUE, &c, &x), KERN_SUCCESS);
    PT_EQ(peek(b), 1);
    poke(a, 10);
    poke(b + PG, 20);
    PT_EQ(peek(b), 1);
    PT_EQ(peek(a + PG), 2);
    PT_EQ(peek(a), 10);
    PT_EQ(peek(b + PG), 20);
}

TASK_TEST(VM0057, "vm_remap returns as cur and max the strictest protections across the source range")
{
    vm_address_t a = alloc(3 * PG), b = 0;
    vm_prot_t c = 0, x = 0;
    region_t r;

    PT_EQ(vm_protect(SELF, a + PG, PG, TRUE, VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a + 2 * PG, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(remap_self(&b, 3 * PG, VM_FLAGS_ANYWHERE, a, FALSE, &c, &x), KERN_SUCCESS);
    PT_EQ(c, VM_PROT_READ);
    PT_EQ(x, VM_PROT_READ | VM_PROT_WRITE);
    PT_EQ(region(b + 2 * PG, &r), KERN_SUCCESS); /* each part keeps its own */
    PT_EQ(r.cur, VM_PROT_READ);
    PT_EQ(region(b, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
}

TASK_TEST(VM0058, "vm_remap of size 0 or of a wrapping range is KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG), b = 0;
    vm_prot_t c, x;

    PT_EQ(remap_self(&b, 0, VM_FLAGS_ANYWHERE, a, TRUE, &c, &x), KERN_INVALID_ARGUMENT);
    PT_EQ(remap_self(&b, TOP, VM_FLAGS_ANYWHERE, a, TRUE, &c, &x), KERN_INVALID_ARGUMENT);
    PT_EQ(b, 0);
}

TASK_TEST(VM0059, "vm_remap of a source with a hole is KERN_INVALID_ADDRESS")
{
    vm_address_t h = hole(3 * PG), a = h, b = 0;
    vm_prot_t c, x;

    PT_EQ(vm_allocate(SELF, &a, PG, FALSE), KERN_SUCCESS);
    PT_EQ(remap_self(&b, 3 * PG, VM_FLAGS_ANYWHERE, h, TRUE, &c, &x), KERN_INVALID_ADDRESS);
    PT_EQ(remap_self(&b, PG, VM_FLAGS_ANYWHERE, h + PG, FALSE, &c, &x), KERN_INVALID_ADDRESS);
}

TASK_TEST(VM0060, "vm_remap fixed: at the address given; over a region KERN_NO_SPACE; bad flags KERN_INVALID_ARGUMENT")
{
    vm_address_t a = alloc(PG), h = hole(PG), b = h;
    vm_prot_t c, x;

    poke(a, 4);
    PT_EQ(remap_self(&b, PG, VM_FLAGS_FIXED, a, TRUE, &c, &x), KERN_SUCCESS);
    PT_EQ(b, h);
    PT_EQ(peek(h), 4);
    PT_EQ(remap_self(&b, PG, VM_FLAGS_FIXED, a, TRUE, &c, &x), KERN_NO_SPACE);
    b = 0;
    PT_EQ(remap_self(&b, PG, 0x100, a, TRUE, &c, &x), KERN_INVALID_ARGUMENT);
}

TASK_TEST(VM0061, "vm_remap with a bad inheritance is KERN_INVALID_ARGUMENT; the given one is the new region's")
{
    vm_address_t a = alloc(PG), b = 0;
    vm_prot_t c, x;
    region_t r;

    PT_EQ(vm_remap(SELF, &b, PG, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &c, &x, 7), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_remap(SELF, &b, PG, 0, VM_FLAGS_ANYWHERE, SELF, a, TRUE, &c, &x, VM_INHERIT_NONE),
          KERN_SUCCESS);
    PT_EQ(region(b, &r), KERN_SUCCESS);
    PT_EQ(r.inh, VM_INHERIT_NONE);
}

TASK_TEST(VM0062, "vm_remap of a partial page range takes whole pages: the source's page offset is kept")
{
    vm_address_t a = alloc(3 * PG), b = 0;
    vm_prot_t c, x;
    region_t r;

    poke(a + PG + 64, 0x64);
    PT_EQ(remap_self(&b, 100, VM_FLAGS_ANYWHERE, a + PG + 64, TRUE, &c, &x), KERN_SUCCESS);
    PT_EQ(region(b, &r), KERN_SUCCESS);
    PT_EQ(r.size, PG);
    PT_EQ(peek(trunc_page(b) + 64), 0x64);
}

TASK_TEST(VM0063, "copy-on-write at depth 3 with vm_remap: each generation keeps its own writes in both directions")
{
    vm_address_t g[4] = {alloc(PG), 0, 0, 0};
    vm_prot_t c, x;

    poke(g[0], 100);
    for (int i = 1; i < 4; i++) {
        PT_EQ(remap_self(&g[i], PG, VM_FLAGS_ANYWHERE, g[i - 1], TRUE, &c, &x), KERN_SUCCESS);
        PT_EQ(peek(g[i]), 100u + (unsigned)i - 1);
        poke(g[i], 100u + (unsigned)i);
    }
    poke(g[0], 1000);
    for (int i = 1; i < 4; i++)
        PT_EQ(peek(g[i]), 100u + (unsigned)i);
    PT_EQ(peek(g[0]), 1000);
}

/* ---- vm_read / vm_write / vm_copy ---- */

TASK_TEST(VM0064, "vm_read gives a private copy in the caller's space; changes to either side stay there")
{
    vm_address_t a = alloc(2 * PG);
    pointer_t d = 0;
    mach_msg_type_number_t n = 0;

    poke(a, 5);
    poke(a + PG, 6);
    PT_EQ(vm_read(SELF, a, 2 * PG, &d, &n), KERN_SUCCESS);
    PT_EQ(n, 2 * PG);
    PT_ASSERT(d != 0 && d != a);
    PT_EQ(peek(d), 5);
    PT_EQ(peek(d + PG), 6);
    poke(d, 50);
    PT_EQ(peek(a), 5);
    poke(a + PG, 60);
    PT_EQ(peek(d + PG), 6);
    PT_EQ(vm_deallocate(SELF, d, n), KERN_SUCCESS);
}

TASK_TEST(VM0065, "vm_read of an unreadable source is KERN_PROTECTION_FAILURE")
{
    vm_address_t a = alloc(PG);
    pointer_t d;
    mach_msg_type_number_t n;

    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    PT_EQ(vm_read(SELF, a, PG, &d, &n), KERN_PROTECTION_FAILURE);
}

TASK_TEST(VM0066, "vm_read of a range with a hole is KERN_INVALID_ADDRESS")
{
    vm_address_t a = alloc(PG), h = hole(PG);
    pointer_t d;
    mach_msg_type_number_t n;

    PT_EQ(vm_read(SELF, h, PG, &d, &n), KERN_INVALID_ADDRESS);
    if (a + PG == h) /* the range runs from a region into the hole */
        PT_EQ(vm_read(SELF, a, 2 * PG, &d, &n), KERN_INVALID_ADDRESS);
}

TASK_TEST(VM0067, "vm_write overwrites the target range with the caller's data")
{
    vm_address_t a = alloc(2 * PG), src = alloc(2 * PG);

    for (int i = 0; i < 2; i++)
        poke(src + (vm_address_t)i * PG, 0xa0u + (unsigned)i);
    poke(a, 1);
    PT_EQ(vm_write(SELF, a, src, 2 * PG), KERN_SUCCESS);
    PT_EQ(peek(a), 0xa0);
    PT_EQ(peek(a + PG), 0xa1);
    poke(src, 0);
    PT_EQ(peek(a), 0xa0);
}

TASK_TEST(VM0068, "vm_write to a read-only target is KERN_PROTECTION_FAILURE, to a hole KERN_INVALID_ADDRESS")
{
    vm_address_t a = alloc(PG), src = alloc(PG), h = hole(PG);

    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_write(SELF, a, src, PG), KERN_PROTECTION_FAILURE);
    PT_EQ(vm_write(SELF, h, src, PG), KERN_INVALID_ADDRESS);
}

TASK_TEST(VM0069, "vm_write from an unreadable buffer of the caller is KERN_PROTECTION_FAILURE")
{
    vm_address_t a = alloc(PG), src = alloc(PG);

    PT_EQ(vm_protect(SELF, src, PG, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    PT_EQ(vm_write(SELF, a, src, PG), KERN_PROTECTION_FAILURE);
}

TASK_TEST(VM0070, "vm_copy copies pages; later writes to source or destination stay on their side")
{
    vm_address_t a = alloc(2 * PG), b = alloc(2 * PG);

    poke(a, 1);
    poke(a + PG, 2);
    PT_EQ(vm_copy(SELF, a, 2 * PG, b), KERN_SUCCESS);
    PT_EQ(peek(b), 1);
    PT_EQ(peek(b + PG), 2);
    poke(a, 10);
    poke(b + PG, 20);
    PT_EQ(peek(b), 1);
    PT_EQ(peek(a + PG), 2);
}

TASK_TEST(VM0071, "vm_copy: unreadable source or read-only destination KERN_PROTECTION_FAILURE, holes KERN_INVALID_ADDRESS")
{
    vm_address_t a = alloc(PG), b = alloc(PG), h = hole(PG);

    PT_EQ(vm_copy(SELF, a, PG, h), KERN_INVALID_ADDRESS);
    PT_EQ(vm_copy(SELF, h, PG, b), KERN_INVALID_ADDRESS);
    PT_EQ(vm_protect(SELF, b, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_copy(SELF, a, PG, b), KERN_PROTECTION_FAILURE);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, b, PG, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS);
    PT_EQ(vm_copy(SELF, a, PG, b), KERN_PROTECTION_FAILURE);
}

TASK_TEST(VM0072, "vm_copy of size 0 succeeds and copies nothing")
{
    vm_address_t a = alloc(PG), b = alloc(PG);

    poke(a, 3);
    PT_EQ(vm_copy(SELF, a, 0, b), KERN_SUCCESS);
    PT_EQ(peek(b), 0);
}

TASK_TEST(VM0073, "copy-on-write at depth 3 with vm_copy: writes after each copy stay in their generation")
{
    vm_address_t g[4];

    for (int i = 0; i < 4; i++)
        PT_ASSERT((g[i] = alloc(PG)) != 0);
    poke(g[0], 7);
    for (int i = 1; i < 4; i++) {
        PT_EQ(vm_copy(SELF, g[i - 1], PG, g[i]), KERN_SUCCESS);
        poke(g[i - 1], 70u + (unsigned)i);
    }
    PT_EQ(peek(g[3]), 7); /* each copy was taken before its source's write */
    PT_EQ(peek(g[2]), 73);
    PT_EQ(peek(g[1]), 72);
    PT_EQ(peek(g[0]), 71);
}

/* ---- vm_unmap and vm_statistics ---- */

TASK_TEST(VM0074, "vm_unmap keeps the region and its data: the next touch faults the page back in")
{
    vm_address_t a = alloc(2 * PG);
    vm_statistics_data_t s0, s1;
    region_t r;

    poke(a, 31);
    poke(a + PG, 32);
    PT_EQ(vm_unmap(SELF, a, 2 * PG), KERN_SUCCESS);
    PT_EQ(region(a, &r), KERN_SUCCESS);
    PT_EQ(r.size, 2 * PG);
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    PT_EQ(peek(a), 31);
    PT_EQ(peek(a + PG), 32);
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_ASSERT(s1.faults > s0.faults);
}

TASK_TEST(VM0075, "vm_unmap of a wrapping range is KERN_INVALID_ARGUMENT; of a hole succeeds")
{
    vm_address_t a = alloc(PG);

    PT_EQ(vm_unmap(SELF, a, TOP), KERN_INVALID_ARGUMENT);
    PT_EQ(vm_unmap(SELF, hole(PG), PG), KERN_SUCCESS);
}

TASK_TEST(VM0076, "vm_statistics: the page size, and each first touch of a fresh page is one zero-fill")
{
    vm_address_t a = alloc(8 * PG);
    vm_statistics_data_t s0, s1, g;

    PT_EQ(vm_statistics(SELF, &g), KERN_SUCCESS);
    PT_EQ(g.pagesize, PG);
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    PT_EQ(s0.pagesize, PG);
    for (int i = 0; i < 8; i++)
        poke(a + (vm_address_t)i * PG, 1);
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_EQ(s1.zero_fill_count - s0.zero_fill_count, 8);
    PT_EQ(s1.cow_faults, s0.cow_faults);
}

TASK_TEST(VM0077, "vm_statistics: a write to a copied page is one copy-on-write fault; a read is none")
{
    vm_address_t a = alloc(PG), b = 0;
    vm_prot_t c, x;
    vm_statistics_data_t s0, s1;

    poke(a, 1);
    PT_EQ(remap_self(&b, PG, VM_FLAGS_ANYWHERE, a, TRUE, &c, &x), KERN_SUCCESS);
    PT_EQ(task_vm_statistics(SELF, &s0), KERN_SUCCESS);
    PT_EQ(peek(b), 1);
    poke(b, 2);
    PT_EQ(task_vm_statistics(SELF, &s1), KERN_SUCCESS);
    PT_EQ(s1.cow_faults - s0.cow_faults, 1);
}

/* ---- tasks: creation by inheritance, termination, frames ---- */

/* One word of another task's memory, through vm_read. */
static L4_Word_t peek_task(task_t t, vm_address_t a)
{
    pointer_t d = 0;
    mach_msg_type_number_t n = 0;
    L4_Word_t v;

    if (vm_read(t, a, sizeof(L4_Word_t), &d, &n) != KERN_SUCCESS)
        return 0xbad;
    v = peek(d);
    (void)vm_deallocate(SELF, d, n);
    return v;
}

/* One word into another task's memory, through vm_write of a page. */
static kern_return_t poke_task(task_t t, vm_address_t a, L4_Word_t v)
{
    vm_address_t buf = alloc(PG);
    pointer_t d = 0;
    mach_msg_type_number_t n = 0;
    kern_return_t r = vm_read(t, trunc_page(a), PG, &d, &n);

    if (r == KERN_SUCCESS) {
        memcpy((void *)buf, (void *)d, PG);
        poke(buf + (a & PAGE_MASK), v);
        r = vm_write(t, trunc_page(a), buf, PG);
        (void)vm_deallocate(SELF, d, n);
    }
    (void)vm_deallocate(SELF, buf, PG);
    return r;
}

TASK_TEST(VM0078, "task_create without inherit_memory gives an empty address space")
{
    task_t child = TASK_NULL;
    region_t r;
    vm_size_t size;
    vm_prot_t c, x;
    vm_inherit_t inh;
    boolean_t sh;
    memory_object_name_t name;
    vm_offset_t off;

    (void)alloc(PG);
    PT_EQ(task_create(SELF, FALSE, &child), KERN_SUCCESS);
    PT_ASSERT(child != TASK_NULL && child != SELF);
    r.start = 0;
    PT_EQ(vm_region(child, &r.start, &size, &c, &x, &inh, &sh, &name, &off), KERN_NO_SPACE);
    PT_EQ(task_terminate(child), KERN_SUCCESS);
}

TASK_TEST(VM0079, "task_create by inheritance: SHARE shared both ways, COPY a snapshot both ways, NONE a hole")
{
    vm_address_t s = alloc(PG), c = alloc(PG), n = alloc(PG), at;
    kern_return_t r;
    task_t child;
    vm_size_t size;
    vm_prot_t p, x;
    vm_inherit_t inh;
    boolean_t sh;
    memory_object_name_t name;
    vm_offset_t off;

    PT_EQ(vm_inherit(SELF, s, PG, VM_INHERIT_SHARE), KERN_SUCCESS);
    PT_EQ(vm_inherit(SELF, n, PG, VM_INHERIT_NONE), KERN_SUCCESS);
    poke(s, 1);
    poke(c, 2);
    poke(n, 3);
    PT_EQ(task_create(SELF, TRUE, &child), KERN_SUCCESS);
    PT_EQ(peek_task(child, s), 1);
    PT_EQ(peek_task(child, c), 2);
    poke(s, 10);
    poke(c, 20);
    PT_EQ(peek_task(child, s), 10);
    PT_EQ(peek_task(child, c), 2);
    PT_EQ(poke_task(child, s, 100), KERN_SUCCESS);
    PT_EQ(poke_task(child, c, 200), KERN_SUCCESS);
    PT_EQ(peek(s), 100);
    PT_EQ(peek(c), 20);
    at = n;
    r = vm_region(child, &at, &size, &p, &x, &inh, &sh, &name, &off);
    PT_ASSERT(r == KERN_NO_SPACE || (r == KERN_SUCCESS && at > n)); /* NONE left a hole */
    PT_EQ(task_terminate(child), KERN_SUCCESS);
    PT_EQ(peek(s), 100);
}

TASK_TEST(VM0080, "a child keeps the parent's protections and inheritance; its copy keeps them for the grandchild")
{
    vm_address_t a = alloc(PG), at = a;
    task_t child, grand;
    vm_size_t size;
    vm_prot_t p, x;
    vm_inherit_t inh;
    boolean_t sh;
    memory_object_name_t name;
    vm_offset_t off;

    PT_EQ(vm_protect(SELF, a, PG, TRUE, VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(task_create(SELF, TRUE, &child), KERN_SUCCESS);
    PT_EQ(task_create(child, TRUE, &grand), KERN_SUCCESS);
    PT_EQ(vm_region(grand, &at, &size, &p, &x, &inh, &sh, &name, &off), KERN_SUCCESS);
    PT_EQ(at, a);
    PT_EQ(p, VM_PROT_READ);
    PT_EQ(x, VM_PROT_READ | VM_PROT_WRITE);
    PT_EQ(inh, VM_INHERIT_COPY);
    PT_EQ(task_terminate(grand), KERN_SUCCESS);
    PT_EQ(task_terminate(child), KERN_SUCCESS);
}

TASK_TEST(VM0081, "copy-on-write at depth 3 through task_create: four generations each keep their own writes")
{
    vm_address_t a = alloc(PG);
    task_t t[4];

    t[0] = SELF;
    poke(a, 0);
    for (int i = 1; i < 4; i++) {
        PT_EQ(task_create(t[i - 1], TRUE, &t[i]), KERN_SUCCESS);
        PT_EQ(poke_task(t[i], a, (L4_Word_t)i), KERN_SUCCESS);
    }
    poke(a, 9);
    for (int i = 1; i < 4; i++)
        PT_EQ(peek_task(t[i], a), (L4_Word_t)i);
    PT_EQ(peek(a), 9);
    for (int i = 3; i > 0; i--)
        PT_EQ(task_terminate(t[i]), KERN_SUCCESS);
}

TASK_TEST(VM0082, "a terminated task's handle names nothing: calls on it are KERN_INVALID_ARGUMENT")
{
    task_t child;
    vm_address_t a = 0;

    PT_EQ(task_create(SELF, FALSE, &child), KERN_SUCCESS);
    PT_EQ(vm_allocate(child, &a, PG, TRUE), KERN_SUCCESS);
    PT_EQ(task_terminate(child), KERN_SUCCESS);
    PT_EQ(vm_allocate(child, &a, PG, TRUE), KERN_INVALID_ARGUMENT);
    PT_EQ(task_terminate(child), KERN_INVALID_ARGUMENT);
    PT_EQ(task_terminate(BOGUS_TASK), KERN_INVALID_ARGUMENT);
}

TASK_TEST(VM0083, "task_terminate returns every frame the task used: memsvr's frames in use come back")
{
    vm_size_t rcv, fr, used0, used1, meta;
    task_t child;
    vm_address_t a = 0;

    PT_EQ(mach_vm_frames(&rcv, &fr, &used0, &meta), KERN_SUCCESS);
    PT_EQ(task_create(SELF, FALSE, &child), KERN_SUCCESS);
    PT_EQ(vm_allocate(child, &a, 16 * PG, TRUE), KERN_SUCCESS);
    for (int i = 0; i < 16; i++)
        PT_EQ(poke_task(child, a + (vm_address_t)i * PG, 1), KERN_SUCCESS);
    PT_EQ(mach_vm_frames(&rcv, &fr, &used1, &meta), KERN_SUCCESS);
    PT_ASSERT(used1 >= used0 + 16);
    PT_EQ(task_terminate(child), KERN_SUCCESS);
    PT_EQ(mach_vm_frames(&rcv, &fr, &used1, &meta), KERN_SUCCESS);
    PT_EQ(used1, used0);
    PT_EQ(rcv, fr + used1);
}

TASK_TEST(VM0084, "a named entry shared by three tasks: a write through any mapping is seen through the others")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    task_t t1, t2;
    vm_address_t a = map_entry(h, PG, 0, FALSE), b1 = 0, b2 = 0;

    PT_EQ(task_create(SELF, FALSE, &t1), KERN_SUCCESS);
    PT_EQ(task_create(SELF, FALSE, &t2), KERN_SUCCESS);
    PT_EQ(mach_port_insert_right(t1, h, h, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    PT_EQ(mach_port_insert_right(t2, h, h, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    PT_EQ(vm_map(t1, &b1, PG, 0, TRUE, h, 0, FALSE, 3, 7, 1), KERN_SUCCESS);
    PT_EQ(vm_map(t2, &b2, PG, 0, TRUE, h, 0, FALSE, 3, 7, 1), KERN_SUCCESS);
    poke(a, 1);
    PT_EQ(peek_task(t1, b1), 1);
    PT_EQ(peek_task(t2, b2), 1);
    PT_EQ(poke_task(t1, b1, 2), KERN_SUCCESS);
    PT_EQ(peek(a), 2);
    PT_EQ(peek_task(t2, b2), 2);
    PT_EQ(task_terminate(t1), KERN_SUCCESS);
    PT_EQ(poke_task(t2, b2, 3), KERN_SUCCESS);
    PT_EQ(peek(a), 3);
    PT_EQ(task_terminate(t2), KERN_SUCCESS);
}

TASK_TEST(VM0085, "mach_port_insert_right of a handle not held, or to a task not held, is refused")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    task_t t1;

    PT_EQ(task_create(SELF, FALSE, &t1), KERN_SUCCESS);
    PT_ASSERT(mach_port_insert_right(t1, 0x4444, 0x4444, MACH_MSG_TYPE_COPY_SEND) != KERN_SUCCESS);
    PT_EQ(mach_port_insert_right(BOGUS_TASK, h, h, MACH_MSG_TYPE_COPY_SEND), KERN_INVALID_ARGUMENT);
    PT_EQ(task_terminate(t1), KERN_SUCCESS);
}

TASK_TEST(VM0086, "MOVE_SEND gives the handle away: the giver can map it no more, the receiver can")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    task_t t1;
    vm_address_t a = 0;

    PT_EQ(task_create(SELF, FALSE, &t1), KERN_SUCCESS);
    PT_EQ(mach_port_insert_right(t1, h, h, MACH_MSG_TYPE_MOVE_SEND), KERN_SUCCESS);
    PT_EQ(vm_map(SELF, &a, PG, 0, TRUE, h, 0, FALSE, 3, 7, 1), KERN_INVALID_ARGUMENT);
    PT_EQ(task_terminate(t1), KERN_SUCCESS);
}

TASK_TEST(VM0087, "vm_remap between two tasks: a shared remap into a child is seen by both")
{
    vm_address_t a = alloc(PG), b = 0;
    task_t t1;
    vm_prot_t c, x;

    PT_EQ(task_create(SELF, FALSE, &t1), KERN_SUCCESS);
    poke(a, 5);
    PT_EQ(vm_remap(t1, &b, PG, 0, VM_FLAGS_ANYWHERE, SELF, a, FALSE, &c, &x, VM_INHERIT_COPY),
          KERN_SUCCESS);
    PT_EQ(peek_task(t1, b), 5);
    PT_EQ(poke_task(t1, b, 6), KERN_SUCCESS);
    PT_EQ(peek(a), 6);
    PT_EQ(task_terminate(t1), KERN_SUCCESS);
    PT_EQ(peek(a), 6);
}

TASK_TEST(VM0088, "vm_remap copy from a child into the caller: a snapshot of the child's memory")
{
    vm_address_t a = 0, b = 0;
    task_t t1;
    vm_prot_t c, x;

    PT_EQ(task_create(SELF, FALSE, &t1), KERN_SUCCESS);
    PT_EQ(vm_allocate(t1, &a, PG, TRUE), KERN_SUCCESS);
    PT_EQ(poke_task(t1, a, 8), KERN_SUCCESS);
    PT_EQ(vm_remap(SELF, &b, PG, 0, VM_FLAGS_ANYWHERE, t1, a, TRUE, &c, &x, VM_INHERIT_COPY),
          KERN_SUCCESS);
    PT_EQ(peek(b), 8);
    PT_EQ(poke_task(t1, a, 9), KERN_SUCCESS);
    PT_EQ(peek(b), 8);
    PT_EQ(task_terminate(t1), KERN_SUCCESS);
    PT_EQ(peek(b), 8); /* the snapshot outlives its source */
}

/* ---- more boundaries ---- */

TASK_TEST(VM0089, "vm_read and vm_write of size 0 succeed and move nothing")
{
    vm_address_t a = alloc(PG);
    pointer_t d = 1;
    mach_msg_type_number_t n = 1;

    PT_EQ(vm_read(SELF, a, 0, &d, &n), KERN_SUCCESS);
    PT_EQ(n, 0);
    PT_EQ(vm_write(SELF, a, a, 0), KERN_SUCCESS);
}

TASK_TEST(VM0090, "vm_read across two adjacent regions with different protections, both readable, is one copy")
{
    vm_address_t a = alloc(2 * PG);
    pointer_t d;
    mach_msg_type_number_t n;

    poke(a, 1);
    poke(a + PG, 2);
    PT_EQ(vm_protect(SELF, a + PG, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(vm_read(SELF, a, 2 * PG, &d, &n), KERN_SUCCESS);
    PT_EQ(peek(d), 1);
    PT_EQ(peek(d + PG), 2);
}

TASK_TEST(VM0091, "fifty vm_allocate anywhere of varied sizes give disjoint regions of the rounded sizes")
{
    vm_address_t a[50];
    vm_size_t s[50];
    region_t r;

    for (int i = 0; i < 50; i++) {
        s[i] = (vm_size_t)(1 + (i * 7) % 5) * PG - (vm_size_t)(i % 3);
        PT_ASSERT((a[i] = alloc(s[i])) != 0);
        poke(a[i], (L4_Word_t)i);
    }
    for (int i = 0; i < 50; i++) {
        PT_EQ(region(a[i], &r), KERN_SUCCESS);
        PT_EQ(r.start, a[i]);
        PT_EQ(r.size, round_page(s[i]));
        PT_EQ(peek(a[i]), i);
        for (int j = 0; j < i; j++)
            PT_ASSERT(a[j] + round_page(s[j]) <= a[i] || a[i] + round_page(s[i]) <= a[j]);
    }
}

TASK_TEST(VM0092, "deallocating one mapping of a named entry leaves the other mapping and its data")
{
    vm_size_t size = 2 * PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), b = map_entry(h, size, 0, FALSE);

    poke(a + PG, 4);
    PT_EQ(vm_deallocate(SELF, a, 2 * PG), KERN_SUCCESS);
    PT_EQ(peek(b + PG), 4);
    poke(b, 5);
    PT_EQ(peek(b), 5);
}

TASK_TEST(VM0093, "vm_protect of one mapping of a named entry leaves the other mapping's protection alone")
{
    vm_size_t size = PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), b = map_entry(h, size, 0, FALSE);
    region_t r;

    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(region(b, &r), KERN_SUCCESS);
    PT_EQ(r.cur, VM_PROT_DEFAULT);
    poke(b, 6);
    PT_EQ(peek(a), 6);
}

TASK_TEST(VM0094, "a fresh named entry reads as zeros through a shared and a copied mapping")
{
    vm_size_t size = 2 * PG;
    mem_entry_name_port_t h = new_entry(&size, VM_PROT_DEFAULT);
    vm_address_t a = map_entry(h, size, 0, FALSE), c = map_entry(h, size, 0, TRUE);

    PT_ASSERT(a != 0 && c != 0);
    PT_EQ(peek(a + PG + 8), 0);
    PT_EQ(peek(c + 8), 0);
}

/* ---- several clients at once, by seed ---- */

#define SC_PAGES 32
#define SC_STEPS 150

typedef struct sc_page {
    bool used;
    vm_prot_t cur, max;
    L4_Word_t tag;
} sc_page_t;

static kern_return_t sc_protect_model(sc_page_t *m, int s, int n, bool set_max, vm_prot_t p)
{
    for (int i = s; i < s + n; i++) {
        if (!m[i].used)
            return KERN_INVALID_ADDRESS;
        if (p & ~m[i].max)
            return KERN_PROTECTION_FAILURE;
    }
    for (int i = s; i < s + n; i++) {
        if (set_max)
            m[i].max = p, m[i].cur &= p;
        else
            m[i].cur = p;
    }
    return KERN_SUCCESS;
}

/* xorshift32: the clients' fixed-seed sequences. */
static unsigned sc_rand(unsigned *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Checks every page of the window against the model. */
static void sc_verify(vm_address_t h, const sc_page_t *m)
{
    for (int i = 0; i < SC_PAGES; i++) {
        vm_address_t a = h + (vm_address_t)i * PG;
        region_t r;
        bool in = region(a, &r) == KERN_SUCCESS && r.start <= a;

        PT_EQ(in, m[i].used);
        if (!in)
            continue;
        PT_EQ(r.cur, m[i].cur);
        PT_EQ(r.max, m[i].max);
        if (m[i].cur & VM_PROT_READ)
            PT_EQ(peek(a), m[i].tag);
    }
}

/* One client: a seeded mix of allocate, deallocate, protect and touches
 * in its own window of SC_PAGES pages, checked against a model. */
static void seeded_client(void)
{
    unsigned id = (unsigned)pt_shared[0]++, seed = 0x5eed0000u + id;
    sc_page_t m[SC_PAGES];
    vm_address_t h = hole(SC_PAGES * PG);

    PT_ASSERT(h != 0);
    memset(m, 0, sizeof m);
    for (int step = 0; step < SC_STEPS; step++) {
        int op = (int)(sc_rand(&seed) % 4), s = (int)(sc_rand(&seed) % SC_PAGES);
        int n = 1 + (int)(sc_rand(&seed) % 4);
        vm_address_t a = h + (vm_address_t)s * PG;

        if (s + n > SC_PAGES)
            n = SC_PAGES - s;
        pt_shared[1 + id] = (L4_Word_t)step + 1;
        L4_Yield(); /* let the other clients in between any two steps */
        for (unsigned o = 0; o < 4; o++) /* another client is mid-way too */
            if (o != id && pt_shared[1 + o] > 0 && pt_shared[1 + o] < SC_STEPS)
                pt_shared[8] = 1;
        if (op == 0) {
            bool free = true;
            for (int i = s; i < s + n; i++)
                free = free && !m[i].used;
            PT_EQ(vm_allocate(SELF, &a, (vm_size_t)n * PG, FALSE), free ? KERN_SUCCESS : KERN_NO_SPACE);
            for (int i = s; free && i < s + n; i++) {
                vm_address_t p = h + (vm_address_t)i * PG;
                PT_EQ(peek(p), 0);
                m[i] = (sc_page_t){true, VM_PROT_DEFAULT, VM_PROT_ALL, seed ^ (L4_Word_t)p};
                poke(p, m[i].tag);
            }
        } else if (op == 1) {
            PT_EQ(vm_deallocate(SELF, a, (vm_size_t)n * PG), KERN_SUCCESS);
            for (int i = s; i < s + n; i++)
                m[i].used = false;
        } else if (op == 2) {
            static const vm_prot_t choice[] = {VM_PROT_READ, VM_PROT_DEFAULT, VM_PROT_ALL, VM_PROT_NONE};
            vm_prot_t p = choice[sc_rand(&seed) % 4];
            bool set_max = sc_rand(&seed) % 5 == 0;
            PT_EQ(vm_protect(SELF, a, (vm_size_t)n * PG, set_max, p), sc_protect_model(m, s, n, set_max, p));
        } else {
            sc_verify(h, m);
            if (pt_failed())
                return;
        }
    }
    sc_verify(h, m);
}

DEFINE_TEST(VM0095, "four client tasks at once, each a seeded mix of calls and touches checked against a model; frames balance after")
{
    L4_ThreadId_t t[4];
    task_t task[4];
    vm_size_t rcv, fr, used0, used1;

    pv_frames(&rcv, &fr, &used0);
    for (int i = 0; i < 4; i++)
        PT_ASSERT(!L4_IsNilThread(t[i] = pv_spawn(seeded_client, &task[i])));
    for (int i = 0; i < 4; i++)
        PT_ASSERT(pv_wait(t[i], 20000));
    for (int i = 0; i < 4; i++)
        pv_end(t[i], task[i]);
    PT_EQ(pt_shared[0], 4);
    PT_EQ(pt_shared[8], 1); /* they did run interleaved */
    pv_frames(&rcv, &fr, &used1);
    PT_EQ(used1, used0);
    PT_EQ(rcv, fr + used1);
}
