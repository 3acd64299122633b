/* A program's booter, task, root directory and name resolution
 * (chacm/task.h). */
#include <stdbool.h>
#include <string.h>
#include <chacm/task.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "task_client.h"
#include "directory_client.h"

/* Set once the program has talked to the booter as a task of it. */
static bool booter_task;

L4_ThreadId_t chacm_booter(void)
{
    return L4_GlobalId(L4_ThreadIdUserBase(L4_GetKernelInterface()) + 2, 1);
}

/* A ChacmOS result, or EINVALID when the call itself failed. */
static int checked(int rc, const chacm_env_t *env)
{
    if (env->error != CHACM_IDL_OK)
        return EINVALID;
    booter_task = true;
    return rc;
}

int chacm_task_self(chacm_handle_t *h)
{
    chacm_env_t env = { 0 };
    int obj = 0;
    int rc = checked(task_get_self(chacm_booter(), TASK_SELF, &obj, &env), &env);
    *h = chacm_handle(rc == ESUCCESS ? chacm_booter() : L4_nilthread, obj);
    return rc;
}

int chacm_root(chacm_handle_t *h)
{
    chacm_env_t env = { 0 };
    L4_ThreadId_t svr = L4_nilthread;
    int obj = 0;
    int rc = checked(task_get_root(chacm_booter(), TASK_SELF, &svr, &obj, &env), &env);
    *h = chacm_handle(rc == ESUCCESS ? svr : L4_nilthread, obj);
    return rc;
}

/* A resolve step never waits for ever: a request or reply lost on the way
 * times out after RESOLVE_US and the step is asked once more (resolving
 * changes nothing); a server that does not answer twice is EINVALID. */
#define RESOLVE_US 2000000
#define RESOLVE_TRIES 2

int chacm_resolve_at(chacm_handle_t dir, const char *path, chacm_handle_t *h)
{
    char rest[CHACM_NAME_MAX + 1];
    while (*path == '/')
        path++;
    if (strlen(path) > CHACM_NAME_MAX)
        return EBADPARM;
    strcpy(rest, path);
    chacm_handle_t at = dir;
    for (int hop = 0; hop < CHACM_RESOLVE_HOPS; hop++) {
        char *p = rest;
        while (*p == '/')
            p++;
        size_t len = strlen(p);
        while (len && p[len - 1] == '/')
            p[--len] = 0;
        if (!*p) {
            *h = at;
            return ESUCCESS;
        }
        chacm_env_t env;
        L4_ThreadId_t svr = L4_nilthread;
        int obj = 0, used = 0, rc = 0;
        CHACM_CALL_RETRIED(env, RESOLVE_US, RESOLVE_TRIES,
                           rc = directory_resolve(at.svr, at.obj, p, &svr, &obj, &used, &env));
        if (env.error != CHACM_IDL_OK)
            return EINVALID;
        if (rc != ESUCCESS)
            return rc;
        if (used < 0 || (size_t)used > len || (used == 0 && L4_IsThreadEqual(svr, at.svr) && obj == at.obj))
            return EINVALID;    /* a server that makes no progress */
        at = chacm_handle(svr, obj);
        memmove(rest, p + used, len - (size_t)used + 1);
    }
    return EBADPARM;
}

int chacm_resolve(const char *path, chacm_handle_t *h)
{
    chacm_handle_t root;
    int rc = chacm_root(&root);
    return rc == ESUCCESS ? chacm_resolve_at(root, path, h) : rc;
}

_Bool lib_booter_cmdline(char *buf, unsigned long size)
{
    static char line[CHACM_CMDLINE_MAX + 1];
    chacm_env_t env = { 0 };
    char *p = line;
    int rc = checked(task_get_cmdline(chacm_booter(), TASK_SELF, &p, &env), &env);
    if (rc != ESUCCESS || size == 0)
        return false;
    strncpy(buf, line, size - 1);
    buf[size - 1] = 0;
    return true;
}

void lib_task_exit(int status)
{
    if (!booter_task)
        return;
    chacm_env_t env = { 0 };
    task_exit(chacm_booter(), TASK_SELF, status, &env);
}
