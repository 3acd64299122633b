/* filesvr: the file server (README.md).  Serves directory, file and
 * filesystem (ipc/idl/filesvr.idl) over VFS-light: a memory file system at
 * object 0 and ext2 file systems mounted on any of its directories with
 * filesystem::mount; and is the memory manager of its mapped files
 * (file_map, memory_object).  One thread; every request is answered at
 * once, except a sync that waits for memsvr's dirty pages. */
#include <stdio.h>
#include <chacm/lib.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "memfs.h"
#include "server.h"

#define HEAP_BYTES (6u << 20)     /* in the bss: CMakeLists.txt sizes the program for it */
#define MEMFS_BYTES (4u << 20)
#define TIME_BASE 1700000000u     /* 2023-11-14: the simulated clock's zero */

static unsigned char heap[HEAP_BYTES] __attribute__((aligned(16)));
static filesvr_ops_t ops;
static filesvr_buffers_t bufs;

uint32_t srv_now(void *ctx)
{
    (void)ctx;
    return TIME_BASE + (uint32_t)(L4_SystemClock().raw / 1000000u);
}

int main(void)
{
    heap_init(heap, sizeof heap);
    struct memfs *root = memfs_new(MEMFS_BYTES, srv_now, NULL);
    if (!root) {
        printf("filesvr: out of memory\n");
        return 1;
    }
    vfs_init(&memfs_ops, root);
    srv_boot_mounts();
    srv_dir_ops(&ops);
    srv_file_ops(&ops);
    srv_mount_ops(&ops);
    srv_registrant_ops(&ops);
    srv_fmap_ops(&ops);
    filesvr_serve(&ops, &bufs, NULL);
    return 0;
}
