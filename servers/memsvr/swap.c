/* Swap: page-sized slots on a block device (block.idl), given by the root
 * task with vm_pageout::swap_on, and the slot allocator over them.
 *
 * Slot s holds the page at blocks first + s * per .. + per - 1 of the
 * device (per = page size / block size).  Every transfer is one block
 * read or write of a whole page, straight from or into the frame in
 * memsvr's window, with finite timeouts: a device that does not answer
 * makes the transfer fail (counted), never makes memsvr wait for ever.
 *
 * Invariants:
 *  1. A slot is used iff exactly one object page entry names it (object.c
 *     invariant 5): used == the number of such entries.
 *  2. A failed write leaves the page resident and its slot free again; a
 *     failed read leaves the page in its slot. */
#include <stdio.h>
#include <string.h>

#include "block_client.h"
#include "memsvr.h"

#define SWAP_TIMEOUT_US 2000000         /* 2 s of the device's time per transfer */

static L4_ThreadId_t dev;
static L4_Word_t dev_obj, first_block, per, nslots, used, hint;
static uint64_t *slot_map;              /* bit set: slot in use */
static L4_Word_t read_errors, write_errors;

kern_return_t swap_on(L4_ThreadId_t device, L4_Word_t obj, L4_Word_t first, L4_Word_t nblocks)
{
    if (slot_map || L4_IsNilThread(device) || !L4_IsGlobalId(device) || first + nblocks < first)
        return KERN_INVALID_ARGUMENT;
    chacm_env_t env = chacm_env_within(SWAP_TIMEOUT_US);
    int bsize = 0, cap = 0;
    int rc = block_get_blocksize(device, (int)obj, &bsize, &env);
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS || bsize <= 0 || MS_PAGE % (unsigned)bsize) {
        printf("memsvr: swap device %lx: no usable block size\n", device.raw);
        return KERN_FAILURE;
    }
    env = chacm_env_within(SWAP_TIMEOUT_US);
    rc = block_get_capacity(device, (int)obj, &cap, &env);
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS || cap < 0) {
        printf("memsvr: swap device %lx: no capacity\n", device.raw);
        return KERN_FAILURE;
    }
    L4_Word_t p = MS_PAGE / (unsigned)bsize;
    if (first + nblocks > (L4_Word_t)cap || nblocks / p == 0)
        return KERN_INVALID_ARGUMENT;
    L4_Word_t n = nblocks / p;
    uint64_t *m = ms_zalloc(((n + 63) / 64) * sizeof *m);
    if (!m)
        return KERN_RESOURCE_SHORTAGE;
    dev = device;
    dev_obj = obj;
    first_block = first;
    per = p;
    nslots = n;
    slot_map = m;
    used = hint = 0;
    printf("memsvr: swap on %lx: %lu pages\n", device.raw, n);
    return KERN_SUCCESS;
}

kern_return_t swap_off(void)
{
    if (!slot_map)
        return KERN_INVALID_ARGUMENT;
    if (used)
        return KERN_FAILURE;
    ms_free(slot_map);
    slot_map = NULL;
    nslots = 0;
    dev = L4_nilthread;
    ms_thrashing = 0;                   /* nothing can come back from swap now */
    printf("memsvr: swap off\n");
    return KERN_SUCCESS;
}

bool swap_enabled(void)
{
    return slot_map != NULL;
}

bool swap_alloc(slot_t *s)
{
    if (!slot_map || used == nslots)
        return false;
    for (L4_Word_t k = 0, w = hint / 64; k <= nslots / 64; k++, w = (w + 1) % ((nslots + 63) / 64)) {
        uint64_t free = ~slot_map[w];
        if (w == nslots / 64 && nslots % 64)
            free &= ((uint64_t)1 << (nslots % 64)) - 1;
        if (!free)
            continue;
        unsigned b = (unsigned)__builtin_ctzll(free);
        slot_map[w] |= (uint64_t)1 << b;
        *s = (slot_t)(w * 64 + b);
        used++;
        hint = *s + 1 < nslots ? *s + 1 : 0;
        return true;
    }
    return false;
}

void swap_free(slot_t s)
{
    if (!slot_map || s >= nslots || !(slot_map[s / 64] >> (s % 64) & 1)) {
        printf("memsvr: swap slot %u freed twice or never used\n", s);
        return;
    }
    slot_map[s / 64] &= ~((uint64_t)1 << (s % 64));
    used--;
}

kern_return_t swap_write(slot_t s, frame_t f)
{
    chacm_env_t env = chacm_env_within(SWAP_TIMEOUT_US);
    int rc = block_write(dev, (int)dev_obj, (int)(first_block + s * per), (int)per, (int)MS_PAGE,
                         (const char *)frame_ptr(f), &env);
    if (env.error == CHACM_IDL_OK && rc == ESUCCESS)
        return KERN_SUCCESS;
    if (write_errors++ < 4)
        printf("memsvr: swap write of slot %u failed (%s)\n", s, env.error != CHACM_IDL_OK ? "no answer" : "refused");
    return KERN_FAILURE;
}

kern_return_t swap_read(slot_t s, frame_t f)
{
    chacm_env_t env = chacm_env_within(SWAP_TIMEOUT_US);
    int size = 0;
    char *p = frame_ptr(f);
    int rc = block_read(dev, (int)dev_obj, (int)(first_block + s * per), (int)per, &size, &p, &env);
    if (env.error == CHACM_IDL_OK && rc == ESUCCESS && size == (int)MS_PAGE) {
        if (p != (char *)frame_ptr(f))
            memcpy(frame_ptr(f), p, MS_PAGE);
        return KERN_SUCCESS;
    }
    if (read_errors++ < 4)
        printf("memsvr: swap read of slot %u failed (%s)\n", s, env.error != CHACM_IDL_OK ? "no answer" : "refused");
    return KERN_FAILURE;
}

void swap_get_info(vm_swap_info *info)
{
    info->slots = nslots;
    info->used = used;
    info->read_errors = read_errors;
    info->write_errors = write_errors;
}
