/* chacmsim: saving data modules.  A boot-list line such as
 * `module disk.img save=out.img` asks that the module's memory, as the
 * system left it (a ramdisk writes into it), be written to the host file
 * out.img when the run ends; the file the module came from is not changed. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "modsave.h"

typedef struct {
    char *path;
    const void *data;
    size_t size;
} modsave_t;

static GArray *saves;

void modsave_note(const char *cmdline, const void *data, size_t size)
{
    char **words = g_strsplit_set(cmdline, " \t", -1);
    for (char **w = words; *w; w++) {
        if (strncmp(*w, "save=", 5) != 0 || !(*w)[5])
            continue;
        if (!saves)
            saves = g_array_new(FALSE, FALSE, sizeof(modsave_t));
        modsave_t s = { g_strdup(*w + 5), data, size };
        g_array_append_val(saves, s);
    }
    g_strfreev(words);
}

void modsave_write_all(void)
{
    for (guint i = 0; saves && i < saves->len; i++) {
        modsave_t *s = &g_array_index(saves, modsave_t, i);
        GError *err = NULL;
        if (!g_file_set_contents(s->path, s->data, (gssize)s->size, &err)) {
            fprintf(stderr, "chacmsim: cannot save a data module: %s\n", err->message);
            g_error_free(err);
        }
        g_free(s->path);
    }
    if (saves)
        g_array_free(saves, TRUE);
    saves = NULL;
}
