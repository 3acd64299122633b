/* Named memory entries (XNU's mach_make_memory_entry): a handle names a
 * range of an object with a permission; tasks that hold the handle may
 * map it with vm_map, shared or copied.  A handle's name is memsvr-wide,
 * (generation << 16) | (slot + 1) with bit 31 set, so it never equals a
 * task handle; each holding task is recorded.  The handle keeps one
 * reference of its object until the last holder drops it. */
#include <string.h>

#include "memsvr.h"

#define MAX_HANDLES     256
#define HANDLE_HOLDERS  8
#define HANDLE_TAG      0x80000000UL

typedef struct {
    obj_t *obj;                         /* NULL: slot free */
    uint16_t gen;
    vm_offset_t pg;
    vm_size_t pages;
    vm_prot_t perm;
    L4_Word_t holders[HANDLE_HOLDERS];  /* task handles */
} handle_t;

static handle_t handles[MAX_HANDLES];

void handles_init(void)
{
    memset(handles, 0, sizeof handles);
}

static L4_Word_t name_of(unsigned i)
{
    return HANDLE_TAG | ((L4_Word_t)handles[i].gen << 16) | (i + 1);
}

static handle_t *lookup(L4_Word_t name)
{
    unsigned i = (unsigned)(name & 0xffff) - 1;
    if (!(name & HANDLE_TAG) || (uint64_t)name >> 32 || i >= MAX_HANDLES || !handles[i].obj ||
        handles[i].gen != ((name >> 16) & 0x7fff))
        return NULL;
    return &handles[i];
}

static int holder_index(const handle_t *h, const mtask_t *t)
{
    L4_Word_t th = task_handle(t);
    for (int i = 0; i < HANDLE_HOLDERS; i++)
        if (h->holders[i] == th)
            return i;
    return -1;
}

static bool add_holder(handle_t *h, const mtask_t *t)
{
    if (holder_index(h, t) >= 0)
        return true;
    for (int i = 0; i < HANDLE_HOLDERS; i++)
        if (h->holders[i] == 0) {
            h->holders[i] = task_handle(t);
            return true;
        }
    return false;
}

kern_return_t handle_new(mtask_t *holder, obj_t *o, vm_offset_t pg, vm_size_t pages, vm_prot_t perm,
                         L4_Word_t *name)
{
    unsigned i;
    for (i = 0; i < MAX_HANDLES && handles[i].obj; i++)
        ;
    if (i == MAX_HANDLES)
        return KERN_RESOURCE_SHORTAGE;
    handle_t *h = &handles[i];
    uint16_t gen = (uint16_t)((h->gen + 1) & 0x7fff);
    memset(h, 0, sizeof *h);
    h->gen = gen ? gen : 1;
    h->obj = o;
    h->pg = pg;
    h->pages = pages;
    h->perm = perm;
    o->shared = true;
    add_holder(h, holder);
    *name = name_of(i);
    return KERN_SUCCESS;
}

bool handle_get(const mtask_t *t, L4_Word_t name, obj_t **o, vm_offset_t *pg, vm_size_t *pages,
                vm_prot_t *perm)
{
    handle_t *h = lookup(name);
    if (!h || holder_index(h, t) < 0)
        return false;
    *o = h->obj;
    *pg = h->pg;
    *pages = h->pages;
    *perm = h->perm;
    return true;
}

/* Drops holder slot i of h, and the handle with its last holder. */
static void drop(handle_t *h, int i)
{
    h->holders[i] = 0;
    for (int j = 0; j < HANDLE_HOLDERS; j++)
        if (h->holders[j])
            return;
    obj_release(h->obj);
    h->obj = NULL;
}

kern_return_t handle_give(const mtask_t *from, L4_Word_t name, const mtask_t *to, bool move)
{
    handle_t *h = lookup(name);
    int i = h ? holder_index(h, from) : -1;
    if (i < 0)
        return KERN_INVALID_ARGUMENT;
    if (!add_holder(h, to))
        return KERN_RESOURCE_SHORTAGE;
    if (move && from != to)
        drop(h, i);
    return KERN_SUCCESS;
}

kern_return_t handle_drop(const mtask_t *t, L4_Word_t name)
{
    handle_t *h = lookup(name);
    int i = h ? holder_index(h, t) : -1;
    if (i < 0)
        return KERN_INVALID_ARGUMENT;
    drop(h, i);
    return KERN_SUCCESS;
}

void handles_drop_task(const mtask_t *t)
{
    for (unsigned k = 0; k < MAX_HANDLES; k++) {
        handle_t *h = &handles[k];
        int i = h->obj ? holder_index(h, t) : -1;
        if (i >= 0)
            drop(h, i);
    }
}
