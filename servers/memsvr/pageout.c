/* The vm_pageout interface (ipc/idl/vm.idl): the swap device, swap and
 * reclaim counts, Mach's vm_wire, and task groups with shares for the
 * partitioned configuration (docs/paging.md).  Decode, then act. */
#include <string.h>

#include "memsvr.h"

static int do_swap_on(L4_ThreadId_t device, L4_Word_t object, L4_Word_t first, L4_Word_t nblocks,
                      chacm_srvenv_t *env)
{
    if (!task_is_master(env->caller))
        return KERN_INVALID_ARGUMENT;
    return swap_on(device, object, first, nblocks);
}

static int do_swap_off(chacm_srvenv_t *env)
{
    return task_is_master(env->caller) ? swap_off() : KERN_INVALID_ARGUMENT;
}

static int do_swap_info(vm_swap_info *info, chacm_srvenv_t *env)
{
    (void)env;
    memset(info, 0, sizeof *info);
    swap_get_info(info);
    reclaim_get_info(info);
    return KERN_SUCCESS;
}

/* Wires (delta 1, with access) or unwires (-1) the page at a of t. */
static kern_return_t pin(mtask_t *t, vm_address_t a, vm_prot_t access, int delta)
{
    map_entry_t *e = map_lookup(&t->map, a);
    frame_t f;
    obj_t *h;
    bool cow;
    kern_return_t r;
    if (!e)
        return KERN_INVALID_ADDRESS;
    if (delta > 0 && (access & VM_PROT_WRITE))
        r = range_write_frame(t, e, a, &f, &cow, false);
    else if (delta > 0)
        r = range_read_frame(t, e, a, &f, &h);
    else if (!e->object)
        return KERN_SUCCESS;
    else
        r = obj_lookup(e->object, entry_pg(e, a), t, &f, &h);
    if (r == MS_KERN_WAIT)
        r = KERN_MEMORY_FAILURE;        /* wiring cannot wait for a memory manager's page */
    if (r == KERN_SUCCESS && f != FRAME_NONE)
        frame_wire(f, delta);
    return r;
}

static void unpin_range(mtask_t *t, vm_address_t start, vm_address_t end)
{
    for (vm_address_t a = start; a < end; a += MS_PAGE)
        (void)pin(t, a, VM_PROT_NONE, -1);
}

void range_unwire(mtask_t *t, vm_address_t start, vm_address_t end)
{
    for (map_entry_t *e = map_lookup_at_or_above(&t->map, start); e && e->start < end; e = map_next(&t->map, e)) {
        vm_address_t s = e->start > start ? e->start : start, u = e->end < end ? e->end : end;
        for (unsigned k = 0; k < e->wired; k++)
            unpin_range(t, s, u);
    }
}

/* Every page of [start, end) lies in a region allowing access. */
static kern_return_t check_access(mtask_t *t, vm_address_t start, vm_address_t end, vm_prot_t access)
{
    vm_address_t a = start;
    for (map_entry_t *e = map_lookup(&t->map, start); a < end; e = map_next(&t->map, e)) {
        if (!e || e->start > a)
            return KERN_INVALID_ADDRESS;
        if (access & ~e->cur)
            return KERN_PROTECTION_FAILURE;
        a = e->end;
    }
    return KERN_SUCCESS;
}

static int do_wire(L4_Word_t task, L4_Word_t address, L4_Word_t size, L4_Word_t access, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    vm_address_t start, end;
    if (!t || (access & ~(L4_Word_t)VM_PROT_ALL))
        return KERN_INVALID_ARGUMENT;
    ms_pool_reserve();
    reclaim_safe_point();
    L4_Word_t base = task_view_base(task_of_thread(env->caller), t);
    if (address + size < address || !range_round(ms_addr_in(base, address), size, &start, &end))
        return KERN_INVALID_ARGUMENT;
    if (start == end)
        return KERN_SUCCESS;
    kern_return_t r;
    if (access == VM_PROT_NONE) {
        if ((r = map_wire(&t->map, start, end - start, -1)) == KERN_SUCCESS)
            unpin_range(t, start, end);
        return r;
    }
    if ((r = check_access(t, start, end, (vm_prot_t)access)) != KERN_SUCCESS ||
        (r = map_wire(&t->map, start, end - start, 1)) != KERN_SUCCESS)
        return r;
    for (vm_address_t a = start; a < end; a += MS_PAGE)
        if ((r = pin(t, a, (vm_prot_t)access, 1)) != KERN_SUCCESS) {
            unpin_range(t, start, a);
            (void)map_wire(&t->map, start, end - start, -1);
            return r;
        }
    return KERN_SUCCESS;
}

static int do_set_group(L4_Word_t task, L4_Word_t group, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    if (!t || !task_is_master(env->caller) || group >= VM_GROUPS)
        return KERN_INVALID_ARGUMENT;
    t->group = (unsigned)group;         /* frames charged from now on count for it */
    return KERN_SUCCESS;
}

static int do_set_share(L4_Word_t group, L4_Word_t frames, chacm_srvenv_t *env)
{
    if (!task_is_master(env->caller) || group >= VM_GROUPS)
        return KERN_INVALID_ARGUMENT;
    group_set_share((unsigned)group, frames);
    return KERN_SUCCESS;
}

static int do_group_info(L4_Word_t group, vm_group_info *info, chacm_srvenv_t *env)
{
    (void)env;
    if (group >= VM_GROUPS)
        return KERN_INVALID_ARGUMENT;
    memset(info, 0, sizeof *info);
    info->share = group_share((unsigned)group);
    info->resident = group_resident((unsigned)group);
    for (unsigned i = 0; i < MS_MAX_TASKS; i++) {
        mtask_t *t = task_by_slot(i);
        if (t && t->alive && t->group == group) {
            info->faults += t->faults;
            info->pageins += t->pageins;
            info->pageouts += t->pageouts;
        }
    }
    return KERN_SUCCESS;
}

void pageout_fill(memsvr_ops_t *ops)
{
    ops->vm_pageout_swap_on = do_swap_on;
    ops->vm_pageout_swap_off = do_swap_off;
    ops->vm_pageout_swap_info = do_swap_info;
    ops->vm_pageout_vm_wire = do_wire;
    ops->vm_pageout_task_set_group = do_set_group;
    ops->vm_pageout_group_set_share = do_set_share;
    ops->vm_pageout_group_info = do_group_info;
}
