/* Kernel debugger calls and kernel messages.  Guest output (KDB_PrintChar,
 * KDB_PrintString) goes to the simulator's output stream, guest input
 * (KDB_ReadChar) comes from its stdin; kernel messages go to stderr, each
 * line starting with "kernel:" or the reporting part. */
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kern.h"
#include "kern_trace.h"

void kern_putc(int c)
{
    putc(c, kern.out);
}

void kern_log(const char *fmt, ...)
{
    va_list ap;
    fflush(kern.out);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Reads a NUL-terminated guest string into buf (truncated); false if the
 * string is not readable. */
static bool read_guest_string(const char *s, char *buf, size_t size)
{
    size_t got = 0;
    while (got + 1 < size) {
        size_t n = size - 1 - got < 64 ? size - 1 - got : 64;
        size_t r = kern_copy_from_guest(buf + got, s + got, n);
        if (r == 0)
            break;
        void *nul = memchr(buf + got, 0, r);
        if (nul)
            return true;
        got += r;
        if (r < n)
            break;
    }
    buf[got] = 0;
    return got > 0 || size == 1;
}

void kern_sys_kdb_print_char(L4_Word_t c);
void kern_sys_kdb_print_char(L4_Word_t c)
{
    kern_entry_nocharge();
    kern_putc((int)(c & 0xff));
}

void kern_sys_kdb_print_string(const char *s);
void kern_sys_kdb_print_string(const char *s)
{
    char buf[4096];
    kern_entry_nocharge();
    if (read_guest_string(s, buf, sizeof buf))
        fputs(buf, kern.out);
    else
        kern_log("kernel: %s: KDB_PrintString with an unreadable string at %p", kern_self->name, (void *)s);
}

void (*kern_kdb_hook)(const char *msg);

void kern_sys_kdb_enter(const char *s);
void kern_sys_kdb_enter(const char *s)
{
    char buf[256];
    kern_entry_nocharge();
    if (!read_guest_string(s, buf, sizeof buf))
        strcpy(buf, "(unreadable)");
    kern_log("kernel: KDB entered by %s: %s", kern_self->name, buf);
    KTRACE(KT_KDB, kern_self, NULL, 0, 0, 0, 0, 0);
    if (kern_kdb_hook)
        kern_kdb_hook(buf);
}

L4_Word_t kern_sys_kdb_read_char(L4_Word_t block);
static struct termios tty_saved;

static void tty_restore(void)
{
    tcsetattr(0, TCSANOW, &tty_saved);
}

/* A terminal on stdin delivers each key as typed, without echoing it and
 * with ^C as a byte (the console echoes and handles it); ^\ still ends the
 * simulator.  The settings return at exit. */
static void tty_setup(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    if (!isatty(0) || tcgetattr(0, &tty_saved) != 0)
        return;
    struct termios t = tty_saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
    t.c_cc[VINTR] = _POSIX_VDISABLE;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(0, TCSANOW, &t) == 0)
        atexit(tty_restore);
}

/* One byte of stdin.  Blocking: waits for it (the whole machine waits,
 * as at a real kernel debugger's prompt); 0 at the end of input.
 * Non-blocking: a byte that has arrived, else 0 (also at the end). */
static L4_Word_t read_char(L4_Word_t block)
{
    tty_setup();
    if (block) {
        fflush(kern.out);
    } else {
        struct pollfd p = { .fd = 0, .events = POLLIN };
        if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
            return 0;
    }
    unsigned char c;
    return read(0, &c, 1) == 1 ? c : 0;
}

/* Record and replay (--record, --replay): what each read returned, one
 * line per read ("b HEX" blocking, "n HEX" not), is the run's only input
 * besides the boot list and the seed; replaying it gives the run again. */
static FILE *record_to, *replay_from;

void kern_input_record(FILE *f)
{
    record_to = f;
}

void kern_input_replay(FILE *f)
{
    replay_from = f;
}

static L4_Word_t replayed(L4_Word_t block)
{
    char line[64], kind;
    unsigned long v;
    while (fgets(line, sizeof line, replay_from)) {
        if (line[0] == '#')
            continue;
        if (sscanf(line, "%c %lx", &kind, &v) != 2 || (kind != 'b' && kind != 'n') || v > 0xff) {
            kern_log("kernel: --replay: a malformed line: %s", line);
            break;
        }
        if ((kind == 'b') != (block != 0))
            kern_log("kernel: --replay: a %s read where the record has a %s one: the run differs from the "
                     "recorded one", block ? "blocking" : "non-blocking", kind == 'b' ? "blocking" : "non-blocking");
        return v;
    }
    return 0;       /* the end of the recorded input */
}

L4_Word_t kern_sys_kdb_read_char(L4_Word_t block)
{
    kern_entry_nocharge();
    L4_Word_t c = replay_from ? replayed(block) : read_char(block);
    if (record_to) {
        fprintf(record_to, "%c %lx\n", block ? 'b' : 'n', c);
        if (block)
            fflush(record_to);
    }
    return c;
}
