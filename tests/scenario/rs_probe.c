/* rs_probe: the foreground program of restart.lst.  Restarts each of
 * namesvr, filesvr and the console (task::kill through the booter, which
 * answers once the server runs again) and flakysvr by a hang and a fault,
 * and checks what a client sees: a call in flight fails, the next ones
 * succeed, handles and names come back, an open file must be opened again.
 * Prints "ok ID - ..." or "not ok ID - ...: line N" per case; the run's
 * status is the number of failures. */
#include <stdio.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/task.h>
#include <l4/ipc.h>

#include "booter_client.h"
#include "console_client.h"
#include "namesvr_client.h"

#define FLAKY_HANG 1
#define FLAKY_CRASH 2

int main(void);

static int failures, failed_line;

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
    fn();
    if (failed_line) {
        failures++;
        printf("not ok %s - %s: line %d\n", id, what, failed_line);
    } else {
        printf("ok %s - %s\n", id, what);
    }
}

/* The booter's task number of the running task called name, or -1. */
static int task_named(const char *name)
{
    for (int obj = 1; obj < 64; obj++) {
        chacm_env_t env = { 0 };
        int state = 0, status = 0;
        char buf[CHACM_NAME_MAX + 1], *np = buf;
        int rc = task_get_info(chacm_booter(), obj, &state, &status, &np, &env);
        if (env.error != CHACM_IDL_OK || rc == EINVALID)
            break;
        if (rc == ESUCCESS && state == TASK_RUNNING && !strcmp(np, name))
            return obj;
    }
    return -1;
}

/* Kills the task called name; the booter answers once it runs again. */
static bool kill_named(const char *name)
{
    int id = task_named(name);
    chacm_env_t env = { 0 };
    return id > 0 && task_kill(chacm_booter(), id, &env) == ESUCCESS && env.error == CHACM_IDL_OK;
}

static bool same(chacm_handle_t a, chacm_handle_t b)
{
    return L4_IsThreadEqual(a.svr, b.svr) && a.obj == b.obj;
}

static int con_put(chacm_handle_t con, const char *s)
{
    chacm_env_t env = { 0 };
    int rc = console_write(con.svr, con.obj, (int)strlen(s), (char *)s, &env);
    return env.error == CHACM_IDL_OK ? rc : -100;
}

static void console_restart(void)
{
    chacm_handle_t con, again;
    CHECK(chacm_resolve("dev/console", &con) == ESUCCESS);
    CHECK(con_put(con, "rs_probe: to the console before its restart\n") == ESUCCESS);
    CHECK(kill_named("console"));
    CHECK(chacm_resolve("dev/console", &again) == ESUCCESS && same(con, again));
    CHECK(con_put(con, "rs_probe: to the console after its restart\n") == ESUCCESS);
}

static void filesvr_restart(void)
{
    chacm_handle_t f, again;
    char first[32], *p = first;
    char second[32], *q = second;
    int size = 0;
    chacm_env_t env = { 0 };
    CHECK(chacm_resolve("disk/README", &f) == ESUCCESS);
    CHECK(file_open(f.svr, f.obj, FILE_READ, &env) == ESUCCESS);
    CHECK(file_read(f.svr, f.obj, 16, &size, &p, &env) == ESUCCESS && size == 16);
    CHECK(kill_named("filesvr"));
    /* in the middle of a read: the new filesvr has not seen the open */
    int rc = file_read(f.svr, f.obj, 16, &size, &q, &env);
    printf("rs_probe: a read of the file opened before the restart: %d\n", rc);
    CHECK(env.error == CHACM_IDL_OK && rc == ENOTOPEN);
    /* the name and the handle are the same; open again and read */
    CHECK(chacm_resolve("disk/README", &again) == ESUCCESS && same(f, again));
    CHECK(file_open(f.svr, f.obj, FILE_READ, &env) == ESUCCESS);
    CHECK(file_read(f.svr, f.obj, 16, &size, &q, &env) == ESUCCESS && size == 16);
    CHECK(!memcmp(p, q, 16));
    CHECK(file_close(f.svr, f.obj, &env) == ESUCCESS);
}

static void namesvr_restart(void)
{
    chacm_handle_t root, con, disk, bin, root2, con2, disk2, bin2;
    CHECK(chacm_root(&root) == ESUCCESS);
    CHECK(chacm_resolve("dev/console", &con) == ESUCCESS);
    CHECK(chacm_resolve("disk", &disk) == ESUCCESS);
    CHECK(chacm_resolve("bin", &bin) == ESUCCESS);
    CHECK(kill_named("namesvr"));
    CHECK(chacm_root(&root2) == ESUCCESS && same(root, root2));
    CHECK(chacm_resolve("dev/console", &con2) == ESUCCESS && same(con, con2));
    /* filesvr links these again when the booter tells it (registrant) */
    CHECK(chacm_resolve("disk", &disk2) == ESUCCESS && same(disk, disk2));
    CHECK(chacm_resolve("bin", &bin2) == ESUCCESS && same(bin, bin2));
}

/* generic::implements(GENERIC) on object obj of flakysvr; *ipc: the call
 * itself failed. */
static int flaky(int obj, bool *ipc)
{
    chacm_handle_t h;
    chacm_env_t env = { 0 };
    int generic = GENERIC_API;
    if (chacm_resolve("dev/flakysvr", &h) != ESUCCESS)
        return -200;
    int rc = generic_implements(h.svr, obj, 1, &generic, &env);
    *ipc = env.error != CHACM_IDL_OK;
    return rc;
}

static void hang(void)
{
    bool ipc;
    CHECK(flaky(0, &ipc) == EYES && !ipc);
    L4_Word64_t t0 = L4_SystemClock().raw;
    flaky(FLAKY_HANG, &ipc);        /* in flight until the heartbeat ends it */
    printf("rs_probe: the call in flight to the hung flakysvr failed: %s\n", ipc ? "yes" : "no");
    CHECK(ipc);
    CHECK(L4_SystemClock().raw - t0 < 7000000);
    L4_Sleep(L4_TimePeriod(100000));
    CHECK(flaky(0, &ipc) == EYES && !ipc);
}

static void crash(void)
{
    bool ipc;
    flaky(FLAKY_CRASH, &ipc);
    printf("rs_probe: the call in flight to the crashing flakysvr failed: %s\n", ipc ? "yes" : "no");
    CHECK(ipc);
    L4_Sleep(L4_TimePeriod(100000));
    CHECK(flaky(0, &ipc) == EYES && !ipc);
}

static void too_often(void)
{
    bool ipc;
    CHECK(kill_named("flakysvr"));
    CHECK(kill_named("flakysvr"));
    CHECK(flaky(0, &ipc) == EYES && !ipc);
    CHECK(kill_named("flakysvr"));  /* the fifth death within 10 s */
    CHECK(task_named("flakysvr") < 0);
    flaky(0, &ipc);
    CHECK(ipc);
}

int main(void)
{
    report("RS0001", "the console restarted: the handle is the same, writes after it succeed", console_restart);
    report("RS0002", "filesvr restarted: it mounts its disk again, a read of a file opened before fails "
                     "(not open), the same handle opens and reads again", filesvr_restart);
    report("RS0003", "namesvr restarted: the root, /dev entries and filesvr's /disk and /bin come back",
           namesvr_restart);
    report("RS0004", "a hung server: the heartbeat ends and restarts it within 7 s, the call in flight fails, "
                     "the next one succeeds", hang);
    report("RS0005", "a server stopped by a fault: the call in flight fails, it is restarted and answers",
           crash);
    report("RS0006", "a server that dies a fifth time within 10 s is not restarted again", too_often);
    return failures;
}
