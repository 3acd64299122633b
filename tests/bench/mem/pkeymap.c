/* bench_pkeymap: what a protection key adds to installing a page, as the
 * hosted kernel's mdb.c installs one (a memfd page mapped over a window's
 * reservation), with another thread of the process spinning on another
 * CPU, as the next thread of a CPU handoff does during a page fault:
 *   host_install_nokey          mmap with MAP_POPULATE (isolation off)
 *   host_install_key_populated  the same, then pkey_mprotect of the present
 *                               page (the host flushes the other CPU's TLB)
 *   host_install_key_first      mmap, pkey_mprotect while nothing is
 *                               present, MADV_POPULATE_READ (mdb.c's order)
 * Microseconds per page, medians of 5 runs of 2048 pages.  Prints nothing
 * on a host without protection keys. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "../hostbench.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#define PAGES 2048
#define RUNS 5
#define PAGE 4096UL

enum { NOKEY, KEY_POPULATED, KEY_FIRST };

static atomic_int stop;
static int fd, key;

static void *spin(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed))
        __asm__ volatile("pause");
    return NULL;
}

/* One run: PAGES pages installed one by one into a fresh reservation
 * (with the key where the mode has one) and each touched. */
static double install(int mode)
{
    size_t size = PAGES * PAGE;
    char *base = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED || (mode != NOKEY && pkey_mprotect(base, size, PROT_NONE, key) != 0))
        abort();
    int rw = PROT_READ | PROT_WRITE;
    double t0 = bench_seconds();
    for (unsigned long i = 0; i < PAGES; i++) {
        char *va = base + i * PAGE;
        int flags = MAP_SHARED | MAP_FIXED | (mode == KEY_FIRST ? 0 : MAP_POPULATE);
        if (mmap(va, PAGE, rw, flags, fd, (off_t)(i * PAGE)) == MAP_FAILED)
            abort();
        if (mode != NOKEY && pkey_mprotect(va, PAGE, rw, key) != 0)
            abort();
        if (mode == KEY_FIRST)
            (void)madvise(va, PAGE, MADV_POPULATE_READ);
        *(volatile char *)va = 1;
    }
    double t = (bench_seconds() - t0) / PAGES;
    munmap(base, size);
    return t;
}

static double median(int mode)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++)
        t[r] = install(mode);
    return bench_median_double(t, RUNS);
}

int main(void)
{
    key = pkey_alloc(0, 0);
    if (key < 0)
        return 0;               /* no protection keys: nothing to compare */
    fd = memfd_create("bench", 0);
    if (fd < 0 || ftruncate(fd, PAGES * PAGE) != 0)
        return 1;
    pthread_t spinner;
    if (pthread_create(&spinner, NULL, spin, NULL) != 0)
        return 1;
    /* interleaved, so that each figure sees the same host conditions */
    double t[3] = { 0, 0, 0 };
    for (int round = 0; round < 3; round++)
        for (int mode = 0; mode < 3; mode++) {
            double m = median(mode);
            t[mode] = round == 0 || m < t[mode] ? m : t[mode];
        }
    atomic_store(&stop, 1);
    pthread_join(spinner, NULL);
    printf("bench host_install_nokey %.3f us\n", t[NOKEY] * 1e6);
    printf("bench host_install_key_populated %.3f us\n", t[KEY_POPULATED] * 1e6);
    printf("bench host_install_key_first %.3f us\n", t[KEY_FIRST] * 1e6);
    return 0;
}
