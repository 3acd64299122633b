/* bench_screen: the screen's costs.
 *   key_to_screen_virtual, key_to_screen_wall: a key typed on the
 *     emulated keyboard until its echo is on the screen (headless: a script
 *     types one character at a time into the shell and waits for it; the
 *     simulator's --stats gives the mean wait in virtual and host time)
 *   key_to_terminal_wall: the same through the interactive front end in a
 *     pseudo-terminal: a byte written to the terminal until the front end
 *     has drawn the echoed character, 25 keys a second (slower than the
 *     60 frames/s cap, which a faster typist meets)
 *   scroll_redraw_frame, scroll_redraw_bytes: the renderer drawing a
 *     full-screen scroll (every row moved up one, all cells changed), per
 *     frame, and the bytes it sends
 * Usage: bench_screen [--quick] */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* ---- the renderer ---- */

static void bench_scroll(int frames)
{
    static const char text[] = "The quick brown fox jumps over the lazy dog; ChacmOS on L4 X.2 draws text. ";
    scr_frame_t f;
    render_t r;
    render_init(&r, 30, 100);
    GString *out = g_string_sized_new(1 << 16);
    for (int i = 0; i < SCR_CELLS; i++)
        f.cell[i] = (uint16_t)((uint8_t)text[(i * 7 + i / 80) % (sizeof text - 1)] | 0x07 << 8);
    f.cursor = SCR_CELLS - SCR_COLS;
    render_frame(&r, &f, out);
    size_t bytes = 0;
    double t0 = now_us();
    for (int n = 0; n < frames; n++) {
        memmove(f.cell, f.cell + SCR_COLS, (SCR_CELLS - SCR_COLS) * sizeof f.cell[0]);
        for (int x = 0; x < SCR_COLS; x++)
            f.cell[SCR_CELLS - SCR_COLS + x] =
                (uint16_t)((uint8_t)text[(n * 13 + x) % (sizeof text - 1)] | (uint16_t)((n + x / 10) % 15 + 1) << 8);
        g_string_truncate(out, 0);
        render_frame(&r, &f, out);
        bytes += out->len;
    }
    double per = (now_us() - t0) / frames;
    g_string_free(out, TRUE);
    printf("bench scroll_redraw_frame %.2f us\n", per);
    printf("bench scroll_redraw_bytes %zu bytes\n", bytes / (size_t)frames);
}

/* ---- headless: the simulator's own measure ---- */

static void bench_headless(int keys)
{
    char script[] = "/tmp/bench_screen_XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0)
        return;
    FILE *s = fdopen(fd, "w");
    fprintf(s, "expect chacmOS:/ >\n");
    char typed[128] = "chacmOS:/ > ";
    for (int i = 0; i < keys; i++) {
        char c = (char)('a' + i % 26);
        size_t n = strlen(typed);
        typed[n] = c;
        typed[n + 1] = 0;
        fprintf(s, "keys %c\nexpect %s\n", c, typed);
    }
    fprintf(s, "keys <C-u>exit\\n\n");
    fclose(s);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --display=headless --stats --timeout 120 --hda %s --snapshot --script %s %s 2>&1 >/dev/null",
             CHACM_SIM, CHACM_HDA, script, CHACM_BOOT_LIST);
    FILE *p = popen(cmd, "r");
    char line[512];
    double vmean = -1, wmean = -1, vmax = 0, wmax = 0;
    unsigned long met = 0;
    while (p && fgets(line, sizeof line, p))
        if (sscanf(line, "headless: %lu expects met after their step, virtual mean %lf us max %lf us, wall mean %lf us "
                         "max %lf us", &met, &vmean, &vmax, &wmean, &wmax) == 5)
            break;
    if (p)
        pclose(p);
    unlink(script);
    if (vmean < 0) {
        fprintf(stderr, "bench_screen: the headless run gave no figures\n");
        return;
    }
    printf("bench key_to_screen_virtual %.1f us\n", vmean);
    printf("bench key_to_screen_wall %.1f us\n", wmean);
    printf("\nheadless: %lu keys typed one at a time into the shell, each until its echo is on the screen\n"
           "  virtual: mean %.1f us, max %.1f us (looked at every 20 us)\n  wall:    mean %.1f us, max %.1f us\n",
           met - 1, vmean, vmax, wmean, wmax);
}

/* ---- the front end in a pseudo-terminal ---- */

/* Reads what the front end draws until `want` has been seen (or timeout). */
static bool read_until(int fd, const char *want, double timeout_us, GString *seen)
{
    double end = now_us() + timeout_us;
    char buf[4096];
    while (now_us() < end) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 10) <= 0)
            continue;
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return false;
        g_string_append_len(seen, buf, n);
        if (strstr(seen->str, want))
            return true;
    }
    return false;
}

static void bench_terminal(int keys)
{
    int master;
    struct winsize ws = { .ws_row = 30, .ws_col = 100 };
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0)
        return;
    if (pid == 0) {
        execl(CHACM_SIM, CHACM_SIM, "--timeout", "120", "--hda", CHACM_HDA, "--snapshot", CHACM_BOOT_LIST, (char *)NULL);
        _exit(127);
    }
    GString *seen = g_string_new(NULL), *first;
    double sum = 0, max = 0;
    int got = 0;
    /* the renderer skips cells that stay blank: no spaces in what is looked for */
    bool up = read_until(master, "chacmOS:/", 30e6, seen);
    first = g_string_new(seen->str);
    if (up) {
        usleep(200000);
        for (int i = 0; i < keys; i++) {
            char c = (char)('a' + i % 26);
            char want[2] = { c, 0 };
            usleep(40000);      /* 25 keys a second, as a quick typist */
            g_string_truncate(seen, 0);
            double t0 = now_us();
            if (write(master, &c, 1) != 1 || !read_until(master, want, 5e6, seen))
                break;
            double dt = now_us() - t0;
            sum += dt;
            max = dt > max ? dt : max;
            got++;
        }
    }
    ssize_t w = write(master, "\x01x", 2);     /* Ctrl-A x */
    (void)w;
    g_string_truncate(seen, 0);
    read_until(master, "\033[?1049l", 5e6, seen);
    int status;
    for (int i = 0; i < 50 && waitpid(pid, &status, WNOHANG) == 0; i++)
        usleep(100000);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    close(master);
    g_string_free(seen, TRUE);
    if (!got) {
        fprintf(stderr, "bench_screen: the front end in a pseudo-terminal gave no figures; it drew:\n");
        for (size_t i = 0; i < first->len && i < 600; i++) {
            unsigned char c = (unsigned char)first->str[i];
            fprintf(stderr, c >= ' ' && c < 0x7f ? "%c" : "\\x%02x", c);
        }
        fprintf(stderr, "\n");
        g_string_free(first, TRUE);
        return;
    }
    g_string_free(first, TRUE);
    printf("bench key_to_terminal_wall %.2f ms\n", sum / got / 1e3);
    printf("\nfront end in a pty: %d keys, mean %.2f ms, max %.2f ms from the byte to its echo drawn\n", got,
           sum / got / 1e3, max / 1e3);
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && !strcmp(argv[1], "--quick");
    bench_scroll(quick ? 200 : 5000);
    bench_headless(quick ? 5 : 60);
    bench_terminal(quick ? 5 : 40);
    return 0;
}
