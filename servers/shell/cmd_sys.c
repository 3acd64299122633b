/* shell: system commands: help, credits, debug, kd, mount, umount, sync,
 * ps, kill, mem, halt, exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/mach_server.h>
#include <chacm/task.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <mach/mach.h>

#include "shell.h"
#include "filesystem_client.h"
#include "task_client.h"

static int do_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    const sh_command_t *tables[] = { sh_fs_commands, sh_sys_commands };
    printf("Commands:\n");
    for (unsigned t = 0; t < 2; t++)
        for (const sh_command_t *c = tables[t]; c->name; c++) {
            char head[48];
            snprintf(head, sizeof head, "%s %s", c->name, c->usage);
            printf("  %-24s %s\n", head, c->help);
        }
    printf("  %-24s %s\n", "PROGRAM [ARGS...]", "runs a program file (here or in /bin); $? is its exit status");
    printf("Words may be quoted with '...' or \"...\"; $? is the last status.\n");
    printf("Keys: Left/Right, Home/End (^A/^E), ^K, ^U, Up/Down (^P/^N) for the history, ^C, ^D.\n");
    return 0;
}

static int do_credits(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("ChacmOS was written by Andreas Haeberlen, Christian Schwarz, Horst Wenske\n"
           "and Markus Voelp, on L4 with the IDL4 compiler; this shell follows its own.\n");
    return 0;
}

static int do_debug(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "on") == 0) {
            sh.debug = true;
        } else if (strcmp(argv[1], "off") == 0) {
            sh.debug = false;
        } else {
            sh_error("debug: usage: debug [on|off]\n");
            return 2;
        }
    }
    printf("debug: %s\n", sh.debug ? "enabled" : "disabled");
    return 0;
}

static int do_kd(int argc, char **argv)
{
    (void)argc, (void)argv;
    con_flush();
    L4_KDB_Enter("shell: kd");
    return 0;
}

/* Resolves path and checks that it implements api (else fails with
 * not_code); prints the error. */
static int lookup_as(const char *cmd, const char *path, int api, int not_code, sh_handle_t *h)
{
    char abs[SH_PATH_MAX];
    int rc = sh_abs(path, abs);
    if (rc == ESUCCESS)
        rc = obj_follow(abs, h);
    if (rc == ESUCCESS && !obj_is(*h, api))
        rc = api == FILESYSTEM_API && !obj_is(*h, DIRECTORY_API) && obj_is(*h, FILE_API) ? SH_ENOTDIR : not_code;
    return rc == ESUCCESS ? ESUCCESS : (sh_fail(cmd, path, rc), rc);
}

static int do_mount(int argc, char **argv)
{
    (void)argc;
    sh_handle_t bdev, fs;
    chacm_env_t env = { 0 };
    if (lookup_as("mount", argv[1], BLOCK_API, SH_ENOTBLOCK, &bdev) != ESUCCESS ||
        lookup_as("mount", argv[2], FILESYSTEM_API, SH_ENOTFS, &fs) != ESUCCESS)
        return 1;
    int rc = obj_rc("mount", env.error, filesystem_mount(fs.svr, fs.obj, bdev.svr, bdev.obj, &env));
    if (rc == SH_EEXISTS) {
        sh_error("mount: %s: a file system is mounted there already\n", argv[2]);
        return 1;
    }
    if (rc == SH_EBADPARM) {
        sh_error("mount: %s: not a file system %s knows\n", argv[1], argv[2]);
        return 1;
    }
    return rc == ESUCCESS ? 0 : sh_fail("mount", argv[2], rc);
}

static int do_umount(int argc, char **argv)
{
    (void)argc;
    sh_handle_t fs;
    chacm_env_t env = { 0 };
    if (lookup_as("umount", argv[1], FILESYSTEM_API, SH_ENOTFS, &fs) != ESUCCESS)
        return 1;
    int rc = obj_rc("unmount", env.error, filesystem_unmount(fs.svr, fs.obj, &env));
    if (rc == SH_ELOCKED) {
        sh_error("umount: %s: files are open\n", argv[1]);
        return 1;
    }
    if (rc == SH_ENOTFOUND) {
        sh_error("umount: %s: nothing is mounted there\n", argv[1]);
        return 1;
    }
    if (rc != ESUCCESS)
        return sh_fail("umount", argv[1], rc);
    sh_handle_t h;
    if (obj_lookup(sh.cwd, &h) != ESUCCESS || !obj_is(h, DIRECTORY_API)) {
        strcpy(sh.cwd, "/");
        printf("umount: the working directory is now /\n");
    }
    return 0;
}

static int sync_one(const char *path)
{
    sh_handle_t fs;
    chacm_env_t env = { 0 };
    if (lookup_as("sync", path, FILESYSTEM_API, SH_ENOTFS, &fs) != ESUCCESS)
        return 1;
    int rc = obj_rc("sync", env.error, filesystem_sync(fs.svr, fs.obj, &env));
    return rc == ESUCCESS ? 0 : sh_fail("sync", path, rc);
}

/* Without arguments: every file system under /dev. */
static int do_sync(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= sync_one(argv[i]);
    if (argc > 1)
        return status;
    static char buf[8192];
    sh_handle_t dev, h;
    int len = 0;
    if (obj_lookup("/dev", &dev) != ESUCCESS || obj_list(dev, buf, sizeof buf - 1, &len) != ESUCCESS)
        return sh_fail("sync", "/dev", SH_ENOTFOUND);
    buf[len] = 0;
    for (int x = 0; x < len; x += (int)strlen(buf + x) + 1) {
        char path[SH_PATH_MAX];
        snprintf(path, sizeof path, "/dev/%s", buf + x);
        if (buf[x] && obj_lookup(path, &h) == ESUCCESS && obj_is(h, FILESYSTEM_API))
            status |= sync_one(path);
    }
    return status;
}

static int do_ps(int argc, char **argv)
{
    (void)argc, (void)argv;
    L4_ThreadId_t booter = chacm_booter();
    printf("  ID  THREAD        STATE     STATUS  NAME\n");
    for (int obj = 0; obj < 4096; obj++) {
        chacm_env_t env = { 0 };
        int state = 0, status = 0;
        char name[CHACM_NAME_MAX + 1], *np = name;
        L4_ThreadId_t t = L4_nilthread;
        int rc = task_get_info(booter, obj, &state, &status, &np, &env);
        if (env.error != CHACM_IDL_OK)
            return sh_fail("ps", "booter", SH_ECALL);
        if (rc == EINVALID)
            break;
        if (rc != ESUCCESS)
            continue;
        task_get_threadid(booter, obj, &t, &env);
        const char *st = state == TASK_RUNNING ? "running" : state == TASK_NEW ? "new" : "ended";
        if (state == TASK_ENDED)
            printf("%4d  %-12lx  %-8s  %6d  %s\n", obj, t.raw, st, status, np);
        else
            printf("%4d  %-12lx  %-8s  %6s  %s\n", obj, t.raw, st, "-", np);
    }
    return 0;
}

/* Kills task id through the booter; 1 if it fails (said so). */
static int kill_one(const char *arg, int id)
{
    chacm_env_t env = { 0 };
    int rc = obj_rc("kill", env.error, task_kill(chacm_booter(), id, &env));
    if (rc == SH_EINVALID) {
        sh_error("kill: %s: no such task\n", arg);
        return 1;
    }
    return rc == ESUCCESS ? 0 : sh_fail("kill", arg, rc);
}

/* Kills every running task called name (as ps shows it); 1 if none. */
static int kill_named(const char *name)
{
    int found = 0, status = 0;
    for (int obj = 1; obj < 4096; obj++) {
        chacm_env_t env = { 0 };
        int state = 0, st = 0;
        char buf[CHACM_NAME_MAX + 1], *np = buf;
        int rc = task_get_info(chacm_booter(), obj, &state, &st, &np, &env);
        if (env.error != CHACM_IDL_OK || rc == EINVALID)
            break;
        if (rc == ESUCCESS && state == TASK_RUNNING && !strcmp(np, name)) {
            found++;
            status |= kill_one(name, obj);
        }
    }
    if (!found) {
        sh_error("kill: %s: no task of that name runs\n", name);
        return 1;
    }
    return status;
}

/* kill ID|NAME...: ends tasks (numbers or names as ps shows them) with
 * status 130; a server is restarted by the booter, and the kill returns
 * once it runs again. */
static int do_kill(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        long id = strtol(argv[i], &end, 10);
        if (*argv[i] && !*end && id >= 1 && id <= 4095)
            status |= kill_one(argv[i], (int)id);
        else if (*argv[i] && !*end)
            status |= (sh_error("kill: %s: not a task number (see ps; 0 is the booter: use halt)\n", argv[i]), 1);
        else if (!strcmp(argv[i], "booter"))
            status |= (sh_error("kill: the booter ends the system: use halt\n"), 1);
        else
            status |= kill_named(argv[i]);
    }
    return status;
}

static int do_mem(int argc, char **argv)
{
    (void)argc, (void)argv;
    vm_statistics_data_t all, mine;
    vm_size_t received, freef, in_use, meta;
    task_t self = mach_task_self();
    if (vm_statistics(self, &all) != KERN_SUCCESS || task_vm_statistics(self, &mine) != KERN_SUCCESS) {
        sh_error("mem: memsvr does not answer\n");
        return 1;
    }
    printf("pages of %d bytes\n", all.pagesize);
    printf("system: %d free, %d active, %d wired; %d faults (%d zero-fill, %d copy-on-write)\n",
           all.free_count, all.active_count, all.wire_count, all.faults, all.zero_fill_count,
           all.cow_faults);
    printf("shell:  %d active, %d faults (%d zero-fill, %d copy-on-write)\n", mine.active_count,
           mine.faults, mine.zero_fill_count, mine.cow_faults);
    if (mach_vm_frames(&received, &freef, &in_use, &meta) == KERN_SUCCESS)
        printf("memsvr: %lu frames from sigma0: %lu free, %lu in use, %lu for its tables\n",
               (unsigned long)received, (unsigned long)freef, (unsigned long)in_use, (unsigned long)meta);
    return 0;
}

static int do_halt(int argc, char **argv)
{
    (void)argc, (void)argv;
    chacm_env_t env = { 0 };
    printf("halt: the system stops\n");
    con_flush();
    int rc = obj_rc("kill", env.error, task_kill(chacm_booter(), 0, &env));
    if (rc == ESUCCESS)
        L4_Sleep(L4_Never);     /* the booter writes the file systems back and ends the run */
    return sh_fail("halt", "booter", rc);
}

static int do_uptime(int argc, char **argv)
{
    (void)argc, (void)argv;
    L4_Word64_t us = L4_SystemClock().raw;
    printf("uptime: %lu.%06lu s of virtual time since boot\n", (unsigned long)(us / 1000000),
           (unsigned long)(us % 1000000));
    return 0;
}

static int do_exit(int argc, char **argv)
{
    if (argc > 1) {
        char *end;
        long v = strtol(argv[1], &end, 10);
        if (!*argv[1] || *end || v < 0 || v > 255) {
            sh_error("exit: %s: not a status (0 to 255)\n", argv[1]);
            return 2;
        }
        sh.status = (int)v;
    }
    sh.halt = true;
    return sh.status;
}

const sh_command_t sh_sys_commands[] = {
    { "help", do_help, 0, 0, "", "prints this list" },
    { "credits", do_credits, 0, 0, "", "who wrote ChacmOS" },
    { "debug", do_debug, 0, 1, "[on|off]", "shows handles and call failures" },
    { "kd", do_kd, 0, 0, "", "enters the kernel debugger" },
    { "mount", do_mount, 2, 2, "BDEV FS", "mounts block device BDEV into file system FS" },
    { "umount", do_umount, 1, 1, "FS", "unmounts file system FS" },
    { "sync", do_sync, 0, -1, "[FS...]", "writes file systems' caches back (default: all in /dev)" },
    { "ps", do_ps, 0, 0, "", "lists the tasks and their threads" },
    { "kill", do_kill, 1, -1, "ID|NAME...", "ends tasks by number or name (a server is restarted)" },
    { "mem", do_mem, 0, 0, "", "prints memsvr's statistics" },
    { "uptime", do_uptime, 0, 0, "", "prints the virtual time since boot" },
    { "halt", do_halt, 0, 0, "", "stops the system" },
    { "exit", do_exit, 0, 1, "[STATUS]", "leaves the shell" },
    { NULL, NULL, 0, 0, NULL, NULL },
};
