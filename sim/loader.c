/* Loads program modules.  Each task gets its own instance of its module:
 * the module file is copied to a private temporary directory under a new
 * name and loaded from there, so the host's dynamic linker gives every
 * instance separate code and data (and debuggers see each as a library
 * named after its task).  The copies are removed at exit. */
#include <dlfcn.h>
#include <elf.h>
#include <glib/gstdio.h>
#include <link.h>
#include <stdio.h>
#include <unistd.h>

#include "elfcheck.h"
#include "kern_boot.h"
#include "loader.h"

static char **search_path;
static char *tmpdir;
static GPtrArray *copies;
static GPtrArray *instances;
static unsigned serial;

void loader_init(const char *extra, const char *module_dir)
{
    char *path = g_strjoin(":", extra ? extra : "", module_dir, NULL);
    search_path = g_strsplit(path, ":", -1);
    g_free(path);
    copies = g_ptr_array_new_with_free_func(g_free);
    instances = g_ptr_array_new();
}

void loader_cleanup(void)
{
    g_strfreev(search_path);
    search_path = NULL;
    if (!copies)
        return;
    for (guint i = 0; i < copies->len; i++)
        g_unlink(copies->pdata[i]);
    if (tmpdir)
        g_rmdir(tmpdir);
    g_ptr_array_free(copies, TRUE);
    copies = NULL;
    for (guint i = 0; i < instances->len; i++) {
        sim_module_t *m = instances->pdata[i];
        g_free(m->name);
        g_free(m->file);
        g_free(m);
    }
    g_ptr_array_free(instances, TRUE);
    instances = NULL;
}

char *loader_find(const char *name)
{
    if (strchr(name, '/'))
        return NULL;
    for (char **d = search_path; d && *d; d++) {
        if (!**d)
            continue;
        char *f = g_strdup_printf("%s/%s.so", *d, name);
        if (g_file_test(f, G_FILE_TEST_IS_REGULAR))
            return f;
        g_free(f);
    }
    return NULL;
}

typedef struct {
    const char *file;
    unsigned image;
    sim_module_t *m;        /* gets the code and last writable segment */
} image_query_t;

static int register_segments(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    image_query_t *q = data;
    if (!info->dlpi_name || strcmp(info->dlpi_name, q->file) != 0)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        L4_Word_t at = info->dlpi_addr + ph->p_vaddr;
        kern_image_add(q->image, at, ph->p_memsz, (ph->p_flags & PF_W) != 0);
        if (ph->p_flags & PF_X) {
            q->m->text_start = at;
            q->m->text_size = ph->p_memsz;
        } else if (ph->p_flags & PF_W) {
            q->m->data_start = at;
            q->m->data_size = ph->p_memsz;
        }
    }
    return 1;
}

/* Tells the kernel where the instance loaded from file lies: its loaded
 * segments form program image `image`, the address space that string
 * copies may reach outside the windows. */
static void register_image(const char *file, unsigned image, sim_module_t *m)
{
    image_query_t q = { file, image, m };
    dl_iterate_phdr(register_segments, &q);
}

sim_module_t *loader_instance(const char *name, const char *file, GError **err)
{
    if (!tmpdir) {
        tmpdir = g_dir_make_tmp("chacmsim-XXXXXX", err);
        if (!tmpdir)
            return NULL;
    }
    char *contents;
    gsize len;
    if (!g_file_get_contents(file, &contents, &len, err))
        return NULL;
    const char *why = elf_check_module(contents, len);
    if (why) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "module %s: %s: %s", name, file, why);
        g_free(contents);
        return NULL;
    }
    char *copy = g_strdup_printf("%s/%s.%u.so", tmpdir, name, serial++);
    gboolean ok = g_file_set_contents(copy, contents, len, err);
    g_free(contents);
    if (!ok) {
        g_free(copy);
        return NULL;
    }
    g_ptr_array_add(copies, copy);
    void *h = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot load module %s (%s): %s", name, file,
                    dlerror());
        return NULL;
    }
    void *entry = dlsym(h, "_start");
    if (!entry) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "module %s (%s) has no _start entry point", name,
                    file);
        dlclose(h);
        return NULL;
    }
    sim_module_t *m = g_new0(sim_module_t, 1);
    register_image(copy, serial, m);
    m->name = g_strdup(name);
    m->file = g_strdup(copy);
    m->handle = h;
    m->entry = (L4_Word_t)entry;
    g_ptr_array_add(instances, m);
    return m;
}
