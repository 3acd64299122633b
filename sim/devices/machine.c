/* The machine: the bus attached to the hosted kernel, and the PC models on
 * it (PIT at 0x40, COM1 at 0x3F8, the primary ATA channel at 0x1F0/0x3F6).
 * The screen's models (VGA text, i8042) join the same bus. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kern.h"
#include "kern_mem.h"
#include "bus.h"
#include "machine.h"
#include "models.h"

static sim_pit_t *pit;
static sim_uart_t *com1;
static sim_ata_t *hda;
static int hda_fd = -1;
static FILE *serial_out;

static uint64_t host_now(void)
{
    return kern_time();
}

static void host_irq(unsigned line)
{
    kern_irq_raise(line);
}

static void *host_phys(uint64_t pa, size_t n)
{
    return pa + n <= kern_phys.size ? kern_phys_ptr(pa) : NULL;
}

static bool host_phys_is_device(uint64_t pa, size_t n)
{
    return pa >= KERN_PHYS_VGA && pa + n <= KERN_PHYS_VGA + KERN_PHYS_VGA_SIZE;
}

static void host_input_wait(int delta)
{
    kern.event_sources += delta;
    atomic_fetch_add(&kern.input_waiting, delta);
}

static const sim_bus_host_t host = {
    .now = host_now,
    .irq = host_irq,
    .next = kern_dev_next,
    .wake = kern_post_event,
    .phys = host_phys,
    .phys_is_device = host_phys_is_device,
    .input_wait = host_input_wait,
};

static const kern_devbus_t kernel_side = {
    .in = sim_bus_in,
    .out = sim_bus_out,
    .run = sim_bus_run,
    .ins = sim_bus_ins,
    .outs = sim_bus_outs,
};

/* --snapshot: a copy of the image in an anonymous memory file, which
 * the model then reads and writes in place of the image; -1 (errno) on a
 * failure. */
static int snapshot_of(int fd, off_t size)
{
    int m = memfd_create("chacmsim-hda-snapshot", MFD_CLOEXEC);
    if (m < 0)
        return -1;
    static char chunk[1 << 20];
    for (off_t at = 0; at < size;) {
        ssize_t n = pread(fd, chunk, sizeof chunk, at);
        if (n <= 0 || write(m, chunk, (size_t)n) != n) {
            int e = n == 0 ? EIO : errno;
            close(m);
            errno = e;
            return -1;
        }
        at += n;
    }
    return m;
}

static gboolean open_disk(const sim_machine_config_t *cfg, GError **err)
{
    hda_fd = open(cfg->hda, (cfg->hda_ro || cfg->snapshot ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    struct stat st;
    if (hda_fd < 0 || fstat(hda_fd, &st) != 0) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "disk image %s: %s", cfg->hda,
                    g_strerror(errno));
        return FALSE;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < (off_t)SIM_ATA_SECTOR) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "disk image %s: not a regular file of at least one sector",
                    cfg->hda);
        return FALSE;
    }
    if (cfg->snapshot) {
        int m = snapshot_of(hda_fd, st.st_size);
        if (m < 0) {
            g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "disk image %s: no snapshot: %s",
                        cfg->hda, g_strerror(errno));
            return FALSE;
        }
        close(hda_fd);
        hda_fd = m;
    }
    hda = sim_ata_create(0x1F0, 0x3F6, 14, hda_fd, (uint64_t)st.st_size, cfg->hda_ro);
    if (!hda) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "disk image %s: cannot attach it", cfg->hda);
        return FALSE;
    }
    return TRUE;
}

/* --serial stdout: the bytes go where the run's output goes at the time
 * they are sent (kern.out: stdout, or the log while the screen is shown). */
static ssize_t to_run_output(void *cookie, const char *buf, size_t n)
{
    (void)cookie;
    size_t put = fwrite(buf, 1, n, kern.out);
    fflush(kern.out);
    return (ssize_t)put;
}

gboolean sim_machine_init(const sim_machine_config_t *cfg, GError **err)
{
    sim_bus_init(&host);
    kern_dev_attach(&kernel_side);
    pit = sim_pit_create(0x40, 0);
    const char *serial = cfg->serial ? cfg->serial : "stdout";
    if (!strcmp(serial, "stdio")) {
        serial_out = stdout;
    } else if (!strcmp(serial, "stdout")) {
        serial_out = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = to_run_output });
        if (serial_out)
            setvbuf(serial_out, NULL, _IONBF, 0);
    } else if (strcmp(serial, "none") != 0) {
        serial_out = fopen(serial, "we");
        if (!serial_out) {
            g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "serial output %s: %s", serial,
                        g_strerror(errno));
            return FALSE;
        }
    }
    com1 = sim_uart_create(0x3F8, 4, serial_out);
    if (com1 && !strcmp(serial, "stdio")) {
        /* a terminal types when it likes (a host thread posts its keys);
         * a file or pipe is read as its bytes are due, on the virtual clock */
        bool pulled = !isatty(0) && sim_uart_pull_fd(com1, 0);
        if (!pulled && sim_uart_feed_fd(com1, 0))
            kern.event_sources++;       /* idle waits for typed input */
    }
    if (cfg->hda && !open_disk(cfg, err))
        return FALSE;
    return TRUE;
}

void sim_machine_fini(FILE *stats)
{
    if (stats && pit)
        fprintf(stats, "devices: pit %llu interrupts\n", (unsigned long long)sim_pit_raised(pit));
    if (stats && com1) {
        uint64_t sent, received;
        bool hung_up;
        sim_uart_counts(com1, &sent, &received, &hung_up);
        fprintf(stats, "devices: com1 %llu bytes sent, %llu received%s\n", (unsigned long long)sent,
                (unsigned long long)received, hung_up ? ", the far end hung up" : "");
    }
    if (stats && hda) {
        uint64_t r, w;
        sim_ata_counts(hda, &r, &w);
        fprintf(stats, "devices: hda %llu sectors read, %llu written\n", (unsigned long long)r,
                (unsigned long long)w);
    }
    if (serial_out && serial_out != stdout)
        fclose(serial_out);
    else if (serial_out)
        fflush(serial_out);
    serial_out = NULL;
    if (hda_fd >= 0) {
        fsync(hda_fd);
        close(hda_fd);
        hda_fd = -1;
    }
}
