/* atabench: sequential write and then read of the whole of /dev/hda (64
 * MiB, or 4 MiB with "quick" on its command line) through the ATA
 * driver's block interface in 8 KiB requests, timed with the TSC; the
 * data read back is checked against what was written.  Prints "bench
 * ata_write_64m CYCLES cycles" and "bench ata_read_64m CYCLES cycles"
 * (4m with quick), or "not ok ..." on a failure. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <chacm/lib.h>
#include <chacm/task.h>

#include "atadrv_client.h"

int main(void);

#define CHUNK 8192
#define SECTORS_PER_CHUNK (CHUNK / 512)

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static char buf[CHUNK], back[CHUNK];

static void fill(unsigned chunk)
{
    for (unsigned k = 0; k < CHUNK; k += 8) {
        uint64_t v = (uint64_t)chunk * 0x9E3779B97F4A7C15ull + k;
        memcpy(buf + k, &v, 8);
    }
}

int main(void)
{
    bool quick = strstr(lib_cmdline(), "quick") != NULL;
    unsigned mib = quick ? 4 : 64, chunks = mib * 1024 * 1024 / CHUNK;
    chacm_handle_t hda;
    if (chacm_resolve("/dev/hda", &hda) != ESUCCESS) {
        printf("not ok atabench: no /dev/hda\n");
        return 1;
    }
    chacm_env_t e = { 0 };
    int cap = 0;
    if (block_get_capacity(hda.svr, hda.obj, &cap, &e) != ESUCCESS || cap < (int)(chunks * SECTORS_PER_CHUNK)) {
        printf("not ok atabench: /dev/hda has %d sectors, %u needed\n", cap, chunks * SECTORS_PER_CHUNK);
        return 1;
    }
    uint64_t t0 = tsc();
    for (unsigned c = 0; c < chunks; c++) {
        fill(c);
        if (block_write(hda.svr, hda.obj, (int)(c * SECTORS_PER_CHUNK), SECTORS_PER_CHUNK, CHUNK, buf, &e) != ESUCCESS) {
            printf("not ok atabench: write of chunk %u\n", c);
            return 1;
        }
    }
    uint64_t t1 = tsc();
    unsigned bad = 0;
    for (unsigned c = 0; c < chunks; c++) {
        char *p = back;
        int size = 0;
        if (block_read(hda.svr, hda.obj, (int)(c * SECTORS_PER_CHUNK), SECTORS_PER_CHUNK, &size, &p, &e) != ESUCCESS ||
            size != CHUNK) {
            printf("not ok atabench: read of chunk %u\n", c);
            return 1;
        }
        fill(c);
        bad += memcmp(p, buf, CHUNK) != 0;
    }
    uint64_t t2 = tsc();
    if (bad) {
        printf("not ok atabench: %u chunks read back differ\n", bad);
        return 1;
    }
    printf("bench ata_write_%um %llu cycles\n", mib, (unsigned long long)(t1 - t0));
    printf("bench ata_read_%um %llu cycles\n", mib, (unsigned long long)(t2 - t1));
    return 0;
}
