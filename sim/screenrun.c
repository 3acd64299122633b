/* The screen side of a run (screenrun.h).  Interactive when --display says
 * so, or by default when standard input and output are terminals, no
 * script is given and the boot list starts the console: the front end
 * draws the screen, the keyboard takes the terminal's keys, and what the
 * run prints (kernel messages, the kernel debugger's output) is kept in a
 * file and shown once the terminal is back.  Headless otherwise: a script
 * (if any) types and waits on the virtual clock, and the screen is dumped
 * on request and at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kern.h"
#include "bootlist.h"
#include "bus.h"
#include "display.h"
#include "frontend.h"
#include "headless.h"
#include "monitor.h"
#include "screenrun.h"

static char *opt_display;
static char *opt_dump;
static char *opt_dump_format;
static gint64 opt_expect_timeout = -1, opt_linger = -1;
static hl_script_t *script;
static bool interactive;
static bool display_auto;       /* --display=auto and terminals, no script: the boot list decides */
static enum scr_dump_format dump_format = SCR_DUMP_TEXT;
static FILE *run_log;           /* what the run prints while the screen is shown */
static int saved_stderr = -1;
static GError *step_error;      /* the first bad step (reported by sim_screen_check) */

static hl_script_t *the_script(void)
{
    if (!script)
        script = hl_new();
    return script;
}

static gboolean add_step(const char *name, const char *value, gpointer data, GError **err)
{
    (void)data, (void)err;
    GError *e = NULL;
    gboolean ok = !strcmp(name, "--keys")     ? hl_add_keys(the_script(), value, &e)
                  : !strcmp(name, "--expect") ? hl_add_expect(the_script(), value, &e)
                  : !strcmp(name, "--sleep")  ? hl_add_sleep(the_script(), value, &e)
                                              : hl_add_file(the_script(), value, &e);
    if (!ok && !step_error)
        g_set_error(&step_error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s", name, e->message);
    if (e)
        g_error_free(e);
    return TRUE;
}

GOptionEntry sim_screen_entries[] = {
    { "display", 0, 0, G_OPTION_ARG_STRING, &opt_display,
      "Where the screen goes: screen (drawn in this terminal, keys typed on the emulated keyboard; Ctrl-A h "
      "lists the front end's keys); headless (no terminal needed: the console is the kernel debugger's "
      "input and output, or the keyboard when a script types); auto (the default): screen when standard "
      "input and output are terminals, no script is given and the boot list starts the console",
      "screen|headless|auto" },
    { "keys", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_step,
      "Headless: type KEYS on the keyboard (a step of the script, in command-line order): text, <Name> for a "
      "key (<Enter>, <C-c>, <M-F2>, <S-Up>, <CapsLock>, ...), \\n \\t \\e \\\\ \\<", "KEYS" },
    { "expect", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_step,
      "Headless: wait until TEXT is on the screen (a step); not within --expect-timeout, the run ends with "
      "status 1", "TEXT" },
    { "sleep", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_step, "Headless: let MS ms of virtual time pass (a step)",
      "MS" },
    { "script", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_step,
      "Headless: the steps of FILE, one a line: keys KEYS, expect TEXT, sleep MS, dump FILE [FORMAT]", "FILE" },
    { "expect-timeout", 0, 0, G_OPTION_ARG_INT64, &opt_expect_timeout,
      "Virtual milliseconds an expect waits (default 10000)", "MS" },
    { "linger", 0, 0, G_OPTION_ARG_INT64, &opt_linger,
      "Virtual milliseconds the system runs after a script's last step before the run ends with status 0 "
      "(default 1000)", "MS" },
    { "screen-dump", 0, 0, G_OPTION_ARG_STRING, &opt_dump,
      "At the end of the run, write the screen to FILE (- for standard output)", "FILE" },
    { "dump-format", 0, 0, G_OPTION_ARG_STRING, &opt_dump_format,
      "Format of screen dumps: text (rows, then the cursor; the default), ansi (colours as SGR escapes) or "
      "html", "text|ansi|html" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

gboolean sim_screen_check(GError **err)
{
    if (step_error) {
        g_propagate_error(err, step_error);
        step_error = NULL;
        return FALSE;
    }
    const char *d = opt_display ? opt_display : "auto";
    if (strcmp(d, "screen") && strcmp(d, "headless") && strcmp(d, "auto")) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--display must be screen, headless or auto, not '%s'", d);
        return FALSE;
    }
    if (opt_dump_format && !scr_dump_format_parse(opt_dump_format, &dump_format)) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--dump-format must be text, ansi or html, not '%s'", opt_dump_format);
        return FALSE;
    }
    if (opt_expect_timeout == 0 || opt_expect_timeout < -1 || opt_linger < -1) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--expect-timeout must be positive and --linger 0 or more");
        return FALSE;
    }
    bool scripted = script && hl_steps(script) > 0;
    if (!strcmp(d, "screen") && scripted) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--display=screen takes its keys from the terminal: a script (--keys, --expect, --sleep, "
                    "--script) needs --display=headless");
        return FALSE;
    }
    if (!strcmp(d, "screen") && (!isatty(0) || !isatty(1))) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--display=screen needs a terminal on standard input and output");
        return FALSE;
    }
    interactive = !strcmp(d, "screen");
    display_auto = !strcmp(d, "auto") && !scripted && isatty(0) && isatty(1);
    if (script)
        hl_set_timeouts(script, opt_expect_timeout > 0 ? (uint64_t)opt_expect_timeout : 10000,
                        opt_linger >= 0 ? (uint64_t)opt_linger : 1000);
    return TRUE;
}

/* Does the boot list start a console server (a program that draws the screen)? */
static bool boots_console(const boot_list_t *bl)
{
    for (guint i = 0; i < bl->modules->len; i++)
        if (!strcmp(((boot_module_t *)g_ptr_array_index(bl->modules, i))->name, "console"))
            return true;
    return false;
}

/* Does the boot list give the console a serial line (`console line=NAME`)? */
static bool console_has_line(const boot_list_t *bl)
{
    for (guint i = 0; i < bl->modules->len; i++) {
        const boot_module_t *m = g_ptr_array_index(bl->modules, i);
        if (!strcmp(m->name, "console") && (strstr(m->cmdline, " line=") || strstr(m->cmdline, "\tline=")))
            return true;
    }
    return false;
}

bool sim_screen_serial_console(const boot_list_t *bl)
{
    return !interactive && !(display_auto && boots_console(bl)) && !(script && hl_steps(script) > 0) &&
           !isatty(0) && console_has_line(bl);
}

gboolean sim_screen_setup(const boot_list_t *bl, GError **err)
{
    if (display_auto && boots_console(bl))
        interactive = true;
    bool keyboard = interactive || (script && hl_steps(script) > 0);
    if (!sim_display_attach(keyboard)) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot attach the screen and keyboard models");
        return FALSE;
    }
    return TRUE;
}

/* ---- on the simulated CPU ---- */

static void cpu_end(int status)
{
    kern_exit_system(status, NULL);
}

/* Every thread waits: the kernel runs the bus from its idle loop. */
static bool cpu_idle(void)
{
    return kern.idling;
}

static void quit_posted(void *ctx, uint64_t arg)
{
    (void)ctx, (void)arg;
    kern_exit_system(0, NULL);
}

/* ---- the front end's callbacks (its thread) ---- */

static void fe_frame(scr_frame_t *f, void *arg)
{
    (void)arg;
    sim_display_frame(f);
}

static void fe_keys(const uint8_t *codes, unsigned n, void *arg)
{
    (void)arg;
    sim_display_type(codes, n);
}

static void fe_quit(void *arg)
{
    (void)arg;
    sim_bus_post(quit_posted, NULL, 0);
}

/* Ctrl-A c: the kernel monitor on the terminal (in its normal mode). */
static void fe_monitor(int in, int out, void *arg)
{
    (void)arg;
    sim_monitor_session(in, out);
}

static void start_interactive(void)
{
    fflush(stdout);
    fflush(stderr);
    run_log = tmpfile();
    fe_machine_t m = { .frame = fe_frame, .keys = fe_keys, .quit = fe_quit, .dump_format = dump_format };
    const char *why = NULL;
    if (fe_start(&m, run_log ? fileno(run_log) : -1, &why) != 0) {
        fprintf(stderr, "chacmsim: the screen cannot be shown (%s); running headless\n", why);
        if (run_log)
            fclose(run_log);
        run_log = NULL;
        return;
    }
    if (run_log) {
        saved_stderr = dup(2);
        dup2(fileno(run_log), 2);
        kern.out = run_log;
    }
    kern.event_sources++;       /* idle waits for keys */
    sim_monitor_enable();
    fe_set_monitor(fe_monitor, NULL);
}

void sim_screen_start(void)
{
    if (interactive) {
        start_interactive();
        return;
    }
    if (script && hl_steps(script) > 0) {
        hl_machine_t m = { .frame = sim_display_frame, .type = sim_display_type_now, .end = cpu_end,
                           .idle = cpu_idle };
        hl_start(script, &m);
    }
}

/* Shows what the run printed while the screen was up. */
static void replay_log(void)
{
    if (!run_log)
        return;
    fflush(run_log);
    if (saved_stderr >= 0) {
        dup2(saved_stderr, 2);
        close(saved_stderr);
        saved_stderr = -1;
    }
    kern.out = stdout;
    rewind(run_log);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, run_log)) > 0)
        fwrite(buf, 1, n, stderr);
    fclose(run_log);
    run_log = NULL;
}

void sim_screen_finish(FILE *stats)
{
    if (interactive) {
        fe_stop();
        replay_log();
    }
    if (opt_dump) {
        scr_frame_t f;
        GError *err = NULL;
        sim_display_frame(&f);
        fflush(kern.out);
        if (!hl_write_dump(opt_dump, &f, dump_format, &err)) {
            fprintf(stderr, "chacmsim: --screen-dump: %s\n", err->message);
            g_error_free(err);
        }
    }
    if (stats) {
        unsigned long crtc, read, lost, frames, cells;
        sim_display_counts(&crtc, &read, &lost);
        fe_counts(&frames, &cells);
        fprintf(stats, "devices: vga %lu CRTC writes; i8042 %lu bytes read, %lu keys lost%s", crtc, read, lost,
                interactive ? "" : "\n");
        if (interactive)
            fprintf(stats, "; front end %lu frames, %lu cells drawn\n", frames, cells);
        if (script && hl_steps(script) > 0)
            hl_print_stats(script, stats);
    }
}

void sim_screen_free(void)
{
    hl_free(script);
    script = NULL;
    g_free(opt_display);
    g_free(opt_dump);
    g_free(opt_dump_format);
}
