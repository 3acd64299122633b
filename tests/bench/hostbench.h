/* Helpers of the benchmark programs that run on the host (the floors that
 * scripts/bench compares the simulator with): a monotonic clock and the
 * median of repeated measurements.  The in-simulator modules use bench.h. */
#ifndef CHACM_HOSTBENCH_H
#define CHACM_HOSTBENCH_H

#include <stdlib.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of v[0..n) (the upper one of the middle two when n is even);
 * sorts v. */
static inline double bench_median_double(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return v[n / 2];
}

#endif /* CHACM_HOSTBENCH_H */
