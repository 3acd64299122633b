/* vmedit: shows or edits a file through a mapping of it: the file server
 * hands out a memory entry for the file (file_map::map), memsvr maps it
 * (vm_map) and pages it in from the file server, and vm_msync sends the
 * written pages back.
 *   vmedit FILE                  prints the file as the mapping shows it
 *   vmedit FILE OFFSET TEXT...   writes TEXT (the words joined by blanks)
 *                                at byte OFFSET, through a shared mapping
 *   vmedit FILE upper            upper-cases the file's letters in place
 *                                (written back by the unmap, not vm_msync)
 *   vmedit FILE copy TEXT...     writes TEXT at 0 of a private copy and
 *                                prints it: the file stays as it is
 *   vmedit FILE sync OFFSET TEXT...  writes TEXT at OFFSET through a shared
 *                                mapping, then syncs the file's file
 *                                system (no vm_msync) and prints the file
 *                                as read() returns it, still mapped
 * Writes stay within the file: a mapping does not make a file longer.
 * Exits 0, or 1 with a message naming what went wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/task.h>
#include <mach/mach.h>

#include "file_client.h"
#include "filesystem_client.h"

static const char *rc_name(int rc)
{
    switch (rc) {
    case EINVALID: return "not a file";
    case EDENIED: return "the file system is read-only";
    case EFULL: return "the file server maps too many files";
    case ESUPP: return "the file server cannot map files";
    case EBADPARM: return "bad mode";
    default: return "error";
    }
}

static const char *kr_name(kern_return_t kr)
{
    switch (kr) {
    case KERN_INVALID_ADDRESS: return "KERN_INVALID_ADDRESS";
    case KERN_PROTECTION_FAILURE: return "KERN_PROTECTION_FAILURE (the entry does not allow it)";
    case KERN_NO_SPACE: return "KERN_NO_SPACE";
    case KERN_INVALID_ARGUMENT: return "KERN_INVALID_ARGUMENT";
    case KERN_RESOURCE_SHORTAGE: return "KERN_RESOURCE_SHORTAGE";
    case KERN_MEMORY_ERROR: return "KERN_MEMORY_ERROR (the file server did not take the pages)";
    default: return "KERN_FAILURE";
    }
}

/* Maps path (writable: shared and writable; copy: a private copy); the
 * address and the file's size, or 0 with a message. */
static vm_address_t map_file(const char *path, int writable, int copy, int *size)
{
    chacm_handle_t h;
    chacm_env_t env = { 0 };
    L4_Word_t entry = 0;
    if (chacm_resolve(path, &h) != ESUCCESS) {
        printf("vmedit: %s: not found\n", path);
        return 0;
    }
    int rc = file_map_map(h.svr, h.obj, FILE_READ | (writable ? FILE_WRITE : 0), &entry, size, &env);
    if (env.error != CHACM_IDL_OK) {
        printf("vmedit: %s: its server does not map files\n", path);
        return 0;
    }
    if (rc != ESUCCESS) {
        printf("vmedit: %s: %s\n", path, rc_name(rc));
        return 0;
    }
    vm_address_t a = 0;
    vm_size_t len = *size ? (vm_size_t)*size : 1;
    vm_prot_t prot = VM_PROT_READ | (writable || copy ? VM_PROT_WRITE : 0);
    kern_return_t kr = vm_map(mach_task_self(), &a, len, 0, TRUE, entry, 0, copy ? TRUE : FALSE, prot, prot,
                              VM_INHERIT_NONE);
    mach_port_deallocate(mach_task_self(), entry);      /* the mapping keeps the file's object */
    if (kr != KERN_SUCCESS) {
        printf("vmedit: %s: vm_map: %s\n", path, kr_name(kr));
        return 0;
    }
    return a;
}

static void show(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        putchar(p[i]);
    if (n && p[n - 1] != '\n')
        putchar('\n');
}

/* The words argv[from..argc) joined by blanks, in buf; -1 if they do
 * not fit in size bytes. */
static int join(int argc, char **argv, int from, char *buf, int size)
{
    int n = 0;
    for (int i = from; i < argc; i++) {
        if (i > from && n < size)
            buf[n++] = ' ';
        for (const char *s = argv[i]; *s; s++) {
            if (n == size)
                return -1;
            buf[n++] = *s;
        }
    }
    return n;
}

/* Prints the file as file::read returns it. */
static int read_back(chacm_handle_t h)
{
    static char buf[CHACM_FILE_XFER_MAX];
    chacm_env_t env = { 0 };
    int rc = file_open(h.svr, h.obj, FILE_READ, &env), size = 0;
    while (rc == ESUCCESS && env.error == CHACM_IDL_OK) {
        char *p = buf;
        rc = file_read(h.svr, h.obj, sizeof buf, &size, &p, &env);
        if (rc != ESUCCESS || env.error != CHACM_IDL_OK || size <= 0)
            break;
        show(p, size);
    }
    file_close(h.svr, h.obj, &env);
    return rc == EEOF || rc == ESUCCESS ? 0 : 1;
}

static int finish(vm_address_t a, int size, const char *path, int wrote)
{
    task_t self = mach_task_self();
    vm_size_t len = size ? (vm_size_t)size : 1;
    kern_return_t kr = wrote ? vm_msync(self, a, len, VM_SYNC_SYNCHRONOUS) : KERN_SUCCESS;
    if (kr != KERN_SUCCESS)
        printf("vmedit: %s: vm_msync: %s\n", path, kr_name(kr));
    vm_deallocate(self, a, len);
    return kr == KERN_SUCCESS ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: vmedit FILE [OFFSET TEXT... | upper | copy TEXT... | sync OFFSET TEXT...]\n");
        return 1;
    }
    const char *path = argv[1];
    int size = 0, copy = argc >= 3 && !strcmp(argv[2], "copy"), sync = argc >= 5 && !strcmp(argv[2], "sync");
    int upper = argc == 3 && !strcmp(argv[2], "upper"), edit = argc >= 4 && !copy;
    if (sync) {
        argv++;                         /* OFFSET TEXT... follow */
        argc--;
    }
    if (argc >= 3 && !copy && !upper && !edit) {
        printf("vmedit: %s: what to do with '%s'? (OFFSET TEXT..., upper, copy TEXT... or sync OFFSET TEXT...)\n", path, argv[2]);
        return 1;
    }
    char *end;
    long off = edit ? strtol(argv[2], &end, 10) : 0;
    if (edit && (*end || off < 0)) {
        printf("vmedit: %s: bad offset '%s'\n", path, argv[2]);
        return 1;
    }
    vm_address_t a = map_file(path, edit || upper, copy, &size);
    if (!a)
        return 1;
    char *p = (char *)a;
    if (upper) {
        int changed = 0;
        for (int i = 0; i < size; i++)
            if (p[i] >= 'a' && p[i] <= 'z') {
                p[i] = (char)(p[i] - 'a' + 'A');
                changed++;
            }
        printf("vmedit: %s: %d letters upper-cased\n", path, changed);
        return finish(a, size, path, 0);        /* the unmap sends them back */
    }
    if (edit || copy) {
        char text[256];
        int n = join(argc, argv, 3, text, sizeof text);
        if (n < 0) {
            printf("vmedit: %s: the text is longer than %zu bytes\n", path, sizeof text);
            finish(a, size, path, 0);
            return 1;
        }
        if (off > size || n > size - off) {
            printf("vmedit: %s: %d bytes at %ld do not fit in its %d bytes\n", path, n, off, size);
            finish(a, size, path, 0);
            return 1;
        }
        memcpy(p + off, text, (size_t)n);
        if (copy) {
            show(p, size);
            return finish(a, size, path, 0);
        }
        printf("vmedit: %s: %d bytes written at %ld\n", path, n, off);
        if (sync) {
            chacm_handle_t h;
            chacm_env_t env = { 0 };
            int rc = chacm_resolve(path, &h) == ESUCCESS ? filesystem_sync(h.svr, h.obj, &env) : EINVALID;
            printf("vmedit: %s: sync %s; read() now gives:\n", path,
                   rc == ESUCCESS && env.error == CHACM_IDL_OK ? "done" : "failed");
            int bad = read_back(h);
            finish(a, size, path, 0);
            return bad;
        }
        return finish(a, size, path, 1);
    }
    show(p, size);
    return finish(a, size, path, 0);
}
