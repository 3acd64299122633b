/* The mapping database: who holds which frame, derived from whom.
 *
 * One derivation tree per 4 KiB frame.  Its root stands for sigma0, which
 * holds all of physical memory (sigma0's address space *is* the physical
 * address space: its fpages name physical addresses).  Every other node is
 * one page of one space: the frame, the address in that space's window, the
 * rights it holds, and its parent, the mapping it was derived from.  Larger
 * fpages are sets of 4 KiB nodes, so a partial unmap of a larger mapping is
 * just an unmap of some of its pages.  Each space finds its nodes through a
 * two-level table indexed by the page's offset in its window, with a bit
 * for every slot that holds a node and one for every table that holds any,
 * so a walk over a range (Unmap, a map item, a space's end) visits the
 * nodes there and skips what is empty 64 slots or 64 tables at a time.
 *
 * The host follows the database lazily.  A node says whether its frame is
 * installed at its address (an mmap of the memfd) and with which host
 * protection (hw).  A new mapping is installed when it is first touched: the
 * touch raises SIGSEGV, fault.c finds the node here and installs it ("soft
 * fault", no IPC), recording the access in the node's access bits.  A read
 * installs read-only, so a later write is seen too; so the kernel reports
 * precise referenced/written/executed bits, and Unmap resets them by taking
 * the host protection away again.
 *
 *   page state:  absent --map--> held (not installed) --touch--> installed(hw)
 *                installed --unmap/status--> installed(PROT_NONE) --touch--> ...
 *                any --revoke all rights--> absent (host: reservation restored)
 *
 * Invariants:
 *  1. A node's rights are a subset of its parent's (roots hold rwx); so
 *     revoking rights r from a subtree removes exactly the nodes whose rights
 *     fall to zero, and with them their whole subtrees.
 *  2. A space has at most one node per page; ptab(s, va) is that node, and
 *     node->space, node->vaddr name its slot.
 *  3. hw is a subset of rights; installed is false iff the host has the
 *     window's PROT_NONE reservation at the node's address.
 *  4. A node is in exactly one child list, its parent's; roots are in none.
 *  5. Unmap visits each node of the affected subtrees once, so its cost is
 *     linear in the number of mappings there (plus one bitmap word per 64
 *     empty slots or tables), never in the size of the fpage; host calls
 *     are merged into runs of neighbouring pages.
 *  6. A table's bit in `tables` is set iff it holds a node, and a slot's
 *     bit in `used` iff the slot holds one.
 * Only the current thread runs kernel code, so nothing here takes a lock. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kern_mem.h"
#include "kern_iso.h"

#include "mdb_layout.h"

/* Work of the walks over ranges: slots and bitmap words looked at, nodes
 * visited (--stats, and the test device for protocol tests). */
static uint64_t work;
/* Soft faults served: touches of held pages that the host did not have
 * installed (--stats, and the test device). */
static uint64_t soft_faults;

mdb_node_t *kern_mdb_roots;             /* one per frame (mdb_check.c reads them too) */
static kern_space_t *sigma0_space;
static kern_space_t **by_window;        /* window index -> space */
static unsigned nby_window;
/* Nodes come from chunks, each handed out lowest address first, and the
 * lowest chunk with a free node is used first.  So nodes made together lie
 * together and in address order however many were freed before, and a walk
 * over many mappings streams through memory instead of jumping around (a
 * plain free list scrambles the order after the first unmap). */
#define CHUNK_NODES 1024
typedef struct {
    mdb_node_t *nodes;
    uint64_t used[CHUNK_NODES / 64];
    unsigned nfree;
} chunk_t;
static chunk_t *chunks;
static unsigned nchunks, chunk_cap;
static unsigned chunk_hint;             /* no chunk below it has a free node */

/* ---- host operations, merged into runs ---- */

enum { OP_UNMAP, OP_PROT };
typedef struct {
    L4_Word_t start, end;
    int op, prot;
} run_t;
#define NRUNS 8
static run_t runs[NRUNS];
static unsigned nruns;

static void run_apply(const run_t *r)
{
    if (r->op == OP_UNMAP) {
        mmap((void *)r->start, r->end - r->start, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    } else {
        mprotect((void *)r->start, r->end - r->start, r->prot);
    }
}

static void host_flush(void)
{
    for (unsigned i = 0; i < nruns; i++)
        run_apply(&runs[i]);
    nruns = 0;
}

/* Queues op on the page at va; runs of neighbouring pages with the same op
 * become one host call.  (Each page is queued at most once per kernel
 * operation, see invariant 2, so the order of runs does not matter.) */
static void host_queue(int op, L4_Word_t va, int prot)
{
    for (unsigned i = 0; i < nruns; i++) {
        run_t *r = &runs[i];
        if (r->op != op || r->prot != prot)
            continue;
        if (r->end == va) {
            r->end += KERN_PAGE_SIZE;
            return;
        }
        if (r->start == va + KERN_PAGE_SIZE) {
            r->start = va;
            return;
        }
    }
    if (nruns == NRUNS) {
        run_apply(&runs[0]);
        memmove(&runs[0], &runs[1], (NRUNS - 1) * sizeof runs[0]);
        nruns--;
    }
    runs[nruns++] = (run_t){ va, va + KERN_PAGE_SIZE, op, prot };
}

static int host_prot(unsigned hw)
{
    int p = 0;
    if (hw & KERN_RIGHTS_R)
        p |= PROT_READ;
    if (hw & KERN_RIGHTS_W)
        p |= PROT_READ | PROT_WRITE;
    if (hw & KERN_RIGHTS_X)
        p |= PROT_READ | PROT_EXEC;
    return p;
}

/* Maps len bytes of frames from frame on at va with host protection prot
 * and protection key key (0: none), page tables filled at once (the access
 * that follows costs no host fault).  With a key the page tables are
 * filled after the key is given: a key change of present pages makes the
 * host flush the TLB of every CPU that runs the process (an IPI to the CPU
 * where the next thread waits, which took a page fault from about 11 to 18
 * microseconds on a virtual machine), of pages not yet present it does
 * not.  Where the host has no MADV_POPULATE_READ (before Linux 5.14) the
 * access fills them. */
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
static bool host_map(int key, L4_Word_t va, L4_Word_t len, uint32_t frame, int prot)
{
    host_flush();
    bool keyed = key && kern_iso_level;
    void *p = mmap((void *)va, len, prot, MAP_SHARED | MAP_FIXED | (keyed ? 0 : MAP_POPULATE), kern_phys.fd,
                   (off_t)frame << KERN_PAGE_BITS);
    if (p == MAP_FAILED)
        return false;
    if (keyed) {
        kern_iso_tag(key, va, len, prot);
        (void)madvise((void *)va, len, MADV_POPULATE_READ);
    }
    kern_vg_mapped(va, len);
    return true;
}

/* Installs n's frame with its current hw protection, now. */
static bool host_install(mdb_node_t *n)
{
    if (!host_map(n->space ? n->space->pkey : 0, n->vaddr, KERN_PAGE_SIZE, n->frame, host_prot(n->hw)))
        return false;
    n->installed = true;
    return true;
}

/* ---- nodes and page tables ---- */

static unsigned chunk_add(void)
{
    if (nchunks == chunk_cap) {
        chunk_cap = chunk_cap ? 2 * chunk_cap : 16;
        chunks = realloc(chunks, chunk_cap * sizeof *chunks);
        if (!chunks)
            kern_panic("out of memory for the mapping database");
    }
    chunk_t *c = &chunks[nchunks];
    c->nodes = malloc(CHUNK_NODES * sizeof *c->nodes);
    if (!c->nodes)
        kern_panic("out of memory for the mapping database");
    memset(c->used, 0, sizeof c->used);
    c->nfree = CHUNK_NODES;
    return nchunks++;
}

static mdb_node_t *node_alloc(void)
{
    unsigned ci = chunk_hint;
    while (ci < nchunks && !chunks[ci].nfree)
        ci++;
    if (ci == nchunks)
        ci = chunk_add();
    chunk_hint = ci;
    chunk_t *c = &chunks[ci];
    unsigned w = 0;
    while (c->used[w] == ~0ULL)
        w++;
    unsigned i = w * 64 + (unsigned)__builtin_ctzll(~c->used[w]);
    c->used[w] |= 1ULL << (i % 64);
    c->nfree--;
    mdb_node_t *n = &c->nodes[i];
    memset(n, 0, sizeof *n);
    n->chunk = ci;
    return n;
}

static void node_free(mdb_node_t *n)
{
    chunk_t *c = &chunks[n->chunk];
    unsigned i = (unsigned)(n - c->nodes);
    c->used[i / 64] &= ~(1ULL << (i % 64));
    c->nfree++;
    if (n->chunk < chunk_hint)
        chunk_hint = n->chunk;
}

static ptab_t *ptab_of(const kern_space_t *s)
{
    return s->mem;
}

/* The table of s that covers va, made if create; NULL if none or va lies
 * outside the window. */
static table_t *table_of(kern_space_t *s, L4_Word_t va, bool create)
{
    ptab_t *pt = ptab_of(s);
    L4_Word_t off = va - s->base;
    if (!pt || va < s->base || off >= s->size)
        return NULL;
    table_t **d = &pt->dir[off >> DIR_SHIFT];
    if (!*d && create) {
        *d = calloc(1, sizeof **d);
        if (!*d)
            kern_panic("out of memory for a page table");
    }
    return *d;
}

static unsigned slot_index(L4_Word_t va)
{
    return (unsigned)(va >> KERN_PAGE_BITS) & (TAB_ENTRIES - 1);
}

/* Puts n (NULL: nothing) in s's slot for va, keeping the bitmaps true. */
static void slot_set(kern_space_t *s, L4_Word_t va, mdb_node_t *n)
{
    table_t *t = table_of(s, va, n != NULL);
    if (!t)
        return;
    unsigned i = slot_index(va);
    uint64_t bit = 1ULL << (i % 64);
    bool was = t->used[i / 64] & bit;
    t->slot[i] = n;
    if (n && !was) {
        t->used[i / 64] |= bit;
        t->nused++;
    } else if (!n && was) {
        t->used[i / 64] &= ~bit;
        t->nused--;
    } else {
        return;
    }
    ptab_t *pt = ptab_of(s);
    L4_Word_t d = (va - s->base) >> DIR_SHIFT;
    if (t->nused)
        pt->tables[d / 64] |= 1ULL << (d % 64);
    else
        pt->tables[d / 64] &= ~(1ULL << (d % 64));
}

/* The first set bit at or above bit `from` of the bitmap words[0..nwords),
 * counting the words looked at; nbits if none. */
static L4_Word_t next_bit(const uint64_t *words, L4_Word_t nwords, L4_Word_t from, L4_Word_t nbits)
{
    for (L4_Word_t w = from / 64; w < nwords && w * 64 < nbits; w++) {
        uint64_t b = words[w];
        if (w == from / 64)
            b &= ~0ULL << (from % 64);
        work++;
        if (b) {
            L4_Word_t i = w * 64 + (L4_Word_t)__builtin_ctzll(b);
            return i < nbits ? i : nbits;
        }
    }
    return nbits;
}

/* The node of s (not sigma0) with the lowest address in [*va, end), its
 * address in *va; NULL if there is none.  Skips empty tables and runs of
 * empty slots a bitmap word at a time. */
static mdb_node_t *next_node(kern_space_t *s, L4_Word_t *va, L4_Word_t end)
{
    ptab_t *pt = ptab_of(s);
    if (!pt || *va >= end || end <= s->base || *va >= s->base + s->size)
        return NULL;
    L4_Word_t off = *va > s->base ? *va - s->base : 0;
    L4_Word_t stop = end - s->base < s->size ? end - s->base : s->size;
    while (off < stop) {
        L4_Word_t d = next_bit(pt->tables, (pt->ndir + 63) / 64, off >> DIR_SHIFT, pt->ndir);
        if (d == pt->ndir || d << DIR_SHIFT >= stop)
            return NULL;
        if (d << DIR_SHIFT > off)
            off = d << DIR_SHIFT;
        table_t *t = pt->dir[d];
        L4_Word_t i = next_bit(t->used, TAB_ENTRIES / 64, slot_index(off), TAB_ENTRIES);
        if (i < TAB_ENTRIES) {
            off = (d << DIR_SHIFT) + (i << KERN_PAGE_BITS);
            if (off >= stop)
                return NULL;
            *va = s->base + off;
            work++;
            return t->slot[i];
        }
        off = (d + 1) << DIR_SHIFT;
    }
    return NULL;
}

uint64_t kern_mdb_work(void)
{
    return work;
}

uint64_t kern_mdb_soft_faults(void)
{
    return soft_faults;
}

/* The node through which s holds the page at va (for sigma0: the root of
 * the frame at physical address va), or NULL. */
static mdb_node_t *lookup(kern_space_t *s, L4_Word_t va)
{
    if (s == sigma0_space)
        return va < kern_phys.size ? &kern_mdb_roots[va >> KERN_PAGE_BITS] : NULL;
    table_t *t = table_of(s, va, false);
    return t ? t->slot[slot_index(va)] : NULL;
}

static void link_child(mdb_node_t *parent, mdb_node_t *n)
{
    n->parent = parent;
    n->prev = NULL;
    n->next = parent->child;
    if (n->next)
        n->next->prev = n;
    parent->child = n;
}

static void unlink_node(mdb_node_t *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else if (n->parent)
        n->parent->child = n->next;
    if (n->next)
        n->next->prev = n->prev;
    n->next = n->prev = n->parent = NULL;
}

/* Removes the leaf n: host reservation back, slot cleared, node freed.
 * Returns its access bits. */
static unsigned remove_leaf(mdb_node_t *n)
{
    unsigned acc = n->access;
    if (n->installed)
        host_queue(OP_UNMAP, n->vaddr, 0);
    slot_set(n->space, n->vaddr, NULL);
    unlink_node(n);
    node_free(n);
    return acc;
}

/* Removes n and everything derived from it, post-order without recursion.
 * Returns the access bits of all of them. */
static unsigned remove_subtree(mdb_node_t *n)
{
    unsigned acc = 0;
    mdb_node_t *x = n;
    for (;;) {
        while (x->child)
            x = x->child;
        mdb_node_t *up = x->parent;
        bool last = x == n;
        acc |= remove_leaf(x);
        if (last)
            return acc;
        x = up;
    }
}

/* Sets n's host protection to hw (a subset of its rights). */
static void set_hw(mdb_node_t *n, unsigned hw)
{
    if (n->hw == hw)
        return;
    n->hw = hw;
    if (n->installed)
        host_queue(OP_PROT, n->vaddr, host_prot(hw));
}

/* Reports and resets n's access bits; takes the host protection away so
 * that the next access is seen again. */
static unsigned take_access(mdb_node_t *n)
{
    unsigned acc = n->access;
    n->access = 0;
    if (n->space)
        set_hw(n, 0);
    return acc;
}

/* The next node after x in a pre-order walk of top's subtree that does not
 * descend below x; NULL at the end. */
static mdb_node_t *skip_subtree(mdb_node_t *x, mdb_node_t *top)
{
    while (x != top && !x->next)
        x = x->parent;
    return x == top ? NULL : x->next;
}

/* Revokes rights r from every node derived from top (not top itself);
 * collects and resets their access bits. */
static unsigned revoke_below(mdb_node_t *top, unsigned r)
{
    unsigned acc = 0;
    mdb_node_t *x = top->child;
    while (x) {
        work++;
        x->rights &= ~r;
        if (!x->rights) {
            mdb_node_t *next = skip_subtree(x, top);
            acc |= remove_subtree(x);
            x = next;
            continue;
        }
        acc |= take_access(x);
        set_hw(x, x->hw & x->rights);
        x = x->child ? x->child : skip_subtree(x, top);
    }
    return acc;
}

/* ---- spaces ---- */

/* At exit, memcheck need not hear about windows any more. */
static void forget_windows(void)
{
    for (unsigned w = 0; w < nby_window; w++)
        if (by_window[w])
            kern_vg_window_gone(by_window[w]->base, by_window[w]->size);
}

void kern_mdb_init(void)
{
    atexit(forget_windows);
    kern_mdb_roots = calloc(kern_phys.nframes, sizeof *kern_mdb_roots);
    if (!kern_mdb_roots)
        kern_panic("out of memory for the frame table");
    for (L4_Word_t f = 0; f < kern_phys.nframes; f++) {
        kern_mdb_roots[f].frame = (uint32_t)f;
        kern_mdb_roots[f].vaddr = f << KERN_PAGE_BITS;
        kern_mdb_roots[f].rights = KERN_RIGHTS_R | KERN_RIGHTS_W | KERN_RIGHTS_X;
    }
}

static unsigned window_index(L4_Word_t addr)
{
    return (unsigned)((addr - kern.window_base) / kern.window_size);
}

void kern_mdb_space_init(kern_space_t *s)
{
    L4_Word_t ndir = s->size >> DIR_SHIFT;
    ptab_t *pt = calloc(1, sizeof(ptab_t) + ndir * sizeof pt->dir[0]);
    if (pt)
        pt->tables = calloc((ndir + 63) / 64, sizeof *pt->tables);
    if (!pt || !pt->tables)
        kern_panic("out of memory for a page directory");
    pt->ndir = ndir;
    s->mem = pt;
    unsigned w = window_index(s->base);
    if (w >= nby_window) {
        unsigned n = nby_window ? nby_window : 16;
        while (n <= w)
            n *= 2;
        by_window = realloc(by_window, n * sizeof *by_window);
        if (!by_window)
            kern_panic("out of memory for the window table");
        memset(by_window + nby_window, 0, (n - nby_window) * sizeof *by_window);
        nby_window = n;
    }
    by_window[w] = s;
    kern_vg_window(s->base, s->size);
}

/* Gives every installed page of s protection key `key`, keeping its
 * protection (isolation.c moves keys between spaces). */
void kern_mdb_space_retag(kern_space_t *s, int key)
{
    host_flush();
    L4_Word_t end = s->base + s->size;
    mdb_node_t *n;
    for (L4_Word_t va = s->base; (n = next_node(s, &va, end)) != NULL; va += KERN_PAGE_SIZE)
        if (n->installed)
            kern_iso_tag(key, n->vaddr, KERN_PAGE_SIZE, host_prot(n->hw));
}

/* s goes away: everything it holds, and everything derived from that, is
 * flushed. */
void kern_mdb_space_release(kern_space_t *s)
{
    ptab_t *pt = ptab_of(s);
    if (!pt)
        return;
    L4_Word_t end = s->base + s->size;
    mdb_node_t *n;
    for (L4_Word_t va = s->base; (n = next_node(s, &va, end)) != NULL; va += KERN_PAGE_SIZE)
        remove_subtree(n);
    for (L4_Word_t d = 0; d < pt->ndir; d++)
        free(pt->dir[d]);
    host_flush();
    free(pt->tables);
    free(pt);
    s->mem = NULL;
    by_window[window_index(s->base)] = NULL;
    if (s == sigma0_space)
        sigma0_space = NULL;
    kern_vg_window_gone(s->base, s->size);
}

void kern_mdb_set_sigma0(kern_space_t *s)
{
    sigma0_space = s;
}

bool kern_mdb_is_sigma0(const kern_space_t *s)
{
    return s && s == sigma0_space;
}

kern_space_t *kern_mdb_space_at(L4_Word_t addr)
{
    if (addr < kern.window_base)
        return NULL;
    L4_Word_t w = (addr - kern.window_base) / kern.window_size;
    return w < nby_window ? by_window[w] : NULL;
}

/* ---- map, grant, unmap ---- */

static bool in_area(L4_Word_t fpage, L4_Word_t va)
{
    return fpage && va - kw_fpage_base(fpage) < kw_fpage_size(fpage);
}

/* Pages of a space the kernel manages itself: the KIP and UTCB areas. */
static bool kernel_page(const kern_space_t *s, L4_Word_t va)
{
    return in_area(s->kip_area, va) || in_area(s->utcb_area, va);
}

static bool is_ancestor(const mdb_node_t *a, const mdb_node_t *n)
{
    for (; n; n = n->parent)
        if (n == a)
            return true;
    return false;
}

/* dst's node at dva now refers to sn's frame with rights r: either extends
 * the same mapping's rights or replaces whatever dst had there. */
static mdb_node_t *place(kern_space_t *dst, L4_Word_t dva, mdb_node_t *sn, unsigned r, bool grant)
{
    mdb_node_t *dn = lookup(dst, dva);
    if (dn && !grant && dn->parent == sn) {
        dn->rights |= r;
        return dn;
    }
    if (dn && dn->frame == sn->frame && is_ancestor(dn, sn))
        return NULL;                    /* back onto where it came from */
    if (dn)
        remove_subtree(dn);
    dn = node_alloc();
    dn->space = dst;
    dn->vaddr = dva;
    dn->frame = sn->frame;
    dn->rights = (uint8_t)r;
    if (grant && sn->space) {
        /* dn takes sn's place in the tree, with sn's children */
        mdb_node_t *parent = sn->parent;
        dn->child = sn->child;
        for (mdb_node_t *c = dn->child; c; c = c->next)
            c->parent = dn;
        sn->child = NULL;
        unsigned lost = sn->rights & ~r;
        remove_leaf(sn);
        link_child(parent, dn);
        if (lost)
            revoke_below(dn, lost);
    } else {
        link_child(sn, dn);
    }
    slot_set(dst, dva, dn);
    return dn;
}

/* A run of pages a page-fault reply installs at once: neighbouring
 * addresses, consecutive frames, one protection. */
typedef struct {
    kern_space_t *space;
    L4_Word_t va, end;
    uint32_t frame;
    int prot;
} ahead_t;

/* Installs the run's pages; those the host refuses stay uninstalled (a
 * touch then installs them one by one). */
static void ahead_install(ahead_t *a)
{
    if (a->end == a->va)
        return;
    if (!host_map(a->space->pkey, a->va, a->end - a->va, a->frame, a->prot))
        for (L4_Word_t va = a->va; va < a->end; va += KERN_PAGE_SIZE) {
            mdb_node_t *n = lookup(a->space, va);
            n->installed = false;
            n->hw = 0;
        }
    a->end = a->va;
}

/* A page-fault reply installs the faulting page and up to
 * KERN_AHEAD_PAGES - 1 pages it gives after it at once, as if the faulting
 * access (hint_access) had touched each: the pager mapped them ahead because
 * they are about to be used, and a soft fault per page would cost more than
 * the whole reply.  Their access bits say so, erring only towards
 * "accessed".  Pages already installed keep what they have. */
#define KERN_AHEAD_PAGES 64
static void install_ahead(ahead_t *a, mdb_node_t *n, unsigned hint_access)
{
    unsigned hw = n->rights & (hint_access | KERN_RIGHTS_R);
    if (n->installed || !hw)
        return;
    n->access |= hw | KERN_RIGHTS_R;
    n->hw = (uint8_t)(n->hw | hw);
    n->installed = true;
    int prot = host_prot(n->hw);
    L4_Word_t pages = (a->end - a->va) >> KERN_PAGE_BITS;
    if (a->space == n->space && a->end == n->vaddr && a->frame + pages == n->frame && a->prot == prot) {
        a->end += KERN_PAGE_SIZE;
        return;
    }
    ahead_install(a);
    *a = (ahead_t){ n->space, n->vaddr, n->vaddr + KERN_PAGE_SIZE, n->frame, prot };
}

unsigned kern_mdb_map(kern_space_t *src, L4_Word_t sbase, kern_space_t *dst, L4_Word_t dbase,
                      L4_Word_t size, unsigned rights, bool grant, L4_Word_t hint, unsigned hint_access)
{
    unsigned given = 0;
    ahead_t ahead = { 0 };
    if (!src || !dst || dst == sigma0_space || !ptab_of(dst))
        return 0;
    /* sigma0 holds every frame; any other space only what its table holds */
    L4_Word_t send = sbase + size;
    for (L4_Word_t sva = sbase; sva < send; sva += KERN_PAGE_SIZE) {
        mdb_node_t *sn = src == sigma0_space ? lookup(src, sva) : next_node(src, &sva, send);
        if (src != sigma0_space && !sn)
            break;
        L4_Word_t dva = dbase + (sva - sbase);
        if (!sn || !(sn->rights & rights) || kernel_page(dst, dva))
            continue;
        if (src == dst && sva == dva)
            continue;
        unsigned r = sn->rights & rights;
        mdb_node_t *dn = place(dst, dva, sn, r, grant);
        if (!dn)
            continue;
        given |= r;
        if (hint_access && dva - (hint & ~(KERN_PAGE_SIZE - 1)) < KERN_AHEAD_PAGES * KERN_PAGE_SIZE)
            install_ahead(&ahead, dn, hint_access);
    }
    ahead_install(&ahead);
    host_flush();
    return given;
}

/* The node of s at or after *va in [*va, end) through which Unmap may
 * revoke something, its address in *va: for sigma0 a frame it gave to
 * someone, else any node s holds.  NULL when there is none. */
static mdb_node_t *next_unmappable(kern_space_t *s, L4_Word_t *va, L4_Word_t end)
{
    if (s != sigma0_space)
        return next_node(s, va, end);
    for (; *va < end && *va < kern_phys.size; *va += KERN_PAGE_SIZE) {
        work++;
        mdb_node_t *r = &kern_mdb_roots[*va >> KERN_PAGE_BITS];
        if (r->child)
            return r;
    }
    return NULL;
}

unsigned kern_mdb_unmap(kern_space_t *s, L4_Word_t base, L4_Word_t size, unsigned rights, bool flush)
{
    unsigned acc = 0;
    L4_Word_t end = base + size;
    mdb_node_t *n;
    for (L4_Word_t va = base; (n = next_unmappable(s, &va, end)) != NULL; va += KERN_PAGE_SIZE) {
        if (n->child)
            __builtin_prefetch(n->child);
        unsigned below = revoke_below(n, rights);
        acc |= below;
        if (flush || !n->space) {
            acc |= take_access(n);
        } else {
            /* as in Pistachio: without flush the caller's own accesses are
             * neither reported nor reset (its pages stay installed), and
             * the subtree's are kept in its node for its ancestors */
            n->access |= (uint8_t)below;
        }
        if (flush && n->space) {
            n->rights &= ~rights;
            if (!n->rights)
                remove_leaf(n);
            else
                set_hw(n, n->hw & n->rights);
        }
    }
    host_flush();
    return acc;
}

bool kern_mdb_installed(kern_space_t *s, L4_Word_t addr)
{
    mdb_node_t *n = lookup(s, addr & ~(KERN_PAGE_SIZE - 1));
    return n && n->installed;
}

bool kern_mdb_touch(kern_space_t *s, L4_Word_t addr, unsigned access)
{
    mdb_node_t *n = lookup(s, addr & ~(KERN_PAGE_SIZE - 1));
    if (!n || !n->space || (n->rights & access) != access)
        return false;
    n->access |= access | KERN_RIGHTS_R;
    unsigned hw = n->hw | access;
    if (n->installed && hw == n->hw)
        return false;                   /* present and still faulting: not ours */
    n->hw = (uint8_t)hw;
    soft_faults++;
    if (n->installed) {
        host_flush();
        mprotect((void *)n->vaddr, KERN_PAGE_SIZE, host_prot(hw));
        return true;
    }
    return host_install(n);
}

L4_Word_t kern_mdb_prepare(L4_Word_t addr, L4_Word_t n, unsigned access)
{
    L4_Word_t done = 0;
    while (done < n) {
        L4_Word_t va = addr + done;
        L4_Word_t page = va & ~(KERN_PAGE_SIZE - 1);
        L4_Word_t chunk = page + KERN_PAGE_SIZE - va;
        kern_space_t *s = kern_mdb_space_at(va);
        if (s && !kernel_page(s, page)) {
            mdb_node_t *nd = lookup(s, page);
            if (!nd || (nd->rights & access) != access)
                break;
            if ((nd->hw & access) != access || !nd->installed)
                kern_mdb_touch(s, page, access);
        }
        done += chunk;
    }
    return done < n ? done : n;
}

/* ---- introspection (the monitor) ---- */

static void report_node(const mdb_node_t *n, unsigned depth, kern_mdb_visit_t fn, void *arg)
{
    kern_mdb_view_t v = {
        .space = n->space, .vaddr = n->vaddr, .frame = n->frame, .rights = n->rights,
        .access = n->access, .installed = n->installed, .depth = depth,
        .parent_space = n->parent ? n->parent->space : NULL,
        .parent_vaddr = n->parent ? n->parent->vaddr : 0,
    };
    fn(arg, &v);
}

void kern_mdb_each_mapping(kern_space_t *s, kern_mdb_visit_t fn, void *arg)
{
    if (!s || s == sigma0_space || !ptab_of(s))
        return;
    uint64_t w = work;          /* looking is not work of the system */
    L4_Word_t end = s->base + s->size;
    mdb_node_t *n;
    for (L4_Word_t va = s->base; (n = next_node(s, &va, end)) != NULL; va += KERN_PAGE_SIZE)
        report_node(n, 0, fn, arg);
    work = w;
}

bool kern_mdb_frame_tree(L4_Word_t frame, kern_mdb_visit_t fn, void *arg)
{
    if (frame >= kern_phys.nframes)
        return false;
    mdb_node_t *top = &kern_mdb_roots[frame], *x = top;
    unsigned depth = 0;
    while (x) {
        report_node(x, depth, fn, arg);
        if (x->child) {
            x = x->child;
            depth++;
            continue;
        }
        while (x != top && !x->next) {
            x = x->parent;
            depth--;
        }
        x = x == top ? NULL : x->next;
    }
    return true;
}

bool kern_mdb_lookup(kern_space_t *s, L4_Word_t va, L4_Word_t *frame, unsigned *rights)
{
    if (!s || !ptab_of(s) || (s != sigma0_space && (va < s->base || va >= s->base + s->size)))
        return false;
    mdb_node_t *n = lookup(s, va & ~(KERN_PAGE_SIZE - 1));
    if (!n || !n->rights)
        return false;
    *frame = n->frame;
    *rights = n->rights;
    return true;
}
