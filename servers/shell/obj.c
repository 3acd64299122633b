/* shell: the object layer.  Paths are resolved from the root directory
 * (chacm_resolve follows mounts); files are read and written through the
 * file interface, directories listed by reading them as files. */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>

#include "shell.h"
#include "directory_client.h"
#include "file_client.h"
#include "generic_client.h"

int obj_rc(const char *what, unsigned long env_error, int rc)
{
    if (env_error == CHACM_IDL_OK)
        return rc;
    if (sh.debug)
        printf("shell: %s: %s\n", what, sh_call_message(env_error));
    return SH_ECALL;
}

bool obj_is(sh_handle_t h, int api)
{
    int ids[2] = { GENERIC_API, api };
    chacm_env_t env = { 0 };
    int rc = generic_implements(h.svr, h.obj, 2, ids, &env);
    return env.error == CHACM_IDL_OK && rc == EYES;
}

int obj_want(sh_handle_t h, int api, int not_code)
{
    int ids[2] = { GENERIC_API, api };
    chacm_env_t env = { 0 };
    int rc = generic_implements(h.svr, h.obj, 2, ids, &env);
    if (env.error != CHACM_IDL_OK)
        return obj_rc("implements", env.error, rc);
    return rc == EYES ? ESUCCESS : rc == EINVALID ? SH_EINVALID : not_code;
}

/* Why abs did not resolve (EINVALID: some server did not answer): a
 * component on the way that is not a directory, or a failed call. */
static int lookup_failure(const char *abs)
{
    char parent[SH_PATH_MAX];
    sh_handle_t p;
    const char *name = sh_path_split(abs, parent, sizeof parent);
    if (*name && obj_lookup(parent, &p) == ESUCCESS)
        return obj_is(p, DIRECTORY_API) ? SH_ECALL : SH_ENOTDIR;
    return SH_ECALL;
}

int obj_lookup(const char *abs, sh_handle_t *h)
{
    chacm_handle_t ch;
    const char *full = abs;
    while (*abs == '/')
        abs++;
    int rc = chacm_resolve(abs, &ch);
    if (rc != ESUCCESS)
        return rc == EINVALID ? lookup_failure(full) : rc;
    h->svr = ch.svr;
    h->obj = ch.obj;
    if (sh.debug)
        printf("shell: /%s is <%lx,%d>\n", abs, h->svr.raw, h->obj);
    return ESUCCESS;
}

int obj_follow(const char *abs, sh_handle_t *h)
{
    char path[SH_PATH_MAX], parent[SH_PATH_MAX], target[CHACM_PATH_MAX + 1];
    strcpy(path, abs);
    for (int hops = 0; hops < 8; hops++) {
        sh_handle_t dir;
        chacm_env_t env = { 0 };
        char *t = target;
        int rc = obj_lookup(path, h);
        const char *name = sh_path_split(path, parent, sizeof parent);
        if (rc != ESUCCESS || !*name || obj_lookup(parent, &dir) != ESUCCESS ||
            directory_readlink(dir.svr, dir.obj, name, &t, &env) != ESUCCESS || env.error != CHACM_IDL_OK)
            return rc;
        if (sh_path_join(parent, t, path, sizeof path) != 0)
            return SH_ETOOLONG;
        if (sh.debug)
            printf("shell: the link leads to %s\n", path);
    }
    return SH_EBADPARM;     /* links in a loop */
}

int obj_parent(const char *abs, sh_handle_t *dir, const char **name)
{
    static char parent[SH_PATH_MAX];
    *name = sh_path_split(abs, parent, sizeof parent);
    if (!**name)
        return SH_EBADPARM;     /* the root has no parent */
    int rc = obj_lookup(parent, dir);
    if (rc != ESUCCESS)
        return rc;
    return obj_is(*dir, DIRECTORY_API) ? ESUCCESS : SH_ENOTDIR;
}

int obj_size(sh_handle_t h, int *size)
{
    chacm_env_t env = { 0 };
    int rc = obj_rc("open", env.error, file_open(h.svr, h.obj, FILE_READ, &env));
    if (rc != ESUCCESS)
        return rc;
    rc = obj_rc("seek", env.error, file_seek(h.svr, h.obj, -1, &env));
    if (rc == ESUCCESS)
        rc = obj_rc("tell", env.error, file_tell(h.svr, h.obj, size, &env));
    file_close(h.svr, h.obj, &env);
    return rc;
}

int obj_read_all(sh_handle_t h, void (*fn)(const char *data, int n, void *arg), void *arg)
{
    static char buf[CHACM_FILE_XFER_MAX];
    chacm_env_t env = { 0 };
    int rc = obj_rc("open", env.error, file_open(h.svr, h.obj, FILE_READ, &env));
    if (rc != ESUCCESS)
        return rc;
    for (;;) {
        char *p = buf;
        int size = 0;
        rc = obj_rc("read", env.error, file_read(h.svr, h.obj, sizeof buf, &size, &p, &env));
        if (rc != ESUCCESS || size <= 0)
            break;
        fn(p, size, arg);
    }
    file_close(h.svr, h.obj, &env);
    return rc == SH_EEOF || rc == ESUCCESS ? ESUCCESS : rc;
}

typedef struct list_acc {
    char *buf;
    int size, len;
    bool full;
} list_acc_t;

static void list_piece(const char *data, int n, void *arg)
{
    list_acc_t *a = arg;
    if (a->len + n > a->size) {
        n = a->size - a->len;
        a->full = true;
    }
    memcpy(a->buf + a->len, data, (size_t)n);
    a->len += n;
}

int obj_list(sh_handle_t dir, char *buf, int size, int *len)
{
    list_acc_t a = { .buf = buf, .size = size };
    int rc = obj_read_all(dir, list_piece, &a);
    *len = a.len;
    if (rc == ESUCCESS && a.full)
        return SH_EFULL;
    return rc;
}

/* Opens the file at abs for writing, creating it in its directory. */
static int open_for_write(const char *abs, sh_handle_t *f)
{
    chacm_env_t env = { 0 };
    int rc = obj_follow(abs, f);
    if (rc == SH_ENOTFOUND) {
        sh_handle_t dir;
        const char *name;
        rc = obj_parent(abs, &dir, &name);
        if (rc != ESUCCESS)
            return rc;
        rc = obj_rc("create", env.error, directory_create(dir.svr, dir.obj, (char *)name, &f->obj, &env));
        f->svr = dir.svr;
    }
    if (rc != ESUCCESS)
        return rc;
    if (obj_is(*f, DIRECTORY_API))
        return SH_EISDIR;
    if (!obj_is(*f, FILE_API))
        return SH_ENOTFILE;
    return obj_rc("open", env.error, file_open(f->svr, f->obj, FILE_WRITE, &env));
}

int obj_write_file(const char *abs, const char *data, int n, bool append)
{
    sh_handle_t f;
    chacm_env_t env = { 0 };
    int rc = open_for_write(abs, &f);
    if (rc != ESUCCESS)
        return rc;
    if (append)
        rc = obj_rc("seek", env.error, file_seek(f.svr, f.obj, -1, &env));
    else
        rc = obj_rc("truncate", env.error, file_truncate(f.svr, f.obj, 0, &env));
    while (rc == ESUCCESS && n > 0) {
        int k = n < CHACM_FILE_XFER_MAX ? n : CHACM_FILE_XFER_MAX, written = 0;
        rc = obj_rc("write", env.error, file_write(f.svr, f.obj, k, (char *)data, &written, &env));
        if (rc == ESUCCESS && written <= 0)
            rc = SH_EFULL;
        data += written;
        n -= written;
    }
    int crc = obj_rc("close", env.error, file_close(f.svr, f.obj, &env));
    return rc != ESUCCESS ? rc : crc;
}
