/* filesvr: the ext2 back end's operations on names and nodes (lookup,
 * create, mkdir, symlink, link, unlink, rmdir, rename, read, write,
 * truncate, stat), built on the inode and directory layers.  Link counts:
 * a file's is its number of names; a directory's is 2 plus its subdirectories. */
#include <string.h>

#include "ext2_priv.h"

#define WALK_MAX 65536    /* most ".." steps when checking a rename's target */

static int check_name(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0) return FS_EINVAL;
    if (len > EXT2_NAME_LEN) return FS_ENAMETOOLONG;
    if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return FS_EINVAL;
    return FS_OK;
}

static int load(struct ext2_fs *fs, uint32_t ino, struct ext2_ino *ip)
{
    int rc = e2_iget(fs, ino, ip);
    if (rc) return rc;
    if (ip->d.i_links_count == 0 || ip->d.i_mode == 0) return FS_ENOENT;
    return FS_OK;
}

static int load_dir(struct ext2_fs *fs, uint32_t ino, struct ext2_ino *dp)
{
    int rc = load(fs, ino, dp);
    if (rc == FS_OK && e2_itype(dp) != FS_T_DIR) rc = FS_ENOTDIR;
    return rc;
}

/* Looks name up in dp; FS_ENOENT when absent. */
static int find(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint32_t *ino)
{
    int rc = e2_dir_find(fs, dp, name, ino, NULL);
    if (rc == FS_OK && (*ino == 0 || *ino > fs->sb.s_inodes_count)) rc = FS_ECORRUPT;
    return rc;
}

int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct fs_stat *st)
{
    struct ext2_ino ip;
    int rc = load(fs, ino, &ip);
    if (rc) return rc;
    memset(st, 0, sizeof *st);
    st->ino = ino;
    st->type = e2_itype(&ip);
    st->mode = ip.d.i_mode;
    st->links = ip.d.i_links_count;
    st->size = e2_isize(&ip);
    st->blocks = ip.d.i_blocks;
    st->atime = ip.d.i_atime;
    st->mtime = ip.d.i_mtime;
    st->ctime = ip.d.i_ctime;
    st->uid = ip.d.i_uid;
    st->gid = ip.d.i_gid;
    return FS_OK;
}

int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t *ino)
{
    struct ext2_ino dp;
    int rc = load_dir(fs, dir, &dp);
    if (rc) return rc;
    if (!name || !*name || strlen(name) > EXT2_NAME_LEN) return FS_EINVAL;
    return find(fs, &dp, name, ino);
}

int ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos, char *name,
                 uint32_t *ino, int *type)
{
    struct ext2_ino dp, ip;
    int rc = load_dir(fs, dir, &dp);
    if (rc) return rc;
    int t = 0;
    if ((rc = e2_dir_next(fs, &dp, pos, name, ino, &t))) return rc;
    if (!fs->filetype || t == 0 || t > FS_T_SYMLINK)
        t = e2_iget(fs, *ino, &ip) == FS_OK ? e2_itype(&ip) : FS_T_UNKNOWN;
    *type = t;
    return FS_OK;
}

int ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, void *buf, size_t len, size_t *got)
{
    struct ext2_ino ip;
    *got = 0;
    int rc = load(fs, ino, &ip);
    if (rc) return rc;
    if (e2_itype(&ip) == FS_T_DIR) return FS_EISDIR;
    if (e2_itype(&ip) != FS_T_FILE) return FS_EINVAL;
    return e2_iread(fs, &ip, off, buf, len, got);
}

static int load_file_rw(struct ext2_fs *fs, uint32_t ino, struct ext2_ino *ip)
{
    if (fs->rdonly) return FS_EROFS;
    int rc = load(fs, ino, ip);
    if (rc) return rc;
    if (e2_itype(ip) == FS_T_DIR) return FS_EISDIR;
    return e2_itype(ip) == FS_T_FILE ? FS_OK : FS_EINVAL;
}

int ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, const void *buf, size_t len,
               size_t *put)
{
    struct ext2_ino ip;
    *put = 0;
    int rc = load_file_rw(fs, ino, &ip);
    return rc ? rc : e2_iwrite(fs, &ip, off, buf, len, put);
}

/* Zeroes the bytes of the block holding offset size that lie past it. */
static int zero_tail(struct ext2_fs *fs, struct ext2_ino *ip, uint64_t size)
{
    uint32_t in = (uint32_t)(size % fs->bsize), blk;
    if (in == 0) return FS_OK;
    int rc = e2_bmap(fs, ip, size / fs->bsize, 0, &blk, NULL);
    if (rc || blk == 0) return rc;
    struct bc_buf *b;
    if ((rc = bc_get(&fs->bc, blk, &b))) return rc;
    memset(b->data + in, 0, fs->bsize - in);
    bc_dirty(b);
    bc_put(b);
    return FS_OK;
}

int ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size)
{
    struct ext2_ino ip;
    int rc = load_file_rw(fs, ino, &ip);
    if (rc) return rc;
    if (size < e2_isize(&ip)) {
        if ((rc = e2_trunc_blocks(fs, &ip, (size + fs->bsize - 1) / fs->bsize)) == FS_OK)
            rc = zero_tail(fs, &ip, size);
        if (rc) {
            e2_iput(fs, &ip);
            return rc;
        }
    } else if (size > ((uint64_t)1 << 40)) {
        return FS_EFBIG;
    }
    e2_set_isize(&ip, size);
    ip.d.i_mtime = ip.d.i_ctime = e2_now(fs);
    return e2_iput(fs, &ip);
}

/* Makes a new inode of the given mode with one name in dp, and stores it.
 * A directory gets its "." and ".." block; the caller fixes dp's links. */
static int make_node(struct ext2_fs *fs, struct ext2_ino *dp, const char *name, uint16_t mode,
                     const char *target, struct ext2_ino *ip)
{
    int rc, type = (mode & EXT2_S_IFMT) == EXT2_S_IFDIR ? FS_T_DIR :
                   (mode & EXT2_S_IFMT) == EXT2_S_IFLNK ? FS_T_SYMLINK : FS_T_FILE;
    uint32_t num, dummy;
    if ((rc = find(fs, dp, name, &dummy)) != FS_ENOENT) return rc ? rc : FS_EEXIST;
    if (type == FS_T_DIR && dp->d.i_links_count >= EXT2_LINK_MAX) return FS_EMLINK;
    if ((rc = e2_alloc_inode(fs, dp->num, type == FS_T_DIR, &num))) return rc;
    if ((rc = e2_iinit(fs, num, mode, ip))) goto undo_num;
    ip->d.i_links_count = type == FS_T_DIR ? 2 : 1;
    if (type == FS_T_DIR) {
        rc = e2_dir_init(fs, ip, dp->num);
    } else if (type == FS_T_SYMLINK) {
        size_t len = strlen(target), put;
        if (len < EXT2_FAST_LINK_MAX) {
            memcpy(ip->d.i_block, target, len);
            ip->d.i_size = (uint32_t)len;
        } else {
            rc = e2_iwrite(fs, ip, 0, target, len, &put);
            if (rc == FS_OK && put != len) rc = FS_ENOSPC;
        }
    }
    if (rc == FS_OK) rc = e2_iput(fs, ip);
    if (rc == FS_OK) rc = e2_dir_add(fs, dp, name, num, type);
    if (rc == FS_OK) return FS_OK;
    e2_idelete(fs, ip);
    return rc;
undo_num:
    e2_free_inode(fs, num, type == FS_T_DIR);
    return rc;
}

static int create_in(struct ext2_fs *fs, uint32_t dir, const char *name, uint16_t mode,
                     const char *target, uint32_t *ino)
{
    struct ext2_ino dp, ip;
    int rc = fs->rdonly ? FS_EROFS : check_name(name);
    if (rc || (rc = load_dir(fs, dir, &dp))) return rc;
    if ((rc = make_node(fs, &dp, name, mode, target, &ip))) return rc;
    if ((mode & EXT2_S_IFMT) == EXT2_S_IFDIR) {
        dp.d.i_links_count++;
        if ((rc = e2_iput(fs, &dp))) return rc;
    }
    if (ino) *ino = ip.num;
    return FS_OK;
}

int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
    return create_in(fs, dir, name, (uint16_t)(EXT2_S_IFREG | ((mode & 07777) ? mode & 07777 : 0644)),
                     NULL, ino);
}

int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
    return create_in(fs, dir, name, (uint16_t)(EXT2_S_IFDIR | ((mode & 07777) ? mode & 07777 : 0755)),
                     NULL, ino);
}

int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, const char *target,
                 uint32_t *ino)
{
    if (!target || !*target) return FS_EINVAL;
    if (strlen(target) >= fs->bsize) return FS_ENAMETOOLONG;
    return create_in(fs, dir, name, EXT2_S_IFLNK | 0777, target, ino);
}

int ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t size)
{
    struct ext2_ino ip;
    int rc = load(fs, ino, &ip);
    if (rc) return rc;
    if (e2_itype(&ip) != FS_T_SYMLINK || size == 0) return FS_EINVAL;
    uint64_t len = e2_isize(&ip);
    if (len >= fs->bsize) return FS_ECORRUPT;
    if (len >= size) return FS_ENAMETOOLONG;
    size_t got = 0;
    if (e2_is_fast_symlink(fs, &ip)) {
        if (len >= EXT2_FAST_LINK_MAX) return FS_ECORRUPT;
        memcpy(buf, ip.d.i_block, (size_t)len);
        got = (size_t)len;
    } else if ((rc = e2_iread(fs, &ip, 0, buf, (size_t)len, &got))) {
        return rc;
    }
    buf[got] = 0;
    return FS_OK;
}

int ext2_link(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t ino)
{
    struct ext2_ino dp, ip;
    uint32_t dummy;
    int rc = fs->rdonly ? FS_EROFS : check_name(name);
    if (rc || (rc = load_dir(fs, dir, &dp)) || (rc = load(fs, ino, &ip))) return rc;
    if (e2_itype(&ip) == FS_T_DIR) return FS_EISDIR;
    if (ip.d.i_links_count >= EXT2_LINK_MAX) return FS_EMLINK;
    if ((rc = find(fs, &dp, name, &dummy)) != FS_ENOENT) return rc ? rc : FS_EEXIST;
    if ((rc = e2_dir_add(fs, &dp, name, ino, e2_itype(&ip)))) return rc;
    ip.d.i_links_count++;
    ip.d.i_ctime = e2_now(fs);
    return e2_iput(fs, &ip);
}

/* Drops one link of a non-directory; deletes it at zero. */
static int drop_link(struct ext2_fs *fs, struct ext2_ino *ip)
{
    if (ip->d.i_links_count > 0) ip->d.i_links_count--;
    if (ip->d.i_links_count == 0) return e2_idelete(fs, ip);
    ip->d.i_ctime = e2_now(fs);
    return e2_iput(fs, ip);
}

/* Deletes an empty directory whose name is already gone; parent loses a link. */
static int drop_dir(struct ext2_fs *fs, struct ext2_ino *ip, struct ext2_ino *parent)
{
    if (parent->d.i_links_count > 2) parent->d.i_links_count--;
    ip->d.i_links_count = 0;
    return e2_idelete(fs, ip);
}

int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name)
{
    struct ext2_ino dp, ip;
    uint32_t ino;
    int rc = fs->rdonly ? FS_EROFS : check_name(name);
    if (rc || (rc = load_dir(fs, dir, &dp)) || (rc = find(fs, &dp, name, &ino)) ||
        (rc = load(fs, ino, &ip)))
        return rc;
    if (e2_itype(&ip) == FS_T_DIR) return FS_EISDIR;
    if ((rc = e2_dir_remove(fs, &dp, name))) return rc;
    return drop_link(fs, &ip);
}

int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name)
{
    struct ext2_ino dp, ip;
    uint32_t ino;
    int rc = fs->rdonly ? FS_EROFS : check_name(name);
    if (rc || (rc = load_dir(fs, dir, &dp)) || (rc = find(fs, &dp, name, &ino)) ||
        (rc = load(fs, ino, &ip)))
        return rc;
    if (e2_itype(&ip) != FS_T_DIR) return FS_ENOTDIR;
    if ((rc = e2_dir_empty(fs, &ip))) return rc;
    if ((rc = e2_dir_remove(fs, &dp, name))) return rc;
    if ((rc = drop_dir(fs, &ip, &dp))) return rc;
    return e2_iput(fs, &dp);
}

/* Whether directory anc is dir or one of its ancestors. */
static int is_ancestor(struct ext2_fs *fs, uint32_t anc, uint32_t dir)
{
    for (int steps = 0; steps < WALK_MAX; steps++) {
        if (dir == anc) return 1;
        if (dir == EXT2_ROOT_INO) return 0;
        struct ext2_ino dp;
        uint32_t up;
        if (load_dir(fs, dir, &dp) || find(fs, &dp, "..", &up)) return -1;
        dir = up;
    }
    return -1;
}

/* rename's replacement of an existing target tino (already loaded in tip). */
static int check_target(struct ext2_fs *fs, struct ext2_ino *sip, struct ext2_ino *tip)
{
    int sdir = e2_itype(sip) == FS_T_DIR, tdir = e2_itype(tip) == FS_T_DIR;
    if (sdir && !tdir) return FS_ENOTDIR;
    if (!sdir && tdir) return FS_EISDIR;
    return tdir ? e2_dir_empty(fs, tip) : FS_OK;
}

int ext2_rename(struct ext2_fs *fs, uint32_t sdir, const char *sname, uint32_t ddir,
                const char *dname)
{
    struct ext2_ino sd, dd, sip, tip;
    struct ext2_ino *ddp = sdir == ddir ? &sd : &dd;
    uint32_t sino, tino;
    int rc = fs->rdonly ? FS_EROFS : check_name(sname);
    if (rc || (rc = check_name(dname)) || (rc = load_dir(fs, sdir, &sd))) return rc;
    if (ddp != &sd && (rc = load_dir(fs, ddir, ddp))) return rc;
    if ((rc = find(fs, &sd, sname, &sino)) || (rc = load(fs, sino, &sip))) return rc;
    int is_dir = e2_itype(&sip) == FS_T_DIR, have_target = 0;
    if (is_dir && sdir != ddir) {
        int a = is_ancestor(fs, sino, ddir);
        if (a) return a < 0 ? FS_ECORRUPT : FS_EINVAL;
    }
    rc = find(fs, ddp, dname, &tino);
    if (rc == FS_OK) {
        if (tino == sino) return FS_OK;
        if ((rc = load(fs, tino, &tip)) || (rc = check_target(fs, &sip, &tip))) return rc;
        have_target = 1;
        rc = e2_dir_retarget(fs, ddp, dname, sino, e2_itype(&sip));
    } else if (rc == FS_ENOENT) {
        if (is_dir && ddp != &sd && ddp->d.i_links_count >= EXT2_LINK_MAX) return FS_EMLINK;
        rc = e2_dir_add(fs, ddp, dname, sino, e2_itype(&sip));
    }
    if (rc || (rc = e2_dir_remove(fs, &sd, sname))) return rc;
    if (is_dir && sdir != ddir) {
        if ((rc = e2_dir_retarget(fs, &sip, "..", ddir, FS_T_DIR))) return rc;
        if (sd.d.i_links_count > 2) sd.d.i_links_count--;
        ddp->d.i_links_count++;
    }
    if (have_target) rc = is_dir ? drop_dir(fs, &tip, ddp) : drop_link(fs, &tip);
    if (rc) return rc;
    sip.d.i_ctime = e2_now(fs);
    if ((rc = e2_iput(fs, &sip)) || (rc = e2_iput(fs, &sd))) return rc;
    return ddp != &sd ? e2_iput(fs, ddp) : FS_OK;
}
