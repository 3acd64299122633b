/* fsrt_root: the round trip of files between the host and filesvr, for
 * scenario.fs_roundtrip.  It serves the boot list's first data module (an
 * ext2 image made on the host) as a block device of 512-byte sectors,
 * straight from the module's memory (the simulator's: --isolation=off),
 * starts filesvr, mounts the image on /disk, prints what the host put in
 * (host.txt, the size and a sum of big.bin), writes files of its own
 * (from-sim.txt, simdir/f00..f49, pattern.bin of 300 KiB), renames and
 * removes one host file, and unmounts. */
#include <stdio.h>
#include <string.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "filesvr_client.h"
#include "pt_module.h"
#include "pt_ramdev.h"

int main(void);

static struct pt_ramdev ramdev = { .bsize = 512 };
static L4_ThreadId_t fsv;
static char stack[16384] __attribute__((aligned(16)));
static char buf[CHACM_FILE_XFER_MAX];

static void device(void)
{
    pt_ramdev_serve(&ramdev);
}

static int find_module(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    L4_BootRec_t *r = (L4_BootRec_t *)((L4_Word_t)bi + bi->first_entry);
    for (L4_Word_t i = 0; i < bi->num_entries; i++, r = L4_BootRec_Next(r))
        if (r->type == L4_BootInfo_Module) {
            ramdev.mem = (unsigned char *)((L4_Boot_Module_t *)r)->start;
            ramdev.size = ((L4_Boot_Module_t *)r)->size / 512 * 512;
            return 0;
        }
    return -1;
}

static int fail(const char *what, int rc, const chacm_env_t *env)
{
    printf("fsrt_root: %s failed: %d (call %d)\n", what, rc, (int)env->error);
    return 1;
}

#define DO(what, expr, want)                                        \
    do {                                                            \
        chacm_env_t env = { 0 };                                    \
        int _r = (expr);                                            \
        if (env.error != CHACM_IDL_OK || _r != (want)) return fail(what, _r, &env); \
    } while (0)

static int resolve(const char *path, int *obj)
{
    L4_ThreadId_t s;
    int consumed;
    DO(path, directory_resolve(fsv, 0, (char *)path, &s, obj, &consumed, &env), ESUCCESS);
    return 0;
}

/* Prints a host file's size and a sum of its bytes. */
static int summarize(const char *path)
{
    int obj, size;
    unsigned long total = 0;
    unsigned int sum = 0;
    char *p = buf;
    if (resolve(path, &obj)) return 1;
    DO("open", file_open(fsv, obj, FILE_READ, &env), ESUCCESS);
    for (;;) {
        chacm_env_t env = { 0 };
        int rc = file_read(fsv, obj, sizeof buf, &size, &p, &env);
        if (rc == EEOF) break;
        if (rc != ESUCCESS || env.error != CHACM_IDL_OK) return fail("read", rc, &env);
        for (int i = 0; i < size; i++) sum = sum * 31u + (unsigned char)buf[i];   /* mod 2^32 */
        total += (unsigned long)size;
    }
    DO("close", file_close(fsv, obj, &env), ESUCCESS);
    printf("fsrt_root: %s: %lu bytes, sum %x\n", path, total, sum);
    return 0;
}

static int put(int dir, const char *name, const char *data, int len)
{
    int f, w;
    DO(name, directory_create(fsv, dir, (char *)name, &f, &env), ESUCCESS);
    DO("open", file_open(fsv, f, FILE_WRITE, &env), ESUCCESS);
    for (int off = 0; off < len; off += w) {
        int n = len - off < CHACM_FILE_XFER_MAX ? len - off : CHACM_FILE_XFER_MAX;
        DO("write", file_write(fsv, f, n, (char *)data + off, &w, &env), ESUCCESS);
    }
    DO("close", file_close(fsv, f, &env), ESUCCESS);
    return 0;
}

static char pattern[300 * 1024];

int main(void)
{
    if (find_module()) return printf("fsrt_root: no data module\n"), 1;
    L4_ThreadId_t dev = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1);
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    if (lib_thread_create(dev, lib_utcb_slot(1), sigma0, device, stack + sizeof stack))
        return printf("fsrt_root: no device thread\n"), 1;
    fsv = pt_start_server("filesvr", 9);
    if (L4_IsNilThread(fsv)) return 1;
    int mnt, d, text;
    DO("mkdir", directory_mkdir(fsv, 0, "disk", &mnt, &env), ESUCCESS);
    DO("mount", filesystem_mount(fsv, mnt, dev, 0, &env), ESUCCESS);
    if (resolve("disk/host.txt", &text)) return 1;
    char *p = buf;
    int size;
    DO("open", file_open(fsv, text, FILE_READ, &env), ESUCCESS);
    DO("read", file_read(fsv, text, sizeof buf - 1, &size, &p, &env), ESUCCESS);
    buf[size] = 0;
    printf("fsrt_root: host.txt says: %s", buf);
    DO("close", file_close(fsv, text, &env), ESUCCESS);
    if (summarize("disk/sub/big.bin")) return 1;
    static const char msg[] = "written in the simulator through filesvr\n";
    if (put(mnt, "from-sim.txt", msg, sizeof msg - 1)) return 1;
    DO("mkdir simdir", directory_mkdir(fsv, mnt, "simdir", &d, &env), ESUCCESS);
    for (int i = 0; i < 50; i++) {
        char name[8] = { 'f', (char)('0' + i / 10), (char)('0' + i % 10), 0 };
        if (put(d, name, name, 3)) return 1;
    }
    for (unsigned i = 0; i < sizeof pattern; i++) pattern[i] = (char)(i * 7 + i / 1024);
    if (put(d, "pattern.bin", pattern, sizeof pattern)) return 1;
    DO("rename", directory_rename(fsv, mnt, "host.txt", d, "moved.txt", &env), ESUCCESS);
    DO("unlink", directory_unlink(fsv, mnt, "gone.txt", &env), ESUCCESS);
    DO("unmount", filesystem_unmount(fsv, mnt, &env), ESUCCESS);
    printf("fsrt_root: done\n");
    return 0;
}
