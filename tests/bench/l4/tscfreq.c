/* tsc_mhz: prints the time-stamp counter's frequency in MHz, measured
 * against CLOCK_MONOTONIC over 200 ms, so benchmark cycles become time. */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
    struct timespec a, b, pause = { 0, 200000000 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    unsigned long long c0 = __rdtsc();
    nanosleep(&pause, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    unsigned long long c1 = __rdtsc();
    double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    printf("%.1f\n", (double)(c1 - c0) * 1000.0 / ns);
    return 0;
}
