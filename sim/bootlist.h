/* Boot lists in GRUB menu.lst style: which kernel, which modules with
 * which command lines. */
#ifndef CHACM_BOOTLIST_H
#define CHACM_BOOTLIST_H

#include <glib.h>

typedef struct {
    char *path;         /* as written */
    char *name;         /* basename without directory and ".so" */
    char *cmdline;      /* the whole line after "module", path included */
    int line;
} boot_module_t;

typedef struct {
    char *name;         /* the file's name (or "--root"), for messages */
    char *title;
    char *kernel;       /* kernel line's path, or NULL */
    char *kernel_cmdline;
    guint64 memory_mib; /* the kernel line's memory=SIZE, or 0 */
    guint64 spaces;     /* the kernel line's spaces=N, or 0 */
    char *hda;          /* the kernel line's hda=IMAGE (ATA disk image), or NULL */
    char *serial;       /* the kernel line's serial=stdio|none|FILE, or NULL */
    GPtrArray *modules; /* boot_module_t* in order */
} boot_list_t;

/* Parses text (name is used in messages).  Returns NULL and sets *err to
 * "name:line: message" on bad input. */
boot_list_t *boot_list_parse(const char *text, const char *name, GError **err);
boot_list_t *boot_list_load(const char *file, GError **err);
void boot_list_free(boot_list_t *bl);
/* "name:line" for messages about a line (just "--root" for a command line). */
char *boot_list_where(const boot_list_t *bl, int line);

/* Parses a size: digits, then K, M or G (KiB, MiB, GiB; none means MiB).
 * Sets *mib and returns NULL, or returns what is wrong with it. */
const char *boot_parse_mib(const char *s, guint64 *mib);

#define BOOT_LIST_ERROR boot_list_error_quark()
GQuark boot_list_error_quark(void);

#endif /* CHACM_BOOTLIST_H */
