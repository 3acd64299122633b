/* Reading a directory as a file: its entry names in link order, each
 * terminated by a NUL.  Positions are per (client thread, directory): a
 * client opens the directory for reading, reads, seeks, and closes it.
 * The name space is not written through the file interface. */
#include <string.h>
#include <l4/thread.h>

#include "names.h"

#define NS_MAX_READERS 64

static struct {
    bool open;
    L4_ThreadId_t client;
    int dir;
    int pos;
} readers[NS_MAX_READERS];

static char out[CHACM_FILE_XFER_MAX];

/* The caller's reader of dir, or -1. */
static int reader(int dir, L4_ThreadId_t client)
{
    for (int i = 0; i < NS_MAX_READERS; i++)
        if (readers[i].open && readers[i].dir == dir && L4_IsThreadEqual(readers[i].client, client))
            return i;
    return -1;
}

void listing_forget(int dir)
{
    for (int i = 0; i < NS_MAX_READERS; i++)
        if (readers[i].dir == dir)
            readers[i].open = false;
}

/* The listing's length in bytes. */
static int listing_size(int dir)
{
    int n = 0;
    for (ns_entry_t *e = ns_dirs[dir].first; e; e = e->next)
        n += (int)strlen(e->name) + 1;
    return n;
}

/* Copies up to max bytes of the listing from pos into buf; the count. */
static int listing_read(int dir, int pos, char *buf, int max)
{
    int at = 0, got = 0;
    for (ns_entry_t *e = ns_dirs[dir].first; e && got < max; e = e->next) {
        int len = (int)strlen(e->name) + 1;
        for (int k = 0; k < len && got < max; k++, at++)
            if (at >= pos)
                buf[got++] = e->name[k];    /* k == len - 1 copies the NUL */
    }
    return got;
}

static int do_open(int objID, int mode, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    if (mode != FILE_READ)
        return EDENIED;
    int r = reader(dir, env->caller);
    for (int i = 0; r < 0 && i < NS_MAX_READERS; i++)
        if (!readers[i].open)
            r = i;
    if (r < 0)
        return EFULL;
    readers[r].open = true;
    readers[r].client = env->caller;
    readers[r].dir = dir;
    readers[r].pos = 0;
    return ESUCCESS;
}

static int do_close(int objID, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    int r = reader(dir, env->caller);
    if (r < 0)
        return ENOTOPEN;
    readers[r].open = false;
    return ESUCCESS;
}

static int do_read(int objID, int length, int *size, char **data, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    int r = reader(dir, env->caller);
    if (r < 0)
        return ENOTOPEN;
    if (length < 0 || length > CHACM_FILE_XFER_MAX)
        return EBADPARM;
    int got = listing_read(dir, readers[r].pos, out, length);
    readers[r].pos += got;
    *size = got;
    *data = out;
    return got || !length ? ESUCCESS : EEOF;
}

static int do_write(int objID, int size, const char *data, int *written, chacm_srvenv_t *env)
{
    (void)size, (void)data, (void)env;
    *written = 0;
    return ns_dir(objID) < 0 ? EINVALID : EDENIED;
}

static int do_seek(int objID, int pos, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    int r = reader(dir, env->caller);
    if (r < 0)
        return ENOTOPEN;
    int size = listing_size(dir);
    if (pos == -1)
        pos = size;
    if (pos < 0 || pos > size)
        return EBADPARM;
    readers[r].pos = pos;
    return ESUCCESS;
}

static int do_tell(int objID, int *pos, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    int r = reader(dir, env->caller);
    if (r < 0)
        return ENOTOPEN;
    *pos = readers[r].pos;
    return ESUCCESS;
}

static int do_delete(int objID, chacm_srvenv_t *env)
{
    (void)env;
    return ns_dir(objID) < 0 ? EINVALID : EDENIED;
}

static int do_stat(int objID, int *type, int *size, int *links, int *mtime, int *blocks, chacm_srvenv_t *env)
{
    (void)env;
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    *type = FILE_T_DIR;
    *size = listing_size(dir);
    *links = 1;
    *mtime = 0;
    *blocks = 0;
    return ESUCCESS;
}

static int do_truncate(int objID, int size, chacm_srvenv_t *env)
{
    (void)size, (void)env;
    return ns_dir(objID) < 0 ? EINVALID : EDENIED;
}

void listing_fill(namesvr_ops_t *ops)
{
    ops->file_open = do_open;
    ops->file_close = do_close;
    ops->file_read = do_read;
    ops->file_write = do_write;
    ops->file_seek = do_seek;
    ops->file_tell = do_tell;
    ops->file_delete = do_delete;
    ops->file_stat = do_stat;
    ops->file_truncate = do_truncate;
}
