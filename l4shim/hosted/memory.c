/* Guest memory seen from the kernel: what a task's address space is for
 * the kernel's copies, copies between kernel buffers and the current
 * thread's memory, map and grant items in IPC, and the Unmap system call.  The rules that turn the
 * fpages a task names into ranges of its window live here; the mapping
 * database (mdb.c) does the rest.
 *
 * Addresses a task names in its own address space are addresses of its
 * window: an fpage outside the window names nothing, and one that covers
 * the window, or the complete address space, is the whole window.  sigma0's
 * address space is physical memory itself: its fpages name frames. */
#include <valgrind/memcheck.h>

#include <l4/hosted/vregs.h>
#include "kern_mem.h"
#include "kern_trace.h"

/* How many bytes from addr (n at most) a string copy may reach in space s
 * with access (KERN_RIGHTS_R or W): in s's window the pages s holds with
 * that access (installed now), outside it the segments of s's program
 * image (image.c).  0 with *fault set: addr is a page of the window that s
 * does not hold so, a page fault for the pager; 0 otherwise: addr is
 * outside s's address space. */
L4_Word_t kern_guest_reach(kern_space_t *s, L4_Word_t addr, L4_Word_t n, unsigned access, bool *fault)
{
    *fault = false;
    if (!s || !n)
        return 0;
    if (addr >= s->base && addr - s->base < s->size) {
        L4_Word_t room = s->base + s->size - addr;
        L4_Word_t got = kern_mdb_prepare(addr, n < room ? n : room, access);
        *fault = got == 0;
        return got;
    }
    return kern_image_reach(s->image, addr, n, access & KERN_RIGHTS_W);
}

/* How many bytes from p (n at most) the current thread's task lets the
 * kernel reach with access: kern_guest_reach in its own space, and a page
 * of the window it does not hold counts as unreachable (these copies take
 * no page faults). */
static size_t caller_reach(const void *p, size_t n, unsigned access)
{
    bool fault;
    kern_thread_t *self = kern_self;
    return self ? kern_guest_reach(self->space, (L4_Word_t)p, n, access, &fault) : 0;
}

/* Copies up to n bytes from the current thread's memory at `from` into the
 * kernel buffer `to`; returns the number of bytes copied before an address
 * outside its address space (its window's pages it holds, its program
 * image) or an inaccessible one.  The copy goes through the host kernel
 * (hostcopy.c), which reports an inaccessible range instead of faulting;
 * pages of the window that the space holds but has not touched yet are
 * installed first. */
size_t kern_copy_from_guest(void *to, const void *from, size_t n)
{
    n = caller_reach(from, n, KERN_RIGHTS_R);
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < KERN_HOSTCOPY_MAX ? n - done : KERN_HOSTCOPY_MAX;
        ssize_t r = kern_host_read((char *)to + done, (const char *)from + done, want);
        if (r <= 0)
            break;
        done += (size_t)r;
        if ((size_t)r < want)
            break;
    }
    return done;
}

/* Copies up to n bytes from the kernel buffer `from` to the current
 * thread's memory at `to` (reached as in kern_copy_from_guest); returns the
 * number of bytes copied.  The guest range is the remote end of the host
 * copy, so memcheck does not check it as ours; the bytes written are
 * marked defined, as a host read into our own memory would have marked
 * them. */
size_t kern_copy_to_guest(void *to, const void *from, size_t n)
{
    n = caller_reach(to, n, KERN_RIGHTS_W);
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < KERN_HOSTCOPY_MAX ? n - done : KERN_HOSTCOPY_MAX;
        ssize_t w = kern_host_write((char *)to + done, (const char *)from + done, want);
        if (w <= 0)
            break;
        (void)VALGRIND_MAKE_MEM_DEFINED((char *)to + done, (size_t)w);
        done += (size_t)w;
        if ((size_t)w < want)
            break;
    }
    return done;
}

typedef struct {
    L4_Word_t base, size;       /* relative to the window (sigma0: physical) */
} range_t;

/* The part of s's address space that fpage f names; size 0 if none.
 * Pages smaller than 4 KiB name nothing, and so does an fpage outside the
 * window (it is never taken modulo the window size). */
static range_t own_range(const kern_space_t *s, L4_Word_t f)
{
    range_t r = { 0, 0 };
    if (kw_fpage_is_nil(f))
        return r;
    bool phys = kern_mdb_is_sigma0(s);
    L4_Word_t whole = s->size;
    if (phys)
        for (whole = KERN_PAGE_SIZE; whole < kern_phys.size; whole <<= 1)
            ;
    if (kw_fpage_is_complete(f)) {
        r.size = whole;
        return r;
    }
    unsigned sz = kw_fpage_s(f);
    if (sz < KERN_PAGE_BITS)
        return r;
    if (phys) {
        if (sz >= 63)
            sz = 63;
        r.base = kw_fpage_base(f);
        r.size = 1UL << sz;
        return r;
    }
    L4_Word_t base = kw_fpage_base(f);
    if (sz >= 63 || (1UL << sz) >= s->size) {
        /* the whole window, if the fpage covers it */
        if (sz >= 63 || (s->base & ~((1UL << sz) - 1)) == base)
            r.size = s->size;
        return r;
    }
    if (base - s->base >= s->size)
        return r;       /* outside the window: names nothing */
    r.size = 1UL << sz;
    r.base = base - s->base;
    return r;
}

/* A map or grant item travels from src to dst (ipc.c hands over each one).
 * Maps or grants what src holds of the send fpage into dst's receive window
 * (the acceptor in BR0), as X.2 places fpages of different sizes: a smaller
 * send fpage lands at snd_base within the window, a larger one contributes
 * the window-sized part that snd_base selects.  Rights are the item's,
 * never more than src holds; pages src does not hold are skipped.  The
 * receiver gets the item's words as sent.  (An acceptor without a receive
 * window makes the IPC fail before, ipc_xfer.c.) */
void kern_map_item(kern_thread_t *src, kern_thread_t *dst, L4_Word_t item[2])
{
    L4_Word_t window = dst->utcb[__L4_TCR_BR_OFFSET] & ~0xfUL;
    range_t sr = own_range(src->space, item[1]);
    range_t rr = own_range(dst->space, window);
    unsigned rights = kw_fpage_rwx(item[1]);
    if (!src->space || !dst->space || !sr.size || !rr.size || !rights)
        return;
    L4_Word_t snd_base = item[0] & ~0x3ffUL;
    L4_Word_t sbase, dbase, size;
    if (sr.size <= rr.size) {
        size = sr.size;
        sbase = sr.base;
        dbase = rr.base + (snd_base & (rr.size - 1) & ~(size - 1));
    } else {
        size = rr.size;
        sbase = sr.base + (snd_base & (sr.size - 1) & ~(size - 1));
        dbase = rr.base;
    }
    if (kern_mdb_is_sigma0(src->space)) {
        if (sbase >= kern_phys.size)
            return;
        if (size > kern_phys.size - sbase)
            size = kern_phys.size - sbase;
    } else {
        sbase += src->space->base;
    }
    dbase += dst->space->base;
    L4_Word_t hint = 0;
    unsigned hint_access = kern_fault_hint(dst, &hint);
    KTRACE(kw_item_is_grant(item[0]) ? KT_GRANT : KT_MAP, src, dst, 0, sbase, dbase, size, rights);
    kern_mdb_map(src->space, sbase, dst->space, dbase, size, rights, kw_item_is_grant(item[0]), hint, hint_access);
}

/* Unmap: for each fpage in MR0..MRk (k = control bits 0..5), revokes its
 * rights from every mapping derived from the caller's pages there, and
 * with the f bit (0x40) from the caller's own pages too.  Each MR gets the
 * access bits seen since the last query in place of the rights. */
void kern_unmap(kern_thread_t *self, L4_Word_t control)
{
    unsigned k = control & 0x3f;
    bool flush = control & 0x40;
    for (unsigned i = 0; i <= k && i < __L4_NUM_MRS; i++) {
        L4_Word_t f = self->utcb[i];
        if (kern_io_is_fpage(f)) {
            kern_io_unmap(self->space, f, flush);
            self->utcb[i] = f & ~7UL;
            continue;
        }
        range_t r = self->space ? own_range(self->space, f) : (range_t){ 0, 0 };
        unsigned acc = 0;
        if (r.size) {
            L4_Word_t base = kern_mdb_is_sigma0(self->space) ? r.base : self->space->base + r.base;
            acc = kern_mdb_unmap(self->space, base, r.size, kw_fpage_rwx(f), flush);
        }
        self->utcb[i] = (f & ~7UL) | acc;
        KTRACE(KT_UNMAP, self, NULL, 0, f, flush, acc, 0);
    }
}
