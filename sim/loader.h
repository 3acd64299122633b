/* Program modules: finding them, and loading one instance per task. */
#ifndef CHACM_LOADER_H
#define CHACM_LOADER_H

#include <glib.h>
#include <l4/hosted/types.h>

typedef struct {
    char *name;
    char *file;         /* the path the instance was loaded by (its memory file) */
    char *origin;       /* the module file it came from (NULL: an image from guest memory) */
    void *handle;
    unsigned image;     /* the kernel's program image number */
    L4_Word_t entry;    /* address of _start */
    L4_Word_t text_start, text_size;    /* its code segment */
    L4_Word_t data_start, data_size;    /* its last writable segment (data and bss) */
} sim_module_t;

/* Modules are searched for in the colon-separated directories extra (may
 * be NULL), then in module_dir. */
void loader_init(const char *extra, const char *module_dir);
void loader_cleanup(void);
/* The file of program module name, or NULL. */
char *loader_find(const char *name);
/* The data file path (relative) in a directory of the module path, or NULL. */
char *loader_find_data(const char *path);
/* Loads a fresh instance (own globals) of the program module file. */
sim_module_t *loader_instance(const char *name, const char *file, GError **err);
/* The instance registered as the kernel's program image image, or NULL. */
sim_module_t *loader_module_of_image(unsigned image);
/* The kernel's LoadImage hook (kern_image_loader_fn): a fresh instance of
 * the program image image[0..len) that a task handed over, named name;
 * its entry point, or 0 with the reason in why. */
L4_Word_t loader_image_from_guest(const char *name, const void *image, size_t len, char *why, size_t whylen,
                                  bool *no_mem);

#endif /* CHACM_LOADER_H */
