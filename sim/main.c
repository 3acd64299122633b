/* chacmsim: runs ChacmOS (or any set of L4 X.2 programs) on the hosted
 * kernel.  Parses the command line and the boot list, loads the modules,
 * starts sigma0 and the root task, and waits for the run to end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kern.h"
#include "kern_boot.h"
#include "bootlist.h"
#include "boot.h"
#include "loader.h"

#ifndef CHACM_MODULE_DIR
#define CHACM_MODULE_DIR "modules"
#endif
#ifndef CHACM_DEFAULT_BOOT
#define CHACM_DEFAULT_BOOT "boot/default.lst"
#endif

static gint64 opt_seed;
static gint64 opt_max_time_ms;
static gint64 opt_timeout_s;
static gint64 opt_window_mib = 1024;
static gint64 opt_memory_mib;
static gint64 opt_spaces;
static gint64 opt_timeslice_us = 10000;
static gint64 opt_entry_cost_ns = 1000;
static gint opt_spin = -1;
static gint opt_cpu = -1;
static gboolean opt_hold;
static gboolean opt_stats;
static char *opt_module_path;
static char *opt_root;

static GOptionEntry entries[] = {
    { "seed", 's', 0, G_OPTION_ARG_INT64, &opt_seed, "Seed of the schedule: 0 (default) gives exact time slices; any other value varies them by up to 1/8, the same way for the same seed", "N" },
    { "max-time", 't', 0, G_OPTION_ARG_INT64, &opt_max_time_ms,
      "Stop with an error after MS milliseconds of virtual time (default: no limit)", "MS" },
    { "timeout", 0, 0, G_OPTION_ARG_INT64, &opt_timeout_s,
      "Stop with an error after S seconds of real time (default: no limit)", "S" },
    { "root", 'r', 0, G_OPTION_ARG_STRING, &opt_root,
      "Boot just this program module as the root task, with its arguments (no boot list)", "\"MODULE [ARGS]\"" },
    { "module-path", 'm', 0, G_OPTION_ARG_STRING, &opt_module_path,
      "Colon-separated directories to find program modules (NAME.so) in", "DIRS" },
    { "window-size", 0, 0, G_OPTION_ARG_INT64, &opt_window_mib,
      "Size of each address space's window in MiB, a power of two (default 1024)", "MIB" },
    { "memory", 0, 0, G_OPTION_ARG_INT64, &opt_memory_mib,
      "Physical memory in MiB, 4 to 4096 (default: the kernel line's memory=SIZE[KMG], else 128)", "MIB" },
    { "spaces", 0, 0, G_OPTION_ARG_INT64, &opt_spaces,
      "Address spaces (tasks) that may exist at once, 2 to 65536; a deleted task's window is used again "
      "(default: the kernel line's spaces=N, else 4096, at most what fits in 64 TiB of windows)", "N" },
    { "timeslice", 0, 0, G_OPTION_ARG_INT64, &opt_timeslice_us, "Default time slice in virtual microseconds",
      "US" },
    { "entry-cost", 0, 0, G_OPTION_ARG_INT64, &opt_entry_cost_ns,
      "Virtual nanoseconds charged for each kernel entry (default 1000)", "NS" },
    { "spin", 0, 0, G_OPTION_ARG_INT, &opt_spin,
      "Spins before a waiting thread sleeps (default: about 50 us; 0 under Valgrind)", "N" },
    { "hold", 0, 0, G_OPTION_ARG_NONE, &opt_hold,
      "When every thread is blocked, wait (without using the CPU) instead of reporting a deadlock, "
      "as a system waiting for input does; end it with --timeout or a signal", NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &opt_stats,
      "At the end of the run, print kernel statistics to stderr: IPCs, how many took the fast path "
      "(docs/kernel.md), CPU handoffs between host threads, and how often a waiting thread slept", NULL },
    { "cpu", 0, 0, G_OPTION_ARG_INT, &opt_cpu,
      "Run every L4 thread on host CPU N (handoffs then sleep at once instead of spinning)", "N" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

static const char summary[] =
    "Runs L4 X.2 programs on the hosted kernel.  BOOTLIST is a GRUB menu.lst\n"
    "style file: 'kernel' names the kernel, each 'module' line a program\n"
    "module (found as NAME.so on the module path) or a data file, with its\n"
    "command line.  A module named sigma0 comes first if present; the next\n"
    "module is the root task.  The run ends when the root task's main returns\n"
    "(its value is the exit status), or with an error on a kernel panic, a\n"
    "deadlock, or a time limit.  Without BOOTLIST or --root, boots the\n"
    "default system.";

/* Physical memory in MiB: --memory, else memory=SIZE[K|M|G] on the boot
 * list's kernel line, else 128; 0 after setting *err for a bad value. */
static gint64 memory_mib(const boot_list_t *bl, GError **err)
{
    gint64 mib = opt_memory_mib;
    const char *arg = bl->kernel_cmdline ? strstr(bl->kernel_cmdline, "memory=") : NULL;
    if (!mib && arg) {
        char *end;
        guint64 v = g_ascii_strtoull(arg + 7, &end, 10);
        switch (*end) {
        case 'G': case 'g': v <<= 30; end++; break;
        case 'M': case 'm': v <<= 20; end++; break;
        case 'K': case 'k': v <<= 10; end++; break;
        default: v <<= 20; break;
        }
        mib = (*end == 0 || *end == ' ') ? (gint64)(v >> 20) : -1;
    }
    if (!mib)
        mib = 128;
    if (mib < 4 || mib > 4096) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "physical memory must be 4 to 4096 MiB (--memory or memory= on the kernel line)");
        return 0;
    }
    return mib;
}

/* Address spaces at once: --spaces, else spaces=N on the kernel line, else
 * 0 (the kernel's default); -1 after setting *err for a bad value. */
static gint64 spaces_limit(const boot_list_t *bl, GError **err)
{
    gint64 n = opt_spaces;
    const char *arg = bl->kernel_cmdline ? strstr(bl->kernel_cmdline, "spaces=") : NULL;
    if (!n && arg) {
        char *end;
        n = (gint64)g_ascii_strtoull(arg + 7, &end, 10);
        if (*end != 0 && *end != ' ')
            n = -1;
    }
    if (n && (n < 2 || n > 65536)) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "the number of address spaces must be 2 to 65536 (--spaces or spaces= on the kernel line)");
        return -1;
    }
    return n;
}

static const char description[] =
    "Examples:\n"
    "  chacmsim                           boot the default system (boot/default.lst)\n"
    "  chacmsim tests/proto/map.lst       boot a list: sigma0, then a root task\n"
    "  chacmsim --root \"proto_ipc IPC0003\" run one program as the root task\n"
    "\n"
    "Exit status: the root task's result; 2 virtual time limit, 3 deadlock,\n"
    "4 the root task's main thread stopped (an unhandled fault),\n"
    "124 real-time limit, 64 bad command line, 65 bad boot list,\n"
    "66 module not found, 70 kernel panic.  See docs/kernel.md.";

static gboolean check_options(GError **err)
{
    if (opt_window_mib < 16 || opt_window_mib > 65536 || (opt_window_mib & (opt_window_mib - 1))) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--window-size must be a power of two from 16 to 65536 MiB, not %" G_GINT64_FORMAT,
                    opt_window_mib);
        return FALSE;
    }
    if (opt_cpu < -1 || opt_cpu >= sysconf(_SC_NPROCESSORS_ONLN)) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--cpu %d: this host has CPUs 0 to %ld",
                    opt_cpu, sysconf(_SC_NPROCESSORS_ONLN) - 1);
        return FALSE;
    }
    if (opt_max_time_ms < 0 || opt_timeout_s < 0 || opt_timeslice_us <= 0 || opt_entry_cost_ns <= 0) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "time values must be positive (--max-time, --timeout, --timeslice, --entry-cost)");
        return FALSE;
    }
    return TRUE;
}

int main(int argc, char **argv)
{
    GError *err = NULL;
    GOptionContext *ctx = g_option_context_new("[BOOTLIST]");
    g_option_context_set_summary(ctx, summary);
    g_option_context_set_description(ctx, description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    gboolean ok = g_option_context_parse(ctx, &argc, &argv, &err) && check_options(&err);
    g_option_context_free(ctx);
    if (!ok) {
        fprintf(stderr, "chacmsim: %s\n(see chacmsim --help)\n", err->message);
        g_error_free(err);
        return 64;
    }
    if (argc > 2 || (argc == 2 && opt_root)) {
        fprintf(stderr, "chacmsim: give one boot list or --root, not both or more\n");
        return 64;
    }

    boot_list_t *bl;
    if (opt_root) {
        char *text = g_strdup_printf("module %s\n", opt_root);
        bl = boot_list_parse(text, "--root", &err);
        g_free(text);
    } else {
        bl = boot_list_load(argc == 2 ? argv[1] : CHACM_DEFAULT_BOOT, &err);
    }
    if (!bl) {
        fprintf(stderr, "chacmsim: %s\n", err->message);
        g_error_free(err);
        return 65;
    }

    gint64 mem = memory_mib(bl, &err);
    if (!mem) {
        fprintf(stderr, "chacmsim: %s\n", err->message);
        g_error_free(err);
        boot_list_free(bl);
        return 64;
    }
    gint64 spaces = spaces_limit(bl, &err);
    if (spaces < 0) {
        fprintf(stderr, "chacmsim: %s\n", err->message);
        g_error_free(err);
        boot_list_free(bl);
        return 64;
    }
    kern_config_t cfg = {
        .window_size = (L4_Word_t)opt_window_mib << 20,
        .seed = (uint64_t)opt_seed,
        .max_time_ns = (uint64_t)opt_max_time_ms * 1000000,
        .entry_cost_ns = (uint64_t)opt_entry_cost_ns,
        .timeslice_ns = (uint64_t)opt_timeslice_us * 1000,
        .spin = opt_spin,
        .cpu = opt_cpu,
        .hold = opt_hold,
        .memory_size = (uint64_t)mem << 20,
        .max_spaces = (unsigned)spaces,
    };
    kern_init(&cfg);
    loader_init(opt_module_path ? opt_module_path : CHACM_MODULE_DIR);
    int status = sim_boot(bl, &err);
    if (status == 0) {
        status = kern_run((unsigned)opt_timeout_s);
        if (opt_stats)
            kern_print_stats(stderr);
    } else {
        fprintf(stderr, "chacmsim: %s\n", err->message);
        g_error_free(err);
    }
    loader_cleanup();
    boot_list_free(bl);
    return status;
}
