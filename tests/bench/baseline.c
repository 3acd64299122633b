/* Floor costs of cross-thread handoffs on this host: the round trip between
 * two threads (on different CPUs where allowed) over a spinning shared flag,
 * a futex pair, two pipes and a Unix socket pair, plus the futex pair with
 * both threads on one CPU, the situation of a one-CPU simulator.  The L4 IPC
 * of chacmsim is judged against these; scripts/bench documents the output. */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "hostbench.h"

#define RUNS 5                    /* measurements per handoff; the median is reported */
#define SPINS_BEFORE_YIELD 4096   /* only matters when both threads share one CPU */
#define MSG8_WORDS 9              /* msg8: a tag and 8 words, as ipc_rt_8 carries */
#define MSG8_LOOK_NS 75.0         /* msg8: a look at the turn this often, as the kernel */

/* Everything two threads share for one handoff kind.  Fields written by
 * different threads live on different cache lines. */
typedef struct channel {
    _Alignas(64) atomic_uint flag; /* spin: 1 while a request is pending */
    _Alignas(64) atomic_uint req;  /* futex: sequence number of the last request */
    _Alignas(64) atomic_uint rsp;  /* futex: sequence number of the last reply */
    _Alignas(64) unsigned served;  /* futex: responder's last request seen */
    uint64_t pongs;                /* responder: requests answered */
    int fd_req[2];                 /* pipe: request pipe; unix: the socket pair */
    int fd_rsp[2];                 /* pipe: reply pipe */
    _Alignas(64) uint64_t pings;   /* initiator: requests sent */
    atomic_uint_least64_t stop_at; /* responder exits after answering this many */
    /* msg8: whose turn it is and the first words of the message in one
     * line, the rest of the message in the next, as the kernel's CPU lines */
    _Alignas(128) atomic_uint turn;
    uint64_t head[4];
    _Alignas(64) uint64_t tail[8];
    _Alignas(64) uint64_t words[2][MSG8_WORDS]; /* each side's own copy (a UTCB) */
} channel_t;

/* One handoff kind: ping sends a request and waits for the reply; pong waits
 * for a request and replies. */
typedef struct handoff_ops {
    const char *name; /* prefix of the bench lines */
    const char *what; /* description for the table */
    bool same_cpu;    /* both threads on the initiator's CPU */
    void (*open)(channel_t *c);
    void (*ping)(channel_t *c);
    void (*pong)(channel_t *c);
    void (*close)(channel_t *c);
} handoff_ops_t;

typedef struct result {
    double rt_us[RUNS]; /* sorted round-trip times */
    uint64_t rounds;    /* round trips per run */
    int cpu[2];         /* CPUs of initiator and responder, -1: not pinned */
} result_t;

typedef struct config {
    double run_seconds; /* target length of one measurement */
    double warmup_seconds;
    int cpu[2];         /* the first two CPUs we may use, -1 if none */
} config_t;

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "bench_baseline: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* ---- spin: one flag, busy waiting with pause */

/* Waits while *word is value, with `pauses` PAUSEs between two looks. */
static void spin_wait_while(atomic_uint *word, unsigned value, unsigned pauses)
{
    unsigned spins = 0;

    while (atomic_load_explicit(word, memory_order_acquire) == value) {
        for (unsigned k = 0; k < pauses; k++)
            __builtin_ia32_pause();
        if (++spins % SPINS_BEFORE_YIELD == 0)
            sched_yield();
    }
}

static void spin_open(channel_t *c) { atomic_store(&c->flag, 0); }
static void spin_close(channel_t *c) { (void)c; }

static void spin_ping(channel_t *c)
{
    atomic_store_explicit(&c->flag, 1, memory_order_release);
    spin_wait_while(&c->flag, 1, 1);
}

static void spin_pong(channel_t *c)
{
    spin_wait_while(&c->flag, 0, 1);
    atomic_store_explicit(&c->flag, 0, memory_order_release);
}

/* ---- msg8: the kernel's handoff of a 9-word message, without the kernel.
 * The message goes in two cache lines (4 words with the turn, 5 in the
 * next), each side copies it out of them into its own words and back, and a
 * waiting side looks at the turn about every MSG8_LOOK_NS, as the kernel's
 * waiting threads do (docs/kernel.md).  The floor for an IPC of 8 words in
 * that design. */

static unsigned msg8_pauses = 1;

/* PAUSEs of about MSG8_LOOK_NS, measured once. */
static void msg8_calibrate(void)
{
    double t0 = bench_seconds();
    for (int i = 0; i < 20000; i++)
        __builtin_ia32_pause();
    double per_ns = (bench_seconds() - t0) * 1e9 / 20000;
    msg8_pauses = per_ns > 0 && MSG8_LOOK_NS / per_ns > 1 ? (unsigned)(MSG8_LOOK_NS / per_ns + 0.5) : 1;
}

static void msg8_open(channel_t *c)
{
    atomic_store(&c->turn, 0);     /* the initiator holds it first */
    for (unsigned i = 0; i < MSG8_WORDS; i++)
        c->words[0][i] = c->words[1][i] = i;
}

static void msg8_close(channel_t *c) { (void)c; }

static void msg8_wait(channel_t *c, unsigned me)
{
    spin_wait_while(&c->turn, me ^ 1, msg8_pauses);  /* two sides: the turn is 0 or 1 */
    __asm__ volatile("prefetchw %0" : : "m"(c->tail[0]));
    for (unsigned i = 0; i < 4; i++)
        c->words[me][i] = c->head[i];
    for (unsigned i = 4; i < MSG8_WORDS; i++)
        c->words[me][i] = c->tail[i - 4];
}

static void msg8_hand(channel_t *c, unsigned me)
{
    for (unsigned i = 4; i < MSG8_WORDS; i++)
        c->tail[i - 4] = c->words[me][i];
    for (unsigned i = 0; i < 4; i++)
        c->head[i] = c->words[me][i];
    atomic_exchange_explicit(&c->turn, me ^ 1, memory_order_seq_cst);
}

static void msg8_ping(channel_t *c)
{
    msg8_hand(c, 0);
    msg8_wait(c, 0);
}

static void msg8_pong(channel_t *c)
{
    msg8_wait(c, 1);
    msg8_hand(c, 1);
}

/* ---- futex: sequence numbers, FUTEX_WAIT/FUTEX_WAKE, no spinning */

static void futex_wait(atomic_uint *word, unsigned expected)
{
    /* EAGAIN (the word changed) and EINTR both mean: look again. */
    syscall(SYS_futex, (void *)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *word)
{
    syscall(SYS_futex, (void *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void futex_open(channel_t *c)
{
    atomic_store(&c->req, 0);
    atomic_store(&c->rsp, 0);
    c->served = 0;
}

static void futex_close(channel_t *c) { (void)c; }

static void futex_ping(channel_t *c)
{
    unsigned seq = atomic_load_explicit(&c->req, memory_order_relaxed) + 1;
    unsigned seen;

    atomic_store_explicit(&c->req, seq, memory_order_release);
    futex_wake(&c->req);
    while ((seen = atomic_load_explicit(&c->rsp, memory_order_acquire)) != seq)
        futex_wait(&c->rsp, seen);
}

static void futex_pong(channel_t *c)
{
    unsigned seq;

    while ((seq = atomic_load_explicit(&c->req, memory_order_acquire)) == c->served)
        futex_wait(&c->req, c->served);
    c->served = seq;
    atomic_store_explicit(&c->rsp, seq, memory_order_release);
    futex_wake(&c->rsp);
}

/* ---- pipe and Unix socket: one byte each way */

static void send_byte(int fd)
{
    char b = 'p';

    while (write(fd, &b, 1) != 1) {
        if (errno != EINTR)
            die("write");
    }
}

static void recv_byte(int fd)
{
    char b;
    ssize_t n;

    while ((n = read(fd, &b, 1)) != 1) {
        if (n == 0)
            die("read: end of file");
        if (errno != EINTR)
            die("read");
    }
}

static void pipe_open(channel_t *c)
{
    if (pipe(c->fd_req) != 0 || pipe(c->fd_rsp) != 0)
        die("pipe");
}

static void pipe_close(channel_t *c)
{
    for (int i = 0; i < 2; i++) {
        close(c->fd_req[i]);
        close(c->fd_rsp[i]);
    }
}

static void pipe_ping(channel_t *c)
{
    send_byte(c->fd_req[1]);
    recv_byte(c->fd_rsp[0]);
}

static void pipe_pong(channel_t *c)
{
    recv_byte(c->fd_req[0]);
    send_byte(c->fd_rsp[1]);
}

static void unix_open(channel_t *c)
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, c->fd_req) != 0)
        die("socketpair");
}

static void unix_close(channel_t *c)
{
    close(c->fd_req[0]);
    close(c->fd_req[1]);
}

static void unix_ping(channel_t *c)
{
    send_byte(c->fd_req[0]);
    recv_byte(c->fd_req[0]);
}

static void unix_pong(channel_t *c)
{
    recv_byte(c->fd_req[1]);
    send_byte(c->fd_req[1]);
}

static const handoff_ops_t handoffs[] = {
    { "spin", "shared flag, spin with pause", false, spin_open, spin_ping, spin_pong, spin_close },
    { "msg8", "9 words in 2 lines, as the kernel", false, msg8_open, msg8_ping, msg8_pong, msg8_close },
    { "futex", "futex wait/wake, no spinning", false, futex_open, futex_ping, futex_pong,
      futex_close },
    { "pipe", "two pipes, one byte each way", false, pipe_open, pipe_ping, pipe_pong, pipe_close },
    { "unix", "Unix socketpair, one byte", false, unix_open, unix_ping, unix_pong, unix_close },
    { "futex_samecpu", "futex wait/wake, both on one CPU", true, futex_open, futex_ping, futex_pong,
      futex_close },
};

/* ---- measuring */

typedef struct responder_arg {
    const handoff_ops_t *ops;
    channel_t *chan;
} responder_arg_t;

/* Answers requests until it has answered chan->stop_at of them. */
static void *responder(void *arg)
{
    responder_arg_t *r = arg;

    for (;;) {
        r->ops->pong(r->chan);
        r->chan->pongs++;
        if (r->chan->pongs == atomic_load(&r->chan->stop_at))
            return NULL;
    }
}

static bool pin_thread(pthread_t t, int cpu)
{
    cpu_set_t set;

    if (cpu < 0)
        return false;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(t, sizeof set, &set) == 0;
}

/* Picks the first two CPUs this process may run on; -1 where there is none. */
static void pick_cpus(int cpu[2])
{
    cpu_set_t set;
    int found = 0;

    cpu[0] = cpu[1] = -1;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return;
    for (int i = 0; i < CPU_SETSIZE && found < 2; i++) {
        if (CPU_ISSET(i, &set))
            cpu[found++] = i;
    }
}

/* Seconds taken by n round trips. */
static double time_rounds(const handoff_ops_t *ops, channel_t *c, uint64_t n)
{
    double t0 = bench_seconds();

    for (uint64_t i = 0; i < n; i++)
        ops->ping(c);
    c->pings += n;
    return bench_seconds() - t0;
}

/* Warms up, finds the round count that lasts about run_seconds, and
 * returns it. */
static uint64_t calibrate(const handoff_ops_t *ops, channel_t *c, const config_t *cfg)
{
    uint64_t n = 16;
    double t;

    for (double t0 = bench_seconds(); bench_seconds() - t0 < cfg->warmup_seconds;)
        time_rounds(ops, c, 16);
    while ((t = time_rounds(ops, c, n)) < cfg->run_seconds / 8 && n < (UINT64_C(1) << 40))
        n *= 2;
    n = (uint64_t)((double)n * cfg->run_seconds / (t > 0 ? t : 1e-9));
    return n ? n : 1;
}

/* Measures one handoff kind with a fresh responder thread. */
static void measure(const handoff_ops_t *ops, const config_t *cfg, result_t *res)
{
    static channel_t chan;
    responder_arg_t arg = { ops, &chan };
    pthread_t thread;

    memset(&chan, 0, sizeof chan);
    atomic_store(&chan.stop_at, UINT64_MAX);
    ops->open(&chan);
    if ((errno = pthread_create(&thread, NULL, responder, &arg)) != 0)
        die("pthread_create");
    res->cpu[0] = pin_thread(pthread_self(), cfg->cpu[0]) ? cfg->cpu[0] : -1;
    res->cpu[1] = ops->same_cpu ? cfg->cpu[0] : cfg->cpu[1];
    if (res->cpu[0] < 0 || !pin_thread(thread, res->cpu[1]))
        res->cpu[1] = -1;

    res->rounds = calibrate(ops, &chan, cfg);
    for (int i = 0; i < RUNS; i++)
        res->rt_us[i] = time_rounds(ops, &chan, res->rounds) * 1e6 / (double)res->rounds;
    (void)bench_median_double(res->rt_us, RUNS);     /* sorted: the table shows min, median, max */

    atomic_store(&chan.stop_at, chan.pings + 1); /* the next request is the last */
    ops->ping(&chan);
    pthread_join(thread, NULL);
    ops->close(&chan);
}

static void print_table(const config_t *cfg, const result_t *res)
{
    printf("\nBaseline cross-thread handoffs (median of %d runs of ~%.2f s each)\n", RUNS,
           cfg->run_seconds);
    printf("  %-14s %-33s %-5s %12s %12s %12s %12s %10s\n", "handoff", "mechanism", "cpus",
           "round trip", "one way", "min rt", "max rt", "rounds");
    for (size_t i = 0; i < sizeof handoffs / sizeof handoffs[0]; i++) {
        const result_t *r = &res[i];
        double med = r->rt_us[RUNS / 2];
        char cpus[16] = "-";
        if (r->cpu[1] >= 0)
            snprintf(cpus, sizeof cpus, "%d,%d", r->cpu[0], r->cpu[1]);
        printf("  %-14s %-33s %-5s %9.3f us %9.3f us %9.3f us %9.3f us %10llu\n",
               handoffs[i].name, handoffs[i].what, cpus, med, med / 2, r->rt_us[0],
               r->rt_us[RUNS - 1], (unsigned long long)r->rounds);
    }
    printf("  cpus: initiator,responder as pinned; '-': not pinned (not allowed, or one CPU)\n");
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_baseline [--quick] [--only NAME]\n"
               "  Prints 'bench NAME VALUE us' lines for round trips (*_rt) and one-way\n"
               "  handoffs (*_ow = rt/2), then a table.  --quick: short runs (smoke test).\n"
               "  --only NAME: measure just that handoff (spin, msg8, futex, pipe, unix,\n"
               "  futex_samecpu) and print its two lines, no table.\n");
}

int main(int argc, char **argv)
{
    config_t cfg = { .run_seconds = 0.25, .warmup_seconds = 0.05 };
    result_t res[sizeof handoffs / sizeof handoffs[0]];
    const char *only = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            cfg.run_seconds = 0.01;
            cfg.warmup_seconds = 0.002;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
            bool known = false;
            for (size_t k = 0; k < sizeof handoffs / sizeof handoffs[0]; k++)
                known |= strcmp(handoffs[k].name, only) == 0;
            if (!known) {
                fprintf(stderr, "bench_baseline: no handoff named '%s'\n", only);
                usage(stderr);
                return 2;
            }
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    pick_cpus(cfg.cpu);
    msg8_calibrate();

    for (size_t i = 0; i < sizeof handoffs / sizeof handoffs[0]; i++) {
        double med;
        if (only && strcmp(handoffs[i].name, only) != 0)
            continue;
        measure(&handoffs[i], &cfg, &res[i]);
        med = res[i].rt_us[RUNS / 2];
        printf("bench %s_rt %.3f us\n", handoffs[i].name, med);
        printf("bench %s_ow %.3f us\n", handoffs[i].name, med / 2);
        fflush(stdout);
    }
    if (!only)
        print_table(&cfg, res);
    return 0;
}
