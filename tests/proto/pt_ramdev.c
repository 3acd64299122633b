/* A block device over memory (pt_ramdev.h). */
#include <string.h>

#include "block_server.h"
#include "pt_ramdev.h"

static struct pt_ramdev *rd;
static block_buffers_t bufs;

static int rd_capacity(int obj, int *count, chacm_srvenv_t *env)
{
    (void)obj, (void)env;
    *count = (int)(rd->size / (unsigned long)rd->bsize);
    return ESUCCESS;
}

static int rd_blocksize(int obj, int *size, chacm_srvenv_t *env)
{
    (void)obj, (void)env;
    *size = rd->bsize;
    return ESUCCESS;
}

static int rd_range(int nr, int count, int max)
{
    return nr >= 0 && count > 0 && count <= max / rd->bsize &&
           (unsigned long)nr + (unsigned long)count <= rd->size / (unsigned long)rd->bsize;
}

/* With direct, the reply's string is the device's memory itself (no copy;
 * the memory must be in the server's own window). */
static int read_blocks(int nr, int count, int max, int *size, char **data, chacm_srvenv_t *env)
{
    *size = 0;
    if (rd->mute) {
        chacm_srv_defer(env);
        return ESUCCESS;
    }
    if (!rd_range(nr, count, max)) return EBADPARM;
    char *from = (char *)rd->mem + (unsigned long)nr * (unsigned long)rd->bsize;
    *size = count * rd->bsize;
    if (rd->direct) *data = from;
    else memcpy(*data, from, (size_t)*size);
    return ESUCCESS;
}

static int write_blocks(int nr, int count, int max, int size, const char *data)
{
    if (!rd_range(nr, count, max) || size != count * rd->bsize) return EBADPARM;
    if (rd->fail_writes) return EFULL;
    memcpy(rd->mem + (unsigned long)nr * (unsigned long)rd->bsize, data, (size_t)size);
    rd->writes++;
    return ESUCCESS;
}

static int rd_read(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)obj;
    return read_blocks(nr, count, CHACM_BLOCK_XFER_MAX, size, data, env);
}

static int rd_read_bulk(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)obj;
    return read_blocks(nr, count, CHACM_BLOCK_BULK_MAX, size, data, env);
}

static int rd_write(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)obj, (void)env;
    return write_blocks(nr, count, CHACM_BLOCK_XFER_MAX, size, data);
}

static int rd_write_bulk(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)obj, (void)env;
    return write_blocks(nr, count, CHACM_BLOCK_BULK_MAX, size, data);
}

void pt_ramdev_serve(struct pt_ramdev *dev)
{
    static const block_ops_t ops = { .block_get_capacity = rd_capacity, .block_get_blocksize = rd_blocksize,
                                     .block_read = rd_read, .block_write = rd_write,
                                     .block_read_bulk = rd_read_bulk, .block_write_bulk = rd_write_bulk };
    static const block_ops_t small = { .block_get_capacity = rd_capacity, .block_get_blocksize = rd_blocksize,
                                       .block_read = rd_read, .block_write = rd_write };
    rd = dev;
    if (dev->no_bulk) {
        for (;;)
            block_serve(&small, &bufs, NULL);
    }
    for (;;)
        block_serve(&ops, &bufs, NULL);
}
