/* tests/fs: the file-backed block device and the e2fsprogs helpers. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsimg.h"

static int img_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    struct fsimg *img = ctx;
    size_t n = (size_t)count * 512;
    return pread(img->fd, buf, n, (off_t)(sector * 512)) == (ssize_t)n ? 0 : FS_EIO;
}

static int img_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    struct fsimg *img = ctx;
    size_t n = (size_t)count * 512;
    if (++img->wrequests == img->fail_at || img->fail_writes) return FS_EIO;   /* nothing written */
    img->writes += count;
    return pwrite(img->fd, buf, n, (off_t)(sector * 512)) == (ssize_t)n ? 0 : FS_EIO;
}

static uint32_t img_now(void *ctx)
{
    return ((struct fsimg *)ctx)->time;
}

int fsimg_open(struct fsimg *img, const char *path)
{
    memset(img, 0, sizeof *img);
    img->fd = open(path, O_RDWR);
    if (img->fd < 0) return -1;
    struct stat st;
    fstat(img->fd, &st);
    img->time = 1700000000;
    img->dev = (struct fs_blkdev){ .ctx = img, .sector_size = 512, .nsectors = (uint64_t)st.st_size / 512,
                                   .read = img_read, .write = img_write, .now = img_now };
    return 0;
}

void fsimg_close(struct fsimg *img)
{
    if (img->fd >= 0) close(img->fd);
    img->fd = -1;
}

static char *vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) abort();
    return s;
}

int fsimg_sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = vformat(fmt, ap);
    va_end(ap);
    char *full = NULL;
    if (asprintf(&full, "PATH=/usr/sbin:/sbin:$PATH; (%s) >/dev/null 2>&1", cmd) < 0) abort();
    int st = system(full);
    free(cmd);
    free(full);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

char *fsimg_capture(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = vformat(fmt, ap);
    va_end(ap);
    char *full = NULL;
    if (asprintf(&full, "PATH=/usr/sbin:/sbin:$PATH; { %s; } 2>/dev/null", cmd) < 0) abort();
    FILE *p = popen(full, "r");
    free(cmd);
    free(full);
    if (!p) return NULL;
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    size_t n;
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) out = realloc(out, cap *= 2);
    }
    out[len] = 0;
    pclose(p);
    return out;
}

int fsimg_fsck_clean(const char *path)
{
    char *out = fsimg_capture("{ e2fsck -fn '%s' 2>&1; echo \"exit=$?\"; }", path);
    int ok = out && strstr(out, "exit=0\n") != NULL;
    if (!ok) fprintf(stderr, "e2fsck -fn %s:\n%s\n", path, out ? out : "(no output)");
    free(out);
    return ok;
}

char *fsimg_tmpdir(void)
{
    char *d = strdup("/tmp/chacm-fs-XXXXXX");
    if (!mkdtemp(d)) abort();
    return d;
}

void fsimg_cleanup(const char *dir)
{
    if (dir && strncmp(dir, "/tmp/chacm-fs-", 14) == 0) fsimg_sh("rm -rf '%s'", dir);
}

uint8_t *fsimg_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}
