/* Guest memory access from the kernel, and the map/unmap seam.  The kernel
 * never dereferences a guest pointer directly: it copies through the host
 * kernel (process_vm_readv on itself), which reports an inaccessible range
 * instead of faulting. */
#include <sys/uio.h>
#include <unistd.h>

#include <l4/hosted/vregs.h>
#include "kern.h"

/* Copies up to n bytes from guest (or kernel) memory at from to to; returns
 * the number of bytes copied before an inaccessible address. */
size_t kern_copy_guest(void *to, const void *from, size_t n)
{
    size_t done = 0;
    while (done < n) {
        struct iovec local = { (char *)to + done, n - done };
        struct iovec remote = { (char *)from + done, n - done };
        ssize_t r = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
        if (r <= 0)
            break;
        done += (size_t)r;
    }
    return done;
}

/* A map or grant item travels from src to dst.  Until the memory model
 * lands, no frames move: the receiver sees the item with a nil fpage when
 * its acceptor has no receive window. */
void kern_map_item(kern_thread_t *src, kern_thread_t *dst, L4_Word_t item[2])
{
    (void)src;
    L4_Word_t window = dst->utcb[__L4_TCR_BR_OFFSET] & ~0xfUL;
    if (kw_fpage_is_nil(window))
        item[1] &= 0xf;
}

/* Unmap: reports no access bits for the fpages in MR0..k. */
void kern_unmap(kern_thread_t *self, L4_Word_t control)
{
    unsigned k = control & 0x3f;
    for (unsigned i = 0; i <= k && i < __L4_NUM_MRS; i++)
        self->utcb[i] &= ~7UL;
}
