/* Helpers of the in-simulator benchmark modules: the CPU's time-stamp
 * counter and the median of repeated measurements. */
#ifndef CHACM_BENCH_H
#define CHACM_BENCH_H

#define BENCH_MAX_REPEATS 64

static inline unsigned long long bench_tsc(void)
{
    return __builtin_ia32_rdtsc();
}

/* The median of v[0..n), n <= BENCH_MAX_REPEATS; v is left as it is. */
static inline unsigned long long bench_median(const volatile unsigned long long *v, int n)
{
    unsigned long long s[BENCH_MAX_REPEATS];
    for (int i = 0; i < n; i++)
        s[i] = v[i];
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && s[j] < s[j - 1]; j--) {
            unsigned long long x = s[j];
            s[j] = s[j - 1];
            s[j - 1] = x;
        }
    return s[n / 2];
}

#endif /* CHACM_BENCH_H */
