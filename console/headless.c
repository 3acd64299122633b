/* Headless scripts (headless.h): a list of steps run by one event on the
 * virtual clock, which looks at the screen every POLL_NS while an expect
 * waits. */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "headless.h"
#include "keys.h"

/* An expect looks at the screen every POLL_FINE_NS for the first
 * FINE_NS of its wait (what an echo takes, measured finely), then every
 * POLL_NS (a long wait costs little host time). */
#define POLL_FINE_NS 20000ULL
#define FINE_NS 20000000ULL
#define POLL_NS 1000000ULL
#define HL_ERROR hl_error_quark()
GQuark hl_error_quark(void);
G_DEFINE_QUARK(chacm-headless-error, hl_error)

enum step_kind { STEP_KEYS, STEP_EXPECT, STEP_SLEEP, STEP_DUMP };

typedef struct {
    enum step_kind kind;
    char *text;                 /* expect: the text; dump: the file */
    GByteArray *codes;          /* keys */
    uint64_t ms;                /* sleep */
    enum scr_dump_format fmt;   /* dump */
} step_t;

struct hl_script {
    GPtrArray *steps;
    unsigned at;                /* the step running */
    uint64_t expect_ns, linger_ns;
    uint64_t since;             /* when the current step began */
    uint64_t since_wall;        /* the same on the host's monotonic clock */
    hl_machine_t m;
    sim_event_t ev;
    bool done;
    /* expects met: how long after the step before them */
    unsigned long met;
    uint64_t virt_sum, virt_max, wall_sum, wall_max;
};

static uint64_t wall_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static void step_free(gpointer p)
{
    step_t *st = p;
    g_free(st->text);
    if (st->codes)
        g_byte_array_unref(st->codes);
    g_free(st);
}

hl_script_t *hl_new(void)
{
    hl_script_t *s = g_new0(hl_script_t, 1);
    s->steps = g_ptr_array_new_with_free_func(step_free);
    s->expect_ns = 10000ULL * 1000000;
    s->linger_ns = 1000ULL * 1000000;
    return s;
}

void hl_free(hl_script_t *s)
{
    if (!s)
        return;
    sim_event_cancel(&s->ev);
    g_ptr_array_unref(s->steps);
    g_free(s);
}

void hl_set_timeouts(hl_script_t *s, uint64_t expect_ms, uint64_t linger_ms)
{
    s->expect_ns = expect_ms * 1000000;
    s->linger_ns = linger_ms * 1000000;
}

unsigned hl_steps(const hl_script_t *s)
{
    return s->steps->len;
}

static void add_key(GByteArray *codes, con_key_t k)
{
    uint8_t sc[16];
    int n = key_scancodes(k, sc);
    g_byte_array_append(codes, sc, (guint)n);
}

gboolean hl_parse_keys(const char *keys, GByteArray *codes, GError **err)
{
    for (const char *p = keys; *p; p++) {
        con_key_t k;
        if (*p == '\\') {
            char c = p[1];
            if (c == 'n' || c == 'r')
                k = (con_key_t){ SC_ENTER, 0 };
            else if (c == 't')
                k = (con_key_t){ SC_TAB, 0 };
            else if (c == 'e')
                k = (con_key_t){ SC_ESC, 0 };
            else if (c == '\\' || c == '<')
                key_from_char((unsigned char)c, &k);
            else {
                g_set_error(err, HL_ERROR, 1, "unknown escape \\%c in keys (\\n \\t \\e \\\\ \\< are known)",
                            c ? c : '0');
                return FALSE;
            }
            add_key(codes, k);
            p++;
            continue;
        }
        if (*p == '<') {
            const char *end = strchr(p + 1, '>');
            if (!end || !key_by_name(p + 1, (size_t)(end - p - 1), &k)) {
                int len = end ? (int)(end - p + 1) : (int)strlen(p);
                g_set_error(err, HL_ERROR, 1, "unknown key %.*s (write \\< for a '<')", len > 40 ? 40 : len, p);
                return FALSE;
            }
            add_key(codes, k);
            p = end;
            continue;
        }
        if (!key_from_char((unsigned char)*p, &k) || (unsigned char)*p < ' ') {
            g_set_error(err, HL_ERROR, 1, "no key types the byte 0x%02x (name it in <...>)", (unsigned char)*p);
            return FALSE;
        }
        add_key(codes, k);
    }
    return TRUE;
}

gboolean hl_add_keys(hl_script_t *s, const char *keys, GError **err)
{
    step_t *st = g_new0(step_t, 1);
    st->kind = STEP_KEYS;
    st->codes = g_byte_array_new();
    if (!hl_parse_keys(keys, st->codes, err)) {
        step_free(st);
        return FALSE;
    }
    g_ptr_array_add(s->steps, st);
    return TRUE;
}

gboolean hl_add_expect(hl_script_t *s, const char *text, GError **err)
{
    if (!*text) {
        g_set_error(err, HL_ERROR, 1, "an empty expect text");
        return FALSE;
    }
    step_t *st = g_new0(step_t, 1);
    st->kind = STEP_EXPECT;
    st->text = g_strdup(text);
    g_ptr_array_add(s->steps, st);
    return TRUE;
}

gboolean hl_add_sleep(hl_script_t *s, const char *ms, GError **err)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(ms, &end, 10);
    if (!*ms || *end || errno || v > 86400000ULL) {
        g_set_error(err, HL_ERROR, 1, "sleep %s: not a number of milliseconds (0 to 86400000)", ms);
        return FALSE;
    }
    step_t *st = g_new0(step_t, 1);
    st->kind = STEP_SLEEP;
    st->ms = v;
    g_ptr_array_add(s->steps, st);
    return TRUE;
}

gboolean hl_add_dump(hl_script_t *s, const char *file, enum scr_dump_format fmt)
{
    step_t *st = g_new0(step_t, 1);
    st->kind = STEP_DUMP;
    st->text = g_strdup(file);
    st->fmt = fmt;
    g_ptr_array_add(s->steps, st);
    return TRUE;
}

static gboolean add_line(hl_script_t *s, char *line, GError **err)
{
    g_strchug(line);
    if (!*line || *line == '#')
        return TRUE;
    char *arg = line;
    while (*arg && *arg != ' ' && *arg != '\t')
        arg++;
    if (*arg)
        *arg++ = 0;
    while (*arg == ' ' || *arg == '\t')
        arg++;
    if (!strcmp(line, "keys"))
        return hl_add_keys(s, arg, err);
    if (!strcmp(line, "expect"))
        return hl_add_expect(s, arg, err);
    if (!strcmp(line, "sleep"))
        return hl_add_sleep(s, g_strchomp(arg), err);
    if (!strcmp(line, "dump")) {
        char **w = g_strsplit_set(g_strchomp(arg), " \t", 2);
        enum scr_dump_format fmt = SCR_DUMP_TEXT;
        gboolean ok = w[0] && *w[0] && (!w[1] || scr_dump_format_parse(g_strstrip(w[1]), &fmt));
        if (ok)
            hl_add_dump(s, w[0], fmt);
        else
            g_set_error(err, HL_ERROR, 1, "dump FILE [text|ansi|html]: %s", *arg ? "an unknown format" : "no file");
        g_strfreev(w);
        return ok;
    }
    g_set_error(err, HL_ERROR, 1, "unknown step '%s' (keys, expect, sleep, dump)", line);
    return FALSE;
}

gboolean hl_add_file(hl_script_t *s, const char *path, GError **err)
{
    char *text;
    if (!g_file_get_contents(path, &text, NULL, err))
        return FALSE;
    char **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    gboolean ok = TRUE;
    for (int i = 0; ok && lines[i]; i++) {
        size_t n = strlen(lines[i]);
        if (n && lines[i][n - 1] == '\r')
            lines[i][n - 1] = 0;
        GError *e = NULL;
        ok = add_line(s, lines[i], &e);
        if (!ok) {
            g_set_error(err, HL_ERROR, 1, "%s:%d: %s", path, i + 1, e->message);
            g_error_free(e);
        }
    }
    g_strfreev(lines);
    return ok;
}

gboolean hl_write_dump(const char *path, const scr_frame_t *f, enum scr_dump_format fmt, GError **err)
{
    GString *d = g_string_new(NULL);
    scr_dump(d, f, fmt);
    gboolean ok = TRUE;
    if (!strcmp(path, "-")) {
        fflush(stdout);
        ok = fwrite(d->str, 1, d->len, stdout) == d->len && fflush(stdout) == 0;
        if (!ok)
            g_set_error(err, HL_ERROR, 1, "cannot write the screen dump to stdout");
    } else {
        /* written in place, never renamed over: FILE may be a device or a pipe (/dev/null, /dev/stderr) */
        FILE *f = fopen(path, "w");
        ok = f && fwrite(d->str, 1, d->len, f) == d->len;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok)
            g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path, g_strerror(errno));
    }
    g_string_free(d, TRUE);
    return ok;
}

static void tick(void *ctx);

static void next_at(hl_script_t *s, uint64_t when)
{
    sim_event_at(&s->ev, when, tick, s);
}

/* Runs steps until one has to wait. */
static void tick(void *ctx)
{
    hl_script_t *s = ctx;
    uint64_t now = sim_now();
    if (s->done)
        return;
    while (s->at < s->steps->len) {
        step_t *st = g_ptr_array_index(s->steps, s->at);
        if (st->kind == STEP_KEYS) {
            s->m.type(st->codes->data, st->codes->len);
        } else if (st->kind == STEP_EXPECT) {
            scr_frame_t f;
            s->m.frame(&f);
            if (!scr_contains(&f, st->text)) {
                if (now - s->since < s->expect_ns) {
                    next_at(s, now + (now - s->since < FINE_NS ? POLL_FINE_NS : POLL_NS));
                    return;
                }
                GString *d = g_string_new(NULL);
                scr_dump(d, &f, SCR_DUMP_TEXT);
                fflush(stdout);
                fprintf(stderr, "chacmsim: expect '%s': not on the screen after %llu ms of virtual time; "
                        "the screen:\n%s", st->text, (unsigned long long)(s->expect_ns / 1000000), d->str);
                g_string_free(d, TRUE);
                s->done = true;
                s->m.end(1);
                return;
            }
            uint64_t v = now - s->since, w = wall_ns() - s->since_wall;
            s->met++;
            s->virt_sum += v;
            s->wall_sum += w;
            s->virt_max = v > s->virt_max ? v : s->virt_max;
            s->wall_max = w > s->wall_max ? w : s->wall_max;
        } else if (st->kind == STEP_SLEEP) {
            if (now - s->since < st->ms * 1000000) {
                next_at(s, s->since + st->ms * 1000000);
                return;
            }
        } else {
            /* a dump waits until every thread waits, so that it never
             * shows a driver half-way through a change (text written, the
             * cursor not yet moved): the next kernel entry or idle moment */
            if (s->m.idle && !s->m.idle()) {
                next_at(s, now + 1);
                return;
            }
            scr_frame_t f;
            GError *err = NULL;
            s->m.frame(&f);
            if (!hl_write_dump(st->text, &f, st->fmt, &err)) {
                fprintf(stderr, "chacmsim: screen dump: %s\n", err->message);
                g_error_free(err);
            }
        }
        s->at++;
        s->since = now;
        s->since_wall = wall_ns();
    }
    /* after the last step: the linger time, then the end */
    if (now - s->since < s->linger_ns) {
        next_at(s, s->since + s->linger_ns);
        return;
    }
    s->done = true;
    s->m.end(0);
}

void hl_start(hl_script_t *s, const hl_machine_t *m)
{
    s->m = *m;
    s->at = 0;
    s->since = sim_now();
    s->since_wall = wall_ns();
    next_at(s, s->since);
}

void hl_print_stats(const hl_script_t *s, FILE *f)
{
    if (!s->met) {
        fprintf(f, "headless: no expect met\n");
        return;
    }
    fprintf(f, "headless: %lu expects met after their step, virtual mean %.1f us max %.1f us, wall mean %.1f us max "
            "%.1f us\n", s->met, s->virt_sum / 1e3 / s->met, s->virt_max / 1e3, s->wall_sum / 1e3 / s->met,
            s->wall_max / 1e3);
}
