/* filesvr: the file interface.  Positions live in an open table, one entry
 * per (client thread, object); a directory opened for reading is the stream
 * of its entry names, each ended by a NUL (without "." and ".."), read
 * through a cursor so that listing a large directory stays linear. */
#include <string.h>

#include "server.h"

#define OPEN_MAX 256

struct open_file {
    L4_Word_t client;         /* 0: a free entry */
    int32_t obj;
    int mode;
    uint64_t pos;
    uint64_t cookie, at;      /* directory: readdir position of stream offset at */
};

static struct open_file opens[OPEN_MAX];

static struct open_file *find_open(L4_ThreadId_t client, int32_t obj)
{
    for (int i = 0; i < OPEN_MAX; i++)
        if (opens[i].client == client.raw && opens[i].obj == obj) return &opens[i];
    return NULL;
}

static int of_mount(const struct open_file *o, int i)
{
    return o->client && ((uint32_t)o->obj >> VFS_INO_BITS) == (uint32_t)i;
}

int srv_mount_busy(int i, L4_ThreadId_t caller)
{
    for (int k = 0; k < OPEN_MAX; k++)
        if (of_mount(&opens[k], i) && opens[k].client != caller.raw) return 1;
    return srv_fmap_busy(i);
}

void srv_mount_gone(int i)
{
    for (int k = 0; k < OPEN_MAX; k++)
        if (of_mount(&opens[k], i)) memset(&opens[k], 0, sizeof opens[k]);
}

static int node_type(int obj, struct vfs_mount **m, uint32_t *ino, struct fs_stat *st)
{
    if (srv_obj(obj, m, ino) != ESUCCESS) return EINVALID;
    int rc = (*m)->ops->stat((*m)->fs, *ino, st);
    return rc ? EINVALID : ESUCCESS;
}

static int do_open(int obj, int mode, chacm_srvenv_t *env)
{
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    obj = vfs_cross(obj);
    if (node_type(obj, &m, &ino, &st) != ESUCCESS) return EINVALID;
    if (mode & ~(FILE_READ | FILE_WRITE) || !mode) return EBADPARM;
    if ((mode & FILE_WRITE) && (st.type != FS_T_FILE || m->rdonly)) return EDENIED;
    if (st.type != FS_T_FILE && st.type != FS_T_DIR) return EDENIED;
    struct open_file *o = find_open(env->caller, obj);
    for (int i = 0; !o && i < OPEN_MAX; i++)
        if (!opens[i].client) o = &opens[i];
    if (!o) return EFULL;
    *o = (struct open_file){ .client = env->caller.raw, .obj = obj, .mode = mode };
    return ESUCCESS;
}

static struct open_file *opened(int obj, chacm_srvenv_t *env)
{
    return find_open(env->caller, vfs_cross(obj));
}

static int do_close(int obj, chacm_srvenv_t *env)
{
    struct open_file *o = opened(obj, env);
    if (!o) return ENOTOPEN;
    memset(o, 0, sizeof *o);
    return ESUCCESS;
}

/* Copies the part of the directory stream at o->pos into out (up to len). */
static int dir_stream(struct open_file *o, struct vfs_mount *m, uint32_t dir, char *out, int len,
                      int *size)
{
    char name[FS_NAME_MAX + 1];
    uint32_t ino;
    int type, n = 0, rc = FS_OK;
    if (o->pos < o->at) o->cookie = o->at = 0;
    uint64_t cookie = o->cookie, at = o->at;
    while (n < len && (rc = m->ops->readdir(m->fs, dir, &cookie, name, &ino, &type)) == FS_OK) {
        if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
        uint64_t l = strlen(name) + 1, from = o->pos + (uint64_t)n;
        if (from < at + l) {
            uint64_t skip = from - at, k = l - skip;
            if (k > (uint64_t)(len - n)) k = (uint64_t)(len - n);
            memcpy(out + n, name + skip, (size_t)k);   /* name's NUL is byte l-1 */
            n += (int)k;
        }
        at += l;
        if (at <= o->pos + (uint64_t)n) {            /* a boundary at or before the new position */
            o->cookie = cookie;
            o->at = at;
        }
    }
    if (n < len && rc != FS_ENOENT && rc != FS_OK) return srv_err(rc);
    *size = n;
    o->pos += (uint64_t)n;
    return n ? ESUCCESS : EEOF;
}

/* read and read_bulk: up to max bytes at the position. */
static int read_at(int obj, int length, int max, int *size, char **data, chacm_srvenv_t *env)
{
    struct open_file *o = opened(obj, env);
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    *size = 0;
    if (!o) return ENOTOPEN;
    if (!(o->mode & FILE_READ)) return EDENIED;
    if (length < 0) return EBADPARM;
    if (length > max) length = max;
    if (node_type(o->obj, &m, &ino, &st) != ESUCCESS) return EINVALID;
    if (st.type == FS_T_DIR) return dir_stream(o, m, ino, *data, length, size);
    size_t got;
    int rc = m->ops->read(m->fs, ino, o->pos, *data, (size_t)length, &got);
    if (rc) return srv_err(rc);
    o->pos += got;
    *size = (int)got;
    return got || !length ? ESUCCESS : EEOF;
}

static int do_read(int obj, int length, int *size, char **data, chacm_srvenv_t *env)
{
    return read_at(obj, length, CHACM_FILE_XFER_MAX, size, data, env);
}

static int do_read_bulk(int obj, int length, int *size, char **data, chacm_srvenv_t *env)
{
    return read_at(obj, length, CHACM_FILE_BULK_MAX, size, data, env);
}

static int do_write(int obj, int size, const char *data, int *written, chacm_srvenv_t *env)
{
    struct open_file *o = opened(obj, env);
    struct vfs_mount *m;
    uint32_t ino;
    *written = 0;
    if (!o) return ENOTOPEN;
    if (!(o->mode & FILE_WRITE)) return EDENIED;
    if (size < 0) return EBADPARM;
    if (srv_obj(o->obj, &m, &ino) != ESUCCESS) return EINVALID;
    size_t put;
    int rc = m->ops->write(m->fs, ino, o->pos, data, (size_t)size, &put);
    o->pos += put;
    *written = (int)put;
    return put || !size ? ESUCCESS : srv_err(rc);
}

/* The length of a directory's name stream. */
static uint64_t dir_length(struct vfs_mount *m, uint32_t dir)
{
    char name[FS_NAME_MAX + 1];
    uint32_t ino;
    int type;
    uint64_t cookie = 0, len = 0;
    while (m->ops->readdir(m->fs, dir, &cookie, name, &ino, &type) == FS_OK)
        if (strcmp(name, ".") && strcmp(name, "..")) len += strlen(name) + 1;
    return len;
}

static int do_seek(int obj, int pos, chacm_srvenv_t *env)
{
    struct open_file *o = opened(obj, env);
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    if (!o) return ENOTOPEN;
    if (pos < -1) return EBADPARM;
    if (pos >= 0) {
        o->pos = (uint64_t)pos;
        return ESUCCESS;
    }
    if (node_type(o->obj, &m, &ino, &st) != ESUCCESS) return EINVALID;
    o->pos = st.type == FS_T_DIR ? dir_length(m, ino) : st.size;
    return ESUCCESS;
}

static int do_tell(int obj, int *pos, chacm_srvenv_t *env)
{
    struct open_file *o = opened(obj, env);
    *pos = 0;
    if (!o) return ENOTOPEN;
    *pos = o->pos > 0x7FFFFFFF ? 0x7FFFFFFF : (int)o->pos;
    return ESUCCESS;
}

static int do_delete(int obj, chacm_srvenv_t *env)
{
    (void)obj;
    (void)env;
    return ESUPP;
}

static int clamp(uint64_t v)
{
    return v > 0x7FFFFFFF ? 0x7FFFFFFF : (int)v;
}

static int do_stat(int obj, int *type, int *size, int *links, int *mtime, int *blocks,
                   chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    *type = *size = *links = *mtime = *blocks = 0;
    if (node_type(vfs_cross(obj), &m, &ino, &st) != ESUCCESS) return EINVALID;
    *type = st.type == FS_T_FILE ? FILE_T_FILE : st.type == FS_T_DIR ? FILE_T_DIR :
            st.type == FS_T_SYMLINK ? FILE_T_SYMLINK : FILE_T_OTHER;
    *size = clamp(st.size);
    *links = (int)st.links;
    *mtime = (int)st.mtime;
    *blocks = clamp(st.blocks);
    return ESUCCESS;
}

static int do_truncate(int obj, int size, chacm_srvenv_t *env)
{
    (void)env;
    struct vfs_mount *m;
    uint32_t ino;
    if (srv_obj(obj, &m, &ino) != ESUCCESS) return EINVALID;
    if (size < 0) return EBADPARM;
    if (m->rdonly) return EDENIED;
    int rc = m->ops->truncate(m->fs, ino, (uint64_t)size);
    return rc == FS_EISDIR || rc == FS_EINVAL ? EBADPARM : srv_err(rc);
}

void srv_file_ops(filesvr_ops_t *ops)
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
    ops->file_read_bulk = do_read_bulk;
    ops->file_write_bulk = do_write;     /* the stub checked the size against CHACM_FILE_BULK_MAX */
}
