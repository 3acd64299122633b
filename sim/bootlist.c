/* Parser for boot lists (GRUB menu.lst style).  Recognised lines:
 *   # comment, blank
 *   title TEXT
 *   timeout N, default N, root DEV    (accepted for GRUB compatibility)
 *   kernel PATH [ARGS...]
 *   module PATH [ARGS...]
 * Only the first entry (up to a second "title") is used. */
#include <string.h>

#include "bootlist.h"

G_DEFINE_QUARK(chacm-boot-list-error, boot_list_error)

static void module_free(gpointer p)
{
    boot_module_t *m = p;
    g_free(m->path);
    g_free(m->name);
    g_free(m->cmdline);
    g_free(m);
}

void boot_list_free(boot_list_t *bl)
{
    if (!bl)
        return;
    g_free(bl->title);
    g_free(bl->kernel);
    g_free(bl->kernel_cmdline);
    g_ptr_array_free(bl->modules, TRUE);
    g_free(bl);
}

static char *module_name(const char *path)
{
    char *base = g_path_get_basename(path);
    if (g_str_has_suffix(base, ".so"))
        base[strlen(base) - 3] = 0;
    return base;
}

static gboolean printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\t')
            return FALSE;
    return TRUE;
}

static gboolean parse_line(boot_list_t *bl, char *line, int n, const char *name, gboolean *done, GError **err)
{
    g_strstrip(line);
    if (!*line || *line == '#')
        return TRUE;
    if (!printable(line)) {
        g_set_error(err, BOOT_LIST_ERROR, 1, "%s:%d: control character in line", name, n);
        return FALSE;
    }
    char *rest = line + strcspn(line, " \t=");
    char *word = g_strndup(line, rest - line);
    rest += strspn(rest, " \t=");
    gboolean ok = TRUE;
    if (!strcmp(word, "title")) {
        if (bl->title) {
            *done = TRUE;
        } else {
            bl->title = g_strdup(rest);
        }
    } else if (!strcmp(word, "timeout") || !strcmp(word, "default") || !strcmp(word, "root")) {
        /* GRUB settings with no meaning here */
    } else if (!strcmp(word, "kernel")) {
        if (!*rest) {
            g_set_error(err, BOOT_LIST_ERROR, 1, "%s:%d: 'kernel' needs a path", name, n);
            ok = FALSE;
        } else if (bl->kernel) {
            g_set_error(err, BOOT_LIST_ERROR, 1, "%s:%d: second 'kernel' line", name, n);
            ok = FALSE;
        } else {
            bl->kernel = g_strndup(rest, strcspn(rest, " \t"));
            bl->kernel_cmdline = g_strdup(rest);
        }
    } else if (!strcmp(word, "module")) {
        if (!*rest) {
            g_set_error(err, BOOT_LIST_ERROR, 1, "%s:%d: 'module' needs a path", name, n);
            ok = FALSE;
        } else {
            boot_module_t *m = g_new0(boot_module_t, 1);
            m->path = g_strndup(rest, strcspn(rest, " \t"));
            m->name = module_name(m->path);
            m->cmdline = g_strdup(rest);
            m->line = n;
            g_ptr_array_add(bl->modules, m);
        }
    } else {
        g_set_error(err, BOOT_LIST_ERROR, 1, "%s:%d: unknown keyword '%s' (expected title, kernel or module)",
                    name, n, word);
        ok = FALSE;
    }
    g_free(word);
    return ok;
}

boot_list_t *boot_list_parse(const char *text, const char *name, GError **err)
{
    boot_list_t *bl = g_new0(boot_list_t, 1);
    bl->modules = g_ptr_array_new_with_free_func(module_free);
    char **lines = g_strsplit(text, "\n", -1);
    gboolean done = FALSE, ok = TRUE;
    for (int i = 0; lines[i] && ok && !done; i++)
        ok = parse_line(bl, lines[i], i + 1, name, &done, err);
    g_strfreev(lines);
    if (ok && bl->modules->len == 0) {
        g_set_error(err, BOOT_LIST_ERROR, 1, "%s: no 'module' line: nothing to boot", name);
        ok = FALSE;
    }
    if (!ok) {
        boot_list_free(bl);
        return NULL;
    }
    return bl;
}

boot_list_t *boot_list_load(const char *file, GError **err)
{
    char *text;
    gsize len;
    if (!g_file_get_contents(file, &text, &len, err))
        return NULL;
    if (memchr(text, 0, len)) {
        g_set_error(err, BOOT_LIST_ERROR, 1, "%s: not a text file (NUL byte)", file);
        g_free(text);
        return NULL;
    }
    boot_list_t *bl = boot_list_parse(text, file, err);
    g_free(text);
    return bl;
}
