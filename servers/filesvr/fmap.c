/* filesvr: files as memory objects.  file_map::map asks memsvr for a memory
 * entry of the file for the caller (memory_object_control.idl), and
 * filesvr is then the object's memory manager (memory_object.idl): it
 * supplies pages from the file on data_request, writes returned dirty
 * pages back (never past the file's end: a mapping does not grow a file),
 * and on sync first has memsvr return every dirty page (lock_request),
 * answering sync once the lock_completed messages are in.
 *
 * The object's name at memsvr is the file's object id.  Messages of the
 * memory_object interface are taken from memsvr only.  A shared mapping
 * and read/write on the same file meet on vm_msync, unmap, sync and
 * memsvr's evictions: a write() does not reach pages memsvr holds. */
#include <stdio.h>
#include <string.h>
#include <chacm/mach_server.h>
#include <mach/mach.h>

#include "memory_object_control_client.h"
#include "server.h"

#define FMAP_MAX 32
#define SYNC_WAITERS 8

struct fmap {
    int used;
    int32_t obj;                       /* the file, and the object's name at memsvr */
    L4_Word_t control;                 /* memsvr's name for it */
};

static struct fmap maps[FMAP_MAX];
static vm_address_t xfer;              /* staging memory for data_supply (memsvr's, in our window) */
static struct {
    L4_ThreadId_t caller;
    int obj;
} sync_wait[SYNC_WAITERS];
static int nsync_wait, locks_out;     /* sync calls waiting, lock_completed messages due */

static L4_ThreadId_t memsvr(void)
{
    return mach_server();
}

static struct fmap *by_obj(int32_t obj)
{
    for (int i = 0; i < FMAP_MAX; i++)
        if (maps[i].used && maps[i].obj == obj)
            return &maps[i];
    return NULL;
}

static struct fmap *by_control(L4_Word_t control)
{
    for (int i = 0; i < FMAP_MAX; i++)
        if (maps[i].used && maps[i].control == control)
            return &maps[i];
    return NULL;
}

int srv_fmap_busy(int mount)
{
    for (int i = 0; i < FMAP_MAX; i++)
        if (maps[i].used && ((uint32_t)maps[i].obj >> VFS_INO_BITS) == (uint32_t)mount)
            return 1;
    return 0;
}

static int do_map(int obj, int mode, L4_Word_t *entry, int *size, chacm_srvenv_t *env)
{
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    *entry = 0;
    *size = 0;
    obj = vfs_cross(obj);
    if (srv_obj(obj, &m, &ino) != ESUCCESS || m->ops->stat(m->fs, ino, &st) || st.type != FS_T_FILE)
        return EINVALID;
    if (!(mode & FILE_READ) || (mode & ~(FILE_READ | FILE_WRITE)))
        return EBADPARM;
    if ((mode & FILE_WRITE) && m->rdonly)
        return EDENIED;
    struct fmap *f = by_obj(obj);
    for (int i = 0; !f && i < FMAP_MAX; i++)
        if (!maps[i].used)
            f = &maps[i];
    if (!f)
        return EFULL;
    L4_Word_t pages = st.size ? st.size : 1, control = 0;
    vm_prot_t prot = VM_PROT_READ | VM_PROT_EXECUTE | ((mode & FILE_WRITE) ? VM_PROT_WRITE : 0);
    chacm_env_t ce = { 0 };
    int r = memory_object_control_memory_object_entry(memsvr(), (L4_Word_t)obj, pages, prot, env->caller, entry,
                                                      &control, &ce);
    if (ce.error != CHACM_IDL_OK)
        return ESUPP;
    if (r != KERN_SUCCESS)
        return r == KERN_RESOURCE_SHORTAGE ? EFULL : EINVALID;
    *f = (struct fmap){ .used = 1, .obj = obj, .control = control };
    *size = st.size > 0x7FFFFFFF ? 0x7FFFFFFF : (int)st.size;
    return ESUCCESS;
}

/* Only memsvr speaks the memory_object interface to filesvr. */
static struct fmap *from_memsvr(L4_Word_t control, const chacm_srvenv_t *env, const char *what)
{
    if (!L4_IsThreadEqual(env->caller, memsvr())) {
        printf("filesvr: memory_object::%s from %lx, not memsvr: ignored\n", what, env->caller.raw);
        return NULL;
    }
    return by_control(control);
}

static void mo_init(L4_Word_t object, L4_Word_t control, L4_Word_t page_size, chacm_srvenv_t *env)
{
    (void)page_size;
    if (!L4_IsThreadEqual(env->caller, memsvr()))
        return;
    struct fmap *f = by_obj((int32_t)object);
    if (f)
        f->control = control;
}

static void mo_request(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t access,
                       chacm_srvenv_t *env)
{
    (void)object;
    (void)access;
    struct fmap *f = from_memsvr(control, env, "data_request");
    chacm_env_t ce = { 0 };
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    if (!f && L4_IsThreadEqual(env->caller, memsvr())) {
        memory_object_control_data_error(memsvr(), control, offset, length, EINVALID, &ce);
        return;
    }
    if (!f)
        return;
    if (length > MEMORY_OBJECT_XFER_MAX || srv_obj(f->obj, &m, &ino) != ESUCCESS || m->ops->stat(m->fs, ino, &st) ||
        (!xfer && vm_allocate(mach_task_self(), &xfer, MEMORY_OBJECT_XFER_MAX, TRUE) != KERN_SUCCESS)) {
        memory_object_control_data_error(memsvr(), control, offset, length, EINVALID, &ce);
        return;
    }
    if (offset >= st.size) {
        memory_object_control_data_unavailable(memsvr(), control, offset, length, &ce);
        return;
    }
    size_t got = 0;
    int rc = m->ops->read(m->fs, ino, offset, (void *)xfer, (size_t)length, &got);
    if (rc) {
        printf("filesvr: reading object %d at %lu for memsvr: error %d\n", f->obj, offset, rc);
        memory_object_control_data_error(memsvr(), control, offset, length, (L4_Word_t)srv_err(rc), &ce);
        return;
    }
    memset((char *)xfer + got, 0, (size_t)length - got);
    memory_object_control_data_supply(memsvr(), control, offset, xfer, length, 0, false, &ce);
}

static void mo_unlock(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t length, L4_Word_t access,
                      chacm_srvenv_t *env)
{
    (void)object;
    (void)access;
    chacm_env_t ce = { 0 };
    if (from_memsvr(control, env, "data_unlock"))   /* filesvr never locks: lift it */
        memory_object_control_lock_request(memsvr(), control, offset, length, MEMORY_OBJECT_RETURN_NONE, false, 0,
                                           &ce);
}

static void mo_return(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t data, L4_Word_t length,
                      bool dirty, chacm_srvenv_t *env)
{
    (void)object;
    if (!L4_IsThreadEqual(env->caller, memsvr()))
        return;
    struct fmap *f = by_control(control);
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    if (f && dirty && srv_obj(f->obj, &m, &ino) == ESUCCESS && !m->rdonly && !m->ops->stat(m->fs, ino, &st) &&
        offset < st.size) {
        size_t n = st.size - offset < length ? (size_t)(st.size - offset) : (size_t)length, put = 0;
        int rc = m->ops->write(m->fs, ino, offset, (const void *)data, n, &put);
        if (rc || put != n)
            printf("filesvr: writing back %zu bytes of object %d at %lu: error %d\n", n, f->obj, offset, rc);
    }
    vm_deallocate(mach_task_self(), data, length);
}

/* Every sync waiting for memsvr's dirty pages is answered. */
static void finish_syncs(void)
{
    for (int i = 0; i < nsync_wait; i++)
        filesystem_sync_reply(sync_wait[i].caller, srv_sync_now(sync_wait[i].obj));
    nsync_wait = 0;
}

static void mo_locked(L4_Word_t object, L4_Word_t control, L4_Word_t offset, L4_Word_t length, chacm_srvenv_t *env)
{
    (void)object;
    (void)offset;
    (void)length;
    if (!from_memsvr(control, env, "lock_completed") || locks_out == 0)
        return;
    if (--locks_out == 0)
        finish_syncs();
}

static void mo_terminate(L4_Word_t object, L4_Word_t control, chacm_srvenv_t *env)
{
    (void)object;
    struct fmap *f = from_memsvr(control, env, "terminate");
    if (f)
        memset(f, 0, sizeof *f);
}

int srv_fmap_sync(int obj, chacm_srvenv_t *env)
{
    if (nsync_wait == SYNC_WAITERS)
        return srv_sync_now(obj);       /* no room to wait: what memsvr holds waits for the next sync */
    int asked = 0;
    for (int i = 0; i < FMAP_MAX; i++) {
        chacm_env_t ce = { 0 };
        if (maps[i].used && memory_object_control_lock_request(memsvr(), maps[i].control, 0, ~(L4_Word_t)0 << 12,
                                                               MEMORY_OBJECT_RETURN_DIRTY, false, 0, &ce) ==
                                KERN_SUCCESS && ce.error == CHACM_IDL_OK)
            asked++;
    }
    if (!asked && !locks_out)
        return srv_sync_now(obj);
    locks_out += asked;
    sync_wait[nsync_wait].caller = env->caller;
    sync_wait[nsync_wait++].obj = obj;
    chacm_srv_defer(env);
    return ESUCCESS;
}

void srv_fmap_ops(filesvr_ops_t *ops)
{
    ops->file_map_map = do_map;
    ops->memory_object_init = mo_init;
    ops->memory_object_data_request = mo_request;
    ops->memory_object_data_unlock = mo_unlock;
    ops->memory_object_data_return = mo_return;
    ops->memory_object_lock_completed = mo_locked;
    ops->memory_object_terminate = mo_terminate;
}
