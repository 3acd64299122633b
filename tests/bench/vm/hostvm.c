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
#include "../hostbench.h"

#define RUNS 5
#define PAGE 4096UL
#define MiB (1UL << 20)

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
        double t0 = bench_seconds();
        for (unsigned long i = 0; i < pages; i++)
            p[i * PAGE] = 1;
        t[r] = (bench_seconds() - t0) / (double)pages;
        munmap(p, size);
    }
    printf("bench linux_touch_page %.4f us\n", bench_median_double(t, RUNS) * 1e6);
    return 0;
}
