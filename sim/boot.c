/* Boot: resolves each module line to a program module or a data file,
 * loads one instance per program, describes everything in a generic boot
 * information block (Pistachio's bootinfo records: SimpleExec for
 * programs, Module for data) that the KIP points to, and starts sigma0 (if
 * listed) and the root task. */
#include <string.h>

#include <l4/types.h>
#include <l4/bootinfo.h>

#include "kern.h"
#include "kern_boot.h"
#include "kern_iso.h"
#include "boot.h"
#include "loader.h"
#include "modsave.h"

typedef struct {
    boot_module_t *line;
    sim_module_t *prog;     /* NULL for a data module */
    char *data;
    gsize size;
} boot_item_t;

/* Reads a data module into memory that every task may read and write
 * (with isolation, on the shared protection key: a ramdisk writes into
 * its module). */
static gboolean read_data(const char *path, boot_item_t *it, GError **err)
{
    char *heap;
    gsize size;
    if (!g_file_get_contents(path, &heap, &size, err))
        return FALSE;
    it->data = kern_iso_shared_alloc(size + 1);
    memcpy(it->data, heap, size + 1);
    it->size = size;
    g_free(heap);
    return TRUE;
}

/* The data file a module line names: the path as written, else (a
 * relative path) beside the boot list, else on the module path; NULL if
 * none is a regular file. */
static char *data_file(const boot_list_t *bl, const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
        return g_strdup(path);
    if (g_path_is_absolute(path))
        return NULL;
    char *dir = g_path_get_dirname(bl->name);
    char *beside = g_build_filename(dir, path, NULL);
    g_free(dir);
    if (g_file_test(beside, G_FILE_TEST_IS_REGULAR))
        return beside;
    g_free(beside);
    return loader_find_data(path);
}

static gboolean resolve(const boot_list_t *bl, boot_module_t *m, boot_item_t *it, GError **err)
{
    it->line = m;
    char *file = loader_find(m->name);
    if (file) {
        it->prog = loader_instance(m->name, file, err);
        g_free(file);
        return it->prog != NULL;
    }
    file = data_file(bl, m->path);
    if (file) {
        gboolean ok = read_data(file, it, err);
        g_free(file);
        if (ok)
            modsave_note(m->cmdline, it->data, it->size);
        return ok;
    }
    char *where = boot_list_where(bl, m->line);
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                "%s: module '%s' is neither a program module (%s.so on the module path) nor a file "
                "(as written, beside the boot list or on the module path)",
                where, m->path, m->name);
    g_free(where);
    return FALSE;
}

/* Why the boot list names no usable root task (root: the index where it
 * should be). */
static void no_root(const boot_list_t *bl, const boot_item_t *items, guint root, GError **err)
{
    if (root >= bl->modules->len) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "%s: no root task: only sigma0 is listed; add a program module after it", bl->name);
        return;
    }
    char *where = boot_list_where(bl, items[root].line->line);
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "%s: the root task (module line %u) must be a program module, not the file '%s'", where,
                root + 1, items[root].line->path);
    g_free(where);
}

/* Lays out the boot information: header, one record per module, then the
 * command lines. */
static L4_BootInfo_t *build_bootinfo(boot_item_t *items, guint n)
{
    gsize size = sizeof(L4_BootInfo_t);
    for (guint i = 0; i < n; i++) {
        size += items[i].prog ? sizeof(L4_Boot_SimpleExec_t) : sizeof(L4_Boot_Module_t);
        size += (strlen(items[i].line->cmdline) + 1 + 7) & ~7UL;
    }
    char *base = kern_iso_public_alloc(size);
    L4_BootInfo_t *bi = (L4_BootInfo_t *)base;
    bi->magic = L4_BOOTINFO_MAGIC;
    bi->version = L4_BOOTINFO_VERSION;
    bi->size = size;
    bi->first_entry = sizeof(L4_BootInfo_t);
    bi->num_entries = n;
    gsize off = sizeof(L4_BootInfo_t);
    for (guint i = 0; i < n; i++) {
        const char *cmd = items[i].line->cmdline;
        gsize rec = items[i].prog ? sizeof(L4_Boot_SimpleExec_t) : sizeof(L4_Boot_Module_t);
        gsize cmdlen = (strlen(cmd) + 1 + 7) & ~7UL;
        char *r = base + off;
        memcpy(r + rec, cmd, strlen(cmd) + 1);
        if (items[i].prog) {
            L4_Boot_SimpleExec_t *e = (L4_Boot_SimpleExec_t *)r;
            e->type = L4_BootInfo_SimpleExec;
            e->version = 1;
            e->initial_ip = items[i].prog->entry;
            e->text_pstart = e->text_vstart = items[i].prog->text_start;
            e->text_size = items[i].prog->text_size;
            e->data_pstart = e->data_vstart = items[i].prog->data_start;
            e->data_size = items[i].prog->data_size;    /* the bss is part of it */
            e->label = i;
            e->cmdline_offset = rec;
        } else {
            L4_Boot_Module_t *d = (L4_Boot_Module_t *)r;
            d->type = L4_BootInfo_Module;
            d->version = 1;
            d->start = (L4_Word_t)items[i].data;
            d->size = items[i].size;
            d->cmdline_offset = rec;
        }
        L4_BootRec_t *hdr = (L4_BootRec_t *)r;
        hdr->offset_next = i + 1 < n ? rec + cmdlen : 0;
        off += rec + cmdlen;
    }
    return bi;
}

/* The boot failed: the items and the data files read go (program
 * instances stay with the loader, which cleans them up). */
static void drop_items(boot_item_t *items, guint n)
{
    for (guint i = 0; i < n; i++)
        kern_iso_public_free(items[i].data, items[i].size + 1);
    g_free(items);
}

int sim_boot(boot_list_t *bl, GError **err)
{
    guint n = bl->modules->len;
    boot_item_t *items = g_new0(boot_item_t, n);
    for (guint i = 0; i < n; i++)
        if (!resolve(bl, bl->modules->pdata[i], &items[i], err)) {
            drop_items(items, n);
            return 66;
        }
    guint root = 0;
    kern_thread_t *sigma0 = NULL;
    if (items[0].prog && !strcmp(items[0].line->name, "sigma0")) {
        sigma0 = kern_boot_task(KERN_USER_BASE, "sigma0", items[0].prog->entry, KW_NILTHREAD, true);
        kern_set_sigma0(sigma0);
        root = 1;
    }
    if (root >= n || !items[root].prog) {
        no_root(bl, items, root, err);
        drop_items(items, n);
        return 65;
    }
    static L4_BootInfo_t *bootinfo;     /* lives as long as the run */
    if (bootinfo)
        kern_iso_public_free(bootinfo, bootinfo->size);
    bootinfo = build_bootinfo(items, n);
    kern_set_boot_info((L4_Word_t)bootinfo);
    kern_thread_t *rt = kern_boot_task(KERN_USER_BASE + 2, items[root].line->name, items[root].prog->entry,
                                       sigma0 ? kern_thread_gid(sigma0) : KW_NILTHREAD, true);
    kern_set_root(rt);
    g_free(items);
    return 0;
}
