/* The boot list's data modules as block devices (block.idl): 512-byte
 * blocks over the module's memory, read and write in place, served by the
 * booter's second thread so that servers may use them while the main
 * thread waits in a call of its own (task::execute reading a file through
 * filesvr, which reads the disk).  Object 0 is the thread's factory (it
 * creates nothing); devices are objects 1..n in boot-list order.  The
 * same objects read as files (blkfile.c). */
#include <string.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "booter.h"

#define BLK_SIZE 512
#define BLK_MAX_DEVICES 8

static struct {
    char *base;
    L4_Word_t blocks;
    L4_Word_t size;             /* bytes, for the file view */
} devs[BLK_MAX_DEVICES];
static int ndevs;
static L4_ThreadId_t thread;
static booter_block_buffers_t bufs;
static char out[CHACM_BLOCK_XFER_MAX];
static char stack[16384] __attribute__((aligned(16)));

static const int block_api[] = { BLOCK_API, FILE_API };

L4_ThreadId_t blk_thread(void)
{
    return thread;
}

/* Device objID (1..n) as an index, or -1. */
static int device(int objID)
{
    return objID >= 1 && objID <= ndevs ? objID - 1 : -1;
}

/* Are [blocknr, blocknr + count) of device d and size bytes a valid
 * transfer? */
static bool range_ok(int d, int blocknr, int count, int size)
{
    return blocknr >= 0 && count > 0 && (L4_Word_t)blocknr <= devs[d].blocks &&
           (L4_Word_t)count <= devs[d].blocks - (L4_Word_t)blocknr && count <= CHACM_BLOCK_XFER_MAX / BLK_SIZE &&
           size == count * BLK_SIZE;
}

static int do_implements(int objID, int n, const int *list, chacm_srvenv_t *env)
{
    (void)env;
    if (objID == 0)
        return chacm_implements(list, n, NULL, 0);
    return device(objID) < 0 ? EINVALID : chacm_implements(list, n, block_api, 2);
}

static int do_get_capacity(int objID, int *blockcnt, chacm_srvenv_t *env)
{
    (void)env;
    int d = device(objID);
    if (d < 0)
        return EINVALID;
    *blockcnt = (int)devs[d].blocks;
    return ESUCCESS;
}

static int do_set_capacity(int objID, int blockcnt, chacm_srvenv_t *env)
{
    (void)blockcnt, (void)env;
    return device(objID) < 0 ? EINVALID : ESUPP;
}

static int do_get_blocksize(int objID, int *size, chacm_srvenv_t *env)
{
    (void)env;
    if (device(objID) < 0)
        return EINVALID;
    *size = BLK_SIZE;
    return ESUCCESS;
}

static int do_read(int objID, int blocknr, int count, int *size, char **data, chacm_srvenv_t *env)
{
    (void)env;
    int d = device(objID);
    if (d < 0)
        return EINVALID;
    if (!range_ok(d, blocknr, count, count * BLK_SIZE))
        return EBADPARM;
    /* the kernel copies strings only from our own memory: stage it */
    memcpy(out, devs[d].base + (L4_Word_t)blocknr * BLK_SIZE, (size_t)count * BLK_SIZE);
    *data = out;
    *size = count * BLK_SIZE;
    return ESUCCESS;
}

static int do_write(int objID, int blocknr, int count, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    int d = device(objID);
    if (d < 0)
        return EINVALID;
    if (!range_ok(d, blocknr, count, size))
        return EBADPARM;
    memcpy(devs[d].base + (L4_Word_t)blocknr * BLK_SIZE, data, (size_t)size);
    return ESUCCESS;
}

const char *blk_bytes(int objID, L4_Word_t *size)
{
    int d = device(objID);
    if (d < 0)
        return NULL;
    if (size)
        *size = devs[d].size;
    return devs[d].base;
}

static booter_block_ops_t ops = {
    .generic_implements = do_implements,
    .block_get_capacity = do_get_capacity,
    .block_set_capacity = do_set_capacity,
    .block_get_blocksize = do_get_blocksize,
    .block_read = do_read,
    .block_write = do_write,
};

static void serve(void)
{
    blkfile_fill(&ops);
    booter_block_serve(&ops, &bufs, NULL);
    for (;;)
        L4_Sleep(L4_Never);
}

int blk_start(void)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    if (!bi || !L4_BootInfo_Valid(bi))
        return 0;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi) && ndevs < BLK_MAX_DEVICES; i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_Module && L4_Module_Size(r) > 0) {
            devs[ndevs].base = (char *)L4_Module_Start(r);
            devs[ndevs].blocks = L4_Module_Size(r) / BLK_SIZE;
            devs[ndevs].size = L4_Module_Size(r);
            ndevs++;
        }
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1, 1);
    if (lib_thread_create(t, lib_utcb_slot(1), L4_Pager(), serve, stack + sizeof stack) != 0)
        return 0;
    thread = t;
    return ndevs;
}
