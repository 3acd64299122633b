/* The monitor's sessions: where commands come from (the terminal, or one
 * client at a time on a Unix socket), entering and leaving it.  It runs on
 * the host thread of whichever L4 thread holds the CPU when it is entered,
 * so the whole system stands still and kernel state may be read; it never
 * changes kernel state except the trace settings.
 *
 * Socket protocol: lines in, lines out.  Every reply (the banner on entry
 * included) ends with a line that is a single ".".  A line sent while the
 * system runs stops it (the banner comes first, then the line's reply).
 * The session ends when the client closes the socket; the system goes on.
 *
 * The terminal front end's Ctrl-A c (sim_monitor_session) is a session on
 * the terminal whatever --monitor says: its host thread asks for the
 * monitor and waits until the session on the CPU has continued. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kern.h"
#include "monitor.h"
#include "simtrace.h"

static bool terminal;                   /* "-": stdin and stdout */
static int listen_fd = -1;
static char *sock_path;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int client = -1;                 /* the connected client, or -1 */
static bool active, requested;          /* in the monitor; asked to enter */
static bool stepping;
static GString *inbuf;                  /* bytes read from the client, not yet a line */
static int fe_in = -1, fe_out = -1;     /* the front end's session: its fds while it is asked for or runs */
static bool fe_over;                    /* that session has continued */

/* The descriptors of the session: the front end's, the terminal, or the client. */
static int in_fd(void)
{
    return fe_in >= 0 ? fe_in : terminal ? 0 : client;
}

static int out_fd(void)
{
    return fe_out >= 0 ? fe_out : terminal ? 1 : client;
}

static bool on_terminal(void)
{
    return terminal || fe_out >= 0;
}

static void update_watch(void)
{
    kern_trace_watch(sim_monitor_break_kinds() | (stepping ? KT_ALL : 0));
}

static void say(const char *text)
{
    size_t n = strlen(text);
    int fd = out_fd();
    bool tty = on_terminal();
    if (fd < 0)
        return;
    if (tty)
        fflush(kern.out);
    while (n) {
        /* a client that went away must not end the run with SIGPIPE */
        ssize_t w = tty ? write(fd, text, n) : send(fd, text, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        text += w;
        n -= (size_t)w;
    }
}

/* The next command line, or NULL at the end of the input. */
static char *read_line(void)
{
    int fd = in_fd();
    if (fd < 0)
        return NULL;
    for (;;) {
        char *nl = memchr(inbuf->str, '\n', inbuf->len);
        if (nl) {
            char *line = g_strndup(inbuf->str, (gsize)(nl - inbuf->str));
            g_string_erase(inbuf, 0, nl - inbuf->str + 1);
            g_strstrip(line);
            return line;
        }
        char buf[512];
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        g_string_append_len(inbuf, buf, r);
    }
}

static void reply_end(GString *out)
{
    if (out->len && out->str[out->len - 1] != '\n')
        g_string_append_c(out, '\n');
    g_string_append(out, on_terminal() ? "kdb> " : ".\n");
    say(out->str);
    g_string_truncate(out, 0);
}

/* Waits (the system stands still) until a client is connected. */
static bool wait_client(void)
{
    if (on_terminal())
        return true;
    pthread_mutex_lock(&lock);
    while (client < 0 && listen_fd >= 0)
        pthread_cond_wait(&changed, &lock);
    bool ok = client >= 0;
    pthread_mutex_unlock(&lock);
    return ok;
}

static void close_client(void)
{
    pthread_mutex_lock(&lock);
    if (client >= 0)
        close(client);
    client = -1;
    g_string_truncate(inbuf, 0);
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

/* The monitor proper: a banner, then commands until one continues. */
static void enter(const char *why)
{
    if (!wait_client())
        return;
    pthread_mutex_lock(&lock);
    active = true;
    requested = false;
    pthread_mutex_unlock(&lock);
    stepping = false;
    update_watch();
    kern_thread_t *self = kern_self;
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "kdb: entered (%s) at virtual time %llu us on %s\n", why,
                           (unsigned long long)(kern_time() / 1000), self ? self->name : "-");
    reply_end(out);
    int r = MON_STAY;
    for (;;) {
        char *line = read_line();
        if (!line) {
            if (fe_in < 0 && !terminal)
                close_client();
            g_string_truncate(inbuf, 0);
            r = MON_CONTINUE;
            break;
        }
        r = sim_monitor_command(line, out);
        g_free(line);
        if (r != MON_STAY) {
            g_string_append(out, r == MON_STEP ? "kdb: stepping one event\n" : "kdb: continuing\n");
            reply_end(out);
            break;
        }
        reply_end(out);
    }
    g_string_free(out, TRUE);
    stepping = r == MON_STEP;
    update_watch();
    pthread_mutex_lock(&lock);
    active = false;
    if (fe_in >= 0)
        fe_over = true;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static void on_event(const kern_trace_rec_t *r)
{
    char why[320];
    if (stepping) {
        char line[256];
        sim_trace_line(r, line, sizeof line);
        snprintf(why, sizeof why, "step: %s", line);
        enter(why);
        return;
    }
    if (sim_monitor_hits(r, why, sizeof why))
        enter(why);
}

static void on_kdb(const char *msg)
{
    char why[300];
    snprintf(why, sizeof why, "L4_KDB_Enter: %s", msg);
    enter(why);
}

static void on_request(const char *why)
{
    pthread_mutex_lock(&lock);
    bool fe = fe_in >= 0;
    pthread_mutex_unlock(&lock);
    if (fe) {
        enter("Ctrl-A c");
        return;
    }
    if (!strcmp(why, "deadlock") && !terminal) {
        pthread_mutex_lock(&lock);
        bool connected = client >= 0;
        pthread_mutex_unlock(&lock);
        if (!connected)
            return;         /* nobody to ask: the run ends with the report */
    }
    enter(why);
}

/* The socket's host thread: accepts one client at a time and, while the
 * system runs, asks for the monitor when the client sends something. */
static void *listener(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return NULL;
        }
        pthread_mutex_lock(&lock);
        client = fd;
        pthread_cond_broadcast(&changed);
        while (client == fd) {
            while (client == fd && (active || requested))
                pthread_cond_wait(&changed, &lock);
            if (client != fd)
                break;
            pthread_mutex_unlock(&lock);
            struct pollfd p = { .fd = fd, .events = POLLIN };
            int n = poll(&p, 1, 200);
            pthread_mutex_lock(&lock);
            if (n == 1 && client == fd && (p.revents & (POLLHUP | POLLERR)) && !(p.revents & POLLIN)) {
                close(fd);
                client = -1;
                g_string_truncate(inbuf, 0);
                break;
            }
            if (n == 1 && client == fd && !active && !requested) {
                requested = true;
                kern_monitor_request();
            }
        }
        pthread_mutex_unlock(&lock);
    }
}

void sim_monitor_request(void)
{
    kern_monitor_request();
}

void sim_monitor_enable(void)
{
    if (!inbuf)
        inbuf = g_string_new(NULL);
    kern_trace_watcher = on_event;
    kern_kdb_hook = on_kdb;
    kern_monitor_hook = on_request;
}

void sim_monitor_session(int in, int out)
{
    pthread_mutex_lock(&lock);
    fe_in = in;
    fe_out = out;
    fe_over = false;
    pthread_mutex_unlock(&lock);
    kern_monitor_request();
    pthread_mutex_lock(&lock);
    while (!fe_over)
        pthread_cond_wait(&changed, &lock);
    fe_in = fe_out = -1;
    pthread_mutex_unlock(&lock);
}

int sim_monitor_init(const char *where, char **breaks)
{
    if (!inbuf)
        inbuf = g_string_new(NULL);
    GString *msg = g_string_new(NULL);
    for (int i = 0; breaks && breaks[i]; i++)
        if (!sim_monitor_add_break(breaks[i], msg)) {
            fprintf(stderr, "chacmsim: --break '%s': %s", breaks[i], msg->str);
            g_string_free(msg, TRUE);
            return 64;
        }
    g_string_free(msg, TRUE);
    terminal = !strcmp(where, "-");
    if (!terminal) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        if (strlen(where) >= sizeof a.sun_path) {
            fprintf(stderr, "chacmsim: --monitor %s: the socket path is too long\n", where);
            return 64;
        }
        strcpy(a.sun_path, where);
        unlink(where);
        listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, sizeof a) || listen(listen_fd, 1)) {
            fprintf(stderr, "chacmsim: --monitor %s: %s\n", where, strerror(errno));
            if (listen_fd >= 0)
                close(listen_fd);
            listen_fd = -1;
            return 64;
        }
        sock_path = g_strdup(where);
        pthread_t t;
        if (pthread_create(&t, NULL, listener, NULL)) {
            fprintf(stderr, "chacmsim: --monitor: cannot start its thread\n");
            return 64;
        }
        pthread_detach(t);
    }
    sim_monitor_enable();
    update_watch();
    return -1;
}

void sim_monitor_fini(void)
{
    if (sock_path)
        unlink(sock_path);
}
