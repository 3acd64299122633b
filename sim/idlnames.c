/* The interfaces' name table (chacm-idl --names: "0xLABEL interface
 * method" per line), by which the trace exports name messages, and the
 * names of the kernel's own protocols. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kern.h"
#include "simtrace.h"

static GHashTable *names;       /* label -> "interface.method" */

void sim_idl_names_load(const char *path)
{
    if (!names)
        names = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    gchar *text = NULL;
    if (!path || !g_file_get_contents(path, &text, NULL, NULL))
        return;
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char iface[128], method[128];
        unsigned long label;
        if (sscanf(lines[i], "%lx %127s %127s", &label, iface, method) == 3)
            g_hash_table_insert(names, GSIZE_TO_POINTER(label), g_strdup_printf("%s.%s", iface, method));
    }
    g_strfreev(lines);
    g_free(text);
}

const char *sim_idl_name(L4_Word_t label)
{
    L4_Word_t full = ~0UL >> 16;
    /* the kernel protocols: negative labels, low 4 bits free */
    static const struct { long n; const char *name; } kernel[] = {
        { -1, "interrupt" }, { -2, "pagefault" }, { -3, "preemption" }, { -4, "sigma1" },
        { -5, "exception" }, { -6, "sigma0" }, { -8, "iofault" },
    };
    for (size_t i = 0; i < sizeof kernel / sizeof kernel[0]; i++) {
        L4_Word_t l = ((L4_Word_t)kernel[i].n << 4) & full;
        if ((label & ~0xfUL) == l || (label & ~0xfUL) == (l & 0xffff))
            return kernel[i].name;
    }
    if (!names)
        return NULL;
    return g_hash_table_lookup(names, GSIZE_TO_POINTER(label));
}

/* The labels of "interface.method" (one) or "interface" (its 64 method
 * numbers: uuid << 6 | method) in *lo..*hi; FALSE if the table has none. */
gboolean sim_idl_label(const char *name, L4_Word_t *lo, L4_Word_t *hi)
{
    GHashTableIter it;
    gpointer key, value;
    size_t n = strlen(name);
    if (!names)
        return FALSE;
    g_hash_table_iter_init(&it, names);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const char *v = value;
        L4_Word_t label = GPOINTER_TO_SIZE(key);
        if (!strcmp(v, name)) {
            *lo = *hi = label;
            return TRUE;
        }
        if (!strncmp(v, name, n) && v[n] == '.') {
            *lo = label & ~0x3fUL;
            *hi = *lo | 0x3f;
            return TRUE;
        }
    }
    return FALSE;
}
