/* The vm_task interface (task creation, threads, quotas, exception
 * handlers, termination, the frame balance) and ChacmOS's generic,
 * creator and memory interfaces, whose memory objects are memsvr's tasks
 * (object 0 is the factory). */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>

#include "memsvr.h"

/* The caller as a holder of new tasks: its own task, or none for
 * memsvr's creator; false for anyone else. */
static bool creator_of(chacm_srvenv_t *env, mtask_t **holder)
{
    *holder = task_of_thread(env->caller);
    return *holder || task_is_master(env->caller);
}

static int do_register(L4_ThreadId_t thread, L4_Word_t *task, chacm_srvenv_t *env)
{
    mtask_t *holder, *t;
    if (!creator_of(env, &holder))
        return KERN_INVALID_ARGUMENT;
    kern_return_t r = task_new(thread, holder, &t);
    if (r == KERN_SUCCESS)
        *task = task_handle(t);
    return r;
}

static int do_create(L4_Word_t parent, L4_ThreadId_t thread, bool inherit, L4_Word_t *child,
                     chacm_srvenv_t *env)
{
    mtask_t *holder, *p = task_named(env->caller, parent), *t;
    if (!p || !creator_of(env, &holder))
        return KERN_INVALID_ARGUMENT;
    ms_pool_reserve();                  /* map_fork says if entries lack */
    kern_return_t r = task_new(thread, holder, &t);
    if (r != KERN_SUCCESS)
        return r;
    if (inherit)
        range_mark_shared(p, 0, ~(vm_address_t)0, true);
    if (inherit && (r = map_fork(&p->map, &t->map)) != KERN_SUCCESS) {
        task_end(t, NULL);
        return r;
    }
    *child = task_handle(t);
    return KERN_SUCCESS;
}

static int do_add_thread(L4_Word_t task, L4_ThreadId_t thread, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    return t ? task_add_thread(t, thread) : KERN_INVALID_ARGUMENT;
}

static int do_start(L4_Word_t task, L4_ThreadId_t thread, L4_Word_t ip, L4_Word_t sp, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    if (!t || task_of_thread(thread) != t)
        return KERN_INVALID_ARGUMENT;
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_MsgAppendWord(&m, ip);
    L4_MsgAppendWord(&m, sp);
    L4_MsgLoad(&m);
    return L4_IpcFailed(L4_Send_Timeout(thread, L4_ZeroTime)) ? KERN_FAILURE : KERN_SUCCESS;
}

static int do_terminate(L4_Word_t task, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    if (!t)
        return KERN_INVALID_ARGUMENT;
    if (t == task_of_thread(env->caller))
        chacm_srv_defer(env);           /* the caller's task is gone: no reply */
    task_end(t, NULL);
    return KERN_SUCCESS;
}

static int do_self(L4_Word_t usable_base, L4_Word_t *task, chacm_srvenv_t *env)
{
    mtask_t *t = task_of_thread(env->caller);
    if (!t)
        return KERN_INVALID_ARGUMENT;
    task_learn_base(t, usable_base);
    *task = task_handle(t);
    return KERN_SUCCESS;
}

static int do_give(L4_Word_t task, L4_Word_t to, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task), *u = task_named(env->caller, to);
    if (!t || !u)
        return KERN_INVALID_ARGUMENT;
    return task_add_holder(t, u) ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

static int do_quota(L4_Word_t task, L4_Word_t max_pages, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    if (!t)
        return KERN_INVALID_ARGUMENT;
    t->max_pages = max_pages;
    return KERN_SUCCESS;
}

static int do_exception_port(L4_Word_t task, L4_ThreadId_t handler, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    if (!t || (!L4_IsNilThread(handler) && !L4_IsGlobalId(handler)))
        return KERN_INVALID_ARGUMENT;
    t->exc_handler = handler;
    return KERN_SUCCESS;
}

static int do_resume(L4_Word_t task, L4_ThreadId_t thread, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    return t ? pager_resume(t, thread) : KERN_INVALID_ARGUMENT;
}

static int do_info(L4_Word_t task, L4_Word_t *alive, L4_Word_t *pages, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, task);
    *alive = t != NULL;
    *pages = t ? t->pages : 0;
    return t || task_is_master(env->caller) || task_of_thread(env->caller) ? KERN_SUCCESS
                                                                           : KERN_INVALID_ARGUMENT;
}

static int do_frames(vm_frame_info *f, chacm_srvenv_t *env)
{
    (void)env;
    frames_get_info(f);
    return KERN_SUCCESS;
}

static int do_frame_limit(L4_Word_t limit, chacm_srvenv_t *env)
{
    if (!task_is_master(env->caller))
        return KERN_INVALID_ARGUMENT;
    frames_set_limit(limit);
    return KERN_SUCCESS;
}

/* ---- ChacmOS's memory interface: objects are task handles ---- */

static int do_get_pagerid(int obj, L4_ThreadId_t *pager, chacm_srvenv_t *env)
{
    if (obj != 0 && !task_named(env->caller, (L4_Word_t)(unsigned)obj))
        return EINVALID;
    *pager = L4_Myself();
    return ESUCCESS;
}

static int do_request_physical(int obj, L4_Fpage_t fpage, L4_MapItem_t *page, chacm_srvenv_t *env)
{
    (void)obj, (void)fpage, (void)env;
    *page = L4_MapItem(L4_Nilpage, 0);
    return EDENIED;                     /* device memory comes from sigma0 */
}

/* An fpage of a task's space as a canonical range. */
static mtask_t *fpage_range(chacm_srvenv_t *env, int obj, L4_Fpage_t f, vm_address_t *s, vm_address_t *e)
{
    mtask_t *t = task_named(env->caller, (L4_Word_t)(unsigned)obj);
    if (!t || L4_IsNilFpage(f) || L4_SizeLog2(f) < MS_PAGE_BITS)
        return NULL;
    *s = ms_addr_in(task_view_base(task_of_thread(env->caller), t), L4_Address(f));
    *e = *s + L4_Size(f);
    return *e > *s ? t : NULL;
}

static int do_mem_unmap(int obj, L4_Fpage_t f, chacm_srvenv_t *env)
{
    vm_address_t s, e;
    mtask_t *t = fpage_range(env, obj, f, &s, &e);
    if (!t)
        return EBADPARM;
    range_unmap(t, s, e);
    return ESUCCESS;
}

static int do_attach(int obj, L4_ThreadId_t thread, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, (L4_Word_t)(unsigned)obj);
    return t && task_add_thread(t, thread) == KERN_SUCCESS ? ESUCCESS : EINVALID;
}

static int do_set_maxpages(int obj, int n, chacm_srvenv_t *env)
{
    mtask_t *t = task_named(env->caller, (L4_Word_t)(unsigned)obj);
    if (!t)
        return EINVALID;
    if (n < 0)
        return EBADPARM;
    t->max_pages = (L4_Word_t)n;
    return ESUCCESS;
}

static int do_get_mapped(int obj, L4_Fpage_t f, int *pages, chacm_srvenv_t *env)
{
    vm_address_t s, e;
    mtask_t *t = fpage_range(env, obj, f, &s, &e);
    *pages = t ? (int)range_resident(t, s, e) : 0;
    return t ? ESUCCESS : EBADPARM;
}

/* ---- generic and creator ---- */

static bool all_in(int n, const int *list, int a, int b)
{
    for (int i = 0; i < n; i++)
        if (list[i] != a && list[i] != b)
            return false;
    return true;
}

static int do_implements(int obj, int n, const int *list, chacm_srvenv_t *env)
{
    if (obj == 0)
        return all_in(n, list, GENERIC_API, CREATOR_API) ? EYES : ENO;
    if (!task_named(env->caller, (L4_Word_t)(unsigned)obj))
        return EINVALID;
    return all_in(n, list, GENERIC_API, MEMORY_API) ? EYES : ENO;
}

static int do_can_create(int obj, int n, const int *list, chacm_srvenv_t *env)
{
    (void)env;
    return obj == 0 && all_in(n, list, GENERIC_API, MEMORY_API) ? EYES : ENO;
}

static int do_create_object(int obj, int n, const int *list, L4_ThreadId_t *svr, int *dobj,
                            chacm_srvenv_t *env)
{
    mtask_t *holder, *t;
    if (obj != 0)
        return EINVALID;
    if (!all_in(n, list, GENERIC_API, MEMORY_API))
        return ESUPP;
    if (!creator_of(env, &holder))
        return EDENIED;
    if (task_new(L4_nilthread, holder, &t) != KERN_SUCCESS)
        return EFULL;
    *svr = L4_Myself();
    *dobj = (int)task_handle(t);
    return ESUCCESS;
}

void taskcalls_fill(memsvr_ops_t *ops)
{
    ops->vm_task_task_register = do_register;
    ops->vm_task_task_create = do_create;
    ops->vm_task_task_add_thread = do_add_thread;
    ops->vm_task_task_start = do_start;
    ops->vm_task_task_terminate = do_terminate;
    ops->vm_task_task_self = do_self;
    ops->vm_task_task_give = do_give;
    ops->vm_task_task_set_quota = do_quota;
    ops->vm_task_task_set_exception_port = do_exception_port;
    ops->vm_task_task_resume_fault = do_resume;
    ops->vm_task_task_info = do_info;
    ops->vm_task_vm_frames = do_frames;
    ops->vm_task_vm_set_frame_limit = do_frame_limit;
    ops->memory_get_pagerid = do_get_pagerid;
    ops->memory_request_physical = do_request_physical;
    ops->memory_unmap = do_mem_unmap;
    ops->memory_attach = do_attach;
    ops->memory_set_maxpages = do_set_maxpages;
    ops->memory_get_mapped = do_get_mapped;
    ops->generic_implements = do_implements;
    ops->creator_can_create = do_can_create;
    ops->creator_create = do_create_object;
}
