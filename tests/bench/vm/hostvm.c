/* bench_hostvm: the Linux floor for vm_touch_vs_linux, measured in the same
 * run as bench_l4vm: the first touch, page by page, of fresh anonymous mmap
 * memory in 4 KiB pages (MADV_NOHUGEPAGE, so that the figure does not
 * depend on the host's transparent huge page setting).  Prints
 * "bench linux_touch_page MICROSECONDS us", the median of 5 runs over
 * 64 MiB (4 MiB with --quick). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define RUNS 5
#define PAGE 4096UL
#define MiB (1UL << 20)

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    unsigned long size = (argc > 1 && strcmp(argv[1], "--quick") == 0 ? 4 : 64) * MiB;
    unsigned long pages = size / PAGE;
    double t[RUNS];

    for (int r = 0; r < RUNS; r++) {
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED || madvise(p, size, MADV_NOHUGEPAGE) != 0) {
            fprintf(stderr, "bench_hostvm: mmap/madvise failed\n");
            return 1;
        }
        double t0 = now();
        for (unsigned long i = 0; i < pages; i++)
            p[i * PAGE] = 1;
        t[r] = (now() - t0) / (double)pages;
        munmap(p, size);
    }
    qsort(t, RUNS, sizeof t[0], cmp);
    printf("bench linux_touch_page %.4f us\n", t[RUNS / 2] * 1e6);
    return 0;
}
