/* bench_hostfs: the host's floor for bench_l4fs on tmpfs: cp of a 64 MiB
 * file (4 MiB with --quick) and reading it back in 4 KiB reads, and a
 * directory of 10,000 entries (1,000) created and listed.  Prints
 * "bench NAME VALUE us". */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../hostbench.h"

static int run_cp(const char *from, const char *to)
{
    pid_t p = fork();
    if (p == 0) {
        execlp("cp", "cp", from, to, (char *)NULL);
        _exit(127);
    }
    int st;
    return p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    size_t bytes = quick ? 4u << 20 : 64u << 20;
    int entries = quick ? 1000 : 10000;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    char dir[256], src[300], dst[300], path[400];
    snprintf(dir, sizeof dir, "%s/chacm-hostfs-XXXXXX", base);
    if (!mkdtemp(dir)) return perror("bench_hostfs"), 1;
    snprintf(src, sizeof src, "%s/src", dir);
    snprintf(dst, sizeof dst, "%s/dst", dir);
    static char chunk[4096];
    int fd = open(src, O_WRONLY | O_CREAT, 0600);
    for (size_t off = 0; off < bytes; off += sizeof chunk)
        if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) return perror("bench_hostfs"), 1;
    close(fd);
    double t0 = 1e6 * bench_seconds();
    if (run_cp(src, dst)) return fprintf(stderr, "bench_hostfs: cp failed\n"), 1;
    double t1 = 1e6 * bench_seconds();
    fd = open(dst, O_RDONLY);
    while (read(fd, chunk, sizeof chunk) > 0) {}
    close(fd);
    double t2 = 1e6 * bench_seconds();
    snprintf(path, sizeof path, "%s/many", dir);
    mkdir(path, 0700);
    for (int i = 0; i < entries; i++) {
        snprintf(path, sizeof path, "%s/many/entry-%05d", dir, i);
        int e = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (e < 0) return perror("bench_hostfs"), 1;
        close(e);
    }
    double t3 = 1e6 * bench_seconds();
    snprintf(path, sizeof path, "%s/many", dir);
    DIR *d = opendir(path);
    int n = 0;
    while (readdir(d)) n++;
    closedir(d);
    double t4 = 1e6 * bench_seconds();
    printf("bench host_cp_%zum %.1f us\n", bytes >> 20, t1 - t0);
    printf("bench host_read_%zum %.1f us\n", bytes >> 20, t2 - t1);
    printf("bench host_dir_create_entry %.3f us\n", (t3 - t2) / entries);
    printf("bench host_dir_list_entry %.3f us\n", (t4 - t3) / (n > 0 ? n : 1));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
