/* The interactive front end (frontend.h): one libevent loop on its own
 * thread with the terminal's input, SIGWINCH, the frame timer (60 Hz; a
 * frame is drawn only if something changed) and a pipe that fe_stop
 * writes to, plus one-shot timers: one ends a lone ESC, one looks for the
 * echo soon after a key was sent (drawn at once when the last frame is
 * 1/60 s old: a typed key shows in about a millisecond, while output that
 * streams is drawn 60 times a second at most). */
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "frontend.h"
#include "keys.h"
#include "render.h"
#include "term.h"

#define FRAME_US (1000000 / 60)
#define ESC_WAIT_US 50000           /* a lone ESC is the Escape key after this */
#define MESSAGE_US 3000000          /* how long a message stays */
#define SOON_US 500                 /* after a key, looks for its echo every SOON_US ... */
#define SOON_TRIES 20               /* ... this many times */

static struct {
    fe_machine_t m;
    struct event_base *base;
    struct event *input, *winch, *frame, *esc, *stop, *msg_timer, *soon;
    int soon_left;                  /* looks for an echo still to come */
    double last_draw;               /* when the last frame was drawn (monotonic us) */
    int stop_pipe[2];
    pthread_t thread;
    bool running;
    render_t r;
    keyparse_t kp;
    bool prefix;                    /* Ctrl-A seen */
    bool help_shown;                /* the key list covers the screen until a key */
    bool message_shown;
    unsigned dumps;
    pthread_mutex_t count_lock;
    unsigned long frames, cells;
    GString *out;
} fe;

static fe_monitor_fn monitor_fn;
static void *monitor_arg;

void fe_set_monitor(fe_monitor_fn fn, void *arg)
{
    monitor_fn = fn;
    monitor_arg = arg;
}

static void flush_out(void)
{
    if (fe.out->len)
        term_write(fe.out->str, fe.out->len);
    g_string_truncate(fe.out, 0);
}

static double mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Draws what changed; true if something did.  Unless forced, not within
 * 1/60 s of the last frame (the frame timer comes back for it). */
static bool draw(bool force)
{
    if (fe.help_shown)
        return false;
    double now = mono_us();
    if (!force && now - fe.last_draw < FRAME_US)
        return false;
    scr_frame_t f;
    fe.m.frame(&f, fe.m.arg);
    int n = render_frame(&fe.r, &f, fe.out);
    if (!fe.out->len)
        return false;
    fe.last_draw = now;
    pthread_mutex_lock(&fe.count_lock);
    fe.frames++;
    fe.cells += (unsigned long)n;
    pthread_mutex_unlock(&fe.count_lock);
    flush_out();
    return true;
}

static void draw_frame(void)
{
    draw(true);
}

/* A message on the row below the screen, or over its last row when the
 * terminal has no more; it goes after MESSAGE_US. */
static void message(const char *text)
{
    int row = fe.r.rows > SCR_ROWS ? SCR_ROWS + 1 : fe.r.rows;
    int n = (int)strlen(text);
    if (n > fe.r.cols)
        n = fe.r.cols;
    g_string_append_printf(fe.out, "\033[%d;1H\033[0;7m%.*s\033[0m\033[K", row, n, text);
    flush_out();
    /* the renderer no longer knows where the cursor and the colours are */
    fe.r.trow = fe.r.tcol = fe.r.attr = -1;
    fe.r.shown.cursor = -2;
    if (fe.r.rows <= SCR_ROWS)
        fe.r.shown.cell[(row - 1) * SCR_COLS] ^= 0xffff;    /* that row is redrawn when the message goes */
    fe.message_shown = true;
    struct timeval tv = { MESSAGE_US / 1000000, MESSAGE_US % 1000000 };
    evtimer_add(fe.msg_timer, &tv);
}

static void on_message_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    if (!fe.message_shown)
        return;
    fe.message_shown = false;
    if (fe.r.rows > SCR_ROWS)
        g_string_append_printf(fe.out, "\033[%d;1H\033[0m\033[K", SCR_ROWS + 1);
    fe.r.trow = fe.r.tcol = fe.r.attr = -1;
    render_resize(&fe.r, fe.r.rows, fe.r.cols);
    draw_frame();
}

static const char *help_lines[] = {
    "chacmsim keys",
    "",
    "Ctrl-A x     quit the simulator",
    "Ctrl-A c     the monitor",
    "Ctrl-A s     write a screen dump (chacmsim-screen-N.txt)",
    "Ctrl-A h     this list",
    "Ctrl-A a     send Ctrl-A to the system",
    "Ctrl-A 1..4  virtual console 1..4 (Alt-F1..F4)",
    "",
    "Every other key goes to the PC keyboard (scancode set 1).",
    "Press a key to go back.",
};

static void show_help(void)
{
    int width = 60, n = (int)(sizeof help_lines / sizeof help_lines[0]);
    int top = fe.r.rows > n + 2 ? (fe.r.rows - n - 2) / 2 : 0;
    int left = fe.r.cols > width + 4 ? (fe.r.cols - width - 4) / 2 : 0;
    for (int i = -1; i <= n; i++) {
        const char *t = i >= 0 && i < n ? help_lines[i] : "";
        g_string_append_printf(fe.out, "\033[%d;%dH\033[0;30;47m  %-*.*s  ", top + i + 2, left + 1, width, width, t);
    }
    g_string_append(fe.out, "\033[0m");
    flush_out();
    fe.help_shown = true;
    fe.r.trow = fe.r.tcol = fe.r.attr = -1;
}

static void dump_screen(void)
{
    static const char *ext[] = { "txt", "ansi", "html" };
    scr_frame_t f;
    fe.m.frame(&f, fe.m.arg);
    GString *d = g_string_new(NULL);
    scr_dump(d, &f, fe.m.dump_format);
    char name[64], msg[160];
    snprintf(name, sizeof name, "chacmsim-screen-%u.%s", ++fe.dumps, ext[fe.m.dump_format]);
    FILE *out = fopen(name, "w");
    bool ok = out && fwrite(d->str, 1, d->len, out) == d->len;
    if (out && fclose(out) != 0)
        ok = false;
    if (ok)
        snprintf(msg, sizeof msg, "chacmsim: screen dump written to %s", name);
    else
        snprintf(msg, sizeof msg, "chacmsim: cannot write the screen dump %s: %s", name, strerror(errno));
    g_string_free(d, TRUE);
    message(msg);
}

static void run_monitor(void)
{
    if (!monitor_fn) {
        message("chacmsim: Ctrl-A c: this simulator has no monitor built in");
        return;
    }
    event_del(fe.input);
    term_suspend();
    monitor_fn(0, 1, monitor_arg);
    term_resume();
    event_add(fe.input, NULL);
    render_resize(&fe.r, fe.r.rows, fe.r.cols);
    fe.r.trow = fe.r.tcol = fe.r.attr = fe.r.cursor_on = -1;
    draw_frame();
}

static void send_key(con_key_t k)
{
    uint8_t sc[16];
    int n = key_scancodes(k, sc);
    if (n > 0)
        fe.m.keys(sc, (unsigned)n, fe.m.arg);
    fe.soon_left = SOON_TRIES;
    struct timeval tv = { 0, SOON_US };
    evtimer_add(fe.soon, &tv);
}

static void on_soon(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    if (draw(false) || --fe.soon_left <= 0)
        return;
    struct timeval tv = { 0, SOON_US };
    evtimer_add(fe.soon, &tv);
}

/* The byte after Ctrl-A. */
static void command(unsigned char c)
{
    switch (c) {
    case 'x': case 'X':
        fe.m.quit(fe.m.arg);
        break;
    case 'c': case 'C':
        run_monitor();
        break;
    case 's': case 'S':
        dump_screen();
        break;
    case 'h': case 'H': case '?':
        show_help();
        break;
    case 'a': case 'A': case 0x01:
        send_key((con_key_t){ 0x1E, KEY_CTRL });
        break;
    case '1': case '2': case '3': case '4':
        send_key((con_key_t){ key_fn(c - '0'), KEY_ALT });
        break;
    default: {
        char msg[80];
        snprintf(msg, sizeof msg, "chacmsim: Ctrl-A %s%c: no such command (Ctrl-A h lists them)",
                 c < ' ' ? "^" : "", c < ' ' ? c + '@' : c >= 0x7f ? '?' : c);
        message(msg);
    }
    }
}

static void feed(unsigned char c)
{
    if (fe.help_shown) {
        fe.help_shown = false;
        fe.prefix = false;
        render_resize(&fe.r, fe.r.rows, fe.r.cols);
        draw_frame();
        return;
    }
    if (fe.prefix) {
        fe.prefix = false;
        command(c);
        return;
    }
    if (c == 0x01 && !keyparse_pending(&fe.kp)) {
        fe.prefix = true;
        return;
    }
    con_key_t k[KEYPARSE_MAX_OUT];
    int n = keyparse_feed(&fe.kp, c, k);
    for (int i = 0; i < n; i++)
        send_key(k[i]);
}

static void on_input(evutil_socket_t fd, short what, void *arg)
{
    (void)what, (void)arg;
    unsigned char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return;
        /* the terminal went away (hangup): nobody can type any more */
        event_del(fe.input);
        return;
    }
    for (ssize_t i = 0; i < n; i++)
        feed(buf[i]);
    if (keyparse_pending(&fe.kp)) {
        struct timeval tv = { 0, ESC_WAIT_US };
        evtimer_add(fe.esc, &tv);
    }
}

static void on_esc_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    con_key_t k[KEYPARSE_MAX_OUT];
    int n = keyparse_flush(&fe.kp, k);
    for (int i = 0; i < n; i++)
        send_key(k[i]);
}

static void on_winch(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    int rows, cols;
    if (term_size(1, &rows, &cols))
        render_resize(&fe.r, rows, cols);
    fe.help_shown = false;
    draw_frame();
}

static void on_frame(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    /* a tick within 1/60 s of an echo's frame waits for the next one */
    draw(fe.last_draw == 0 || mono_us() - fe.last_draw >= FRAME_US - 1000);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    event_base_loopbreak(fe.base);
}

static void *loop(void *arg)
{
    (void)arg;
    /* signals are the main thread's, SIGWINCH excepted (libevent's) */
    event_base_dispatch(fe.base);
    return NULL;
}

int fe_start(const fe_machine_t *m, int log_fd, const char **why)
{
    if (fe.running)
        return 0;
    int rows = SCR_ROWS, cols = SCR_COLS;
    if (!isatty(0) || !isatty(1)) {
        *why = "standard input and output must both be a terminal";
        return -1;
    }
    term_size(1, &rows, &cols);
    fe.m = *m;
    fe.out = g_string_sized_new(64 * 1024);
    pthread_mutex_init(&fe.count_lock, NULL);
    render_init(&fe.r, rows, cols);
    keyparse_init(&fe.kp);
    if (pipe(fe.stop_pipe) != 0 || !(fe.base = event_base_new())) {
        *why = "cannot set up the event loop";
        return -1;
    }
    fe.input = event_new(fe.base, 0, EV_READ | EV_PERSIST, on_input, NULL);
    fe.winch = evsignal_new(fe.base, SIGWINCH, on_winch, NULL);
    fe.frame = event_new(fe.base, -1, EV_PERSIST, on_frame, NULL);
    fe.esc = evtimer_new(fe.base, on_esc_timeout, NULL);
    fe.msg_timer = evtimer_new(fe.base, on_message_timeout, NULL);
    fe.soon = evtimer_new(fe.base, on_soon, NULL);
    fe.stop = event_new(fe.base, fe.stop_pipe[0], EV_READ, on_stop, NULL);
    struct timeval tv = { 0, FRAME_US };
    if (!fe.input || !fe.winch || !fe.frame || !fe.esc || !fe.msg_timer || !fe.soon || !fe.stop ||
        event_add(fe.input, NULL) || event_add(fe.winch, NULL) || event_add(fe.frame, &tv) ||
        event_add(fe.stop, NULL)) {
        *why = "cannot set up the event loop's events";
        return -1;
    }
    if (term_enter(0, 1, log_fd) != 0) {
        *why = strerror(errno);
        return -1;
    }
    /* the thread blocks the fatal signals, so that the main thread takes them */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int e = pthread_create(&fe.thread, NULL, loop, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e != 0) {
        term_leave();
        *why = "cannot start the front end's thread";
        return -1;
    }
    pthread_setname_np(fe.thread, "frontend");
    fe.running = true;
    return 0;
}

void fe_stop(void)
{
    if (!fe.running)
        return;
    fe.running = false;
    ssize_t w = write(fe.stop_pipe[1], "x", 1);
    (void)w;
    pthread_join(fe.thread, NULL);
    draw_frame();       /* the last state, for the scrollback of terminals that keep one */
    term_leave();
    event_free(fe.input);
    event_free(fe.winch);
    event_free(fe.frame);
    event_free(fe.esc);
    event_free(fe.msg_timer);
    event_free(fe.soon);
    event_free(fe.stop);
    event_base_free(fe.base);
    close(fe.stop_pipe[0]);
    close(fe.stop_pipe[1]);
    g_string_free(fe.out, TRUE);
}

void fe_counts(unsigned long *frames, unsigned long *cells)
{
    if (!fe.out) {
        *frames = *cells = 0;
        return;
    }
    pthread_mutex_lock(&fe.count_lock);
    *frames = fe.frames;
    *cells = fe.cells;
    pthread_mutex_unlock(&fe.count_lock);
}
