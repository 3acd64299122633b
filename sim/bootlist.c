/* Parser for boot lists (GRUB menu.lst style).  Recognised lines:
 *   # comment, blank
 *   title TEXT
 *   timeout N, default N, root DEV    (accepted for GRUB compatibility)
 *   kernel PATH [OPTION...]           (PATH's last part is chacmsim; memory=SIZE)
 *   module PATH [ARGS...]
 * Only the first entry (up to a second "title") is used. */
#include <stddef.h>
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
    g_free(bl->name);
    g_free(bl->title);
    g_free(bl->kernel);
    g_free(bl->kernel_cmdline);
    g_free(bl->hda);
    g_free(bl->serial);
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

char *boot_list_where(const boot_list_t *bl, int line)
{
    return bl->name[0] == '-' ? g_strdup(bl->name) : g_strdup_printf("%s:%d", bl->name, line);
}

const char *boot_parse_mib(const char *s, guint64 *mib)
{
    guint64 v = 0;
    if (!g_ascii_isdigit(*s))
        return "a size is a number with K, M or G after it";
    for (; g_ascii_isdigit(*s); s++) {
        if (v > (G_MAXUINT64 - 9) / 10)
            return "too large";
        v = v * 10 + (guint64)(*s - '0');
    }
    unsigned shift = 20;
    switch (g_ascii_toupper(*s)) {
    case 'K': shift = 10; s++; break;
    case 'M': shift = 20; s++; break;
    case 'G': shift = 30; s++; break;
    case 0: break;
    default: return "a size is a number with K, M or G after it";
    }
    if (*s)
        return "a size is a number with K, M or G after it";
    if (v > (G_MAXUINT64 >> shift))
        return "too large";
    v <<= shift;
    if (v & ((1u << 20) - 1))
        return "not a whole number of MiB";
    *mib = v >> 20;
    return NULL;
}

/* A count: digits only. */
static const char *parse_count(const char *s, guint64 *n)
{
    guint64 v = 0;
    if (!*s)
        return "a count is a number";
    for (; *s; s++) {
        if (!g_ascii_isdigit(*s))
            return "a count is a number";
        if (v > (G_MAXUINT64 - 9) / 10)
            return "too large";
        v = v * 10 + (guint64)(*s - '0');
    }
    *n = v;
    return NULL;
}

/* The kernel line's options: NAME=VALUE, parsed and range-checked. */
static const struct {
    const char *name;
    const char *(*parse)(const char *s, guint64 *v);
    guint64 min, max;
    size_t field;
    const char *range;
} kernel_options[] = {
    { "memory=", boot_parse_mib, 4, 4096, offsetof(boot_list_t, memory_mib),
      "physical memory must be 4 MiB to 4 GiB" },
    { "spaces=", parse_count, 2, 65536, offsetof(boot_list_t, spaces),
      "the number of address spaces must be 2 to 65536" },
};

static const char *kernel_option(boot_list_t *bl, const char *word)
{
    /* the machine's devices: strings, checked when the machine is built */
    static const struct { const char *name; size_t field; } strings[] = {
        { "hda=", offsetof(boot_list_t, hda) },
        { "serial=", offsetof(boot_list_t, serial) },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(strings); i++) {
        if (!g_str_has_prefix(word, strings[i].name))
            continue;
        const char *v = word + strlen(strings[i].name);
        if (!*v)
            return "needs a value";
        char **slot = (char **)((char *)bl + strings[i].field);
        g_free(*slot);
        *slot = g_strdup(v);
        return NULL;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kernel_options); i++) {
        if (!g_str_has_prefix(word, kernel_options[i].name))
            continue;
        guint64 v;
        const char *why = kernel_options[i].parse(word + strlen(kernel_options[i].name), &v);
        if (!why && (v < kernel_options[i].min || v > kernel_options[i].max))
            why = kernel_options[i].range;
        if (!why)
            *(guint64 *)((char *)bl + kernel_options[i].field) = v;
        return why;
    }
    return "unknown";
}

/* The kernel line: this kernel, and options it knows. */
static gboolean parse_kernel(boot_list_t *bl, const char *rest, const char *where, GError **err)
{
    bl->kernel = g_strndup(rest, strcspn(rest, " \t"));
    bl->kernel_cmdline = g_strdup(rest);
    char *base = g_path_get_basename(bl->kernel);
    gboolean ok = !strcmp(base, "chacmsim");
    g_free(base);
    if (!ok) {
        g_set_error(err, BOOT_LIST_ERROR, 1, "%s: kernel '%s' is not this kernel (write 'kernel chacmsim')", where,
                    bl->kernel);
        return FALSE;
    }
    char **words = g_strsplit_set(rest, " \t", -1);
    for (char **w = words + 1; ok && *w; w++) {
        const char *why = **w ? kernel_option(bl, *w) : NULL;
        if (why && !strcmp(why, "unknown"))
            g_set_error(err, BOOT_LIST_ERROR, 1, "%s: unknown kernel option '%s' (known: memory=SIZE, spaces=N, hda=IMAGE, serial=stdout|stdio|none|FILE)",
                        where, *w);
        else if (why)
            g_set_error(err, BOOT_LIST_ERROR, 1, "%s: %s: %s", where, *w, why);
        ok = why == NULL;
    }
    g_strfreev(words);
    return ok;
}

static gboolean parse_line(boot_list_t *bl, char *line, int n, gboolean *done, GError **err)
{
    const char *name = bl->name;
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
            char *where = boot_list_where(bl, n);
            ok = parse_kernel(bl, rest, where, err);
            g_free(where);
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
    bl->name = g_strdup(name);
    bl->modules = g_ptr_array_new_with_free_func(module_free);
    char **lines = g_strsplit(text, "\n", -1);
    gboolean done = FALSE, ok = TRUE;
    for (int i = 0; lines[i] && ok && !done; i++)
        ok = parse_line(bl, lines[i], i + 1, &done, err);
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
