/* ata_hostio: the host side of bench_ata.  Writes the first MIB MiB of an
 * existing image file in 64 KiB pwrite calls, then reads them back in 64
 * KiB pread calls, each pass timed with CLOCK_MONOTONIC inside this
 * process (no program start in the figure, unlike a timed dd).  The file
 * is fsynced before each pass (outside the timing), so each starts, as
 * the ATA model's passes do, with every page of the image cached and
 * clean.  Prints "write MS" and "read MS".
 * Usage: ata_hostio FILE MIB */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostbench.h"

#define BLOCK (64 * 1024)

/* One pass over len bytes; false on an I/O error (reported). */
static int pass(int fd, char *buf, long long len, int writing, double *ms)
{
    if (fsync(fd) != 0) {
        fprintf(stderr, "ata_hostio: fsync: %s\n", strerror(errno));
        return 0;
    }
    double t0 = bench_seconds();
    for (long long at = 0; at < len; at += BLOCK) {
        ssize_t n = writing ? pwrite(fd, buf, BLOCK, at) : pread(fd, buf, BLOCK, at);
        if (n != BLOCK) {
            fprintf(stderr, "ata_hostio: %s at %lld: %s\n", writing ? "write" : "read", at,
                    n < 0 ? strerror(errno) : "short transfer");
            return 0;
        }
    }
    *ms = (bench_seconds() - t0) * 1e3;
    return 1;
}

int main(int argc, char **argv)
{
    char *end;
    long mib = argc == 3 ? strtol(argv[2], &end, 10) : 0;
    if (argc != 3 || *end || mib <= 0 || mib > 4096) {
        fprintf(stderr, "usage: ata_hostio FILE MIB (1-4096)\n");
        return 2;
    }
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) {
        fprintf(stderr, "ata_hostio: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    static char buf[BLOCK];
    memset(buf, 0x5A, sizeof buf);
    double w, r;
    long long len = (long long)mib << 20;
    if (!pass(fd, buf, len, 1, &w) || !pass(fd, buf, len, 0, &r))
        return 1;
    close(fd);
    printf("write %.3f\nread %.3f\n", w, r);
    return 0;
}
