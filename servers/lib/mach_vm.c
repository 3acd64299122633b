/* Mach's VM calls (<mach/mach.h>) over the generated stubs of
 * ipc/idl/vm.idl.  The server is memsvr, the caller's pager (L4_Pager()),
 * unless mach_set_server names another thread.  A call whose IPC fails
 * returns KERN_FAILURE, one memsvr rejects as malformed
 * KERN_INVALID_ARGUMENT. */
#include <string.h>
#include <chacm/l4util.h>
#include <chacm/lock.h>
#include <chacm/mach_server.h>
#include <l4/kip.h>
#include <l4/thread.h>
#include <mach/mach.h>

#include "arch.h"
#include "internal.h"
#include "vm_client.h"

#define SELF_SLOTS 256
#define SELF_TIMEOUT_US 50000


/* A call on TASK_NULL is refused without sending anything: the caller's
 * pager may not be memsvr, and a pager that is not may never answer. */
#define REFUSE_NULL(task)                       \
    do {                                        \
        if ((task) == TASK_NULL)                \
            return KERN_INVALID_ARGUMENT;       \
    } while (0)

static L4_ThreadId_t vm_server;
/* The task handle per thread: a program module's data may be shared by
 * several tasks (protocol tests), so the cache is keyed by thread. */
static struct {
    L4_Word_t thread;
    task_t task;
} self_cache[SELF_SLOTS];
static lib_mutex_t self_lock = LIB_MUTEX_INIT;

void mach_set_server(L4_ThreadId_t server)
{
    vm_server = server;
}

L4_ThreadId_t mach_server(void)
{
    return L4_IsNilThread(vm_server) ? L4_Pager() : vm_server;
}

static kern_return_t result(const chacm_env_t *env, int r)
{
    if (env->error == CHACM_IDL_OK)
        return r;
    return env->error == CHACM_IDL_EMALFORMED ? KERN_INVALID_ARGUMENT : KERN_FAILURE;
}

task_t mach_task_self(void)
{
    L4_Word_t me = L4_MyGlobalId().raw;
    unsigned slot = (unsigned)(L4_ThreadNo(L4_MyGlobalId()) % SELF_SLOTS);
    task_t t = TASK_NULL;
    lib_mutex_lock(&self_lock);
    if (self_cache[slot].thread == me)
        t = self_cache[slot].task;
    lib_mutex_unlock(&self_lock);
    if (t != TASK_NULL)
        return t;
    /* sigma0 (the pager of memsvr and the booter) speaks only its own
     * protocol: it would log the call as malformed and not answer */
    L4_ThreadId_t svr = mach_server();
    if (L4_IsNilThread(svr) || L4_ThreadNo(svr) == L4_ThreadIdUserBase(L4_GetKernelInterface()))
        return TASK_NULL;
    /* a pager that is not memsvr may never answer: do not wait for it long */
    chacm_env_t env = { .rcv_timeout = L4_TimePeriod(SELF_TIMEOUT_US) };
    L4_Word_t h = 0;
    if (result(&env, vm_task_task_self(svr, lib_usable_base(), &h, &env)) != KERN_SUCCESS)
        return TASK_NULL;
    lib_mutex_lock(&self_lock);
    self_cache[slot].thread = me;
    self_cache[slot].task = h;
    lib_mutex_unlock(&self_lock);
    return h;
}

void mach_forget_self(void)
{
    unsigned slot = (unsigned)(L4_ThreadNo(L4_MyGlobalId()) % SELF_SLOTS);
    lib_mutex_lock(&self_lock);
    self_cache[slot].thread = 0;
    lib_mutex_unlock(&self_lock);
}

void *lib_heap_more(size_t bytes)
{
    vm_address_t a = 0;
    task_t self = mach_task_self();
    if (self == TASK_NULL || vm_allocate(self, &a, bytes, TRUE) != KERN_SUCCESS)
        return NULL;
    return (void *)a;
}

kern_return_t vm_allocate(vm_task_t task, vm_address_t *address, vm_size_t size, boolean_t anywhere)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    L4_Word_t a = *address;
    kern_return_t r = result(&env, vm_vm_allocate(mach_server(), task, &a, size, anywhere != 0, &env));
    if (r == KERN_SUCCESS)
        *address = a;
    return r;
}

kern_return_t vm_deallocate(vm_task_t task, vm_address_t address, vm_size_t size)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_deallocate(mach_server(), task, address, size, &env));
}

kern_return_t vm_protect(vm_task_t task, vm_address_t address, vm_size_t size, boolean_t set_maximum,
                         vm_prot_t new_protection)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_protect(mach_server(), task, address, size, set_maximum != 0,
                                      (L4_Word_t)(unsigned)new_protection, &env));
}

kern_return_t vm_inherit(vm_task_t task, vm_address_t address, vm_size_t size, vm_inherit_t new_inheritance)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_inherit(mach_server(), task, address, size, new_inheritance, &env));
}

kern_return_t vm_map(vm_task_t task, vm_address_t *address, vm_size_t size, vm_address_t mask,
                     boolean_t anywhere, memory_object_t memory_object, vm_offset_t offset, boolean_t copy,
                     vm_prot_t cur_protection, vm_prot_t max_protection, vm_inherit_t inheritance)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    L4_Word_t a = *address;
    kern_return_t r = result(&env, vm_vm_map(mach_server(), task, &a, size, mask, anywhere != 0, memory_object,
                                             offset, copy != 0, (L4_Word_t)(unsigned)cur_protection,
                                             (L4_Word_t)(unsigned)max_protection, inheritance, &env));
    if (r == KERN_SUCCESS)
        *address = a;
    return r;
}

kern_return_t vm_unmap(vm_task_t task, vm_address_t address, vm_size_t size)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_unmap(mach_server(), task, address, size, &env));
}

kern_return_t vm_remap(vm_map_t target_task, vm_address_t *target_address, vm_size_t size, vm_address_t mask,
                       int flags, vm_map_t src_task, vm_address_t src_address, boolean_t copy,
                       vm_prot_t *cur_protection, vm_prot_t *max_protection, vm_inherit_t inheritance)
{
    REFUSE_NULL(target_task);
    chacm_env_t env = { 0 };
    L4_Word_t a = *target_address, cur = 0, max = 0;
    kern_return_t r = result(&env, vm_vm_remap(mach_server(), target_task, &a, size, mask,
                                               (L4_Word_t)(unsigned)flags, src_task, src_address, copy != 0,
                                               &cur, &max, inheritance, &env));
    if (r == KERN_SUCCESS) {
        *target_address = a;
        *cur_protection = (vm_prot_t)cur;
        *max_protection = (vm_prot_t)max;
    }
    return r;
}

kern_return_t vm_region(vm_task_t task, vm_address_t *address, vm_size_t *size, vm_prot_t *protection,
                        vm_prot_t *max_protection, vm_inherit_t *inheritance, boolean_t *is_shared,
                        memory_object_name_t *object_name, vm_offset_t *offset)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    L4_Word_t a = *address, sz, prot, max, inh, name, off;
    bool shared;
    kern_return_t r = result(&env, vm_vm_region(mach_server(), task, &a, &sz, &prot, &max, &inh, &shared, &name,
                                                &off, &env));
    if (r != KERN_SUCCESS)
        return r;
    *address = a;
    *size = sz;
    *protection = (vm_prot_t)prot;
    *max_protection = (vm_prot_t)max;
    *inheritance = (vm_inherit_t)inh;
    *is_shared = shared;
    *object_name = name;
    *offset = off;
    return KERN_SUCCESS;
}

kern_return_t vm_read(vm_task_t task, vm_address_t address, vm_size_t size, pointer_t *data,
                      mach_msg_type_number_t *data_count)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    L4_Word_t d = 0, n = 0;
    if (size > (mach_msg_type_number_t)~0u)
        return KERN_INVALID_ARGUMENT;
    kern_return_t r = result(&env, vm_vm_read(mach_server(), task, address, size, &d, &n, &env));
    if (r == KERN_SUCCESS) {
        *data = d;
        *data_count = (mach_msg_type_number_t)n;
    }
    return r;
}

kern_return_t vm_write(vm_task_t task, vm_address_t address, pointer_t data, mach_msg_type_number_t data_count)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_write(mach_server(), task, address, data, data_count, &env));
}

kern_return_t lib_vm_write_bytes(vm_task_t task, vm_address_t address, const void *data, vm_size_t size)
{
    REFUSE_NULL(task);
    const char *p = data;
    while (size) {
        int n = size < VM_WRITE_BYTES_MAX ? (int)size : VM_WRITE_BYTES_MAX;
        chacm_env_t env = { 0 };
        kern_return_t r = result(&env, vm_vm_write_bytes(mach_server(), task, address, n, p, &env));
        if (r != KERN_SUCCESS)
            return r;
        address += (vm_address_t)n;
        p += n;
        size -= (vm_size_t)n;
    }
    return KERN_SUCCESS;
}

kern_return_t vm_copy(vm_task_t task, vm_address_t source_address, vm_size_t size, vm_address_t dest_address)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_copy(mach_server(), task, source_address, size, dest_address, &env));
}

kern_return_t vm_msync(vm_task_t task, vm_address_t address, vm_size_t size, vm_sync_t sync_flags)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_msync(mach_server(), task, address, size, sync_flags, &env));
}

static kern_return_t stats(vm_task_t task, vm_stats *s)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_vm_statistics(mach_server(), task, s, &env));
}

kern_return_t vm_statistics(vm_task_t task, vm_statistics_data_t *out)
{
    REFUSE_NULL(task);
    vm_stats s;
    kern_return_t r = stats(task, &s);
    if (r != KERN_SUCCESS)
        return r;
    memset(out, 0, sizeof *out);
    out->pagesize = (integer_t)s.pagesize;
    out->free_count = (integer_t)s.free_count;
    out->active_count = (integer_t)s.active_count;
    out->wire_count = (integer_t)s.wire_count;
    out->zero_fill_count = (integer_t)s.zero_fill_count;
    out->faults = (integer_t)s.faults;
    out->cow_faults = (integer_t)s.cow_faults;
    out->reactivations = (integer_t)s.reactivations;
    out->pageins = (integer_t)s.pageins;
    out->pageouts = (integer_t)s.pageouts;
    return KERN_SUCCESS;
}

kern_return_t task_vm_statistics(task_t task, vm_statistics_data_t *out)
{
    vm_stats s;
    kern_return_t r = stats(task, &s);
    if (r != KERN_SUCCESS)
        return r;
    memset(out, 0, sizeof *out);
    out->pagesize = (integer_t)s.pagesize;
    out->free_count = (integer_t)(s.task_max_pages ? (s.task_max_pages > s.task_pages
                                                          ? s.task_max_pages - s.task_pages : 0)
                                                   : s.free_count);
    out->active_count = (integer_t)s.task_pages;
    out->zero_fill_count = (integer_t)s.task_zero_fill;
    out->faults = (integer_t)s.task_faults;
    out->cow_faults = (integer_t)s.task_cow_faults;
    out->pageins = (integer_t)s.task_pageins;
    out->pageouts = (integer_t)s.task_pageouts;
    return KERN_SUCCESS;
}

kern_return_t mach_make_memory_entry(vm_map_t task, vm_size_t *size, vm_offset_t offset, vm_prot_t permission,
                                     mem_entry_name_port_t *handle, mem_entry_name_port_t parent)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    L4_Word_t sz = *size, h = 0;
    if (parent != MACH_PORT_NULL)
        return KERN_INVALID_ARGUMENT;
    kern_return_t r = result(&env, vm_mach_make_memory_entry(mach_server(), task, &sz, offset,
                                                             (L4_Word_t)(unsigned)permission, &h, &env));
    if (r == KERN_SUCCESS) {
        *size = sz;
        *handle = h;
    }
    return r;
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
                                     mach_msg_type_name_t poly_poly)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    if (name != poly ||
        (poly_poly != MACH_MSG_TYPE_MOVE_SEND && poly_poly != MACH_MSG_TYPE_COPY_SEND &&
         poly_poly != MACH_MSG_TYPE_MAKE_SEND))
        return KERN_INVALID_ARGUMENT;
    return result(&env, vm_memory_entry_give(mach_server(), task, name, poly_poly == MACH_MSG_TYPE_MOVE_SEND,
                                             &env));
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    return result(&env, vm_memory_entry_release(mach_server(), task, name, &env));
}

kern_return_t task_create(task_t parent, boolean_t inherit_memory, task_t *child)
{
    REFUSE_NULL(parent);
    chacm_env_t env = { 0 };
    L4_Word_t c = 0;
    kern_return_t r = result(&env, vm_task_task_create(mach_server(), parent, L4_nilthread, inherit_memory != 0,
                                                       &c, &env));
    if (r == KERN_SUCCESS)
        *child = c;
    return r;
}

kern_return_t task_terminate(task_t task)
{
    REFUSE_NULL(task);
    chacm_env_t env = { 0 };
    if (task == mach_task_self())
        mach_forget_self();
    return result(&env, vm_task_task_terminate(mach_server(), task, &env));
}
