/* shell: the file and directory commands: ls, dir, cd, pwd, cat, echo,
 * mkdir, rm, rmdir, mv, ln. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "block_client.h"
#include "directory_client.h"
#include "task_client.h"

#define LIST_MAX (64 * 1024)
#define NAMES_MAX 4096

static char list_buf[LIST_MAX];
static const char *names[NAMES_MAX];

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Resolves argument path into abs and h; prints the error. */
static int lookup_arg(const char *cmd, const char *path, char *abs, sh_handle_t *h)
{
    int rc = sh_abs(path, abs);
    if (rc == ESUCCESS)
        rc = obj_follow(abs, h);
    return rc == ESUCCESS ? ESUCCESS : (sh_fail(cmd, path, rc), rc);
}

/* The sorted entry names of directory dir; -1 after printing an error. */
static int read_names(const char *cmd, const char *path, sh_handle_t dir)
{
    int len = 0, n = 0;
    int rc = obj_list(dir, list_buf, LIST_MAX - 1, &len);
    if (rc != ESUCCESS)
        return sh_fail(cmd, path, rc), -1;
    list_buf[len] = 0;
    for (int x = 0; x < len && n < NAMES_MAX; x += (int)strlen(list_buf + x) + 1)
        if (list_buf[x])
            names[n++] = list_buf + x;
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    return n;
}

/* Resolves the directory argument (default ".") into abs and reads its
 * sorted names; their count, or -1 after printing an error. */
static int list_arg(const char *cmd, int argc, char **argv, char *abs, sh_handle_t *dir)
{
    const char *path = argc > 1 ? argv[1] : ".";
    if (lookup_arg(cmd, path, abs, dir) != ESUCCESS)
        return -1;
    int rc = obj_want(*dir, DIRECTORY_API, SH_ENOTDIR);
    if (rc != ESUCCESS)
        return sh_fail(cmd, path, rc), -1;
    return read_names(cmd, path, *dir);
}

static int do_ls(int argc, char **argv)
{
    char abs[SH_PATH_MAX];
    sh_handle_t dir;
    int n = list_arg("ls", argc, argv, abs, &dir);
    if (n < 0)
        return 1;
    for (int i = 0; i < n; i++)
        printf((i % 4 == 3 || i == n - 1) ? "%s\n" : "%-19s", names[i]);
    printf("%d file(s)\n", n);
    return 0;
}

/* One character per interface, as ChacmOS's dir showed them. */
static void print_flags(sh_handle_t h)
{
    static const struct { int api; char c; } flags[] = {
        { TASK_API, 'T' }, { FILE_API, 'F' }, { DIRECTORY_API, 'D' }, { FILESYSTEM_API, 'S' },
        { CREATOR_API, 'C' }, { MEMORY_API, 'M' }, { BLOCK_API, 'B' }, { LOCKABLE_API, 'L' },
    };
    for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++)
        printf("%c", obj_is(h, flags[i].api) ? flags[i].c : '-');
}

static void print_details(sh_handle_t dir, const char *name, sh_handle_t h)
{
    chacm_env_t env = { 0 };
    int a = 0, b = 0;
    char target[CHACM_PATH_MAX + 1];
    if (obj_is(h, TASK_API)) {
        L4_ThreadId_t t = L4_nilthread;
        if (obj_rc("get_threadid", env.error, task_get_threadid(h.svr, h.obj, &t, &env)) == ESUCCESS)
            printf("  thread %lx", t.raw);
    } else if (obj_is(h, BLOCK_API)) {
        if (obj_rc("capacity", env.error, block_get_capacity(h.svr, h.obj, &a, &env)) == ESUCCESS &&
            obj_rc("blocksize", env.error, block_get_blocksize(h.svr, h.obj, &b, &env)) == ESUCCESS)
            printf("  %7ld bytes (%d blocks)", (long)a * b, a);
    } else if (obj_is(h, FILE_API) && !obj_is(h, DIRECTORY_API)) {
        if (obj_size(h, &a) == ESUCCESS)
            printf("  %7d bytes", a);
    }
    char *p = target;
    if (directory_readlink(dir.svr, dir.obj, name, &p, &env) == ESUCCESS && env.error == CHACM_IDL_OK)
        printf("  -> %s", p);
    printf("\n");
}

static int do_dir(int argc, char **argv)
{
    char abs[SH_PATH_MAX];
    sh_handle_t dir;
    int n = list_arg("dir", argc, argv, abs, &dir);
    if (n < 0)
        return 1;
    for (int i = 0; i < n; i++) {
        char path[SH_PATH_MAX];
        sh_handle_t h;
        printf("%-19s", names[i]);
        if (sh_path_join(abs, names[i], path, sizeof path) != 0 || obj_lookup(path, &h) != ESUCCESS) {
            printf("(cannot resolve)\n");
            continue;
        }
        printf("<%lx,%3d>  ", h.svr.raw, h.obj);
        print_flags(h);
        print_details(dir, names[i], h);
    }
    printf("%d file(s)\n", n);
    return 0;
}

static int do_cd(int argc, char **argv)
{
    char abs[SH_PATH_MAX];
    sh_handle_t h;
    const char *path = argc > 1 ? argv[1] : "/";
    if (lookup_arg("cd", path, abs, &h) != ESUCCESS)
        return 1;
    if (!obj_is(h, DIRECTORY_API))
        return sh_fail("cd", path, SH_ENOTDIR);
    strcpy(sh.cwd, abs);
    return 0;
}

static int do_pwd(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("%s\n", sh.cwd);
    return 0;
}

static void print_piece(const char *data, int n, void *arg)
{
    (void)arg;
    printf("%.*s", n, data);
}

static int cat_one(const char *path)
{
    char abs[SH_PATH_MAX];
    sh_handle_t h;
    if (lookup_arg("cat", path, abs, &h) != ESUCCESS)
        return 1;
    if (obj_is(h, DIRECTORY_API))
        return sh_fail("cat", path, SH_EISDIR);
    if (!obj_is(h, FILE_API))
        return sh_fail("cat", path, SH_ENOTFILE);
    int rc = obj_read_all(h, print_piece, NULL);
    return rc == ESUCCESS ? 0 : sh_fail("cat", path, rc);
}

static int do_cat(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= cat_one(argv[i]);
    return status;
}

static int do_echo(int argc, char **argv)
{
    int first = 1;
    bool newline = true;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = false;
        first = 2;
    }
    for (int i = first; i < argc; i++)
        printf(i > first ? " %s" : "%s", argv[i]);
    if (newline)
        printf("\n");
    return 0;
}

/* For each argument: its parent directory and name, then op. */
static int each_in_parent(const char *cmd, int argc, char **argv,
                          int (*op)(sh_handle_t dir, const char *name, const char *abs))
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char abs[SH_PATH_MAX];
        sh_handle_t dir;
        const char *name;
        int rc = sh_abs(argv[i], abs);
        if (rc == ESUCCESS)
            rc = obj_parent(abs, &dir, &name);
        if (rc == ESUCCESS)
            rc = op(dir, name, abs);
        if (rc != ESUCCESS)
            status = sh_fail(cmd, argv[i], rc);
    }
    return status;
}

static int op_mkdir(sh_handle_t dir, const char *name, const char *abs)
{
    chacm_env_t env = { 0 };
    int obj;
    (void)abs;
    return obj_rc("mkdir", env.error, directory_mkdir(dir.svr, dir.obj, name, &obj, &env));
}

static int op_rm(sh_handle_t dir, const char *name, const char *abs)
{
    chacm_env_t env = { 0 };
    sh_handle_t h;
    int rc = obj_lookup(abs, &h);
    if (rc != ESUCCESS)
        return rc;
    if (obj_is(h, DIRECTORY_API))
        return SH_EISDIR;
    return obj_rc("unlink", env.error, directory_unlink(dir.svr, dir.obj, name, &env));
}

static int op_rmdir(sh_handle_t dir, const char *name, const char *abs)
{
    chacm_env_t env = { 0 };
    sh_handle_t h;
    int rc = obj_lookup(abs, &h);
    if (rc != ESUCCESS)
        return rc;
    if (!obj_is(h, DIRECTORY_API))
        return SH_ENOTDIR;
    int len = 0;
    rc = obj_list(h, list_buf, LIST_MAX - 1, &len);
    list_buf[len] = 0;
    for (int x = 0; rc == ESUCCESS && x < len; x += (int)strlen(list_buf + x) + 1)
        if (strcmp(list_buf + x, ".") != 0 && strcmp(list_buf + x, "..") != 0 && list_buf[x])
            return SH_ENOTEMPTY;
    return obj_rc("rmdir", env.error, directory_rmdir(dir.svr, dir.obj, name, &env));
}

static int do_mkdir(int argc, char **argv) { return each_in_parent("mkdir", argc, argv, op_mkdir); }
static int do_rm(int argc, char **argv) { return each_in_parent("rm", argc, argv, op_rm); }
static int do_rmdir(int argc, char **argv) { return each_in_parent("rmdir", argc, argv, op_rmdir); }

/* The parent and name of the destination of mv/ln: into dst when it is a
 * directory, with the source's name. */
static int destination(const char *dst, const char *src_name, char *abs, sh_handle_t *dir,
                       const char **name)
{
    sh_handle_t h;
    int rc = sh_abs(dst, abs);
    if (rc != ESUCCESS)
        return rc;
    if (src_name && obj_lookup(abs, &h) == ESUCCESS && obj_is(h, DIRECTORY_API)) {
        size_t n = strlen(abs);
        if (n + 1 + strlen(src_name) + 1 > SH_PATH_MAX)
            return SH_ETOOLONG;
        snprintf(abs + n, SH_PATH_MAX - n, "%s%s", n > 1 ? "/" : "", src_name);
    }
    return obj_parent(abs, dir, name);
}

static int do_mv(int argc, char **argv)
{
    (void)argc;
    char src[SH_PATH_MAX], dst[SH_PATH_MAX];
    sh_handle_t sdir, ddir, h;
    const char *sname, *dname;
    chacm_env_t env = { 0 };
    int rc = sh_abs(argv[1], src);
    if (rc == ESUCCESS)
        rc = obj_lookup(src, &h);
    if (rc == ESUCCESS)
        rc = obj_parent(src, &sdir, &sname);
    if (rc != ESUCCESS)
        return sh_fail("mv", argv[1], rc);
    rc = destination(argv[2], sname, dst, &ddir, &dname);
    if (rc != ESUCCESS)
        return sh_fail("mv", argv[2], rc);
    if (!L4_IsThreadEqual(sdir.svr, ddir.svr)) {
        sh_error("mv: %s and %s are on different servers\n", argv[1], argv[2]);
        return 1;
    }
    size_t n = strlen(src);
    if (!strncmp(dst, src, n) && dst[n] == '/') {
        sh_error("mv: %s: cannot move a directory into itself\n", argv[1]);
        return 1;
    }
    rc = obj_rc("rename", env.error, directory_rename(sdir.svr, sdir.obj, sname, ddir.obj, dname, &env));
    return rc == ESUCCESS ? 0 : sh_fail("mv", argv[1], rc);
}

static int do_ln(int argc, char **argv)
{
    bool symbolic = strcmp(argv[1], "-s") == 0;
    if (argc != (symbolic ? 4 : 3)) {
        sh_error("ln: usage: ln [-s] TARGET NAME\n");
        return 2;
    }
    const char *target = argv[symbolic ? 2 : 1], *link = argv[symbolic ? 3 : 2];
    char abs[SH_PATH_MAX], tabs[SH_PATH_MAX];
    sh_handle_t dir, h;
    const char *name;
    chacm_env_t env = { 0 };
    int rc = destination(link, NULL, abs, &dir, &name);
    if (rc != ESUCCESS)
        return sh_fail("ln", link, rc);
    if (symbolic) {
        rc = obj_rc("symlink", env.error, directory_symlink(dir.svr, dir.obj, name, target, &env));
        return rc == ESUCCESS ? 0 : sh_fail("ln", link, rc);
    }
    rc = sh_abs(target, tabs);
    if (rc == ESUCCESS)
        rc = obj_lookup(tabs, &h);
    if (rc != ESUCCESS)
        return sh_fail("ln", target, rc);
    rc = obj_rc("link", env.error, directory_link(dir.svr, dir.obj, name, h.svr, h.obj, &env));
    return rc == ESUCCESS ? 0 : sh_fail("ln", link, rc);
}

const sh_command_t sh_fs_commands[] = {
    { "ls", do_ls, 0, 1, "[DIR]", "lists a directory (default: the working directory)" },
    { "dir", do_dir, 0, 1, "[DIR]", "lists a directory with each object's handle, interfaces and size" },
    { "cd", do_cd, 0, 1, "[DIR]", "changes the working directory (default: /)" },
    { "pwd", do_pwd, 0, 0, "", "prints the working directory" },
    { "cat", do_cat, 1, -1, "FILE...", "prints files" },
    { "echo", do_echo, 0, -1, "[-n] [TEXT...]", "prints its arguments (> FILE, >> FILE write a file)" },
    { "mkdir", do_mkdir, 1, -1, "DIR...", "makes directories" },
    { "rm", do_rm, 1, -1, "FILE...", "removes files" },
    { "rmdir", do_rmdir, 1, -1, "DIR...", "removes empty directories" },
    { "mv", do_mv, 2, 2, "FROM TO", "renames or moves a file or directory" },
    { "ln", do_ln, 2, 3, "[-s] TARGET NAME", "makes a hard link, or with -s a symbolic link" },
    { NULL, NULL, 0, 0, NULL, NULL },
};
