/* bench_boot: how long ChacmOS takes to boot to the shell prompt.  Runs the
 * default system (boot/default.lst: booter, memsvr, namesvr, console,
 * ramdisk, filesvr mounting the ext2 boot disk, shell) headless with
 * --preempt=off, times the wall clock from the start of chacmsim to the
 * first prompt, then types `uptime` (the virtual clock when the shell runs
 * its first command) and ends the input.  The floor is a minimal boot of the
 * same simulator: one program as the root task that prints a line and
 * ends (--root hello), start to exit.  The median of the runs:
 *   bench boot_prompt_wall MS ms      wall time to the prompt
 *   bench boot_prompt_virtual MS ms   virtual time at the first command
 *   bench boot_minimal_wall MS ms     the minimal boot, start to exit
 * scripts/bench divides the first by the last (ratio boot_vs_minimal).
 * --quick: 3 runs instead of 9. */
#include <stdbool.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hostbench.h"

#define MAX_RUNS 9
#define PROMPT "chacmOS:/ > "
#define LIMIT_MS 60000.0

/* Starts argv with pipes on stdin and stdout (stderr too); its pid. */
static pid_t spawn(char *const argv[], int *in, int *out)
{
    int pin[2], pout[2];
    if (pipe(pin) || pipe(pout))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        dup2(pout[1], 2);
        close(pin[0]), close(pin[1]), close(pout[0]), close(pout[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    *in = pin[1];
    *out = pout[0];
    return pid;
}

/* Reads from fd into buf (appending at *len) until it holds want;
 * false at the end of the output, an error or the time limit. */
static bool read_until(int fd, char *buf, size_t cap, size_t *len, const char *want, double start)
{
    while (!memmem(buf, *len, want, strlen(want))) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (1e3 * bench_seconds() - start > LIMIT_MS || poll(&p, 1, 1000) < 0)
            return false;
        if (!(p.revents & (POLLIN | POLLHUP)))
            continue;
        if (*len + 1 >= cap)
            *len = 0;           /* only the tail matters */
        ssize_t n = read(fd, buf + *len, cap - *len - 1);
        if (n <= 0)
            return false;
        *len += (size_t)n;
        buf[*len] = 0;
    }
    return true;
}

/* One boot to the prompt: its wall and virtual milliseconds. */
static bool boot_once(const char *sim, const char *list, double *wall, double *virt)
{
    char *argv[] = { (char *)sim, "--preempt=off", "--timeout", "60", "--hda", CHACM_HDA, "--snapshot", (char *)list,
                     NULL };
    static char buf[1 << 16];
    size_t len = 0;
    int in, out;
    double start = 1e3 * bench_seconds();
    pid_t pid = spawn(argv, &in, &out);
    if (pid < 0)
        return false;
    bool ok = read_until(out, buf, sizeof buf, &len, PROMPT, start);
    *wall = 1e3 * bench_seconds() - start;
    if (ok) {
        ok = write(in, "uptime\n", 7) == 7;
        len = 0;
        ok = ok && read_until(out, buf, sizeof buf, &len, " s of virtual time", start);
        char *u = ok ? strstr(buf, "uptime: ") : NULL;
        ok = u && sscanf(u, "uptime: %lf", virt) == 1;
        *virt *= 1e3;
    }
    close(in);
    while (read(out, buf, sizeof buf) > 0)
        ;
    close(out);
    int status;
    waitpid(pid, &status, 0);
    return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The minimal boot, start to exit. */
static bool minimal_once(const char *sim, double *wall)
{
    char *argv[] = { (char *)sim, "--preempt=off", "--timeout", "60", "--root", "hello", NULL };
    static char buf[4096];
    int in, out;
    double start = 1e3 * bench_seconds();
    pid_t pid = spawn(argv, &in, &out);
    if (pid < 0)
        return false;
    close(in);
    while (read(out, buf, sizeof buf) > 0)
        ;
    close(out);
    int status;
    waitpid(pid, &status, 0);
    *wall = 1e3 * bench_seconds() - start;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 3 : MAX_RUNS;
    double wall[MAX_RUNS], virt[MAX_RUNS], minimal[MAX_RUNS];
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < runs; i++) {
        if (!boot_once(CHACM_SIM, CHACM_BOOT_LIST, &wall[i], &virt[i])) {
            fprintf(stderr, "bench_boot: %s %s did not reach the prompt and answer uptime\n", CHACM_SIM,
                    CHACM_BOOT_LIST);
            return 1;
        }
        if (!minimal_once(CHACM_SIM, &minimal[i])) {
            fprintf(stderr, "bench_boot: %s --root hello failed\n", CHACM_SIM);
            return 1;
        }
    }
    double w = bench_median_double(wall, runs), v = bench_median_double(virt, runs), m = bench_median_double(minimal, runs);
    printf("bench boot_prompt_wall %.2f ms\n", w);
    printf("bench boot_prompt_virtual %.3f ms\n", v);
    printf("bench boot_minimal_wall %.2f ms\n", m);
    printf("\nboot to the shell prompt (boot/default.lst, median of %d runs)\n", runs);
    printf("  wall time to the prompt          %8.2f ms\n", w);
    printf("  virtual time at the first command %7.3f ms\n", v);
    printf("  minimal boot (--root hello), wall %7.2f ms\n", m);
    return 0;
}
