/* Runs every file named on the command line (or every file in a named
 * directory) through the chacm-idl parser, checker and generators, as the
 * fuzzer does; a crash or sanitizer report fails the test. */
#include <stdio.h>
#include <glib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int run_file(const char *path)
{
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL)) {
        fprintf(stderr, "corpus: cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((const unsigned char *)text, len);
    g_free(text);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        GDir *dir = g_dir_open(argv[i], 0, NULL);
        if (!dir) {
            bad |= run_file(argv[i]);
            n++;
            continue;
        }
        for (const char *e; (e = g_dir_read_name(dir)); n++) {
            gchar *p = g_build_filename(argv[i], e, NULL);
            bad |= run_file(p);
            g_free(p);
        }
        g_dir_close(dir);
    }
    printf("corpus: %d inputs parsed\n", n);
    return bad;
}
