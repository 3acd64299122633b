/* Reading a directory as a file: its entry names in link order, each
 * terminated by a NUL.  Positions are per (client thread, directory): a
 * client opens the directory for reading, reads, seeks, and closes it.
 * The name space is not written through the file interface. */
#include <string.h>
#include <l4/thread.h>

#include "names.h"

#define NS_MAX_READERS 64

static chacm_reader_t reader_slots[NS_MAX_READERS];
static chacm_readers_t readers = { reader_slots, NS_MAX_READERS };
static char out[CHACM_FILE_XFER_MAX];

void listing_forget(int dir)
{
    chacm_reader_forget(&readers, dir);
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
    if (ns_dir(objID) < 0)
        return EINVALID;
    if (mode != FILE_READ)
        return EDENIED;
    return chacm_reader_open(&readers, objID, env->caller) ? ESUCCESS : EFULL;
}

static int do_close(int objID, chacm_srvenv_t *env)
{
    return ns_dir(objID) < 0 ? EINVALID : chacm_reader_close(&readers, objID, env->caller);
}

static int do_read(int objID, int length, int *size, char **data, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    chacm_reader_t *r = chacm_reader_find(&readers, dir, env->caller);
    if (!r)
        return ENOTOPEN;
    if (length < 0 || length > CHACM_FILE_XFER_MAX)
        return EBADPARM;
    int got = listing_read(dir, (int)r->pos, out, length);
    r->pos += (unsigned long)got;
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
    return chacm_reader_seek(&readers, dir, env->caller, pos, (unsigned long)listing_size(dir));
}

static int do_tell(int objID, int *pos, chacm_srvenv_t *env)
{
    return ns_dir(objID) < 0 ? EINVALID : chacm_reader_tell(&readers, objID, env->caller, pos);
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
