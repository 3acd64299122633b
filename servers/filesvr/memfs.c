/* filesvr: the memory file system.  Nodes sit in a growing table indexed by
 * number (1 is the root); a directory keeps its entries in insertion order
 * in an array (a listing position is an index); a file's data is one
 * contiguous buffer, so a hole costs memory here.  Link counts follow ext2's
 * rules, so both back ends behave alike. */
#include <stdlib.h>
#include <string.h>

#include "memfs.h"
#include "vfs_ops.h"

#define MF_ROOT 1
#define MF_NODES_MAX (1u << 24)
#define MF_FILE_MAX ((uint64_t)1 << 30)

struct mf_ent { char *name; uint32_t ino; };

struct mf_node {
    int type;                   /* FS_T_*; FS_T_UNKNOWN: a free slot */
    uint32_t mode, links, mtime, ctime, parent;
    uint8_t *data;              /* file bytes or symlink target */
    uint64_t size, cap;
    struct mf_ent *ents;
    uint32_t nents, cap_ents;
};

struct memfs {
    struct mf_node *nodes;      /* nodes[0] unused */
    uint32_t nnodes;
    uint64_t bytes, limit;
    uint32_t (*now)(void *ctx);
    void *ctx;
};

static uint32_t mf_now(struct memfs *m) { return m->now ? m->now(m->ctx) : 0; }

static struct mf_node *node(struct memfs *m, uint32_t ino)
{
    if (ino == 0 || ino >= m->nnodes || m->nodes[ino].type == FS_T_UNKNOWN) return NULL;
    return &m->nodes[ino];
}

static struct mf_node *dir_node(struct memfs *m, uint32_t ino, int *rc)
{
    struct mf_node *d = node(m, ino);
    *rc = !d ? FS_ENOENT : d->type != FS_T_DIR ? FS_ENOTDIR : FS_OK;
    return *rc ? NULL : d;
}

static int check_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) return FS_EINVAL;
    return len > FS_NAME_MAX ? FS_ENAMETOOLONG : FS_OK;
}

static int find(struct mf_node *d, const char *name)
{
    for (uint32_t i = 0; i < d->nents; i++)
        if (strcmp(d->ents[i].name, name) == 0) return (int)i;
    return -1;
}

static int new_node(struct memfs *m, int type, uint32_t mode, uint32_t *out)
{
    uint32_t ino = 1;
    while (ino < m->nnodes && m->nodes[ino].type != FS_T_UNKNOWN) ino++;
    if (ino == m->nnodes) {
        if (m->nnodes >= MF_NODES_MAX) return FS_ENOSPC;
        uint32_t n = m->nnodes * 2;
        struct mf_node *t = realloc(m->nodes, n * sizeof *t);
        if (!t) return FS_ENOSPC;
        memset(t + m->nnodes, 0, (n - m->nnodes) * sizeof *t);
        m->nodes = t;
        m->nnodes = n;
    }
    struct mf_node *x = &m->nodes[ino];
    memset(x, 0, sizeof *x);
    x->type = type;
    x->mode = mode;
    x->links = type == FS_T_DIR ? 2 : 1;
    x->mtime = x->ctime = mf_now(m);
    *out = ino;
    return FS_OK;
}

static void free_node(struct memfs *m, struct mf_node *x)
{
    for (uint32_t i = 0; i < x->nents; i++) free(x->ents[i].name);
    free(x->ents);
    m->bytes -= x->cap;
    free(x->data);
    memset(x, 0, sizeof *x);
}

static int add_ent(struct memfs *m, struct mf_node *d, const char *name, uint32_t ino)
{
    if (d->nents == d->cap_ents) {
        uint32_t n = d->cap_ents ? d->cap_ents * 2 : 8;
        struct mf_ent *t = realloc(d->ents, n * sizeof *t);
        if (!t) return FS_ENOSPC;
        d->ents = t;
        d->cap_ents = n;
    }
    char *copy = malloc(strlen(name) + 1);
    if (!copy) return FS_ENOSPC;
    strcpy(copy, name);
    d->ents[d->nents++] = (struct mf_ent){ copy, ino };
    d->mtime = d->ctime = mf_now(m);
    return FS_OK;
}

static void del_ent(struct memfs *m, struct mf_node *d, int i)
{
    free(d->ents[i].name);
    memmove(&d->ents[i], &d->ents[i + 1], (d->nents - (uint32_t)i - 1) * sizeof d->ents[0]);
    d->nents--;
    d->mtime = d->ctime = mf_now(m);
}

struct memfs *memfs_new(uint64_t limit, uint32_t (*now)(void *ctx), void *ctx)
{
    struct memfs *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->nnodes = 64;
    m->nodes = calloc(m->nnodes, sizeof *m->nodes);
    m->limit = limit;
    m->now = now;
    m->ctx = ctx;
    uint32_t root;
    if (!m->nodes || new_node(m, FS_T_DIR, 0755, &root) || root != MF_ROOT) {
        free(m->nodes);
        free(m);
        return NULL;
    }
    m->nodes[root].parent = root;
    return m;
}

static uint32_t mf_root(void *fs) { (void)fs; return MF_ROOT; }

static int mf_stat(void *fs, uint32_t ino, struct fs_stat *st)
{
    struct mf_node *x = node(fs, ino);
    if (!x) return FS_ENOENT;
    memset(st, 0, sizeof *st);
    st->ino = ino;
    st->type = x->type;
    st->mode = x->mode;
    st->links = x->links;
    st->size = x->type == FS_T_DIR ? (uint64_t)x->nents * 16 : x->size;
    st->blocks = (x->cap + 511) / 512;
    st->mtime = x->mtime;
    st->ctime = st->atime = x->ctime;
    return FS_OK;
}

static int mf_lookup(void *fs, uint32_t dir, const char *name, uint32_t *ino)
{
    int rc;
    struct mf_node *d = dir_node(fs, dir, &rc);
    if (!d) return rc;
    if (!strcmp(name, ".")) return *ino = dir, FS_OK;
    if (!strcmp(name, "..")) return *ino = d->parent, FS_OK;
    int i = find(d, name);
    if (i < 0) return FS_ENOENT;
    *ino = d->ents[i].ino;
    return FS_OK;
}

static int mf_readdir(void *fs, uint32_t dir, uint64_t *pos, char *name, uint32_t *ino, int *type)
{
    struct memfs *m = fs;
    int rc;
    struct mf_node *d = dir_node(m, dir, &rc);
    if (!d) return rc;
    if (*pos < 2) {
        strcpy(name, *pos == 0 ? "." : "..");
        *ino = *pos == 0 ? dir : d->parent;
        *type = FS_T_DIR;
        (*pos)++;
        return FS_OK;
    }
    if (*pos - 2 >= d->nents) return FS_ENOENT;
    struct mf_ent *e = &d->ents[*pos - 2];
    strcpy(name, e->name);
    *ino = e->ino;
    *type = m->nodes[e->ino].type;
    (*pos)++;
    return FS_OK;
}

static int mf_read(void *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got)
{
    struct mf_node *x = node(fs, ino);
    *got = 0;
    if (!x) return FS_ENOENT;
    if (x->type != FS_T_FILE) return x->type == FS_T_DIR ? FS_EISDIR : FS_EINVAL;
    if (off >= x->size) return FS_OK;
    if (len > x->size - off) len = (size_t)(x->size - off);
    uint64_t have = off < x->cap ? x->cap - off : 0;   /* bytes past cap are a hole */
    size_t n = len < have ? len : (size_t)have;
    if (n) memcpy(buf, x->data + off, n);
    memset((uint8_t *)buf + n, 0, len - n);
    *got = len;
    return FS_OK;
}

/* Grows x's buffer to hold at least need bytes (zero-filled). */
static int reserve(struct memfs *m, struct mf_node *x, uint64_t need)
{
    if (need <= x->cap) return FS_OK;
    uint64_t cap = x->cap ? x->cap : 256;
    while (cap < need) cap *= 2;
    if (cap > MF_FILE_MAX) cap = need;
    if (m->bytes - x->cap + cap > m->limit) return FS_ENOSPC;
    uint8_t *t = realloc(x->data, (size_t)cap);
    if (!t) return FS_ENOSPC;
    memset(t + x->cap, 0, (size_t)(cap - x->cap));
    m->bytes += cap - x->cap;
    x->data = t;
    x->cap = cap;
    return FS_OK;
}

static int mf_write(void *fs, uint32_t ino, uint64_t off, const void *buf, size_t len, size_t *put)
{
    struct memfs *m = fs;
    struct mf_node *x = node(m, ino);
    *put = 0;
    if (!x) return FS_ENOENT;
    if (x->type != FS_T_FILE) return x->type == FS_T_DIR ? FS_EISDIR : FS_EINVAL;
    if (off > MF_FILE_MAX || len > MF_FILE_MAX - off) return FS_EFBIG;
    int rc = reserve(m, x, off + len);
    if (rc) return rc;
    memcpy(x->data + off, buf, len);
    if (off + len > x->size) x->size = off + len;
    x->mtime = x->ctime = mf_now(m);
    *put = len;
    return FS_OK;
}

static int mf_truncate(void *fs, uint32_t ino, uint64_t size)
{
    struct memfs *m = fs;
    struct mf_node *x = node(m, ino);
    if (!x) return FS_ENOENT;
    if (x->type != FS_T_FILE) return x->type == FS_T_DIR ? FS_EISDIR : FS_EINVAL;
    if (size > MF_FILE_MAX) return FS_EFBIG;
    if (size < x->cap) memset(x->data + size, 0, (size_t)(x->cap - size));
    x->size = size;
    x->mtime = x->ctime = mf_now(m);
    return FS_OK;
}

static int make(struct memfs *m, uint32_t dir, const char *name, int type, uint32_t mode,
                const char *target, uint32_t *ino)
{
    int rc = check_name(name);
    struct mf_node *d = rc ? NULL : dir_node(m, dir, &rc);
    if (!d) return rc;
    if (find(d, name) >= 0) return FS_EEXIST;
    uint32_t n;
    if ((rc = new_node(m, type, mode, &n))) return rc;
    struct mf_node *x = &m->nodes[n];
    x->parent = dir;
    if (target) {
        size_t len = strlen(target);
        rc = reserve(m, x, len + 1);
        if (rc == FS_OK) memcpy(x->data, target, len + 1), x->size = len;
    }
    if (rc == FS_OK) rc = add_ent(m, &m->nodes[dir], name, n);   /* nodes may have moved */
    if (rc) {
        free_node(m, &m->nodes[n]);
        return rc;
    }
    if (type == FS_T_DIR) m->nodes[dir].links++;
    if (ino) *ino = n;
    return FS_OK;
}

static int mf_create(void *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
    return make(fs, dir, name, FS_T_FILE, mode ? mode : 0644, NULL, ino);
}

static int mf_mkdir(void *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
    return make(fs, dir, name, FS_T_DIR, mode ? mode : 0755, NULL, ino);
}

static int mf_symlink(void *fs, uint32_t dir, const char *name, const char *target, uint32_t *ino)
{
    if (!target || !*target) return FS_EINVAL;
    return make(fs, dir, name, FS_T_SYMLINK, 0777, target, ino);
}

static int mf_readlink(void *fs, uint32_t ino, char *buf, size_t size)
{
    struct mf_node *x = node(fs, ino);
    if (!x) return FS_ENOENT;
    if (x->type != FS_T_SYMLINK || size == 0) return FS_EINVAL;
    if (x->size >= size) return FS_ENAMETOOLONG;
    memcpy(buf, x->data, (size_t)x->size + 1);
    return FS_OK;
}

static int mf_link(void *fs, uint32_t dir, const char *name, uint32_t ino)
{
    struct memfs *m = fs;
    int rc = check_name(name);
    struct mf_node *d = rc ? NULL : dir_node(m, dir, &rc), *x = node(m, ino);
    if (!d) return rc;
    if (!x) return FS_ENOENT;
    if (x->type == FS_T_DIR) return FS_EISDIR;
    if (find(d, name) >= 0) return FS_EEXIST;
    if ((rc = add_ent(m, d, name, ino))) return rc;
    x->links++;
    x->ctime = mf_now(m);
    return FS_OK;
}

static void drop(struct memfs *m, uint32_t ino)
{
    struct mf_node *x = &m->nodes[ino];
    if (x->type == FS_T_DIR || --x->links == 0) free_node(m, x);
    else x->ctime = mf_now(m);
}

/* Finds name in dir for unlink/rmdir; want_dir says which kind it must be. */
static int victim(struct memfs *m, uint32_t dir, const char *name, int want_dir, struct mf_node **dp, int *idx)
{
    int rc = check_name(name);
    struct mf_node *d = rc ? NULL : dir_node(m, dir, &rc);
    if (!d) return rc;
    int i = find(d, name);
    if (i < 0) return FS_ENOENT;
    struct mf_node *x = &m->nodes[d->ents[i].ino];
    if (want_dir && x->type != FS_T_DIR) return FS_ENOTDIR;
    if (!want_dir && x->type == FS_T_DIR) return FS_EISDIR;
    if (want_dir && x->nents) return FS_ENOTEMPTY;
    *dp = d;
    *idx = i;
    return FS_OK;
}

static int mf_unlink(void *fs, uint32_t dir, const char *name)
{
    struct mf_node *d;
    int i, rc = victim(fs, dir, name, 0, &d, &i);
    if (rc) return rc;
    uint32_t ino = d->ents[i].ino;
    del_ent(fs, d, i);
    drop(fs, ino);
    return FS_OK;
}

static int mf_rmdir(void *fs, uint32_t dir, const char *name)
{
    struct mf_node *d;
    int i, rc = victim(fs, dir, name, 1, &d, &i);
    if (rc) return rc;
    uint32_t ino = d->ents[i].ino;
    del_ent(fs, d, i);
    d->links--;
    drop(fs, ino);
    return FS_OK;
}

static int mf_rename(void *fs, uint32_t sdir, const char *sname, uint32_t ddir, const char *dname)
{
    struct memfs *m = fs;
    int rc = check_name(sname);
    if (rc || (rc = check_name(dname))) return rc;
    struct mf_node *sd = dir_node(m, sdir, &rc), *dd = sd ? dir_node(m, ddir, &rc) : NULL;
    if (!dd) return rc;
    int si = find(sd, sname);
    if (si < 0) return FS_ENOENT;
    uint32_t ino = sd->ents[si].ino;
    struct mf_node *x = &m->nodes[ino];
    for (uint32_t a = ddir, steps = 0; x->type == FS_T_DIR; a = m->nodes[a].parent, steps++) {
        if (a == ino) return FS_EINVAL;              /* into itself */
        if (a == MF_ROOT || steps > MF_NODES_MAX) break;
    }
    int di = find(dd, dname);
    if (di >= 0) {
        uint32_t t = dd->ents[di].ino;
        if (t == ino) return FS_OK;
        struct mf_node *y = &m->nodes[t];
        if (x->type == FS_T_DIR && y->type != FS_T_DIR) return FS_ENOTDIR;
        if (x->type != FS_T_DIR && y->type == FS_T_DIR) return FS_EISDIR;
        if (y->type == FS_T_DIR && y->nents) return FS_ENOTEMPTY;
        dd->ents[di].ino = ino;
        if (y->type == FS_T_DIR) dd->links--;
        drop(m, t);
    } else if ((rc = add_ent(m, dd, dname, ino))) {
        return rc;
    }
    del_ent(m, sd, find(sd, sname));
    if (x->type == FS_T_DIR && sdir != ddir) {
        sd->links--;
        dd->links++;
        x->parent = ddir;
    }
    x->ctime = mf_now(m);
    return FS_OK;
}

static int mf_sync(void *fs) { (void)fs; return FS_OK; }

static int mf_unmount(void *fs)
{
    struct memfs *m = fs;
    for (uint32_t i = 1; i < m->nnodes; i++)
        if (m->nodes[i].type != FS_T_UNKNOWN) free_node(m, &m->nodes[i]);
    free(m->nodes);
    free(m);
    return FS_OK;
}

const struct fs_ops memfs_ops = {
    .name = "memfs", .root = mf_root, .stat = mf_stat, .lookup = mf_lookup, .readdir = mf_readdir,
    .read = mf_read, .write = mf_write, .truncate = mf_truncate, .create = mf_create,
    .mkdir = mf_mkdir, .symlink = mf_symlink, .readlink = mf_readlink, .link = mf_link,
    .unlink = mf_unlink, .rmdir = mf_rmdir, .rename = mf_rename, .sync = mf_sync,
    .unmount = mf_unmount,
};
