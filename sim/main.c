/* chacmsim: runs ChacmOS (or any set of L4 X.2 programs) on the hosted
 * kernel.  Parses the command line and the boot list, loads the modules,
 * starts sigma0 and the root task, and waits for the run to end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kern.h"
#include "kern_boot.h"
#include "kern_iso.h"
#include "bootlist.h"
#include "boot.h"
#include "loader.h"
#include "modsave.h"
#include "options.h"
#include "vgprobe.h"
#include "screenrun.h"
#include "devices/machine.h"
#include "simtrace.h"
#include "monitor.h"
#include "faultplan.h"
#include "kern_inject.h"
#include "kern_mem.h"

#ifndef CHACM_MODULE_DIR
#define CHACM_MODULE_DIR "modules"
#endif
#ifndef CHACM_DEFAULT_BOOT
#define CHACM_DEFAULT_BOOT "boot/default.lst"
#endif

/* An installed chacmsim (PREFIX/bin) finds its modules and default boot
 * list under PREFIX; one in the build tree uses the build's paths. */
static char *installed(const char *rel, const char *built)
{
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *dir = exe ? g_path_get_dirname(exe) : NULL;
    char *path = dir ? g_build_filename(dir, "..", rel, NULL) : NULL;
    g_free(exe);
    g_free(dir);
    if (path && g_file_test(path, G_FILE_TEST_EXISTS))
        return path;
    g_free(path);
    return g_strdup(built);
}

static int fail(GError *err, int status)
{
    fprintf(stderr, "chacmsim: %s\n", err->message);
    g_error_free(err);
    return status;
}

/* A relative hda= of the boot list is beside the boot list, else in a
 * directory of the module path (the build's disk of the default system);
 * a name found nowhere stays beside the list (for the message). */
static char *beside_list(const boot_list_t *bl, const char *path)
{
    if (!path || g_path_is_absolute(path) || g_file_test(path, G_FILE_TEST_EXISTS) || !bl->name)
        return g_strdup(path);
    char *dir = g_path_get_dirname(bl->name);
    char *p = g_build_filename(dir, path, NULL);
    g_free(dir);
    if (!g_file_test(p, G_FILE_TEST_EXISTS)) {
        char *m = loader_find_data(path);
        if (m) {
            g_free(p);
            p = m;
        }
    }
    return p;
}

/* --record and --replay: the record's first line names the seed; a replay
 * takes it (a different --seed is refused).  Returns -1 to go on or 64. */
static int setup_record(sim_options_t *o, FILE **file)
{
    *file = NULL;
    if (o->record) {
        *file = fopen(o->record, "w");
        if (!*file) {
            fprintf(stderr, "chacmsim: --record %s: %s\n", o->record, g_strerror(errno));
            return 64;
        }
        fprintf(*file, "# chacmsim input record: seed %lld\n", (long long)o->seed);
        fflush(*file);
        kern_input_record(*file);
    } else if (o->replay) {
        *file = fopen(o->replay, "r");
        long long seed;
        char line[128];
        if (!*file) {
            fprintf(stderr, "chacmsim: --replay %s: %s\n", o->replay, g_strerror(errno));
            return 64;
        }
        if (!fgets(line, sizeof line, *file) || sscanf(line, "# chacmsim input record: seed %lld", &seed) != 1) {
            fprintf(stderr, "chacmsim: --replay %s: not a record of chacmsim --record\n", o->replay);
            return 64;
        }
        if (o->seed_given && o->seed != seed) {
            fprintf(stderr, "chacmsim: --replay %s: recorded with --seed %lld, not %lld\n", o->replay, seed,
                    (long long)o->seed);
            return 64;
        }
        o->seed = seed;
        kern_input_replay(*file);
    }
    return -1;
}

static int run(sim_options_t *o, boot_list_t *bl)
{
    FILE *record = NULL;
    int rs = setup_record(o, &record);
    if (rs >= 0)
        return rs;
    GError *err = NULL;
    guint64 mem = o->memory_mib ? (guint64)o->memory_mib : bl->memory_mib ? bl->memory_mib : 128;
    kern_config_t cfg = {
        .window_size = (L4_Word_t)o->window_mib << 20,
        .seed = (uint64_t)o->seed,
        .max_time_ns = (uint64_t)o->max_time_ms * 1000000,
        .entry_cost_ns = (uint64_t)o->entry_cost_ns,
        .timeslice_ns = (uint64_t)o->timeslice_us * 1000,
        .spin = o->spin,
        .cpu = o->cpu,
        .hold = o->hold,
        .preempt = o->preempt,
        .isolation = o->isolation,
        .memory_size = mem << 20,
        .max_spaces = (unsigned)(o->spaces ? (guint64)o->spaces : bl->spaces),
    };
    sim_valgrind_hint();
    kern_init(&cfg);
    int ts = sim_trace_setup(o);
    if (ts < 0 && (o->fault_plan || o->faults))
        ts = sim_faultplan_setup(o->fault_plan, o->faults);
    if (ts < 0 && o->monitor)
        ts = sim_monitor_init(o->monitor, o->breaks);
    if (ts >= 0)
        return ts;
    if (o->stats)
        kern_iso_print_mode(stderr);
    char *modules = installed("lib/chacmsim/modules", CHACM_MODULE_DIR);
    loader_init(o->module_path, modules);
    g_free(modules);
    char *hda = o->hda ? g_strdup(o->hda) : beside_list(bl, bl->hda);
    /* headless from a file or pipe: COM1 is the run's input and output (a
     * recorded or replayed run keeps its input to the kernel debugger's) */
    const char *serial = o->serial ? o->serial : bl->serial;
    if (!serial && !o->record && !o->replay && sim_screen_serial_console(bl))
        serial = "stdio";
    sim_machine_config_t mc = { .hda = hda, .hda_ro = o->hda_ro, .snapshot = o->snapshot, .serial = serial };
    int status = sim_machine_init(&mc, &err) && sim_screen_setup(bl, &err) ? 0 : 66;
    g_free(hda);
    if (status != 0) {
        loader_cleanup();
        return fail(err, status);
    }
    status = sim_boot(bl, &err);
    if (status == 0) {
        sim_screen_start();
        status = kern_run((unsigned)o->timeout_s);
        sim_screen_finish(o->stats ? stderr : NULL);
        modsave_write_all();
        sim_machine_fini(o->stats ? stderr : NULL);
        sim_trace_finish(o);
        kern_inject_report(stderr);
        if (o->end_check)
            kern_mdb_check(stderr);
        if (o->stats)
            kern_print_stats(stderr);
    } else {
        fail(err, status);
    }
    loader_cleanup();
    sim_monitor_fini();
    if (record)
        fclose(record);
    return status;
}

int main(int argc, char **argv)
{
    sim_options_t o;
    int status = sim_options_parse(&o, argc, argv);
    if (status >= 0) {
        sim_options_free(&o);
        return status;
    }
    GError *err = NULL;
    boot_list_t *bl;
    if (o.root) {
        char *text = g_strdup_printf("module %s\n", o.root);
        bl = boot_list_parse(text, "--root", &err);
        g_free(text);
    } else {
        char *def = installed("share/chacmsim/default.lst", CHACM_DEFAULT_BOOT);
        bl = boot_list_load(o.bootlist ? o.bootlist : def, &err);
        g_free(def);
    }
    status = bl ? run(&o, bl) : fail(err, 65);
    boot_list_free(bl);
    sim_options_free(&o);
    sim_screen_free();
    return status;
}
