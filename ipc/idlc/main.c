/* chacm-idl: command-line driver — runs the C preprocessor over an IDL file,
 * parses and checks the result, and writes stubs, dispatch code, the
 * Markdown reference and a depfile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static gchar **opt_include, **opt_define;
static gchar *opt_outdir = ".", *opt_depfile, *opt_dep_target, *opt_doc, *opt_cpp, *opt_base, *opt_names;
static gboolean opt_no_cpp, opt_check, opt_no_code;

static GOptionEntry entries[] = {
    { "include", 'I', 0, G_OPTION_ARG_STRING_ARRAY, &opt_include, "Add DIR to the #include path", "DIR" },
    { "define", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &opt_define, "Define a preprocessor macro", "NAME[=V]" },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &opt_outdir, "Write generated files to DIR", "DIR" },
    { "base", 'b', 0, G_OPTION_ARG_STRING, &opt_base, "Base name of the outputs (default: input name)", "NAME" },
    { "depfile", 'M', 0, G_OPTION_ARG_FILENAME, &opt_depfile, "Write a make-style depfile", "FILE" },
    { "dep-target", 0, 0, G_OPTION_ARG_STRING, &opt_dep_target, "Target named in the depfile", "PATH" },
    { "doc", 'd', 0, G_OPTION_ARG_FILENAME, &opt_doc, "Write the Markdown reference to FILE (- for stdout)", "FILE" },
    { "names", 0, 0, G_OPTION_ARG_FILENAME, &opt_names,
      "Write the name table (one line per method: label, interface, method) to FILE (- for stdout)", "FILE" },
    { "no-code", 0, 0, G_OPTION_ARG_NONE, &opt_no_code, "Do not write C code", NULL },
    { "check", 'c', 0, G_OPTION_ARG_NONE, &opt_check, "Only parse and check", NULL },
    { "no-cpp", 0, 0, G_OPTION_ARG_NONE, &opt_no_cpp, "Do not run the C preprocessor", NULL },
    { "cpp", 0, 0, G_OPTION_ARG_STRING, &opt_cpp, "Preprocessor command (default: cpp)", "CMD" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* Runs the preprocessor in a mode that keeps columns and comments, so
 * locations after it still point into the original files. */
static gchar *preprocess(const char *file, gsize *len)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    gchar **cpp = g_strsplit(opt_cpp ? opt_cpp : "cpp", " ", -1);
    for (int i = 0; cpp[i]; i++)
        if (*cpp[i])
            g_ptr_array_add(argv, g_strdup(cpp[i]));
    g_strfreev(cpp);
    const char *fixed[] = { "-traditional-cpp", "-C", "-nostdinc", "-x", "c", "-D__CHACM_IDL__=1" };
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(argv, g_strdup(fixed[i]));
    for (int i = 0; opt_include && opt_include[i]; i++)
        g_ptr_array_add(argv, g_strdup_printf("-I%s", opt_include[i]));
    for (int i = 0; opt_define && opt_define[i]; i++)
        g_ptr_array_add(argv, g_strdup_printf("-D%s", opt_define[i]));
    g_ptr_array_add(argv, g_strdup(file));
    g_ptr_array_add(argv, NULL);
    gchar *out = NULL, *err = NULL;
    gint status = 0;
    GError *e = NULL;
    gboolean ok = g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &e);
    g_ptr_array_unref(argv);
    if (!ok) {
        fprintf(stderr, "chacm-idl: cannot run the preprocessor: %s\n", e->message);
        g_error_free(e);
        return NULL;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        fputs(err, stderr);
        g_free(out);
        g_free(err);
        return NULL;
    }
    g_free(err);
    *len = strlen(out);
    return out;
}

/* What the imported headers bring into the depfile: each header's path and
 * its preprocessed text (whose line markers name what it includes). */
static GPtrArray *import_deps;

/* ctx.import_text: the header named by an import, looked up beside the
 * importing file and then on the include path, preprocessed like the input. */
static char *import_text(const char *header, const char *from, size_t *len)
{
    gchar *dir = g_path_get_dirname(from ? from : ".");
    gchar *path = g_build_filename(dir, header, NULL);
    g_free(dir);
    for (int i = 0; opt_include && opt_include[i] && !g_file_test(path, G_FILE_TEST_IS_REGULAR); i++) {
        g_free(path);
        path = g_build_filename(opt_include[i], header, NULL);
    }
    char *text = NULL;
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        gsize n = 0;
        text = opt_no_cpp ? (g_file_get_contents(path, &text, &n, NULL) ? text : NULL) : preprocess(path, &n);
        *len = n;
        g_ptr_array_add(import_deps, g_strdup_printf("# 1 \"%s\"\n", path));
        if (text && !opt_no_cpp)
            g_ptr_array_add(import_deps, g_strdup(text));
    }
    g_free(path);
    return text;
}

/* Writes the files named by the line markers of text not yet in seen. */
static void write_marked(FILE *f, const char *text, GHashTable *seen)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *q = strchr(p, '"');
        if (p[0] != '#' || !q || q > strchr(p, '\n'))
            continue;
        const char *e = strchr(q + 1, '"');
        if (!e)
            continue;
        gchar *name = g_strndup(q + 1, (gsize)(e - q - 1));
        if (name[0] != '<' && !g_hash_table_contains(seen, name)) {
            fprintf(f, " \\\n  %s", name);
            g_hash_table_add(seen, g_strdup(name));
        }
        g_free(name);
    }
}

/* Every file named by a line marker of the input or of an imported
 * header, and every imported header, for the depfile. */
static void write_depfile(const char *target, const char *text)
{
    FILE *f = fopen(opt_depfile, "w");
    if (!f) {
        fprintf(stderr, "chacm-idl: %s: %s\n", opt_depfile, strerror(errno));
        exit(1);
    }
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    fprintf(f, "%s:", target);
    write_marked(f, text, seen);
    for (guint i = 0; i < import_deps->len; i++)
        write_marked(f, g_ptr_array_index(import_deps, i), seen);
    fprintf(f, "\n");
    g_hash_table_unref(seen);
    fclose(f);
}

static int run_generator(gen_t *g, const char *path, void (*fn)(gen_t *))
{
    if (strcmp(path, "-") == 0) {
        g->out = stdout;
        fn(g);
        return 0;
    }
    gchar *tmp = g_strdup_printf("%s.tmp", path);
    g->out = fopen(tmp, "w");
    if (!g->out) {
        fprintf(stderr, "chacm-idl: %s: %s\n", tmp, strerror(errno));
        g_free(tmp);
        return 1;
    }
    fn(g);
    int bad = ferror(g->out) | fclose(g->out);
    if (bad || rename(tmp, path) != 0) {
        fprintf(stderr, "chacm-idl: cannot write %s\n", path);
        g_free(tmp);
        return 1;
    }
    g_free(tmp);
    return 0;
}

/* The name table of the interfaces the input defines: "0xLABEL interface
 * method" per numbered method, so that tools (the simulator's trace
 * export) can name a message by its label. */
static void gen_names(gen_t *g)
{
    for (guint i = 0; i < g->spec->interfaces->len; i++) {
        idl_decl_t *d = g_ptr_array_index(g->spec->interfaces, i);
        if (!d->from_main || !d->iface || !d->iface->defined || !d->iface->numbered)
            continue;
        for (guint k = 0; k < d->iface->methods->len; k++) {
            idl_decl_t *md = g_ptr_array_index(d->iface->methods, k);
            if (md->method && !md->method->kernelmsg)
                fprintf(g->out, "0x%04llx %s %s\n", (long long)md->method->label, d->name, md->name);
        }
    }
}

static int generate(idl_ctx_t *ctx, idl_spec_t *spec, const char *input)
{
    gen_t g = { .ctx = ctx, .spec = spec };
    gchar *base = opt_base ? g_strdup(opt_base) : g_path_get_basename(input);
    char *dot = strrchr(base, '.');
    if (dot && !opt_base)
        *dot = 0;
    g.base = ctx_strdup(ctx, base);
    g_free(base);
    char *guard = ctx_strdup(ctx, g.base);
    for (char *c = guard; *c; c++)
        if (!g_ascii_isalnum(*c))
            *c = '_';
    g.guard = guard;
    int rc = 0;
    if (!opt_no_code) {
        static const struct { const char *suffix; void (*fn)(gen_t *); } outs[] = {
            { "_client.h", gen_client_header }, { "_server.h", gen_server_header },
            { "_server.c", gen_server_source },
        };
        for (size_t i = 0; i < G_N_ELEMENTS(outs) && !rc; i++) {
            gchar *path = g_strdup_printf("%s/%s%s", opt_outdir, g.base, outs[i].suffix);
            rc = run_generator(&g, path, outs[i].fn);
            g_free(path);
        }
    }
    if (opt_doc && !rc)
        rc = run_generator(&g, opt_doc, gen_doc);
    if (opt_names && !rc)
        rc = run_generator(&g, opt_names, gen_names);
    return rc;
}

/* A copy of argv in which -IDIR and -DNAME, written attached as compilers
 * take them (and IDL4's makefiles write them), are split into two
 * arguments for the option parser.  Everything after "--" stays as it is. */
static char **split_attached(int *argc, char **argv)
{
    GPtrArray *out = g_ptr_array_new();
    bool rest = false;
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        rest |= strcmp(a, "--") == 0;
        if (!rest && i > 0 && a[0] == '-' && (a[1] == 'I' || a[1] == 'D') && a[2]) {
            g_ptr_array_add(out, g_strndup(a, 2));
            g_ptr_array_add(out, g_strdup(a + 2));
        } else {
            g_ptr_array_add(out, g_strdup(a));
        }
    }
    *argc = (int)out->len;
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

int main(int argc, char **argv)
{
    GOptionContext *oc = g_option_context_new("FILE.idl - compile an IDL specification to L4 X.2 stubs");
    g_option_context_add_main_entries(oc, entries, NULL);
    GError *e = NULL;
    argv = split_attached(&argc, argv);
    if (!g_option_context_parse(oc, &argc, &argv, &e) || argc != 2) {
        fprintf(stderr, "chacm-idl: %s\n", e ? e->message : "expected exactly one input file");
        return 2;
    }
    g_option_context_free(oc);
    const char *input = argv[1];
    gsize len = 0;
    gchar *text = NULL;
    if (opt_no_cpp) {
        if (!g_file_get_contents(input, &text, &len, &e)) {
            fprintf(stderr, "chacm-idl: %s\n", e->message);
            return 1;
        }
    } else if (!(text = preprocess(input, &len))) {
        return 1;
    }
    idl_ctx_t ctx;
    ctx_init(&ctx, false);
    ctx.import_text = import_text;
    import_deps = g_ptr_array_new_with_free_func(g_free);
    int rc = 1;
    if (setjmp(ctx.fail) == 0) {
        idl_spec_t *spec = parse_spec(&ctx, text, len, input);
        check_spec(&ctx, spec);
        rc = opt_check ? 0 : generate(&ctx, spec, input);
        if (rc == 0 && opt_depfile)
            write_depfile(opt_dep_target ? opt_dep_target : input, text);
    }
    ctx_free(&ctx);
    g_ptr_array_unref(import_deps);
    g_free(text);
    return rc;
}
