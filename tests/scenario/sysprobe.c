/* sysprobe: the foreground program of sysprobe.lst.  Checks the booter's
 * task interface, namesvr and the booter's block devices from a client's
 * side, with bad object ids, bad callers and malformed messages; each
 * server must answer every one with an error and go on.  Prints
 * "ok ID - ..." or "not ok ID - ...: line" per case; the run's status is
 * the number of failures. */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>
#include <l4/ipc.h>

#include "booter_client.h"
#include "namesvr_client.h"

static int failures;
static int failed_line;
static chacm_env_t env;

#define CHECK(c)                    \
    do {                            \
        if (!(c)) {                 \
            failed_line = __LINE__; \
            return;                 \
        }                           \
    } while (0)

static void report(const char *id, const char *what, void (*fn)(void))
{
    failed_line = 0;
    memset(&env, 0, sizeof env);
    fn();
    if (failed_line) {
        failures++;
        printf("not ok %s - %s: line %d\n", id, what, failed_line);
    } else {
        printf("ok %s - %s\n", id, what);
    }
}

static chacm_handle_t resolve(const char *path)
{
    chacm_handle_t h = { L4_nilthread, 0 };
    chacm_resolve(path, &h);
    return h;
}

static void own_task(void)
{
    chacm_handle_t self, root;
    CHECK(chacm_task_self(&self) == ESUCCESS && self.obj > 0);
    CHECK(chacm_root(&root) == ESUCCESS && !chacm_handle_is_nil(root));
    char buf[CHACM_CMDLINE_MAX + 1], *p = buf;
    CHECK(task_get_cmdline(chacm_booter(), TASK_SELF, &p, &env) == ESUCCESS && !strcmp(buf, "sysprobe"));
    L4_ThreadId_t t;
    CHECK(task_get_threadid(chacm_booter(), self.obj, &t, &env) == ESUCCESS && L4_IsThreadEqual(t, L4_Myself()));
    L4_ThreadId_t msvr;
    int mobj;
    CHECK(task_get_memory(chacm_booter(), TASK_SELF, &msvr, &mobj, &env) == ESUCCESS);
    CHECK(L4_IsThreadEqual(msvr, resolve("dev/memsvr").svr));
    int have[] = { GENERIC_API, TASK_API };
    CHECK(generic_implements(chacm_booter(), self.obj, 2, have, &env) == EYES);
    int lacks[] = { BLOCK_API };
    CHECK(generic_implements(chacm_booter(), self.obj, 1, lacks, &env) == ENO);
}

static void bad_task_ids(void)
{
    L4_ThreadId_t b = chacm_booter(), t;
    int obj, status;
    char buf[CHACM_CMDLINE_MAX + 1], *p = buf;
    CHECK(task_get_threadid(b, 99, &t, &env) == EINVALID);
    CHECK(task_get_threadid(b, -7, &t, &env) == EINVALID);
    CHECK(task_get_cmdline(b, 1 << 30, &p, &env) == EINVALID);
    CHECK(task_wait(b, 63, &status, &env) == EINVALID);
    CHECK(task_get_self(b, 1000, &obj, &env) == EINVALID);
    /* tasks it did not create: the boot-list servers belong to the booter */
    chacm_handle_t ns = resolve("dev/namesvr");
    int nsobj = -1;
    for (int id = 1; id < 64 && nsobj < 0; id++)
        if (task_get_threadid(b, id, &t, &env) == ESUCCESS && L4_IsThreadEqual(t, ns.svr))
            nsobj = id;
    CHECK(nsobj > 0);
    CHECK(task_set_cmdline(b, nsobj, "evil", &env) == EDENIED);
    CHECK(task_execute(b, nsobj, ns.svr, 1, &env) == EDENIED);
    CHECK(task_exit(b, nsobj, 3, &env) == EDENIED);
    int apis[] = { GENERIC_API, BLOCK_API };
    L4_ThreadId_t svr;
    CHECK(creator_create(b, 0, 2, apis, &svr, &obj, &env) == ESUPP);
    CHECK(creator_create(b, 5, 2, apis, &svr, &obj, &env) == ESUPP);
    CHECK(env.error == CHACM_IDL_OK);
}

/* A raw call with label and u words; the reply's label (or ~0 on an IPC error). */
static L4_Word_t raw_call(L4_ThreadId_t to, L4_Word_t label, int u)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, label);
    for (int i = 0; i < u; i++)
        L4_MsgAppendWord(&m, 0xdead0000 + (L4_Word_t)i);
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Call_Timeouts(to, L4_TimePeriod(1000000), L4_TimePeriod(1000000));
    return L4_IpcFailed(tag) ? ~0UL : L4_Label(tag);
}

static void malformed(void)
{
    L4_ThreadId_t servers[] = { chacm_booter(), resolve("dev/namesvr").svr, resolve("dev/ram0").svr };
    for (int i = 0; i < 3; i++) {
        L4_ThreadId_t s = servers[i];
        CHECK(!L4_IsNilThread(s));
        CHECK(raw_call(s, 0x7777, 0) == CHACM_IDL_EUNKNOWN);
        CHECK(raw_call(s, 0x0040, 0) == CHACM_IDL_EMALFORMED);      /* generic::implements, no words */
        CHECK(raw_call(s, 0x0040, 40) == CHACM_IDL_EMALFORMED);
        CHECK(raw_call(s, directory_resolve_LABEL, 1) == (i == 1 ? CHACM_IDL_EMALFORMED : CHACM_IDL_EUNKNOWN));
        int generic = GENERIC_API;
        CHECK(generic_implements(s, 0, 1, &generic, &env) == EYES);  /* and it goes on */
        CHECK(generic_implements(s, 0, CHACM_IFACE_LIST_MAX + 1, &generic, &env) == 0);
        CHECK(env.error == CHACM_IDL_EOVERFLOW);
    }
}

static void names(void)
{
    chacm_handle_t root = resolve(""), dev = resolve("/dev"), hda = resolve("dev/ram0");
    L4_ThreadId_t ns = root.svr, svr;
    int obj, used;
    CHECK(!chacm_handle_is_nil(root) && !chacm_handle_is_nil(dev));
    CHECK(directory_link(ns, root.obj, "disk", hda.svr, hda.obj, &env) == ESUCCESS);
    CHECK(directory_link(ns, root.obj, "disk", hda.svr, hda.obj, &env) == EEXISTS);
    CHECK(directory_link(ns, root.obj, "a/b", hda.svr, hda.obj, &env) == EBADPARM);
    CHECK(directory_link(ns, root.obj, ".", hda.svr, hda.obj, &env) == EBADPARM);
    CHECK(directory_link(ns, root.obj, "", hda.svr, hda.obj, &env) == EBADPARM);
    CHECK(directory_link(ns, 77, "x", hda.svr, hda.obj, &env) == EINVALID);
    /* a foreign object in the middle of a path: namesvr hands the rest on */
    CHECK(directory_resolve(ns, root.obj, "./disk/inner/file", &svr, &obj, &used, &env) == ESUCCESS);
    CHECK(L4_IsThreadEqual(svr, hda.svr) && obj == hda.obj && used == 6);
    CHECK(directory_resolve(ns, root.obj, "dev//ram0", &svr, &obj, &used, &env) == ESUCCESS && used == 9);
    CHECK(directory_resolve(ns, root.obj, "dev/none", &svr, &obj, &used, &env) == ENOTFOUND);
    CHECK(directory_resolve(ns, -1, "dev", &svr, &obj, &used, &env) == EINVALID);
    CHECK(directory_mkdir(ns, root.obj, "tmp", &obj, &env) == ESUCCESS);
    CHECK(directory_link(ns, obj, "x", hda.svr, hda.obj, &env) == ESUCCESS);
    CHECK(directory_rmdir(ns, root.obj, "tmp", &env) == EDENIED);
    CHECK(directory_unlink(ns, obj, "x", &env) == ESUCCESS);
    CHECK(directory_unlink(ns, obj, "x", &env) == ENOTFOUND);
    CHECK(directory_rmdir(ns, root.obj, "tmp", &env) == ESUCCESS);
    CHECK(directory_rmdir(ns, root.obj, "disk", &env) == EBADPARM);
    CHECK(directory_unlink(ns, root.obj, "disk", &env) == ESUCCESS);
    CHECK(directory_create(ns, root.obj, "f", &obj, &env) == ESUPP);
    /* the root read as a file: "dev\0" */
    char buf[CHACM_FILE_XFER_MAX], *p = buf;
    int size = 0, pos = 0;
    CHECK(file_read(ns, root.obj, 10, &size, &p, &env) == ENOTOPEN);
    CHECK(file_open(ns, root.obj, FILE_WRITE, &env) == EDENIED);
    CHECK(file_open(ns, root.obj, FILE_READ, &env) == ESUCCESS);
    CHECK(file_read(ns, root.obj, 100, &size, &p, &env) == ESUCCESS && size == 4 && !memcmp(buf, "dev", 4));
    CHECK(file_read(ns, root.obj, 100, &size, &p, &env) == EEOF);
    CHECK(file_seek(ns, root.obj, 1, &env) == ESUCCESS && file_tell(ns, root.obj, &pos, &env) == ESUCCESS);
    CHECK(pos == 1 && file_seek(ns, root.obj, 99, &env) == EBADPARM);
    CHECK(file_read(ns, root.obj, -1, &size, &p, &env) == EBADPARM);
    CHECK(file_close(ns, root.obj, &env) == ESUCCESS && file_close(ns, root.obj, &env) == ENOTOPEN);
}

static void blocks(void)
{
    chacm_handle_t d = resolve("dev/ram0");
    int n = 0, bs = 0, size = 0;
    CHECK(block_get_capacity(d.svr, d.obj, &n, &env) == ESUCCESS && n > 0);
    CHECK(block_get_blocksize(d.svr, d.obj, &bs, &env) == ESUCCESS && bs == 512);
    char buf[CHACM_BLOCK_XFER_MAX], *p = buf;
    CHECK(block_read(d.svr, d.obj, 0, 1, &size, &p, &env) == ESUCCESS && size == 512);
    CHECK(!memcmp(buf, "\177ELF", 4));
    CHECK(block_read(d.svr, d.obj, n, 1, &size, &p, &env) == EBADPARM);
    CHECK(block_read(d.svr, d.obj, -1, 1, &size, &p, &env) == EBADPARM);
    CHECK(block_read(d.svr, d.obj, 0, 0, &size, &p, &env) == EBADPARM);
    CHECK(block_read(d.svr, d.obj, 0, 17, &size, &p, &env) == EBADPARM);
    CHECK(block_read(d.svr, 9, 0, 1, &size, &p, &env) == EINVALID);
    CHECK(block_write(d.svr, d.obj, 0, 1, 100, buf, &env) == EBADPARM);
    CHECK(block_write(d.svr, d.obj, n - 1, 1, 512, buf, &env) == ESUCCESS);
    char back[CHACM_BLOCK_XFER_MAX];
    p = back;
    CHECK(block_read(d.svr, d.obj, n - 1, 1, &size, &p, &env) == ESUCCESS && !memcmp(back, buf, 512));
    CHECK(block_set_capacity(d.svr, d.obj, 5, &env) == ESUPP);
}

/* Starts /dev/ram0 (image_probe) with cmdline; its task object or -1. */
static int start(const char *cmdline)
{
    chacm_handle_t f = resolve("dev/ram0");
    int apis[] = { GENERIC_API, TASK_API }, obj;
    L4_ThreadId_t svr;
    if (creator_create(chacm_booter(), 0, 2, apis, &svr, &obj, &env) != ESUCCESS ||
        task_set_cmdline(svr, obj, cmdline, &env) != ESUCCESS ||
        task_execute(svr, obj, f.svr, f.obj, &env) != ESUCCESS)
        return -1;
    return obj;
}

static void ends(void)
{
    L4_ThreadId_t b = chacm_booter();
    int status = -1, state, st;
    char name[CHACM_NAME_MAX + 1], *p = name;
    int t = start("image_probe sleep");
    CHECK(t > 0);
    CHECK(task_execute(b, t, resolve("dev/ram0").svr, 1, &env) == EDENIED);     /* runs already */
    CHECK(task_get_info(b, t, &state, &st, &p, &env) == ESUCCESS && state == TASK_RUNNING);
    CHECK(!strcmp(name, "image_probe"));
    CHECK(task_kill(b, t, &env) == ESUCCESS);
    CHECK(task_wait(b, t, &status, &env) == ESUCCESS && status == TASK_STATUS_KILLED);
    CHECK(task_get_info(b, t, &state, &st, &p, &env) == ESUCCESS && state == TASK_ENDED && st == 130);
    t = start("image_probe fault");
    CHECK(t > 0);
    CHECK(task_wait(b, t, &status, &env) == ESUCCESS && status == TASK_STATUS_FAULT);
    t = start("image_probe plain");
    CHECK(t > 0);
    CHECK(task_wait(b, t, &status, &env) == ESUCCESS && status == 43);
    CHECK(task_get_info(b, 64, &state, &st, &p, &env) == EINVALID);
    CHECK(task_get_info(b, 0, &state, &st, &p, &env) == ESUCCESS && !strcmp(name, "booter"));
}

int main(void)
{
    report("SYS0001", "a task's own object: command line, thread, memory, root, interfaces", own_task);
    report("SYS0002", "the booter refuses bad task ids and callers that did not create the task", bad_task_ids);
    report("SYS0003", "booter, namesvr and the block thread answer unknown and malformed messages "
                      "with errors and go on", malformed);
    report("SYS0004", "namesvr: link, resolve across servers, mkdir, rmdir, unlink, directories read "
                      "as files, with their error cases", names);
    report("SYS0005", "the booter's block devices: capacity, reads and writes, bad ranges", blocks);
    report("SYS0006", "tasks end by kill (130), by a fault (139) and by main's result; wait and "
                      "get_info report it", ends);
    printf("sysprobe: %d failed\n", failures);
    return failures;
}
