/* bench_hostfault: the host floors for a page fault, measured in the same
 * run as bench_l4mem: raw_sigsegv, a SIGSEGV handler (on an alternate
 * signal stack) that mmaps a page of a memfd at the faulting address, as
 * the hosted kernel's fault path does without the L4 part; first_touch,
 * the kernel's own first-touch fault of anonymous memory.  Prints
 * "bench NAME MICROSECONDS us" per page, medians of 5 runs of 2048 pages. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "../hostbench.h"

#define PAGES 2048
#define RUNS 5
#define PAGE 4096UL

static char *region;
static int fd;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    char *page = (char *)((unsigned long)si->si_addr & ~(PAGE - 1));
    if (page < region || page >= region + PAGES * PAGE)
        abort();
    if (mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, page - region) == MAP_FAILED)
        abort();
}

static double raw_sigsegv(void)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        mmap(region, PAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
        double t0 = bench_seconds();
        for (unsigned long i = 0; i < PAGES; i++)
            *(volatile char *)(region + i * PAGE) = 1;
        t[r] = (bench_seconds() - t0) / PAGES;
    }
    return bench_median_double(t, RUNS);
}

static double first_touch(void)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        double t0 = bench_seconds();
        for (unsigned long i = 0; i < PAGES; i++)
            p[i * PAGE] = 1;
        t[r] = (bench_seconds() - t0) / PAGES;
        munmap(p, PAGES * PAGE);
    }
    return bench_median_double(t, RUNS);
}

int main(void)
{
    fd = memfd_create("bench", 0);
    if (fd < 0 || ftruncate(fd, PAGES * PAGE) != 0)
        return 1;
    region = mmap(NULL, PAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    stack_t ss = { .ss_sp = malloc(65536), .ss_size = 65536 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    printf("bench raw_sigsegv %.3f us\n", raw_sigsegv() * 1e6);
    printf("bench first_touch %.3f us\n", first_touch() * 1e6);
    return 0;
}
