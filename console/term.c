/* Raw mode, the alternate screen and their restoration (term.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

static const char enter_seq[] = "\033[?1049h\033[?25l\033[0m\033[H\033[2J";
static const char leave_seq[] = "\033[0m\033[?25h\033[?1049l";

static struct termios saved, raw;
static int tin = -1, tout = -1;
static volatile sig_atomic_t active;
static int watchdog_fd = -1;        /* our end of the watchdog's pipe */
static int log_fd = -1;             /* what the run printed, shown after a crash */

static const int fatal_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGABRT };

bool term_write(const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(tout, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

static void restore(void)
{
    int e = errno;
    term_write(leave_seq, sizeof leave_seq - 1);
    tcsetattr(tin, TCSANOW, &saved);
    errno = e;
}

void term_leave(void)
{
    if (!active)
        return;
    active = 0;
    restore();
    if (watchdog_fd >= 0) {
        /* the watchdog's work is done: it ends without touching the terminal */
        ssize_t w = write(watchdog_fd, "q", 1);
        (void)w;
        close(watchdog_fd);
        watchdog_fd = -1;
    }
}

static void on_fatal(int sig)
{
    if (active) {
        active = 0;
        restore();
        /* the watchdog shows the run's messages once we are gone */
        if (watchdog_fd >= 0) {
            ssize_t w = write(watchdog_fd, "l", 1);
            (void)w;
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Copies what the run printed to the terminal (the watchdog). */
static void show_log(void)
{
    char buf[4096];
    off_t at = 0;
    ssize_t n;
    if (log_fd < 0)
        return;
    while ((n = pread(log_fd, buf, sizeof buf, at)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            /* the terminal is cooked again, but say \r\n to be sure of the first column */
            if (buf[i] == '\n')
                term_write("\r", 1);
            term_write(buf + i, 1);
        }
        at += n;
    }
}

/* The watchdog: waits for the simulator's end of the pipe; a "q" means
 * the terminal is restored, end of file without it that the simulator
 * died without restoring it. */
static void watchdog(int rd)
{
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        signal(fatal_signals[i], SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++)
        if (fd != rd && fd != tin && fd != tout && fd != log_fd)
            close(fd);
    char c = 0;
    ssize_t n;
    while ((n = read(rd, &c, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1) {
        restore();
        static const char msg[] = "\r\nchacmsim: the simulator ended without restoring the terminal\r\n";
        term_write(msg, sizeof msg - 1);
    }
    if (n != 1 || c == 'l')
        show_log();
    _exit(0);
}

static bool start_watchdog(void)
{
    int p[2];
    if (pipe(p) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    if (pid == 0) {
        close(p[1]);
        watchdog(p[0]);
    }
    close(p[0]);
    watchdog_fd = p[1];
    return true;
}

static void at_exit(void)
{
    term_leave();
}

int term_enter(int in_fd, int out_fd, int log)
{
    log_fd = log;
    if (tcgetattr(in_fd, &saved) != 0)
        return -1;
    tin = in_fd;
    tout = out_fd;
    raw = saved;
    raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    raw.c_oflag &= ~(tcflag_t)OPOST;
    raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    raw.c_cflag |= CS8;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (!start_watchdog())
        return -1;
    static bool registered;
    if (!registered) {
        registered = true;
        atexit(at_exit);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
            sigaction(fatal_signals[i], &sa, NULL);
    }
    if (tcsetattr(in_fd, TCSANOW, &raw) != 0) {
        int e = errno;
        ssize_t w = write(watchdog_fd, "q", 1);     /* nothing changed: nothing to restore */
        (void)w;
        close(watchdog_fd);
        watchdog_fd = -1;
        errno = e;
        return -1;
    }
    active = 1;
    term_write(enter_seq, sizeof enter_seq - 1);
    return 0;
}

void term_suspend(void)
{
    if (!active)
        return;
    term_write(leave_seq, sizeof leave_seq - 1);
    tcsetattr(tin, TCSANOW, &saved);
}

void term_resume(void)
{
    if (!active)
        return;
    tcsetattr(tin, TCSANOW, &raw);
    term_write(enter_seq, sizeof enter_seq - 1);
}

bool term_size(int fd, int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
        return false;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return true;
}
