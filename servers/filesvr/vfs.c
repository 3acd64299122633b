/* filesvr: VFS-light: the mount table, object ids, and path resolution
 * across mount points and symbolic links. */
#include <stdlib.h>
#include <string.h>

#include "vfs.h"

struct vfs_mount vfs_mounts[VFS_MOUNTS];

#define INO_MASK ((1u << VFS_INO_BITS) - 1)

void vfs_init(const struct fs_ops *ops, void *fs)
{
    memset(vfs_mounts, 0, sizeof vfs_mounts);
    vfs_mounts[0] = (struct vfs_mount){ ops, fs, -1, NULL, 0 };
}

int vfs_decode(int32_t obj, struct vfs_mount **m, uint32_t *ino)
{
    if (obj < 0) return FS_ENOENT;
    uint32_t i = (uint32_t)obj >> VFS_INO_BITS, n = (uint32_t)obj & INO_MASK;
    if (i >= VFS_MOUNTS || !vfs_mounts[i].ops) return FS_ENOENT;
    if (obj == 0) n = vfs_mounts[0].ops->root(vfs_mounts[0].fs);
    if (n == 0) return FS_ENOENT;
    *m = &vfs_mounts[i];
    *ino = n;
    return FS_OK;
}

int32_t vfs_encode(const struct vfs_mount *m, uint32_t ino)
{
    int32_t i = (int32_t)(m - vfs_mounts);
    if (ino > INO_MASK) return -1;
    if (i == 0 && ino == m->ops->root(m->fs)) return 0;
    return (int32_t)((uint32_t)i << VFS_INO_BITS | ino);
}

/* The one id of an object (the memory file system's root is 0). */
static int32_t canon(int32_t obj)
{
    struct vfs_mount *m;
    uint32_t ino;
    return vfs_decode(obj, &m, &ino) == FS_OK ? vfs_encode(m, ino) : obj;
}

int32_t vfs_cross(int32_t obj)
{
    obj = canon(obj);
    for (int hops = 0; hops < VFS_MOUNTS; hops++) {
        int i;
        for (i = 1; i < VFS_MOUNTS; i++)
            if (vfs_mounts[i].ops && vfs_mounts[i].covered == obj) break;
        if (i == VFS_MOUNTS) return obj;
        struct vfs_mount *m = &vfs_mounts[i];
        obj = vfs_encode(m, m->ops->root(m->fs));
    }
    return obj;
}

/* One step from directory obj by name (not "." or ""). */
static int step(int32_t obj, const char *name, int32_t *out)
{
    struct vfs_mount *m;
    uint32_t ino, next;
    int rc = vfs_decode(obj, &m, &ino);
    if (rc) return rc;
    if (strcmp(name, "..") == 0 && m != vfs_mounts && ino == m->ops->root(m->fs))
        return step(m->covered, "..", out);    /* leaving a mounted root */
    if ((rc = m->ops->lookup(m->fs, ino, name, &next))) return rc;
    int32_t o = vfs_encode(m, next);
    if (o < 0) return FS_EUNSUPP;
    *out = vfs_cross(o);
    return FS_OK;
}

/* Appends "target/rest" to buf (size bytes) for a symbolic link in the path. */
static int splice(char *buf, size_t size, const char *target, const char *rest)
{
    size_t t = strlen(target), r = strlen(rest);
    if (t + 1 + r + 1 > size) return FS_ENAMETOOLONG;
    char *tmp = malloc(r + 1);
    if (!tmp) return FS_ENOMEM;
    memcpy(tmp, rest, r + 1);
    memcpy(buf, target, t);
    buf[t] = '/';
    memcpy(buf + t + 1, tmp, r + 1);
    free(tmp);
    return FS_OK;
}

int vfs_resolve(int32_t obj, const char *path, int32_t *out)
{
    char buf[1024 + FS_NAME_MAX + 2], target[1024];
    size_t len = strlen(path);
    int links = 0, rc;
    if (len >= sizeof buf) return FS_ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    int32_t cur = vfs_cross(obj);
    char *p = buf;
    while (*p) {
        char *end = strchr(p, '/');
        if (end) *end = 0;
        char *rest = end ? end + 1 : p + strlen(p);
        if (strlen(p) > FS_NAME_MAX) return FS_ENAMETOOLONG;
        int32_t next = cur;
        if (*p && strcmp(p, ".") != 0 && (rc = step(cur, p, &next))) return rc;
        struct vfs_mount *m;
        uint32_t ino;
        struct fs_stat st;
        if ((rc = vfs_decode(next, &m, &ino)) || (rc = m->ops->stat(m->fs, ino, &st))) return rc;
        if (st.type == FS_T_SYMLINK && *rest) {
            if (++links > VFS_SYMLINKS_MAX) return FS_EINVAL;
            if ((rc = m->ops->readlink(m->fs, ino, target, sizeof target))) return rc;
            if (target[0] == '/') return FS_EUNSUPP;   /* the global name space is not ours */
            if ((rc = splice(buf, sizeof buf, target, rest))) return rc;
            p = buf;
            continue;                                   /* from the link's directory */
        }
        if (*rest && st.type != FS_T_DIR) return FS_ENOTDIR;
        cur = next;
        p = rest;
    }
    *out = cur;
    return FS_OK;
}

int vfs_mount(int32_t obj, const struct fs_ops *ops, void *fs, void *dev, int rdonly)
{
    struct vfs_mount *m;
    uint32_t ino;
    struct fs_stat st;
    int rc = vfs_decode(obj, &m, &ino);
    if (rc || (rc = m->ops->stat(m->fs, ino, &st))) return rc;
    if (st.type != FS_T_DIR) return FS_ENOTDIR;
    obj = canon(obj);
    if (vfs_cross(obj) != obj) return FS_EEXIST;
    for (int i = 1; i < VFS_MOUNTS; i++)
        if (!vfs_mounts[i].ops) {
            vfs_mounts[i] = (struct vfs_mount){ ops, fs, obj, dev, rdonly };
            return i;
        }
    return FS_ENOSPC;
}

int vfs_mount_at(int32_t obj)
{
    obj = canon(obj);
    for (int i = 1; i < VFS_MOUNTS; i++) {
        struct vfs_mount *m = &vfs_mounts[i];
        if (m->ops && (m->covered == obj || obj == vfs_encode(m, m->ops->root(m->fs)))) return i;
    }
    return -1;
}

int vfs_unmount(int i)
{
    if (i <= 0 || i >= VFS_MOUNTS || !vfs_mounts[i].ops) return FS_ENOENT;
    for (int j = 1; j < VFS_MOUNTS; j++)    /* a file system mounted inside goes first */
        if (vfs_mounts[j].ops && ((uint32_t)vfs_mounts[j].covered >> VFS_INO_BITS) == (uint32_t)i)
            return FS_EBUSY;
    int rc = vfs_mounts[i].ops->unmount(vfs_mounts[i].fs);
    if (rc == FS_OK) memset(&vfs_mounts[i], 0, sizeof vfs_mounts[i]);
    return rc;
}
