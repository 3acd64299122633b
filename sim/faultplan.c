/* Fault plans: the rules of --fault-plan FILE and --fault RULE, parsed into
 * the kernel's injection rules (kern_inject.h), and the ATA model's hook.
 * The format is in docs/debugging.md, "Fault plans": one rule a line,
 *   ipc ACTION [from=WHO] [to=WHO] [label=L,..] [sector=N] WHEN
 *   sigma0 fail [from=WHO] WHEN
 *   memsvr fail [from=WHO] [label=L,..] [error=N] WHEN
 *   disk fail|corrupt dev=ata|ramdisk [op=read|write] [sector=N] WHEN
 *   kill WHO at=TIME | after=N | rate=P
 * WHEN is nth=N or rate=P, with max=N and from-time=TIME. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "faultplan.h"
#include "kern_inject.h"
#include "simtrace.h"
#include "devices/models.h"

#define SIGMA0_LABEL 0xffa0     /* -6 << 4 on 16 bits */
#define RAMDISK_SECTOR 512      /* the booter's blocks of a data module */
#define IDL_EMALFORMED 3        /* the IDL's wire error "rejected before running" */

static GQuark plan_error(void)
{
    return g_quark_from_static_string("chacmsim-fault-plan");
}

static gboolean bad(GError **err, const char *where, const char *fmt, const char *what)
{
    char *msg = g_strdup_printf(fmt, what);
    g_set_error(err, plan_error(), 1, "%s: %s", where, msg);
    g_free(msg);
    return FALSE;
}

static gboolean parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (!*s || *end || errno || *s == '-')
        return FALSE;
    *v = x;
    return TRUE;
}

/* "250", "250us", "3ms", "2s": virtual time in ns. */
static gboolean parse_time(const char *s, uint64_t *ns)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    uint64_t unit = 1000;
    if (end == s || errno || *s == '-')
        return FALSE;
    if (!strcmp(end, "ms"))
        unit = 1000000;
    else if (!strcmp(end, "s"))
        unit = 1000000000;
    else if (*end && strcmp(end, "us"))
        return FALSE;
    if (x > UINT64_MAX / unit)
        return FALSE;
    *ns = x * unit;
    return TRUE;
}

/* One label: a number, LO-HI, "iface.method", "iface", or "sigma0". */
static gboolean parse_label(const char *s, L4_Word_t *lo, L4_Word_t *hi)
{
    uint64_t a = 0, b = 0;
    const char *dash = strchr(s, '-');
    if (!strcmp(s, "sigma0")) {
        *lo = *hi = SIGMA0_LABEL;
        return TRUE;
    }
    if (dash) {
        char *first = g_strndup(s, (gsize)(dash - s));
        gboolean ok = parse_u64(first, &a) && parse_u64(dash + 1, &b) && a <= b && b <= 0xffff;
        g_free(first);
        *lo = a, *hi = b;
        return ok;
    }
    if (parse_u64(s, &a)) {
        if (a > 0xffff)
            return FALSE;
        *lo = *hi = a;
        return TRUE;
    }
    return sim_idl_label(s, lo, hi);
}

static gboolean add_labels(kern_inject_rule_t *r, const char *list, const char *where, GError **err)
{
    gchar **parts = g_strsplit(list, ",", -1);
    gboolean ok = TRUE;
    for (int i = 0; parts[i] && ok; i++) {
        if (r->nlabels == 4)
            ok = bad(err, where, "at most 4 labels, not '%s'", list);
        else if (!parse_label(parts[i], &r->label_lo[r->nlabels], &r->label_hi[r->nlabels]))
            ok = bad(err, where, "label '%s' is no number, range, interface or method", parts[i]);
        else
            r->nlabels++;
    }
    g_strfreev(parts);
    return ok;
}

static const struct {
    const char *name;
    unsigned what;
} ipc_actions[] = {
    { "lose", KI_LOSE }, { "delay", KI_DELAY }, { "duplicate", KI_DUP }, { "corrupt", KI_CORRUPT },
    { "fail", KI_FAIL }, { "corrupt-data", KI_CORRUPT_DATA }, { "corrupt-reply", KI_CORRUPT_REPLY },
};

/* The rule's first words: what it does and to what. */
static gboolean parse_head(gchar **w, kern_inject_rule_t *r, const char **disk_dev, int *first,
                           const char *where, GError **err)
{
    *first = 2;
    if (!strcmp(w[0], "ipc")) {
        for (size_t i = 0; w[1] && i < G_N_ELEMENTS(ipc_actions); i++)
            if (!strcmp(w[1], ipc_actions[i].name))
                r->what = ipc_actions[i].what;
        if (!r->what)
            return bad(err, where, "ipc needs lose, delay, duplicate, corrupt, fail, corrupt-data or "
                                   "corrupt-reply, not '%s'", w[1] ? w[1] : "");
        r->err = IDL_EMALFORMED;
        return TRUE;
    }
    if (!strcmp(w[0], "sigma0") || !strcmp(w[0], "memsvr")) {
        if (!w[1] || strcmp(w[1], "fail"))
            return bad(err, where, "%s takes fail", w[0]);
        gboolean s0 = w[0][0] == 's';
        r->what = s0 ? KI_REFUSE : KI_FAIL;
        snprintf(r->to, sizeof r->to, "%s", w[0]);
        r->err = IDL_EMALFORMED;
        r->label_lo[0] = s0 ? SIGMA0_LABEL : 0x0040;    /* memsvr: its IDL requests */
        r->label_hi[0] = s0 ? SIGMA0_LABEL : 0xefff;
        r->nlabels = 1;
        return TRUE;
    }
    if (!strcmp(w[0], "disk")) {
        if (!w[1] || (strcmp(w[1], "fail") && strcmp(w[1], "corrupt")))
            return bad(err, where, "disk takes fail or corrupt, not '%s'", w[1] ? w[1] : "");
        r->what = !strcmp(w[1], "fail") ? KI_DISK_FAIL : KI_DISK_CORRUPT;
        r->disk_op = -1;
        *disk_dev = "";
        return TRUE;
    }
    if (!strcmp(w[0], "kill")) {
        if (!w[1] || strchr(w[1], '='))
            return bad(err, where, "kill needs a task or thread name, not '%s'", w[1] ? w[1] : "");
        r->what = KI_KILL;
        snprintf(r->from, sizeof r->from, "%s", w[1]);
        return TRUE;
    }
    return bad(err, where, "a rule starts with ipc, sigma0, memsvr, disk or kill, not '%s'", w[0]);
}

static gboolean parse_part(const char *p, kern_inject_rule_t *r, const char **disk_dev, gboolean *when,
                           const char *where, GError **err)
{
    const char *eq = strchr(p, '=');
    if (!eq)
        return bad(err, where, "'%s' is no NAME=VALUE", p);
    char *k = g_strndup(p, (gsize)(eq - p));
    const char *v = eq + 1;
    gboolean ok = TRUE;
    double rate;
    char *end;
    if ((!strcmp(k, "from") || !strcmp(k, "to")) && r->what != KI_KILL) {
        if (!*v || strlen(v) >= KI_NAME)
            ok = bad(err, where, "'%s' is no task or thread name", v);
        else
            snprintf(!strcmp(k, "from") ? r->from : r->to, KI_NAME, "%s", v);
    } else if (!strcmp(k, "label") && !*disk_dev) {
        ok = add_labels(r, v, where, err);
    } else if (!strcmp(k, "sector")) {
        ok = parse_u64(v, &r->sector) || bad(err, where, "sector '%s' is no number", v);
        r->has_sector = TRUE;
    } else if (!strcmp(k, "nth")) {
        ok = (parse_u64(v, &r->nth) && r->nth > 0) || bad(err, where, "nth '%s' is no number from 1", v);
        *when = TRUE;
    } else if (!strcmp(k, "rate")) {
        rate = strtod(v, &end);
        ok = (*v && !*end && rate >= 0 && rate <= 1) || bad(err, where, "rate '%s' is no number from 0 to 1", v);
        r->rate = rate;
        *when = TRUE;
    } else if (!strcmp(k, "max")) {
        ok = parse_u64(v, &r->max) || bad(err, where, "max '%s' is no number", v);
    } else if (!strcmp(k, "from-time")) {
        ok = parse_time(v, &r->from_ns) || bad(err, where, "from-time '%s' is no time (250us, 3ms, 2s)", v);
    } else if (!strcmp(k, "at") && r->what == KI_KILL) {
        ok = parse_time(v, &r->at_ns) || bad(err, where, "at '%s' is no time (250us, 3ms, 2s)", v);
        *when = TRUE;
    } else if (!strcmp(k, "after") && r->what == KI_KILL) {
        ok = (parse_u64(v, &r->after) && r->after > 0) || bad(err, where, "after '%s' is no number from 1", v);
        *when = TRUE;
    } else if (!strcmp(k, "delay") && r->what == KI_DELAY) {
        ok = (parse_time(v, &r->delay_ns) && r->delay_ns > 0) || bad(err, where, "delay '%s' is no time", v);
    } else if (!strcmp(k, "error") && r->what == KI_FAIL) {
        uint64_t e;
        ok = (parse_u64(v, &e) && e >= 1 && e <= 0xff) || bad(err, where, "error '%s' is no wire error 1..255", v);
        r->err = e;
    } else if (!strcmp(k, "dev") && *disk_dev) {
        ok = !strcmp(v, "ata") || !strcmp(v, "ramdisk") || bad(err, where, "dev must be ata or ramdisk, not '%s'", v);
        *disk_dev = !strcmp(v, "ata") ? "ata" : "ramdisk";
    } else if (!strcmp(k, "op") && *disk_dev) {
        ok = !strcmp(v, "read") || !strcmp(v, "write") || bad(err, where, "op must be read or write, not '%s'", v);
        r->disk_op = !strcmp(v, "write");
    } else {
        ok = bad(err, where, "'%s=' does not belong in this rule", k);
    }
    g_free(k);
    return ok;
}

/* A ramdisk's disk fault is a fault of the booter's block device calls,
 * which carry the first 512-byte block in MR2 and the count in MR3. */
static void ramdisk_rule(kern_inject_rule_t *r)
{
    static const L4_Word_t rd[] = { 0x143, 0x145 }, wr[] = { 0x144, 0x146 };   /* block.read(_bulk), write(_bulk) */
    bool write = r->disk_op == 1;
    snprintf(r->from, sizeof r->from, "ramdisk");
    r->nlabels = 0;
    for (int i = 0; i < 2; i++) {
        if (r->disk_op != 1) {
            r->label_lo[r->nlabels] = r->label_hi[r->nlabels] = rd[i];
            r->nlabels++;
        }
        if (r->disk_op != 0) {
            r->label_lo[r->nlabels] = r->label_hi[r->nlabels] = wr[i];
            r->nlabels++;
        }
    }
    r->sector_size = RAMDISK_SECTOR;
    r->err = IDL_EMALFORMED;
    r->what = r->what == KI_DISK_FAIL ? KI_FAIL : write ? KI_CORRUPT_DATA : KI_CORRUPT_REPLY;
}

gboolean sim_fault_rule(const char *line, const char *where, GError **err)
{
    kern_inject_rule_t r = { 0 };
    const char *disk_dev = NULL;
    gboolean when = FALSE, ok = TRUE;
    int first;
    gchar **w = g_strsplit_set(line, " \t", -1);
    int n = 0;
    for (int i = 0; w[i]; i++)
        if (*w[i])
            w[n++] = w[i];
        else
            g_free(w[i]);
    w[n] = NULL;
    if (n == 0) {
        g_strfreev(w);
        return TRUE;
    }
    ok = parse_head(w, &r, &disk_dev, &first, where, err);
    for (int i = first; ok && i < n; i++)
        ok = parse_part(w[i], &r, &disk_dev, &when, where, err);
    g_strfreev(w);
    if (ok && !when)
        ok = bad(err, where, "%s", r.what == KI_KILL ? "kill needs at=TIME, after=N or rate=P" : "the rule needs nth=N or rate=P");
    if (ok && disk_dev && !*disk_dev)
        ok = bad(err, where, "%s", "disk needs dev=ata or dev=ramdisk");
    if (ok && disk_dev && !strcmp(disk_dev, "ramdisk") && r.what == KI_DISK_CORRUPT && r.disk_op < 0)
        ok = bad(err, where, "%s", "disk corrupt dev=ramdisk needs op=read or op=write");
    if (ok && r.what == KI_DELAY && !r.delay_ns)
        ok = bad(err, where, "%s", "delay needs delay=TIME");
    if (!ok)
        return FALSE;
    if (disk_dev && !strcmp(disk_dev, "ramdisk"))
        ramdisk_rule(&r);
    else if (disk_dev)
        r.dev = KI_DEV_ATA;
    if ((r.nth || r.what == KI_KILL) && !r.max)
        r.max = 1;
    r.text = g_strstrip(g_strdup(line));
    if (!kern_inject_add(&r))
        return bad(err, where, "%s", "more than 64 rules");
    return TRUE;
}

static bool ata_fault(bool write, uint64_t lba, unsigned n, uint8_t *buf)
{
    return kern_inject_disk(KI_DEV_ATA, write, lba, n, buf, SIM_ATA_SECTOR);
}

int sim_faultplan_setup(const char *file, char **rules)
{
    GError *err = NULL;
    gboolean ok = TRUE;
    if (file) {
        gchar *text = NULL;
        if (!g_file_get_contents(file, &text, NULL, &err)) {
            fprintf(stderr, "chacmsim: --fault-plan: %s\n", err->message);
            g_error_free(err);
            return 64;
        }
        gchar **lines = g_strsplit(text, "\n", -1);
        for (int i = 0; ok && lines[i]; i++) {
            char *hash = strchr(lines[i], '#');
            if (hash)
                *hash = 0;
            char *where = g_strdup_printf("%s:%d", file, i + 1);
            ok = sim_fault_rule(lines[i], where, &err);
            g_free(where);
        }
        g_strfreev(lines);
        g_free(text);
    }
    for (int i = 0; ok && rules && rules[i]; i++)
        ok = sim_fault_rule(rules[i], "--fault", &err);
    if (!ok) {
        fprintf(stderr, "chacmsim: fault plan: %s\n", err->message);
        g_error_free(err);
        return 64;
    }
    if (!kern_inject_start()) {
        fprintf(stderr, "chacmsim: fault plans need the kernel's hooks (this is chacmsim-nohooks)\n");
        return 64;
    }
    sim_ata_fault = ata_fault;
    return -1;
}
