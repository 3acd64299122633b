/* The boot list's data modules read as files: a device's bytes from its
 * start, read-only, one position per (client thread, device) while it is
 * open.  So a program image given as a data module can be run by name
 * (/dev/hdX) before any file system is mounted. */
#include <string.h>
#include <l4/thread.h>

#include "booter.h"

#define BLK_MAX_READERS 16

static chacm_reader_t reader_slots[BLK_MAX_READERS];
static chacm_readers_t readers = { reader_slots, BLK_MAX_READERS };
static char out[CHACM_FILE_XFER_MAX];

static int do_open(int objID, int mode, chacm_srvenv_t *env)
{
    if (!blk_bytes(objID, NULL))
        return EINVALID;
    if (mode != FILE_READ)
        return EDENIED;
    return chacm_reader_open(&readers, objID, env->caller) ? ESUCCESS : EFULL;
}

static int do_close(int objID, chacm_srvenv_t *env)
{
    return blk_bytes(objID, NULL) ? chacm_reader_close(&readers, objID, env->caller) : EINVALID;
}

static int do_read(int objID, int length, int *size, char **data, chacm_srvenv_t *env)
{
    L4_Word_t len;
    const char *base = blk_bytes(objID, &len);
    if (!base)
        return EINVALID;
    chacm_reader_t *r = chacm_reader_find(&readers, objID, env->caller);
    if (!r)
        return ENOTOPEN;
    if (length < 0 || length > CHACM_FILE_XFER_MAX)
        return EBADPARM;
    L4_Word_t n = len - r->pos < (L4_Word_t)length ? len - r->pos : (L4_Word_t)length;
    memcpy(out, base + r->pos, n);
    r->pos += n;
    *size = (int)n;
    *data = out;
    return n || !length ? ESUCCESS : EEOF;
}

static int do_write(int objID, int size, const char *data, int *written, chacm_srvenv_t *env)
{
    (void)size, (void)data, (void)env;
    *written = 0;
    return blk_bytes(objID, NULL) ? EDENIED : EINVALID;
}

static int do_seek(int objID, int pos, chacm_srvenv_t *env)
{
    L4_Word_t len;
    if (!blk_bytes(objID, &len))
        return EINVALID;
    return chacm_reader_seek(&readers, objID, env->caller, pos, len);
}

static int do_tell(int objID, int *pos, chacm_srvenv_t *env)
{
    return blk_bytes(objID, NULL) ? chacm_reader_tell(&readers, objID, env->caller, pos) : EINVALID;
}

static int do_delete(int objID, chacm_srvenv_t *env)
{
    (void)env;
    return blk_bytes(objID, NULL) ? EDENIED : EINVALID;
}

static int do_stat(int objID, int *type, int *size, int *links, int *mtime, int *blocks, chacm_srvenv_t *env)
{
    (void)env;
    L4_Word_t len;
    if (!blk_bytes(objID, &len))
        return EINVALID;
    *type = FILE_T_OTHER;
    *size = (int)len;
    *links = 1;
    *mtime = 0;
    *blocks = (int)((len + 511) / 512);
    return ESUCCESS;
}

static int do_truncate(int objID, int size, chacm_srvenv_t *env)
{
    (void)size, (void)env;
    return blk_bytes(objID, NULL) ? EDENIED : EINVALID;
}

void blkfile_fill(booter_block_ops_t *ops)
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
