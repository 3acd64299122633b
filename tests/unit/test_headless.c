/* Unit tests of headless scripts (console/headless.c) and the screen and
 * keyboard on the device bus (sim/devices/display.c), on a fake virtual
 * clock: key strings to scancodes, script files and their errors, steps
 * run in order (keys, expect with its timeout, sleep, dump, the end after
 * the linger time), and typed keys reaching the i8042's ports. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "bus.h"
#include "fakebus.h"
#include "display.h"
#include "headless.h"
#include "i8042.h"
#include "vga.h"

static int ended = -1;
static uint64_t ended_at;
static GByteArray *typed;

static void setup(void)
{
    fakebus_reset();
    ended = -1;
    typed = g_byte_array_new();
    ck_assert(sim_display_attach(true));
}

static void teardown(void)
{
    g_byte_array_unref(typed);
}

static bool run_ended(void)
{
    return ended >= 0;
}

/* Runs the script's time to t, or until it ended the run. */
static void run_to(uint64_t t)
{
    fakebus_run_to(t, run_ended);
}

/* Puts text on row 0 of the screen, as a guest would. */
static void show(const char *text)
{
    for (size_t i = 0; text[i]; i++) {
        phys[0xB8000 + 2 * i] = (uint8_t)text[i];
        phys[0xB8000 + 2 * i + 1] = 0x07;
    }
}

static void m_type(const uint8_t *codes, unsigned n)
{
    g_byte_array_append(typed, codes, n);
    sim_display_type_now(codes, n);
}

static void m_end(int status)
{
    ended = status;
    ended_at = clock_ns;
}

static const hl_machine_t machine = { sim_display_frame, m_type, m_end, NULL };

static bool busy;               /* for dump_waits_for_idle: a thread runs */
static bool m_idle(void)
{
    return !busy;
}

static const char *hex(const GByteArray *a)
{
    static char buf[512];
    buf[0] = 0;
    for (guint i = 0; i < a->len && strlen(buf) + 4 < sizeof buf; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%02x", i ? " " : "", a->data[i]);
    return buf;
}

START_TEST(key_strings)
{
    GByteArray *c = g_byte_array_new();
    GError *err = NULL;
    ck_assert(hl_parse_keys("aB\\n<C-c><M-F2>\\<\\\\", c, &err));
    ck_assert_str_eq(hex(c), "1e 9e 2a 30 b0 aa 1c 9c 1d 2e ae 9d 38 3c bc b8 2a 33 b3 aa 2b ab");
    ck_assert(!hl_parse_keys("<Nope>", c, &err));
    ck_assert_str_eq(err->message, "unknown key <Nope> (write \\< for a '<')");
    g_clear_error(&err);
    ck_assert(!hl_parse_keys("x<Enter", c, &err));
    g_clear_error(&err);
    ck_assert(!hl_parse_keys("\\q", c, &err));
    ck_assert_str_eq(err->message, "unknown escape \\q in keys (\\n \\t \\e \\\\ \\< are known)");
    g_clear_error(&err);
    ck_assert(!hl_parse_keys("caf\xc3\xa9", c, &err));
    g_clear_error(&err);
    g_byte_array_unref(c);
}
END_TEST

START_TEST(script_files)
{
    char path[] = "/tmp/unit_headless_XXXXXX";
    int fd = mkstemp(path);
    const char good[] = "# a comment\n\nkeys ls\\n\nexpect $ \nsleep 5\ndump /dev/null html\r\n";
    ck_assert_int_eq(write(fd, good, sizeof good - 1), (ssize_t)(sizeof good - 1));
    close(fd);
    hl_script_t *s = hl_new();
    GError *err = NULL;
    ck_assert(hl_add_file(s, path, &err));
    ck_assert_uint_eq(hl_steps(s), 4);
    FILE *f = fopen(path, "w");
    fputs("keys a\nsleep x\n", f);
    fclose(f);
    ck_assert(!hl_add_file(s, path, &err));
    ck_assert(g_str_has_suffix(err->message, ":2: sleep x: not a number of milliseconds (0 to 86400000)"));
    g_clear_error(&err);
    f = fopen(path, "w");
    fputs("type a\n", f);
    fclose(f);
    ck_assert(!hl_add_file(s, path, &err));
    ck_assert(g_str_has_suffix(err->message, ":1: unknown step 'type' (keys, expect, sleep, dump)"));
    g_clear_error(&err);
    f = fopen(path, "w");
    fputs("dump f pdf\n", f);
    fclose(f);
    ck_assert(!hl_add_file(s, path, &err));
    g_clear_error(&err);
    unlink(path);
    ck_assert(!hl_add_file(s, "/nonexistent/script", &err));
    g_clear_error(&err);
    ck_assert(!hl_add_expect(s, "", &err));
    g_clear_error(&err);
    hl_free(s);
}
END_TEST

START_TEST(steps_in_order)
{
    hl_script_t *s = hl_new();
    GError *err = NULL;
    ck_assert(hl_add_expect(s, "login:", &err));
    ck_assert(hl_add_keys(s, "a", &err));
    ck_assert(hl_add_sleep(s, "3", &err));
    ck_assert(hl_add_keys(s, "b", &err));
    hl_set_timeouts(s, 1000, 20);
    hl_start(s, &machine);
    run_to(5000000);
    ck_assert_uint_eq(typed->len, 0);           /* the expect waits */
    show("login:");
    run_to(7000000);
    ck_assert_str_eq(hex(typed), "1e 9e");      /* a, not yet b: the sleep */
    run_to(9000000);
    ck_assert_int_eq(ended, -1);
    run_to(20000000);
    ck_assert_str_eq(hex(typed), "1e 9e 30 b0");
    run_to(100000000);
    ck_assert_int_eq(ended, 0);                 /* after the linger time */
    ck_assert(ended_at >= 5000000 + 3000000 + 20000000);
    /* the keys went to the keyboard: the guest reads them at port 0x60 */
    ck_assert_uint_eq(sim_display_keys_waiting(), 4);
    ck_assert_uint_eq(sim_bus_in(I8042_PORT_STATUS, 1) & I8042_STR_OBF, I8042_STR_OBF);
    ck_assert_uint_eq(sim_bus_in(I8042_PORT_DATA, 1), 0x1e);
    ck_assert_uint_eq(sim_display_keys_waiting(), 3);
    hl_free(s);
}
END_TEST

/* A dump is taken only while every thread waits (the machine says so). */
START_TEST(dump_waits_for_idle)
{
    char path[] = "/tmp/unit_headless_dumpXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    hl_script_t *s = hl_new();
    GError *err = NULL;
    ck_assert(hl_add_expect(s, "ready", &err));
    ck_assert(hl_add_dump(s, path, SCR_DUMP_TEXT));
    hl_set_timeouts(s, 1000, 20);
    const hl_machine_t m = { sim_display_frame, m_type, m_end, m_idle };
    busy = true;
    show("ready");
    hl_start(s, &m);
    run_to(3000000);
    show("later");                              /* still busy: the dump waits */
    busy = false;
    run_to(4000000);
    gchar *text = NULL;
    ck_assert(g_file_get_contents(path, &text, NULL, NULL));
    ck_assert_ptr_nonnull(strstr(text, "later"));
    ck_assert_ptr_null(strstr(text, "ready"));
    g_free(text);
    unlink(path);
    hl_free(s);
}
END_TEST

START_TEST(expect_times_out)
{
    hl_script_t *s = hl_new();
    GError *err = NULL;
    ck_assert(hl_add_expect(s, "never", &err));
    hl_set_timeouts(s, 50, 0);
    show("something else");
    hl_start(s, &machine);
    run_to(1000000000);
    ck_assert_int_eq(ended, 1);
    ck_assert(ended_at >= 50000000 && ended_at < 52000000);
    hl_free(s);
}
END_TEST

START_TEST(screen_model_on_the_bus)
{
    /* the CRTC through the bus, the frame from device memory */
    sim_bus_out(VGA_PORT_INDEX, 1, VGA_CRTC_CURSOR_LO);
    sim_bus_out(VGA_PORT_DATA, 1, 42);
    show("hi");
    scr_frame_t f;
    sim_display_frame(&f);
    ck_assert_int_eq(f.cursor, 42);
    ck_assert_uint_eq(f.cell[0], 'h' | 0x07 << 8);
    /* a 16-bit write to 0x3D4 is index and data */
    sim_bus_out(VGA_PORT_INDEX, 2, VGA_CRTC_CURSOR_LO | 7 << 8);
    sim_display_frame(&f);
    ck_assert_int_eq(f.cursor, 7);
    /* keys posted from another thread arrive at the next run */
    sim_display_type((const uint8_t[]){ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 9);
    ck_assert_uint_eq(sim_display_keys_waiting(), 0);
    sim_bus_run(clock_ns);
    ck_assert_uint_eq(sim_display_keys_waiting(), 9);
    for (unsigned i = 1; i <= 9; i++)
        ck_assert_uint_eq(sim_bus_in(I8042_PORT_DATA, 1), i);
    unsigned long crtc, read, lost;
    sim_display_counts(&crtc, &read, &lost);
    ck_assert_uint_eq(crtc, 2);
    ck_assert_uint_eq(read, 9);
    ck_assert_uint_eq(lost, 0);
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "headless", setup, teardown, {
            key_strings,
            script_files,
            steps_in_order,
            dump_waits_for_idle,
            expect_times_out,
            screen_model_on_the_bus, NULL } },
    };
    return unit_run("headless", cases, sizeof cases / sizeof cases[0]);
}
