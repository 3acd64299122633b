/* The simulator's command line.  GOption parses it; every value is then
 * checked here (a bad one is named, a zero or negative one is never taken
 * silently as "no limit" or "any"), and --help is printed by our own
 * formatter so that it fits 100 columns in any locale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "screenrun.h"

#ifndef CHACM_MODULE_DIR
#define CHACM_MODULE_DIR "modules"
#endif
#ifndef CHACM_VERSION
#define CHACM_VERSION "0"
#endif

#define UNSET64 G_MININT64
#define UNSET G_MININT
#define HELP_WIDTH 100
#define HELP_COLUMN 28

static gboolean opt_help, opt_version;
static sim_options_t parsed;

static GOptionEntry entries[] = {
    { "seed", 's', 0, G_OPTION_ARG_INT64, &parsed.seed,
      "Seed of the schedule: 0 (default) gives exact time slices; any other value varies them "
      "by up to 1/8, the same way for the same seed", "N" },
    { "max-time", 't', 0, G_OPTION_ARG_INT64, &parsed.max_time_ms,
      "Stop with an error after MS milliseconds of virtual time (leave it out for no limit)", "MS" },
    { "timeout", 0, 0, G_OPTION_ARG_INT64, &parsed.timeout_s,
      "Stop with an error after S seconds of real time (leave it out for no limit)", "S" },
    { "root", 'r', 0, G_OPTION_ARG_STRING, &parsed.root,
      "Boot just this program module as the root task, with its arguments (no boot list)",
      "\"MODULE [ARGS]\"" },
    { "module-path", 'm', 0, G_OPTION_ARG_STRING, &parsed.module_path,
      "Colon-separated directories searched for program modules (NAME.so) before the default "
      "(" CHACM_MODULE_DIR ", or the installed SDK's lib/chacmsim/modules)", "DIRS" },
    { "window-size", 0, 0, G_OPTION_ARG_INT64, &parsed.window_mib,
      "Size of each address space's window in MiB, a power of two (default 1024)", "MIB" },
    { "memory", 0, 0, G_OPTION_ARG_INT64, &parsed.memory_mib,
      "Physical memory in MiB, 4 to 4096 (default: the kernel line's memory=SIZE[K|M|G], else 128)",
      "MIB" },
    { "spaces", 0, 0, G_OPTION_ARG_INT64, &parsed.spaces,
      "Address spaces (tasks) that may exist at once, 2 to 65536; a deleted task's window is used again "
      "(default: the kernel line's spaces=N, else 4096, at most what fits in 64 TiB of windows)", "N" },
    { "timeslice", 0, 0, G_OPTION_ARG_INT64, &parsed.timeslice_us,
      "Default time slice in virtual microseconds (default 10000)", "US" },
    { "entry-cost", 0, 0, G_OPTION_ARG_INT64, &parsed.entry_cost_ns,
      "Virtual nanoseconds charged for each kernel entry (default 1000)", "NS" },
    { "spin", 0, 0, G_OPTION_ARG_INT, &parsed.spin,
      "Spins before a waiting thread sleeps, 0 or more (default: about 50 us; 0 under Valgrind)", "N" },
    { "hold", 0, 0, G_OPTION_ARG_NONE, &parsed.hold,
      "When every thread is blocked, wait (without using the CPU) instead of reporting a deadlock, "
      "as a system waiting for input does; end it with --timeout or a signal", NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &parsed.stats,
      "At the end of the run, print kernel statistics to stderr: IPCs, how many took the fast path "
      "(docs/kernel.md), CPU handoffs between host threads, and how often a waiting thread slept", NULL },
    { "preempt", 0, 0, G_OPTION_ARG_STRING, &parsed.preempt_mode,
      "Preempt a thread that computes without entering the kernel after each time slice of host CPU "
      "time, charged to the virtual clock: on; off (only kernel entries preempt, every run is "
      "deterministic); auto (the default): on when stdin is a terminal, where a person types",
      "on|off|auto" },
    { "isolation", 0, 0, G_OPTION_ARG_STRING, &parsed.isolation_mode,
      "Keep tasks out of each other's memory with the processor's memory protection keys: on (an error "
      "where the host has none; the simulator's own memory stays reachable, and calls and replies "
      "switch no keys); strict (also the simulator's memory out of guest code's reach, for two key "
      "switches per system call; needs Linux 6.12 or later); off (any task's loads and stores reach "
      "every task's memory, as always without keys); auto (the default): on where the host has keys "
      "and not under Valgrind; without this option, the environment's CHACM_ISOLATION if set. --stats says "
      "which holds", "on|strict|off|auto" },
    { "cpu", 0, 0, G_OPTION_ARG_INT, &parsed.cpu,
      "Run every L4 thread on host CPU N (handoffs then sleep at once instead of spinning)", "N" },
    { "hda", 0, 0, G_OPTION_ARG_FILENAME, &parsed.hda,
      "Attach IMAGE as the ATA disk (primary master: ports 0x1F0-0x1F7 and 0x3F6, IRQ 14); writes go "
      "to the file (default: the kernel line's hda=IMAGE, else no disk)", "IMAGE" },
    { "hda-readonly", 0, 0, G_OPTION_ARG_NONE, &parsed.hda_ro,
      "The ATA disk refuses writes (ABRT), and the image is opened read-only", NULL },
    { "snapshot", 0, 0, G_OPTION_ARG_NONE, &parsed.snapshot,
      "As QEMU's -snapshot: the ATA disk works on a copy of the image in memory, so its writes are "
      "dropped at the end and the image (opened read-only) never changes", NULL },
    { "serial", 0, 0, G_OPTION_ARG_FILENAME, &parsed.serial,
      "Where COM1 (16550 UART at 0x3F8, IRQ 4) is connected: stdout (the default, or the kernel line's "
      "serial=: sent bytes go to the run's output, while the screen is shown to the log printed after "
      "it; nothing is received), stdio (sent bytes to stdout, stdin is received), none (sent bytes are "
      "dropped), or a FILE that gets the sent bytes",
      "stdout|stdio|none|FILE" },
    { "trace", 0, 0, G_OPTION_ARG_STRING, &parsed.trace_kinds,
      "Record kernel events in the trace buffer: all, or a comma-separated list of ipc, ipcerr, pf, "
      "pfdone, map, grant, unmap, sched, irq, thread, start, death, task, taskdeath, kdb, inject "
      "(docs/debugging.md); all when only --trace-log or --trace-json is given", "KINDS" },
    { "trace-size", 0, 0, G_OPTION_ARG_INT64, &parsed.trace_size,
      "Records the trace ring holds, 16 to 16777216 (default 65536); older ones are overwritten", "N" },
    { "trace-thread", 0, 0, G_OPTION_ARG_STRING, &parsed.trace_thread,
      "Record only events of these threads (thread numbers, decimal or 0x hex, comma-separated)", "N,..." },
    { "trace-task", 0, 0, G_OPTION_ARG_STRING, &parsed.trace_task,
      "Record only events of threads of the task (address space) of this name, e.g. memsvr", "NAME" },
    { "trace-label", 0, 0, G_OPTION_ARG_STRING, &parsed.trace_label,
      "Record only IPCs with this label (other kinds are not affected)", "LABEL" },
    { "trace-log", 0, 0, G_OPTION_ARG_FILENAME, &parsed.trace_log,
      "At the end of the run, write the trace as text to FILE (- for stderr)", "FILE" },
    { "trace-json", 0, 0, G_OPTION_ARG_FILENAME, &parsed.trace_json,
      "At the end of the run, write the trace as Chrome trace-event JSON (Perfetto, chrome://tracing)",
      "FILE" },
    { "idl-names", 0, 0, G_OPTION_ARG_FILENAME, &parsed.idl_names,
      "Name table of the interfaces (chacm-idl --names) by which exports name messages "
      "(default: the build's idl-names.txt)", "FILE" },
    { "monitor", 0, 0, G_OPTION_ARG_FILENAME, &parsed.monitor,
      "Kernel monitor on a Unix socket at PATH (- for the terminal): entered by L4_KDB_Enter, a --break "
      "condition, a deadlock, or a line sent to the socket", "PATH" },
    { "break", 0, 0, G_OPTION_ARG_STRING_ARRAY, &parsed.breaks,
      "Enter the monitor on an event (repeatable): 'ipc [FILTER]', 'fault ADDR', 'death [THREAD]' "
      "(docs/debugging.md)", "COND" },
    { "trace-hash", 0, 0, G_OPTION_ARG_NONE, &parsed.trace_hash,
      "At the end of the run, print a hash of the trace (kinds, times, threads, labels) to stderr: equal "
      "runs have equal hashes (all kinds are traced unless --trace says otherwise)", NULL },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &parsed.record,
      "Record the run's input (every byte the kernel debugger's ReadChar returned, and when) and its seed "
      "in FILE, for --replay", "FILE" },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &parsed.replay,
      "Run again a run recorded with --record: its input comes from FILE instead of stdin, its seed too "
      "(unless --seed gives the same)", "FILE" },
    { "fault-plan", 0, 0, G_OPTION_ARG_FILENAME, &parsed.fault_plan,
      "Inject the faults of the plan in FILE (one rule a line: ipc, sigma0, memsvr, disk, kill; "
      "docs/debugging.md): the same seed and plan give the same run; every fault is a trace record of "
      "kind inject, and a summary goes to stderr at the end", "FILE" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &parsed.faults,
      "One more fault-plan rule (repeatable), e.g. 'ipc lose to=namesvr nth=3'", "RULE" },
    { "end-check", 0, 0, G_OPTION_ARG_NONE, &parsed.end_check,
      "At the end of the run, check the mapping database and print to stderr the orphaned mappings, "
      "frames sigma0 gave twice, and the frames memsvr holds (fault campaigns compare them)", NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &opt_help, "Show this help and exit", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

static const char summary[] =
    "Runs L4 X.2 programs on the hosted kernel.  BOOTLIST is a GRUB menu.lst style file: 'kernel' "
    "names the kernel (chacmsim, with options such as memory=128M), each 'module' line a program "
    "module (found as NAME.so on the module path) or a data file, with its command line.  A module "
    "named sigma0 comes first if present; the next module is the root task.  The run ends when the "
    "root task's main returns (its value is the exit status), or with an error on a kernel panic, a "
    "deadlock, or a time limit.  Without BOOTLIST or --root, boots the default system.";

static const char examples[] =
    "Examples:\n"
    "  chacmsim                             boot the default system (boot/default.lst)\n"
    "  chacmsim tests/proto/map.lst         boot a list: sigma0, then a root task\n"
    "  chacmsim --root \"proto_ipc IPC0003\"  run one program as the root task\n"
    "  chacmsim -m build --root hello       a program built out of tree (docs/first-program.md)\n"
    "\n"
    "Under Valgrind, use scripts/valgrind (it adds --px-default=allregs-at-mem-access).\n"
    "\n"
    "Exit status: the root task's result; 2 virtual time limit, 3 deadlock, 4 the root task's\n"
    "main thread stopped (an unhandled fault), 124 real-time limit, 64 bad command line,\n"
    "65 bad boot list, 66 bad or missing module, 70 kernel panic.  See docs/kernel.md.\n";

/* Prints text from column col, wrapping words at HELP_WIDTH and starting
 * every further line at column indent. */
static void print_wrapped(const char *text, int col, int indent)
{
    const char *p = text;
    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > indent && col + 1 + (int)word > HELP_WIDTH) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)word, p);
        col += (int)word;
        p += word;
        while (*p == ' ')
            p++;
    }
    putchar('\n');
}

static void print_entries(const GOptionEntry *entries_of)
{
    for (const GOptionEntry *e = entries_of; e->long_name; e++) {
        char head[64], shortopt[8] = "    ";
        if (e->short_name)
            snprintf(shortopt, sizeof shortopt, "-%c, ", e->short_name);
        int n = snprintf(head, sizeof head, "  %s--%s%s%s", shortopt, e->long_name,
                         e->arg_description ? "=" : "", e->arg_description ? e->arg_description : "");
        printf("%s", head);
        if (n + 1 >= HELP_COLUMN) {
            printf("\n%*s", HELP_COLUMN, "");
        } else {
            printf("%*s", HELP_COLUMN - n, "");
        }
        print_wrapped(e->description, HELP_COLUMN, HELP_COLUMN);
    }
}

static void print_help(void)
{
    printf("Usage: chacmsim [OPTION...] [BOOTLIST]\n\n");
    print_wrapped(summary, 0, 0);
    printf("\nOptions:\n");
    print_entries(entries);
    printf("\nThe screen, the keyboard and headless runs (docs/devices.md):\n");
    print_entries(sim_screen_entries);
    printf("\n%s", examples);
}

static gboolean bad(GError **err, const char *fmt, gint64 v)
{
    g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, fmt, v);
    return FALSE;
}

/* Checks every value given and fills in the defaults of the others. */
static gboolean check_options(sim_options_t *o, GError **err)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->seed != UNSET64 && o->seed < 0)
        return bad(err, "--seed %" G_GINT64_FORMAT ": a seed is 0 or more", o->seed);
    if (o->max_time_ms != UNSET64 && o->max_time_ms <= 0)
        return bad(err, "--max-time %" G_GINT64_FORMAT ": give a positive time (leave it out for no limit)",
                   o->max_time_ms);
    if (o->timeout_s != UNSET64 && o->timeout_s <= 0)
        return bad(err, "--timeout %" G_GINT64_FORMAT ": give a positive time (leave it out for no limit)",
                   o->timeout_s);
    if (o->window_mib != UNSET64 &&
        (o->window_mib < 16 || o->window_mib > 65536 || (o->window_mib & (o->window_mib - 1))))
        return bad(err, "--window-size must be a power of two from 16 to 65536 MiB, not %" G_GINT64_FORMAT,
                   o->window_mib);
    if (o->memory_mib != UNSET64 && (o->memory_mib < 4 || o->memory_mib > 4096))
        return bad(err, "--memory %" G_GINT64_FORMAT ": physical memory must be 4 to 4096 MiB", o->memory_mib);
    if (o->spaces != UNSET64 && (o->spaces < 2 || o->spaces > 65536))
        return bad(err, "--spaces %" G_GINT64_FORMAT ": the number of address spaces must be 2 to 65536",
                   o->spaces);
    if (o->timeslice_us != UNSET64 && o->timeslice_us <= 0)
        return bad(err, "--timeslice %" G_GINT64_FORMAT ": a time slice is positive", o->timeslice_us);
    if (o->entry_cost_ns != UNSET64 && o->entry_cost_ns <= 0)
        return bad(err, "--entry-cost %" G_GINT64_FORMAT ": a cost is positive", o->entry_cost_ns);
    if (o->spin != UNSET && o->spin < 0)
        return bad(err, "--spin %" G_GINT64_FORMAT ": a spin count is 0 or more", o->spin);
    if (o->cpu != UNSET && (o->cpu < 0 || o->cpu >= ncpu)) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--cpu %d: this host has CPUs 0 to %ld",
                    o->cpu, ncpu - 1);
        return FALSE;
    }
    const char *pm = o->preempt_mode ? o->preempt_mode : "auto";
    if (strcmp(pm, "on") && strcmp(pm, "off") && strcmp(pm, "auto")) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--preempt must be on, off or auto, not '%s'",
                    pm);
        return FALSE;
    }
    /* a recorded run must replay exactly: auto is off there */
    o->preempt = !strcmp(pm, "on") || (!strcmp(pm, "auto") && isatty(STDIN_FILENO) && !o->record && !o->replay &&
                                       !o->fault_plan && !o->faults);
    /* without --isolation, CHACM_ISOLATION (scripts/test's second run of
     * the whole suite sets it to off) */
    const char *env_im = getenv("CHACM_ISOLATION");
    bool from_env = !o->isolation_mode && env_im && *env_im;
    const char *im = o->isolation_mode ? o->isolation_mode : from_env ? env_im : "auto";
    if (strcmp(im, "on") && strcmp(im, "strict") && strcmp(im, "off") && strcmp(im, "auto")) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s must be on, strict, off or auto, not '%s'",
                    from_env ? "CHACM_ISOLATION" : "--isolation", im);
        return FALSE;
    }
    o->isolation = !strcmp(im, "on")       ? KERN_ISO_ON
                   : !strcmp(im, "strict") ? KERN_ISO_STRICT
                   : !strcmp(im, "off")    ? KERN_ISO_OFF
                                           : KERN_ISO_AUTO;
    if (o->root && !*g_strstrip(o->root)) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--root needs a program module name (and its arguments), e.g. --root \"hello\"");
        return FALSE;
    }
    if (o->record && o->replay) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "give --record or --replay, not both");
        return FALSE;
    }
    o->seed_given = o->seed != UNSET64;
    o->seed = o->seed == UNSET64 ? 0 : o->seed;
    o->max_time_ms = o->max_time_ms == UNSET64 ? 0 : o->max_time_ms;
    o->timeout_s = o->timeout_s == UNSET64 ? 0 : o->timeout_s;
    o->window_mib = o->window_mib == UNSET64 ? 1024 : o->window_mib;
    o->memory_mib = o->memory_mib == UNSET64 ? 0 : o->memory_mib;
    o->spaces = o->spaces == UNSET64 ? 0 : o->spaces;
    o->timeslice_us = o->timeslice_us == UNSET64 ? 10000 : o->timeslice_us;
    o->entry_cost_ns = o->entry_cost_ns == UNSET64 ? 1000 : o->entry_cost_ns;
    if (o->trace_size != UNSET64 && (o->trace_size < 16 || o->trace_size > 16777216))
        return bad(err, "--trace-size %" G_GINT64_FORMAT ": the trace ring holds 16 to 16777216 records",
                   o->trace_size);
    o->trace_size = o->trace_size == UNSET64 ? 0 : o->trace_size;
    if (o->breaks && !o->monitor) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--break needs --monitor");
        return FALSE;
    }
    o->spin = o->spin == UNSET ? -1 : o->spin;
    o->cpu = o->cpu == UNSET ? -1 : o->cpu;
    return TRUE;
}

int sim_options_parse(sim_options_t *o, int argc, char **argv)
{
    parsed = (sim_options_t){ .seed = UNSET64, .max_time_ms = UNSET64, .timeout_s = UNSET64,
                              .window_mib = UNSET64, .memory_mib = UNSET64, .timeslice_us = UNSET64,
                              .entry_cost_ns = UNSET64, .spaces = UNSET64, .spin = UNSET, .cpu = UNSET,
                              .trace_size = UNSET64 };
    GError *err = NULL;
    GOptionContext *ctx = g_option_context_new("[BOOTLIST]");
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_main_entries(ctx, sim_screen_entries, NULL);
    gboolean ok = g_option_context_parse(ctx, &argc, &argv, &err);
    g_option_context_free(ctx);
    *o = parsed;
    if (ok && opt_help) {
        print_help();
        return 0;
    }
    if (ok && opt_version) {
        printf("chacmsim %s (hosted L4 X.2 kernel)\n", CHACM_VERSION);
        return 0;
    }
    ok = ok && check_options(o, &err) && sim_screen_check(&err);
    if (ok && (argc > 2 || (argc == 2 && o->root))) {
        g_set_error(&err, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "give one boot list or --root, not both or more");
        ok = FALSE;
    }
    if (!ok) {
        fprintf(stderr, "chacmsim: %s\n(see chacmsim --help)\n", err->message);
        g_error_free(err);
        return 64;
    }
    o->bootlist = argc == 2 ? g_strdup(argv[1]) : NULL;
    return -1;
}

void sim_options_free(sim_options_t *o)
{
    g_free(o->module_path);
    g_free(o->preempt_mode);
    g_free(o->isolation_mode);
    g_free(o->root);
    g_free(o->bootlist);
    g_free(o->hda);
    g_free(o->serial);
    g_free(o->trace_kinds);
    g_free(o->trace_thread);
    g_free(o->trace_task);
    g_free(o->trace_label);
    g_free(o->trace_log);
    g_free(o->trace_json);
    g_free(o->idl_names);
    g_free(o->monitor);
    g_strfreev(o->breaks);
    g_free(o->record);
    g_free(o->replay);
    g_free(o->fault_plan);
    g_strfreev(o->faults);
}
