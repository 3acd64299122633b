/* namesvr's directories: names linked to handles of objects on any server.
 * resolve walks '/'-separated components through namesvr's own
 * directories; it stops at an entry on another server (a mount point or a
 * link to a foreign object) with the bytes consumed, so that the client
 * goes on there with the rest (ipc/idl/directory.idl).  Object 0 is the
 * factory of directories. */
#include <stdlib.h>
#include <string.h>
#include <l4/thread.h>

#include "names.h"

ns_dir_t ns_dirs[NS_MAX_DIRS];
static int nentries;

static const int dir_apis[] = { DIRECTORY_API, FILE_API };
static const int factory_apis[] = { CREATOR_API };

int ns_dir(int objID)
{
    return objID >= 1 && objID < NS_MAX_DIRS && ns_dirs[objID].used ? objID : -1;
}

static ns_entry_t *find(int dir, const char *name, size_t len)
{
    for (ns_entry_t *e = ns_dirs[dir].first; e; e = e->next)
        if (strlen(e->name) == len && !strncmp(e->name, name, len))
            return e;
    return NULL;
}

/* Is name one component that may be linked ("." and ".." may not)? */
static bool plain_name(const char *name)
{
    return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static int new_dir(void)
{
    for (int d = 1; d < NS_MAX_DIRS; d++)
        if (!ns_dirs[d].used) {
            memset(&ns_dirs[d], 0, sizeof ns_dirs[d]);
            ns_dirs[d].used = true;
            return d;
        }
    return -1;
}

static int do_implements(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    (void)env;
    if (objID == 0)
        return chacm_implements(list, n, factory_apis, 1);
    return ns_dir(objID) < 0 ? EINVALID : chacm_implements(list, n, dir_apis, 2);
}

static int do_can_create(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    (void)env;
    if (objID != 0)
        return ESUPP;
    return chacm_implements(list, n, dir_apis, 2) == EYES ? EYES : ENO;
}

static int do_create(int objID, int n, const int *list, L4_ThreadId_t *svr, int *obj, chacm_srvenv_t *env)
{
    (void)env;
    if (objID != 0 || chacm_implements(list, n, dir_apis, 2) != EYES)
        return ESUPP;
    int d = new_dir();
    if (d < 0)
        return EFULL;
    *svr = L4_Myself();
    *obj = d;
    return ESUCCESS;
}

static int do_resolve(int objID, const char *name, L4_ThreadId_t *svr, int *obj, int *consumed,
                      chacm_srvenv_t *env)
{
    (void)env;
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    chacm_handle_t at = chacm_handle(L4_Myself(), dir);
    size_t pos = 0, len = strlen(name);
    while (pos < len) {
        int cur = L4_IsThreadEqual(at.svr, L4_Myself()) ? ns_dir(at.obj) : -1;
        if (cur < 0)
            break;              /* another server's object: the client goes on there */
        if (name[pos] == '/') {
            pos++;
            continue;
        }
        size_t n = 0;
        while (name[pos + n] && name[pos + n] != '/')
            n++;
        if (!(n == 1 && name[pos] == '.')) {
            ns_entry_t *e = find(cur, name + pos, n);
            if (!e)
                return ENOTFOUND;
            at = e->target;
        }
        pos += n;
    }
    *svr = at.svr;
    *obj = at.obj;
    *consumed = (int)pos;
    return ESUCCESS;
}

static int do_link(int objID, const char *name, L4_ThreadId_t svr, int obj, chacm_srvenv_t *env)
{
    (void)env;
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    if (!plain_name(name) || L4_IsNilThread(svr))
        return EBADPARM;
    if (find(dir, name, strlen(name)))
        return EEXISTS;
    ns_entry_t *e = nentries < NS_MAX_ENTRIES ? malloc(sizeof *e) : NULL;
    char *copy = e ? malloc(strlen(name) + 1) : NULL;
    if (!copy) {
        free(e);
        return EFULL;
    }
    strcpy(copy, name);
    *e = (ns_entry_t){ copy, chacm_handle(svr, obj), dir, NULL };
    ns_dir_t *d = &ns_dirs[dir];
    if (d->last)
        d->last->next = e;
    else
        d->first = e;
    d->last = e;
    d->nentries++;
    nentries++;
    return ESUCCESS;
}

static int do_unlink(int objID, const char *name, chacm_srvenv_t *env)
{
    (void)env;
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    ns_dir_t *d = &ns_dirs[dir];
    ns_entry_t *prev = NULL;
    for (ns_entry_t *e = d->first; e; prev = e, e = e->next) {
        if (strcmp(e->name, name))
            continue;
        if (prev)
            prev->next = e->next;
        else
            d->first = e->next;
        if (d->last == e)
            d->last = prev;
        d->nentries--;
        nentries--;
        free(e->name);
        free(e);
        return ESUCCESS;
    }
    return ENOTFOUND;
}

static int do_mkdir(int objID, const char *name, int *obj, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    if (!plain_name(name))
        return EBADPARM;
    if (find(dir, name, strlen(name)))
        return EEXISTS;
    int d = new_dir();
    if (d < 0)
        return EFULL;
    int rc = do_link(objID, name, L4_Myself(), d, env);
    if (rc != ESUCCESS) {
        ns_dirs[d].used = false;
        return rc;
    }
    *obj = d;
    return ESUCCESS;
}

static int do_rmdir(int objID, const char *name, chacm_srvenv_t *env)
{
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    ns_entry_t *e = find(dir, name, strlen(name));
    if (!e)
        return ENOTFOUND;
    int d = L4_IsThreadEqual(e->target.svr, L4_Myself()) ? ns_dir(e->target.obj) : -1;
    if (d < 0)
        return EBADPARM;        /* not one of namesvr's directories */
    if (ns_dirs[d].nentries)
        return EDENIED;         /* not empty */
    do_unlink(objID, name, env);
    ns_dirs[d].used = false;
    listing_forget(d);
    return ESUCCESS;
}

/* Files and symbolic links belong to file systems, not to the name space. */
static int no_create(int objID, const char *name, int *obj, chacm_srvenv_t *env)
{
    (void)name, (void)obj, (void)env;
    return ns_dir(objID) < 0 ? EINVALID : ESUPP;
}

static int no_rename(int objID, const char *oldname, int newdir, const char *newname, chacm_srvenv_t *env)
{
    (void)oldname, (void)newdir, (void)newname, (void)env;
    return ns_dir(objID) < 0 ? EINVALID : ESUPP;
}

static int no_symlink(int objID, const char *name, const char *target, chacm_srvenv_t *env)
{
    (void)name, (void)target, (void)env;
    return ns_dir(objID) < 0 ? EINVALID : ESUPP;
}

static int no_readlink(int objID, const char *name, char **target, chacm_srvenv_t *env)
{
    (void)target, (void)env;
    int dir = ns_dir(objID);
    if (dir < 0)
        return EINVALID;
    return find(dir, name, strlen(name)) ? EBADPARM : ENOTFOUND;
}

void dir_fill(namesvr_ops_t *ops)
{
    ops->generic_implements = do_implements;
    ops->creator_can_create = do_can_create;
    ops->creator_create = do_create;
    ops->directory_resolve = do_resolve;
    ops->directory_link = do_link;
    ops->directory_unlink = do_unlink;
    ops->directory_create = no_create;
    ops->directory_mkdir = do_mkdir;
    ops->directory_rmdir = do_rmdir;
    ops->directory_rename = no_rename;
    ops->directory_symlink = no_symlink;
    ops->directory_readlink = no_readlink;
}
