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

static int rd_range(int nr, int count)
{
    return nr >= 0 && count > 0 && count <= CHACM_BLOCK_XFER_MAX / rd->bsize &&
           (unsigned long)(nr + count) * (unsigned long)rd->bsize <= rd->size;
}

static int rd_read(int obj, int nr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)obj;
    *size = 0;
    if (rd->mute) {
        chacm_srv_defer(env);
        return ESUCCESS;
    }
    if (!rd_range(nr, count)) return EBADPARM;
    memcpy(*data, rd->mem + (unsigned long)nr * (unsigned long)rd->bsize, (size_t)(count * rd->bsize));
    *size = count * rd->bsize;
    return ESUCCESS;
}

static int rd_write(int obj, int nr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)obj, (void)env;
    if (!rd_range(nr, count) || size != count * rd->bsize) return EBADPARM;
    memcpy(rd->mem + (unsigned long)nr * (unsigned long)rd->bsize, data, (size_t)size);
    rd->writes++;
    return ESUCCESS;
}

void pt_ramdev_serve(struct pt_ramdev *dev)
{
    static const block_ops_t ops = { .block_get_capacity = rd_capacity, .block_get_blocksize = rd_blocksize,
                                     .block_read = rd_read, .block_write = rd_write };
    rd = dev;
    for (;;)
        block_serve(&ops, &bufs, NULL);
}
