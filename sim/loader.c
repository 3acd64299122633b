/* Loads program modules.  Each task gets its own instance of its module:
 * the image is copied into an anonymous memory file (memfd) named after
 * the instance and loaded from there, so the host's dynamic linker gives
 * every instance separate code and data, and nothing is left on disk
 * however the run ends (a signal, --timeout, a crash).  The instance is
 * loaded by the path /proc/PID/fd/N, which a debugger in another process
 * can open too, so gdb and Valgrind read each instance's symbols; the
 * memory file's name (NAME.SERIAL) is what /proc/PID/maps shows.
 * Images come from module files (boot) or from guest memory (the hosted
 * LoadImage extension, loader_image_from_guest). */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elfcheck.h"
#include "kern_boot.h"
#include "loader.h"

static char **search_path;
static GPtrArray *instances;
static unsigned serial;

void loader_init(const char *extra, const char *module_dir)
{
    char *path = g_strjoin(":", extra ? extra : "", module_dir, NULL);
    search_path = g_strsplit(path, ":", -1);
    g_free(path);
    instances = g_ptr_array_new();
    kern_set_image_loader(loader_image_from_guest);
}

void loader_cleanup(void)
{
    g_strfreev(search_path);
    search_path = NULL;
    kern_set_image_loader(NULL);
    if (!instances)
        return;
    for (guint i = 0; i < instances->len; i++) {
        sim_module_t *m = instances->pdata[i];
        g_free(m->name);
        g_free(m->file);
        g_free(m->origin);
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

char *loader_find_data(const char *path)
{
    for (char **d = search_path; d && *d; d++) {
        if (!**d)
            continue;
        char *f = g_build_filename(*d, path, NULL);
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
    bool full;              /* the kernel's table of segments is full */
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
        if (!kern_image_add(q->image, at, ph->p_memsz, (ph->p_flags & PF_W) != 0)) {
            q->full = true;
            return 1;
        }
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
 * copies may reach outside the windows.  False (and nothing registered)
 * when the kernel has no room for them. */
static bool register_image(const char *file, unsigned image, sim_module_t *m)
{
    image_query_t q = { file, image, m, false };
    dl_iterate_phdr(register_segments, &q);
    if (q.full)
        kern_image_forget(image);
    return !q.full;
}

/* A memory file named label holding image[0..len), or -1 with *err set. */
static int memory_file(const char *label, const void *image, size_t len, GError **err)
{
    int fd = memfd_create(label, MFD_CLOEXEC);
    if (fd < 0) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot make a memory file for %s: %s",
                    label, g_strerror(errno));
        return -1;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, (const char *)image + done, len - done);
        if (n <= 0) {
            g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write the memory file of %s: %s", label,
                        g_strerror(n < 0 ? errno : EIO));
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

/* Loads a checked image as a new instance; origin names it in messages. */
static sim_module_t *instantiate(const char *name, const char *origin, const void *image, size_t len,
                                 GError **err)
{
    unsigned image_no = ++serial;
    char *label = g_strdup_printf("%s.%u", name, image_no);
    int fd = memory_file(label, image, len, err);
    g_free(label);
    if (fd < 0)
        return NULL;
    char *path = g_strdup_printf("/proc/%d/fd/%d", (int)getpid(), fd);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot load module %s (%s): %s", name, origin,
                    dlerror());
        g_free(path);
        close(fd);
        return NULL;
    }
    void *entry = dlsym(h, "_start");
    if (!entry) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "module %s (%s) has no _start entry point", name,
                    origin);
        dlclose(h);
        g_free(path);
        close(fd);
        return NULL;
    }
    /* the memory file stays open: the instance's debuggers read it by path */
    sim_module_t *m = g_new0(sim_module_t, 1);
    if (!register_image(path, image_no, m)) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                    "cannot load module %s (%s): the kernel's table of program segments is full", name, origin);
        g_free(m);
        dlclose(h);
        g_free(path);
        close(fd);
        return NULL;
    }
    kern_image_set_name(image_no, name);
    m->name = g_strdup(name);
    m->file = path;
    m->handle = h;
    m->image = image_no;
    m->entry = (L4_Word_t)entry;
    g_ptr_array_add(instances, m);
    return m;
}

sim_module_t *loader_instance(const char *name, const char *file, GError **err)
{
    char *contents;
    gsize len;
    if (!g_file_get_contents(file, &contents, &len, err))
        return NULL;
    const char *why = elf_check_module(contents, len);
    sim_module_t *m = NULL;
    if (why)
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "module %s: %s: %s", name, file, why);
    else
        m = instantiate(name, file, contents, len, err);
    g_free(contents);
    if (m)
        m->origin = g_strdup(file);
    return m;
}

sim_module_t *loader_module_of_image(unsigned image)
{
    for (guint i = 0; instances && i < instances->len; i++)
        if (((sim_module_t *)instances->pdata[i])->image == image)
            return instances->pdata[i];
    return NULL;
}

/* A fresh instance of the module file of the instance entered at entry
 * (a boot program, restarted). */
static L4_Word_t reload(const char *name, L4_Word_t entry, char *why, size_t whylen, bool *no_mem)
{
    const char *file = NULL;
    for (guint i = 0; instances && i < instances->len && !file; i++) {
        sim_module_t *m = instances->pdata[i];
        if (m->entry == entry && m->origin)
            file = m->origin;
    }
    if (!file) {
        snprintf(why, whylen, "%#lx is not the entry point of a boot program", entry);
        return 0;
    }
    GError *err = NULL;
    char *copy = g_strdup(file);
    sim_module_t *m = loader_instance(name, copy, &err);
    g_free(copy);
    if (!m) {
        snprintf(why, whylen, "%s", err->message);
        *no_mem = err->domain == G_FILE_ERROR && err->code == G_FILE_ERROR_NOSPC;
        g_error_free(err);
        return 0;
    }
    return m->entry;
}

L4_Word_t loader_image_from_guest(const char *name, const void *image, size_t len, char *why, size_t whylen,
                                  bool *no_mem)
{
    if (len == 0)
        return reload(name, (L4_Word_t)image, why, whylen, no_mem);
    const char *bad = elf_check_module(image, len);
    if (!bad)
        bad = elf_check_guest_image(image, len);
    if (bad) {
        snprintf(why, whylen, "%s", bad);
        return 0;
    }
    GError *err = NULL;
    sim_module_t *m = instantiate(name, "an image in guest memory", image, len, &err);
    if (!m) {
        snprintf(why, whylen, "%s", err->message);
        *no_mem = err->domain == G_FILE_ERROR &&
                  (err->code == G_FILE_ERROR_NOSPC || err->code == G_FILE_ERROR_MFILE ||
                   err->code == G_FILE_ERROR_NFILE || err->code == G_FILE_ERROR_NOMEM);
        g_error_free(err);
        return 0;
    }
    return m->entry;
}
