/* ChacmOS's task calls of the Mach VM library (chacm/mach_server.h). */
#include <chacm/mach_server.h>

#include "vm_client.h"

static kern_return_t result(const chacm_env_t *env, int r)
{
    if (env->error == CHACM_IDL_OK)
        return r;
    return env->error == CHACM_IDL_EMALFORMED ? KERN_INVALID_ARGUMENT : KERN_FAILURE;
}

kern_return_t mach_task_register(L4_ThreadId_t thread, task_t *task)
{
    chacm_env_t env = { 0 };
    L4_Word_t t = 0;
    kern_return_t r = result(&env, vm_task_task_register(mach_server(), thread, &t, &env));
    if (r == KERN_SUCCESS)
        *task = t;
    return r;
}

kern_return_t mach_task_add_thread(task_t task, L4_ThreadId_t thread)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_task_add_thread(mach_server(), task, thread, &env));
}

kern_return_t mach_task_start(task_t task, L4_ThreadId_t thread, L4_Word_t ip, L4_Word_t sp)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_task_start(mach_server(), task, thread, ip, sp, &env));
}

kern_return_t mach_task_create_for(task_t parent, L4_ThreadId_t thread, boolean_t inherit, task_t *child)
{
    chacm_env_t env = { 0 };
    L4_Word_t c = 0;
    kern_return_t r = result(&env, vm_task_task_create(mach_server(), parent, thread, inherit != 0, &c, &env));
    if (r == KERN_SUCCESS)
        *child = c;
    return r;
}

kern_return_t mach_task_set_quota(task_t task, vm_size_t max_pages)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_task_set_quota(mach_server(), task, max_pages, &env));
}

kern_return_t mach_task_set_exception_port(task_t task, L4_ThreadId_t handler)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_task_set_exception_port(mach_server(), task, handler, &env));
}

kern_return_t mach_task_resume_fault(task_t task, L4_ThreadId_t thread)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_task_resume_fault(mach_server(), task, thread, &env));
}

kern_return_t mach_task_info(task_t task, vm_size_t *alive, vm_size_t *pages)
{
    chacm_env_t env = { 0 };
    L4_Word_t a = 0, p = 0;
    kern_return_t r = result(&env, vm_task_task_info(mach_server(), task, &a, &p, &env));
    *alive = a;
    *pages = p;
    return r;
}

kern_return_t mach_task_give(task_t task, task_t to)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_task_give(mach_server(), task, to, &env));
}

kern_return_t mach_vm_frames(vm_size_t *received, vm_size_t *free, vm_size_t *in_use, vm_size_t *meta)
{
    chacm_env_t env = { 0 };
    vm_frame_info f = { 0 };
    kern_return_t r = result(&env, vm_task_vm_frames(mach_server(), &f, &env));
    *received = f.received;
    *free = f.free;
    *in_use = f.in_use;
    *meta = f.meta;
    return r;
}

kern_return_t mach_vm_set_frame_limit(vm_size_t limit)
{
    chacm_env_t env = { 0 };
    return result(&env, vm_task_vm_set_frame_limit(mach_server(), limit, &env));
}
