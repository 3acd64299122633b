/* VMB0001-VMB0006: memsvr's vm_write_bytes (ipc/idl/vm.idl), the bytes
 * carried in the message, as the ia32 booter copies boot programs into
 * their tasks (servers/lib/arch/ia32/boot.c): unaligned ranges across
 * pages, size 0, protections, holes, bad tasks and sizes, and copies made
 * by vm_copy.  Each case runs in a task that memsvr pages (pt_vm.h). */
#include <string.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "ptest.h"
#include "pt_vm.h"
#include "vm_client.h"

#define PG PAGE_SIZE

static vm_address_t alloc(vm_size_t size)
{
    vm_address_t a = 0;

    return vm_allocate(SELF, &a, size, TRUE) == KERN_SUCCESS ? a : 0;
}

/* vm_write_bytes of data[0..n) at a of task; KERN_FAILURE if the IPC fails. */
static int write_bytes(task_t task, vm_address_t a, const char *data, int n)
{
    chacm_env_t env = { 0 };
    int rc = vm_vm_write_bytes(mach_server(), task, a, n, (char *)data, &env);
    return env.error == CHACM_IDL_OK ? rc : KERN_FAILURE;
}

static char pattern[VM_WRITE_BYTES_MAX + 1];

static void fill(void)
{
    for (unsigned i = 0; i < sizeof pattern; i++)
        pattern[i] = (char)(i * 7 + 3);
}

TASK_TEST(VMB0001, "vm_write_bytes writes an unaligned range across a page boundary and nothing around it")
{
    vm_address_t a = alloc(2 * PG);
    volatile char *p = (volatile char *)a;

    fill();
    PT_ASSERT(a != 0);
    p[PG - 101] = 'x';
    p[PG + 4000 - 100] = 'y';
    PT_EQ(write_bytes(SELF, a + PG - 100, pattern, 4000), KERN_SUCCESS);
    PT_EQ(memcmp((const void *)(a + PG - 100), pattern, 4000), 0);
    PT_EQ(p[PG - 101], 'x');
    PT_EQ(p[PG + 4000 - 100], 'y');
    PT_EQ(p[0], 0);
}

TASK_TEST(VMB0002, "vm_write_bytes into pages not touched yet: they are allocated zero-filled, then written")
{
    vm_address_t a = alloc(3 * PG);

    fill();
    PT_ASSERT(a != 0);
    PT_EQ(write_bytes(SELF, a + 2 * PG + 10, pattern, 64), KERN_SUCCESS);
    PT_EQ(memcmp((const void *)(a + 2 * PG + 10), pattern, 64), 0);
    PT_EQ(((volatile char *)a)[2 * PG], 0);
    PT_EQ(((volatile char *)a)[0], 0);
}

TASK_TEST(VMB0003, "vm_write_bytes of 0 bytes succeeds and changes nothing; a negative size or more than VM_WRITE_BYTES_MAX is refused")
{
    vm_address_t a = alloc(PG);

    fill();
    PT_ASSERT(a != 0);
    PT_EQ(write_bytes(SELF, a, pattern, 0), KERN_SUCCESS);
    PT_EQ(((volatile char *)a)[0], 0);
    PT_ASSERT(write_bytes(SELF, a, pattern, VM_WRITE_BYTES_MAX + 1) != KERN_SUCCESS);
    PT_ASSERT(write_bytes(SELF, a, pattern, -1) != KERN_SUCCESS);
    PT_EQ(((volatile char *)a)[0], 0);
}

TASK_TEST(VMB0004, "vm_write_bytes to a read-only range is KERN_PROTECTION_FAILURE, to a hole KERN_INVALID_ADDRESS")
{
    vm_address_t a = alloc(PG), h = alloc(PG);

    fill();
    PT_ASSERT(a != 0 && h != 0);
    PT_EQ(vm_deallocate(SELF, h, PG), KERN_SUCCESS);
    PT_EQ(vm_protect(SELF, a, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
    PT_EQ(write_bytes(SELF, a, pattern, 16), KERN_PROTECTION_FAILURE);
    PT_EQ(((volatile char *)a)[0], 0);
    PT_EQ(write_bytes(SELF, h, pattern, 16), KERN_INVALID_ADDRESS);
}

TASK_TEST(VMB0005, "vm_write_bytes with a task that is not one is KERN_INVALID_ARGUMENT")
{
    fill();
    PT_EQ(write_bytes(BOGUS_TASK, alloc(PG), pattern, 16), KERN_INVALID_ARGUMENT);
    PT_EQ(write_bytes(TASK_NULL, alloc(PG), pattern, 16), KERN_INVALID_ARGUMENT);
}

TASK_TEST(VMB0006, "vm_write_bytes into a vm_copy of a range changes the copy, not the original")
{
    vm_address_t a = alloc(PG), b = alloc(PG);

    fill();
    PT_ASSERT(a != 0 && b != 0);
    ((volatile char *)a)[0] = 'o';
    PT_EQ(vm_copy(SELF, a, PG, b), KERN_SUCCESS);
    PT_EQ(write_bytes(SELF, b, pattern, 32), KERN_SUCCESS);
    PT_EQ(memcmp((const void *)b, pattern, 32), 0);
    PT_EQ(((volatile char *)a)[0], 'o');
}
