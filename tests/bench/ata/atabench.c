/* atabench: sequential write and then read of the whole of /dev/hda (64
 * MiB, or 4 MiB with "quick" on its command line) through the ATA
 * driver's block interface, timed with the TSC: written and read in 128
 * KiB requests (read_bulk/write_bulk: one READ/WRITE MULTIPLE of 256
 * sectors each, as filesvr's read-ahead and clustered write-back ask),
 * then read again in 8 KiB requests (block::read); the data read back is
 * checked against what was written.  Prints "bench ata_write_64m CYCLES
 * cycles", "bench ata_read_64m CYCLES cycles" and "bench
 * ata_read_64m_8k CYCLES cycles" (4m with quick), or "not ok ..." on a
 * failure. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <chacm/lib.h>
#include <chacm/task.h>

#include "atadrv_client.h"

int main(void);

#define CHUNK CHACM_BLOCK_BULK_MAX
#define SMALL CHACM_BLOCK_XFER_MAX

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t buf[CHUNK / 8], back[CHUNK / 8];

/* The contents of bytes [k, k + 8) of the disk. */
static uint64_t word_at(uint64_t k)
{
    return (k / CHUNK) * 0x9E3779B97F4A7C15ull + k % CHUNK;
}

/* Words, not memcpy: the pattern must cost little next to the transfers. */
static void fill(uint64_t *to, uint64_t at, unsigned len)
{
    for (unsigned k = 0; k < len; k += 8)
        to[k / 8] = word_at(at + k);
}

static chacm_handle_t hda;
static chacm_env_t e;

/* Reads the first chunks * CHUNK bytes in requests of len bytes; the
 * number of requests whose data differ, or -1 on a failed request. */
static long read_all(unsigned chunks, unsigned len)
{
    long bad = 0;
    for (uint64_t at = 0; at < (uint64_t)chunks * CHUNK; at += len) {
        char *p = (char *)back;
        int size = 0, nr = (int)(at / 512), count = (int)(len / 512), rc;
        rc = len == CHUNK ? block_read_bulk(hda.svr, hda.obj, nr, count, &size, &p, &e)
                          : block_read(hda.svr, hda.obj, nr, count, &size, &p, &e);
        if (rc != ESUCCESS || e.error != CHACM_IDL_OK || size != (int)len) {
            printf("not ok atabench: read of %u bytes at %llu (%d, %lu)\n", len, (unsigned long long)at, rc, e.error);
            return -1;
        }
        fill(buf, at, len);
        bad += memcmp(p, buf, len) != 0;
    }
    return bad;
}

int main(void)
{
    bool quick = strstr(lib_cmdline(), "quick") != NULL;
    unsigned mib = quick ? 4 : 64, chunks = mib * 1024 * 1024 / CHUNK;
    if (chacm_resolve("/dev/hda", &hda) != ESUCCESS) {
        printf("not ok atabench: no /dev/hda\n");
        return 1;
    }
    int cap = 0;
    if (block_get_capacity(hda.svr, hda.obj, &cap, &e) != ESUCCESS || cap < (int)(chunks * (CHUNK / 512))) {
        printf("not ok atabench: /dev/hda has %d sectors, %u needed\n", cap, chunks * (CHUNK / 512));
        return 1;
    }
    uint64_t t0 = tsc();
    for (unsigned c = 0; c < chunks; c++) {
        fill(buf, (uint64_t)c * CHUNK, CHUNK);
        int rc = block_write_bulk(hda.svr, hda.obj, (int)(c * (CHUNK / 512)), CHUNK / 512, CHUNK, (const char *)buf, &e);
        if (rc != ESUCCESS || e.error != CHACM_IDL_OK) {
            printf("not ok atabench: write of chunk %u (%d, %lu)\n", c, rc, e.error);
            return 1;
        }
    }
    uint64_t t1 = tsc();
    long bad = read_all(chunks, CHUNK);
    uint64_t t2 = tsc();
    long bad8 = bad < 0 ? 0 : read_all(chunks, SMALL);
    uint64_t t3 = tsc();
    if (bad < 0 || bad8 < 0)
        return 1;
    if (bad || bad8) {
        printf("not ok atabench: %ld requests of 128 KiB and %ld of 8 KiB read back different data\n", bad, bad8);
        return 1;
    }
    printf("bench ata_write_%um %llu cycles\n", mib, (unsigned long long)(t1 - t0));
    printf("bench ata_read_%um %llu cycles\n", mib, (unsigned long long)(t2 - t1));
    printf("bench ata_read_%um_8k %llu cycles\n", mib, (unsigned long long)(t3 - t2));
    return 0;
}
