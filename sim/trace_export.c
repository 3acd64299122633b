/* Trace set-up from the command line, text filters, and the exports: a
 * text log and Chrome trace-event JSON (one process per task, one thread
 * per L4 thread; IPCs as flow arrows from sender to receiver; calls, their
 * server side and page faults as slices named through the IDL). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kern.h"
#include "simtrace.h"

#ifndef CHACM_IDL_NAMES
#define CHACM_IDL_NAMES "idl-names.txt"
#endif

gboolean sim_trace_parse_word(const char *s, L4_Word_t *v)
{
    char *end;
    if (!s || !*s)
        return FALSE;
    errno = 0;
    unsigned long x = strtoul(s, &end, 0);
    if (errno || *end || s[0] == '-')
        return FALSE;
    *v = x;
    return TRUE;
}

gboolean sim_trace_parse_threads(const char *list, kern_trace_filter_t *f, GError **err)
{
    gchar **parts = g_strsplit(list, ",", -1);
    gboolean ok = TRUE;
    for (int i = 0; parts[i] && ok; i++) {
        L4_Word_t no;
        if (!sim_trace_parse_word(parts[i], &no) || no >= KERN_MAX_THREADS) {
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "'%s' is not a thread number (0 to %u)", parts[i], KERN_MAX_THREADS - 1);
            ok = FALSE;
        } else if (f->nthreads == KT_MAX_FILTER_THREADS) {
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "at most %d threads in a filter",
                        KT_MAX_FILTER_THREADS);
            ok = FALSE;
        } else {
            f->threads[f->nthreads++] = no;
        }
    }
    g_strfreev(parts);
    return ok;
}

static gboolean parse_kinds(const char *s, uint32_t *kinds, GError **err)
{
    const char *bad = NULL;
    if (!kern_trace_parse_kinds(s, kinds, &bad)) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown trace kind '%s' (see --help)", bad);
        return FALSE;
    }
    if (!*kinds) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "no trace kind given");
        return FALSE;
    }
    return TRUE;
}

static gboolean parse_label(const char *s, kern_trace_filter_t *f, GError **err)
{
    if (!sim_trace_parse_word(s, &f->label) || f->label >> 48) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "'%s' is not a message label", s);
        return FALSE;
    }
    /* a kernel protocol's 16-bit label (0xffe0 ...) as the kernel has it:
     * sign-extended over the 48-bit label field */
    if (f->label >= 0x8000 && f->label <= 0xffff)
        f->label |= 0xffffffff0000UL;
    f->has_label = true;
    return TRUE;
}

static gboolean parse_task(const char *s, kern_trace_filter_t *f, GError **err)
{
    if (!*s || strlen(s) >= sizeof f->task) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "'%s' is not a task name", s);
        return FALSE;
    }
    g_strlcpy(f->task, s, sizeof f->task);
    return TRUE;
}

gboolean sim_trace_parse_filter(const char *spec, kern_trace_filter_t *f, GError **err)
{
    memset(f, 0, sizeof *f);
    f->kinds = KT_ALL;
    gchar **parts = g_strsplit_set(spec ? spec : "", " \t", -1);
    gboolean ok = TRUE;
    for (int i = 0; parts[i] && ok; i++) {
        char *p = parts[i], *eq = strchr(p, '=');
        if (!*p)
            continue;
        if (!eq) {
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "filter part '%s' is not kind=, thread=, task= or label=", p);
            ok = FALSE;
            break;
        }
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(p, "kind"))
            ok = parse_kinds(v, &f->kinds, err);
        else if (!strcmp(p, "thread"))
            ok = sim_trace_parse_threads(v, f, err);
        else if (!strcmp(p, "task"))
            ok = parse_task(v, f, err);
        else if (!strcmp(p, "label"))
            ok = parse_label(v, f, err);
        else {
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown filter part '%s='", p);
            ok = FALSE;
        }
    }
    g_strfreev(parts);
    return ok;
}

int sim_trace_setup(const sim_options_t *o)
{
    sim_idl_names_load(o->idl_names ? o->idl_names : CHACM_IDL_NAMES);
    if (o->idl_names && !g_file_test(o->idl_names, G_FILE_TEST_IS_REGULAR)) {
        fprintf(stderr, "chacmsim: --idl-names %s: no such file\n", o->idl_names);
        return 64;
    }
    if (!o->trace_kinds && !o->trace_log && !o->trace_json && !o->trace_thread && !o->trace_task && !o->trace_label &&
        !o->trace_hash)
        return -1;
    kern_trace_filter_t f = { .kinds = KT_ALL };
    GError *err = NULL;
    gboolean ok = (!o->trace_kinds || parse_kinds(o->trace_kinds, &f.kinds, &err)) &&
                  (!o->trace_thread || sim_trace_parse_threads(o->trace_thread, &f, &err)) &&
                  (!o->trace_task || parse_task(o->trace_task, &f, &err)) &&
                  (!o->trace_label || parse_label(o->trace_label, &f, &err));
    if (!ok) {
        fprintf(stderr, "chacmsim: --trace: %s\n", err->message);
        g_error_free(err);
        return 64;
    }
    if (!kern_trace_start((unsigned)o->trace_size, &f)) {
        fprintf(stderr, "chacmsim: --trace-size %lld: out of memory for the ring\n", (long long)o->trace_size);
        return 64;
    }
    return -1;
}

void sim_trace_line(const kern_trace_rec_t *r, char *buf, size_t size)
{
    kern_trace_format(r, buf, size);
    const char *name = r->kind == KT_IPC ? sim_idl_name(kw_tag_label(r->w[0])) : NULL;
    size_t n = strlen(buf);
    if (name && n + 4 < size)
        snprintf(buf + n, size - n, " [%s]", name);
}

void sim_trace_write_text(FILE *out, const kern_trace_filter_t *f, size_t last)
{
    size_t n = 0;
    kern_trace_rec_t *r = kern_trace_snapshot(&n);
    size_t shown = 0, first = 0;
    if (last) {
        /* the last `last` records that pass */
        size_t k = n;
        while (k > 0 && shown < last) {
            k--;
            if (!f || kern_trace_match(f, &r[k]))
                shown++;
        }
        first = k;
    }
    char line[512];
    for (size_t i = first; i < n; i++) {
        if (f && !kern_trace_match(f, &r[i]))
            continue;
        sim_trace_line(&r[i], line, sizeof line);
        fprintf(out, "%s\n", line);
    }
    free(r);
}

/* ---- Chrome trace-event JSON ---- */

static unsigned pid_of(uint32_t serial)
{
    return serial == ~0u ? 0 : serial + 1;     /* 0: the kernel (interrupt threads) */
}

static void json_str(GString *s, const char *v)
{
    g_string_append_c(s, '"');
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            g_string_append_printf(s, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            g_string_append_printf(s, "\\u%04x", c);
        else
            g_string_append_c(s, (char)c);
    }
    g_string_append_c(s, '"');
}

static const char *thread_label(L4_Word_t id, char *buf, size_t size)
{
    const char *n = kern_trace_thread_name(id);
    if (n)
        return n;
    snprintf(buf, size, "%lx.%lx", kw_thread_no(id), kw_version(id));
    return buf;
}

/* The message's name: through the IDL, else its label in hex. */
static const char *msg_name(L4_Word_t tag, char *buf, size_t size)
{
    const char *n = sim_idl_name(kw_tag_label(tag));
    if (n)
        return n;
    snprintf(buf, size, "label %#lx", kw_tag_label(tag));
    return buf;
}

typedef struct {
    GString *s;
    bool first;
} out_t;

static void event_begin(out_t *o)
{
    g_string_append(o->s, o->first ? "\n  " : ",\n  ");
    o->first = false;
}

/* An "X" slice on thread (pid, tid) from ts to ts + dur (us). */
static void slice(out_t *o, const char *name, const char *cat, unsigned pid, L4_Word_t tid, double ts, double dur,
                  const char *args)
{
    event_begin(o);
    g_string_append(o->s, "{\"name\":");
    json_str(o->s, name);
    g_string_append_printf(o->s, ",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":%u,\"tid\":%lu,\"ts\":%.3f,\"dur\":%.3f", cat,
                           pid, tid, ts, dur);
    if (args)
        g_string_append_printf(o->s, ",\"args\":{%s}", args);
    g_string_append_c(o->s, '}');
}

static void flow(out_t *o, char ph, uint64_t id, unsigned pid, L4_Word_t tid, double ts)
{
    event_begin(o);
    g_string_append_printf(o->s,
                           "{\"name\":\"ipc\",\"cat\":\"ipc\",\"ph\":\"%c\",\"id\":%llu,\"pid\":%u,\"tid\":%lu,"
                           "\"ts\":%.3f%s}",
                           ph, (unsigned long long)id, pid, tid, ts, ph == 'f' ? ",\"bp\":\"e\"" : "");
}

static void instant(out_t *o, const char *name, const char *cat, unsigned pid, L4_Word_t tid, double ts)
{
    event_begin(o);
    g_string_append(o->s, "{\"name\":");
    json_str(o->s, name);
    g_string_append_printf(o->s, ",\"cat\":\"%s\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,\"tid\":%lu,\"ts\":%.3f}", cat,
                           pid, tid, ts);
}

static void meta(out_t *o, const char *what, unsigned pid, L4_Word_t tid, bool thread, const char *name)
{
    event_begin(o);
    g_string_append_printf(o->s, "{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%u", what, pid);
    if (thread)
        g_string_append_printf(o->s, ",\"tid\":%lu", tid);
    g_string_append(o->s, ",\"args\":{\"name\":");
    json_str(o->s, name);
    g_string_append(o->s, "}}");
}

/* A request waiting for its reply (the key is sender and receiver). */
typedef struct {
    const kern_trace_rec_t *req;
} pending_t;

static guint64 pair_key(L4_Word_t from, L4_Word_t to)
{
    return (guint64)kw_thread_no(from) << 32 | kw_thread_no(to);
}

static bool is_pagefault(L4_Word_t tag)
{
    return (kw_tag_label(tag) & ~0xfUL) == KW_LABEL_PAGEFAULT;
}

#define FLOW_DUR 0.2   /* us: the marks that IPC arrows start and end in */

static void export_ipc(out_t *o, const kern_trace_rec_t *r, GHashTable *pending)
{
    char nb[64], ab[40], bb[40], name[160];
    double ts = r->time / 1000.0;
    unsigned pa = pid_of(r->space_a), pb = pid_of(r->space_b);
    L4_Word_t ta = kw_thread_no(r->a), tb = kw_thread_no(r->b);
    const char *mn = msg_name(r->w[0], nb, sizeof nb);
    /* the arrow, from a mark on the sender to one on the receiver */
    snprintf(name, sizeof name, "send %s to %s", mn, thread_label(r->b, bb, sizeof bb));
    slice(o, name, "ipc", pa, ta, ts, FLOW_DUR, NULL);
    flow(o, 's', r->seq, pa, ta, ts);
    snprintf(name, sizeof name, "receive %s from %s", mn, thread_label(r->a, ab, sizeof ab));
    slice(o, name, "ipc", pb, tb, ts, FLOW_DUR, NULL);
    flow(o, 'f', r->seq, pb, tb, ts);
    if (r->err)
        return;
    /* a reply to a pending request from b to a closes it: the request's
     * slice on the server (a) and the call's on the client (b) */
    guint64 back = pair_key(r->b, r->a);
    const kern_trace_rec_t *req = g_hash_table_lookup(pending, &back);
    if (req) {
        g_hash_table_remove(pending, &back);
        double t0 = req->time / 1000.0, dur = ts - t0 > 0 ? ts - t0 : FLOW_DUR;
        const char *rn = msg_name(req->w[0], nb, sizeof nb);
        char args[256];
        snprintf(args, sizeof args, "\"label\":\"%#lx\",\"mr1\":\"%#lx\",\"client\":\"%s\"", kw_tag_label(req->w[0]),
                 req->w[1], thread_label(req->a, ab, sizeof ab));
        slice(o, rn, "server", pa, ta, t0, dur, args);
        if (!is_pagefault(req->w[0])) {
            snprintf(name, sizeof name, "call %s", rn);
            slice(o, name, "call", pb, tb, t0, dur, NULL);
        }
        return;
    }
    guint64 *k = g_new(guint64, 1);
    *k = pair_key(r->a, r->b);
    g_hash_table_insert(pending, k, (gpointer)r);
}

gboolean sim_trace_write_json(const char *path, GError **err)
{
    size_t n = 0;
    kern_trace_rec_t *r = kern_trace_snapshot(&n);
    out_t o = { g_string_new("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"virtual\"},\"traceEvents\":["),
                true };
    GHashTable *procs = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *threads = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    GHashTable *pending = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    GHashTable *faults = g_hash_table_new(g_direct_hash, g_direct_equal);      /* thread no -> PF record */
    meta(&o, "process_name", 0, 0, false, "kernel");
    g_hash_table_add(procs, GUINT_TO_POINTER(0));
    char nb[64], name[160];
    for (size_t i = 0; i < n; i++) {
        const kern_trace_rec_t *e = &r[i];
        /* tracks: a process per task, a thread per L4 thread */
        for (int side = 0; side < 2; side++) {
            L4_Word_t id = side ? e->b : e->a;
            uint32_t sp = side ? e->space_b : e->space_a;
            if (!id)
                continue;
            unsigned pid = pid_of(sp);
            if (!g_hash_table_contains(procs, GUINT_TO_POINTER(pid))) {
                const char *sn = kern_trace_space_name(sp);
                char def[32];
                snprintf(def, sizeof def, "space%u", sp);
                meta(&o, "process_name", pid, 0, false, sn ? sn : def);
                g_hash_table_add(procs, GUINT_TO_POINTER(pid));
            }
            gint64 key = (gint64)pid << 32 | (gint64)kw_thread_no(id);
            if (!g_hash_table_contains(threads, &key)) {
                gint64 *k = g_new(gint64, 1);
                *k = key;
                g_hash_table_add(threads, k);
                meta(&o, "thread_name", pid, kw_thread_no(id), true, thread_label(id, name, sizeof name));
            }
        }
        double ts = e->time / 1000.0;
        unsigned pa = pid_of(e->space_a);
        L4_Word_t ta = kw_thread_no(e->a);
        switch (e->kind) {
        case KT_IPC:
            export_ipc(&o, e, pending);
            break;
        case KT_PF:
            g_hash_table_insert(faults, GSIZE_TO_POINTER(ta), (gpointer)e);
            break;
        case KT_PF_DONE: {
            const kern_trace_rec_t *pf = g_hash_table_lookup(faults, GSIZE_TO_POINTER(ta));
            if (!pf)
                break;
            g_hash_table_remove(faults, GSIZE_TO_POINTER(ta));
            double t0 = pf->time / 1000.0;
            char args[160];
            snprintf(args, sizeof args, "\"address\":\"%#lx\",\"ip\":\"%#lx\",\"access\":%lu", pf->w[0], pf->w[1],
                     pf->w[2]);
            snprintf(name, sizeof name, "pagefault %#lx", pf->w[0] & ~0xfffUL);
            slice(&o, name, "pagefault", pa, ta, t0, ts - t0 > 0 ? ts - t0 : FLOW_DUR, args);
            break;
        }
        case KT_IPC_ERR:
        case KT_SCHED:
            break;      /* in the text log; on a timeline they are noise */
        default: {
            char line[256];
            kern_trace_format(e, line, sizeof line);
            const char *what = strstr(line, " us ");
            snprintf(name, sizeof name, "%s", what ? what + 4 : kern_trace_kind_name(e->kind));
            g_strstrip(name);
            if (e->a)
                instant(&o, name, kern_trace_kind_name(e->kind), pa, ta, ts);
            break;
        }
        }
    }
    (void)nb;
    g_string_append(o.s, "\n]}\n");
    gboolean ok = g_file_set_contents(path, o.s->str, (gssize)o.s->len, err);
    g_string_free(o.s, TRUE);
    g_hash_table_unref(procs);
    g_hash_table_unref(threads);
    g_hash_table_unref(pending);
    g_hash_table_unref(faults);
    free(r);
    return ok;
}

void sim_trace_finish(const sim_options_t *o)
{
    if (o->trace_hash)
        fprintf(stderr, "chacmsim: trace hash %016llx (%llu events)\n", (unsigned long long)kern_trace_hash(),
                (unsigned long long)kern_trace_count());
    if (o->trace_log) {
        FILE *f = strcmp(o->trace_log, "-") ? fopen(o->trace_log, "w") : stderr;
        if (!f) {
            fprintf(stderr, "chacmsim: --trace-log %s: %s\n", o->trace_log, strerror(errno));
        } else {
            fprintf(f, "# chacmsim trace: %llu events recorded, %llu overwritten in the ring\n",
                    (unsigned long long)kern_trace_count(), (unsigned long long)kern_trace_dropped());
            sim_trace_write_text(f, NULL, 0);
            if (f != stderr)
                fclose(f);
        }
    }
    if (o->trace_json) {
        GError *err = NULL;
        if (!sim_trace_write_json(o->trace_json, &err)) {
            fprintf(stderr, "chacmsim: --trace-json: %s\n", err->message);
            g_error_free(err);
        }
    }
}
