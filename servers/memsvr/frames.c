/* Frames: physical memory memsvr draws from sigma0 in chunks of
 * MS_CHUNK_PAGES pages, mapped into memsvr's own window, and its heap.
 *
 * Layout of memsvr's window (from the usable base, or from above memsvr's
 * own image where that lies in the usable range, as on a real L4 kernel):
 * [base, heap end) grows the heap in
 * 256 KiB chunks (one after the other, so that neighbouring chunks merge
 * into larger blocks); [pool base, usable end) holds chunk k of the frame
 * pool at pool base + k * 256 KiB, and frame f at pool base + f * 4 KiB.
 *
 * Invariants:
 *  1. received = free + in use, counted in frames; heap chunks are "meta"
 *     and never counted as either.
 *  2. A chunk is on the `empty` list iff all its frames are free, on the
 *     `partial` list iff some (not all) are, on no list iff none is.
 *  3. A free frame is mapped to no task: frame_free unmaps it first.
 *  4. A frame in use is charged to at most one task (slot, generation);
 *     the charge is the task's `pages` count while that task lives.  It
 *     also counts in its group's resident frames (the group of the task
 *     at the time of the charge), for as long as it is in use.
 *  5. A free frame has no owner, no flags and no wiring.
 *  6. A group with a share (a partitioned pager) never holds more frames
 *     than the share: an allocation over it first evicts one of the
 *     group's own pages, or fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/boot.h>
#include <chacm/l4util.h>
#include <chacm/lib.h>
#include <l4/sigma0.h>
#include <l4/space.h>

#include "memsvr.h"

#define CHUNK_LOG2      (MS_PAGE_BITS + MS_CHUNK_LOG2)
#define CHUNK_SIZE      (1UL << CHUNK_LOG2)
#define MAX_CHUNKS      4096u                   /* 1 GiB of frames */
#define MAX_FRAMES      (MAX_CHUNKS * MS_CHUNK_PAGES)
#define ALL_FREE        (~(uint64_t)0)          /* a chunk's mask with every frame free */
#define HEAP_MAX        (64UL << 20)
#define NIL             (-1)

static L4_Word_t heap_base, heap_top, heap_end, pool_base, pool_end;
static L4_Word_t received, in_use, meta, limit;
static L4_Word_t meta_at_limit;                 /* meta when the limit was set */
static unsigned nchunks;
static uint64_t chunk_free[MAX_CHUNKS];         /* bit i: frame i of the chunk is free */
static int chunk_next[MAX_CHUNKS], chunk_prev[MAX_CHUNKS];
static int partial = NIL, empty = NIL;
static uint32_t charge[MAX_FRAMES];             /* slot << 16 | generation, 0: none */
static obj_t *owner[MAX_FRAMES];                /* the reverse map: object and page */
static vm_offset_t owner_pg[MAX_FRAMES];
static uint8_t flags[MAX_FRAMES], fgroup[MAX_FRAMES];
static uint16_t wired[MAX_FRAMES];
static L4_Word_t gresident[VM_GROUPS];
static bool sigma0_dry;                         /* sigma0 refused a chunk: received is all there is */

static void list_del(int *head, int c)
{
    if (chunk_prev[c] != NIL)
        chunk_next[chunk_prev[c]] = chunk_next[c];
    else
        *head = chunk_next[c];
    if (chunk_next[c] != NIL)
        chunk_prev[chunk_next[c]] = chunk_prev[c];
}

static void list_add(int *head, int c)
{
    chunk_prev[c] = NIL;
    chunk_next[c] = *head;
    if (*head != NIL)
        chunk_prev[*head] = c;
    *head = c;
}

/* The list chunk c belongs on for a free mask. */
static int *list_for(uint64_t mask)
{
    if (mask == 0)
        return NULL;
    return mask == ALL_FREE ? &empty : &partial;
}

static void set_mask(int c, uint64_t mask)
{
    int *from = list_for(chunk_free[c]), *to = list_for(mask);
    chunk_free[c] = mask;
    if (from == to)
        return;
    if (from)
        list_del(from, c);
    if (to)
        list_add(to, c);
}

static void *heap_more(size_t want, size_t *got);

/* The end of memsvr's own image if the image lies in [base, end), else
 * base: on a real L4 kernel memsvr runs where kickstart loaded it, inside
 * its usable range (its boot record says where); hosted it has no such
 * extent there. */
static L4_Word_t above_own_image(L4_Word_t base, L4_Word_t end)
{
    const L4_BootRec_t *r = lib_boot_self();
    if (!r)
        return base;
    L4_Word_t lo = L4_SimpleExec_TextVstart(r), hi = L4_SimpleExec_BssVstart(r) + L4_SimpleExec_BssSize(r);
    if (L4_SimpleExec_DataVstart(r) + L4_SimpleExec_DataSize(r) > hi)
        hi = L4_SimpleExec_DataVstart(r) + L4_SimpleExec_DataSize(r);
    if (L4_SimpleExec_TextVstart(r) + L4_SimpleExec_TextSize(r) > hi)
        hi = L4_SimpleExec_TextVstart(r) + L4_SimpleExec_TextSize(r);
    if (hi <= lo || hi <= base || lo >= end)
        return base;
    return (hi + CHUNK_SIZE - 1) & ~(CHUNK_SIZE - 1);
}

void frames_init(void)
{
    L4_Word_t base = (lib_usable_base() + CHUNK_SIZE - 1) & ~(CHUNK_SIZE - 1);
    L4_Word_t end = lib_usable_end() & ~(CHUNK_SIZE - 1);
    base = above_own_image(base, end);
    L4_Word_t heap = (end - base) / 8;
    if (heap > HEAP_MAX)
        heap = HEAP_MAX;
    heap &= ~(CHUNK_SIZE - 1);
    heap_base = heap_top = base;
    heap_end = pool_base = base + heap;
    pool_end = end;
    if ((pool_end - pool_base) / CHUNK_SIZE > MAX_CHUNKS)
        pool_end = pool_base + (L4_Word_t)MAX_CHUNKS * CHUNK_SIZE;
    lib_heap_source(heap_more);
}

/* One more chunk from sigma0 at addr; false if sigma0 refuses. */
static bool sigma0_chunk(L4_Word_t addr)
{
    L4_Fpage_t got = L4_Sigma0_GetAny(L4_nilthread, CHUNK_LOG2, L4_FpageLog2(addr, CHUNK_LOG2));
    if (L4_IsNilFpage(got))
        sigma0_dry = true;
    return !L4_IsNilFpage(got);
}

/* Grows the pool by one chunk; false when the limit, the window or sigma0
 * says no. */
/* Frames of the limit kept for the heap while swap is on: memory full of
 * pages is the normal state then, and the tables must still grow. */
static L4_Word_t heap_reserve(void)
{
    return swap_enabled() ? MS_CHUNK_PAGES : 0;
}

static bool grow_pool(void)
{
    L4_Word_t addr = pool_base + (L4_Word_t)nchunks * CHUNK_SIZE;
    if (addr >= pool_end ||
        (limit && received + (meta - meta_at_limit) + MS_CHUNK_PAGES + heap_reserve() > limit) ||
        !sigma0_chunk(addr))
        return false;
    int c = (int)nchunks++;
    chunk_free[c] = 0;
    received += MS_CHUNK_PAGES;
    set_mask(c, ALL_FREE);
    return true;
}

static void take(frame_t f, const mtask_t *t)
{
    charge[f] = t ? ((uint32_t)t->slot << 16 | t->gen) : 0;
    fgroup[f] = (uint8_t)(t ? t->group : 0);
    gresident[fgroup[f]]++;
    in_use++;
}

/* Whether t's group may take n more frames, evicting its own pages to
 * make room when it has a share. */
static bool group_room(const mtask_t *t, unsigned n)
{
    unsigned g = t ? t->group : 0;
    L4_Word_t share = group_share(g);
    if (!share)
        return true;
    if (gresident[g] + n > share)
        reclaim(gresident[g] + n - share, g);
    return gresident[g] + n <= share;
}

/* A free frame at all, evicting pages when the pool is used up. */
static bool any_free(void)
{
    if (partial != NIL || empty != NIL || grow_pool())
        return true;
    reclaim(1, VM_GROUPS);
    return partial != NIL || empty != NIL;
}

static void charge_task(mtask_t *t, unsigned n)
{
    if (t)
        t->pages += n;
}

kern_return_t frame_alloc(mtask_t *t, frame_t *out)
{
    if (!group_room(t, 1) || !any_free())
        return KERN_RESOURCE_SHORTAGE;
    int c = partial != NIL ? partial : empty;
    uint64_t mask = chunk_free[c];
    unsigned i = (unsigned)__builtin_ctzll(mask);
    set_mask(c, mask & ~((uint64_t)1 << i));
    *out = (frame_t)c * MS_CHUNK_PAGES + i;
    take(*out, t);
    charge_task(t, 1);
    frame_set_flags(*out, FRAME_DIRTY, 0);  /* no copy in swap yet */
    frame_busy(*out);                   /* the caller fills and maps it first */
    return KERN_SUCCESS;
}

/* The first aligned group of n free frames in mask (n 16 or 64), or -1. */
static int free_group(uint64_t mask, unsigned n)
{
    uint64_t group = n >= 64 ? ALL_FREE : (((uint64_t)1 << n) - 1);
    for (unsigned i = 0; i < MS_CHUNK_PAGES; i += n)
        if (((mask >> i) & group) == group)
            return (int)i;
    return -1;
}

#define RUN_SCAN 8                      /* partly used chunks looked at for a small run */

bool frame_alloc_run(mtask_t *t, unsigned log2, frame_t *first)
{
    unsigned n = 1u << log2;
    int c = NIL, at = -1;
    unsigned g = t ? t->group : 0;
    L4_Word_t share = group_share(g);
    if (share && gresident[g] + n > share)
        return false;                   /* a run never evicts: the caller takes one page */
    for (int k = partial, seen = 0; n < MS_CHUNK_PAGES && k != NIL && seen < RUN_SCAN; k = chunk_next[k], seen++)
        if ((at = free_group(chunk_free[k], n)) >= 0) {
            c = k;
            break;
        }
    if (c == NIL) {
        if (empty == NIL && !grow_pool())
            return false;
        c = empty;
        at = 0;
    }
    uint64_t group = n >= 64 ? ALL_FREE : (((uint64_t)1 << n) - 1) << at;
    set_mask(c, chunk_free[c] & ~group);
    *first = (frame_t)c * MS_CHUNK_PAGES + (frame_t)at;
    for (unsigned i = 0; i < n; i++) {
        take(*first + i, t);
        frame_set_flags(*first + i, FRAME_DIRTY, 0);
    }
    charge_task(t, n);
    return true;
}

void frame_free(frame_t f)
{
    frame_unmap(f);
    owner[f] = NULL;
    flags[f] = 0;
    wired[f] = 0;
    gresident[fgroup[f]]--;
    fgroup[f] = 0;
    uint32_t ch = charge[f];
    if (ch) {
        mtask_t *t = task_by_slot(ch >> 16);
        if (t && t->gen == (ch & 0xffff) && t->pages)
            t->pages--;
    }
    charge[f] = 0;
    in_use--;
    int c = (int)(f / MS_CHUNK_PAGES);
    set_mask(c, chunk_free[c] | (uint64_t)1 << (f % MS_CHUNK_PAGES));
}

void *frame_ptr(frame_t f)
{
    return (void *)(pool_base + (L4_Word_t)f * MS_PAGE);
}

L4_Fpage_t frame_fpage(frame_t f, unsigned log2)
{
    return L4_FpageLog2((L4_Word_t)frame_ptr(f), (int)(MS_PAGE_BITS + log2));
}

mtask_t *frame_task(frame_t f)
{
    mtask_t *t = charge[f] ? task_by_slot(charge[f] >> 16) : NULL;
    return t && t->gen == (charge[f] & 0xffff) ? t : NULL;
}

frame_t frames_extent(void)
{
    return (frame_t)nchunks * MS_CHUNK_PAGES;
}

bool frame_is_free(frame_t f)
{
    return (chunk_free[f / MS_CHUNK_PAGES] >> (f % MS_CHUNK_PAGES)) & 1;
}

void frame_set_owner(frame_t f, obj_t *o, vm_offset_t pg)
{
    owner[f] = o;
    owner_pg[f] = pg;
}

obj_t *frame_owner(frame_t f, vm_offset_t *pg)
{
    *pg = owner_pg[f];
    return owner[f];
}

unsigned frame_flags(frame_t f)
{
    return flags[f];
}

void frame_set_flags(frame_t f, unsigned set, unsigned clear)
{
    flags[f] = (uint8_t)((flags[f] & ~clear) | set);
}

unsigned frame_wired(frame_t f)
{
    return wired[f];
}

void frame_wire(frame_t f, int delta)
{
    if (delta > 0 && wired[f] < 0xffff)
        wired[f]++;
    else if (delta < 0 && wired[f])
        wired[f]--;
}

unsigned frame_group(frame_t f)
{
    return fgroup[f];
}

L4_Word_t group_resident(unsigned g)
{
    return g < VM_GROUPS ? gresident[g] : 0;
}

unsigned frame_access(frame_t f, unsigned rights)
{
    L4_Fpage_t fp = L4_FpageAddRights(frame_fpage(f, 0), rights);
    fp = rights ? L4_UnmapFpage(fp) : L4_GetStatus(fp);
    return (unsigned)L4_Rights(fp);
}

void frame_unmap(frame_t f)
{
    L4_UnmapFpage(L4_FpageAddRights(frame_fpage(f, 0), L4_FullyAccessible));
}

void frame_write_protect(frame_t f)
{
    L4_UnmapFpage(L4_FpageAddRights(frame_fpage(f, 0), L4_Writable));
}

void frames_get_info(vm_frame_info *info)
{
    info->received = received;
    info->in_use = in_use;
    info->free = received - in_use;
    info->meta = meta;
    info->limit = limit;
}

/* From now on frames and heap chunks together may grow received (the
 * frames) plus what the heap grows by only up to n; 0: no limit. */
bool frames_set_limit(L4_Word_t n)
{
    limit = n;
    meta_at_limit = meta;
    return true;
}

L4_Word_t frames_available(void)
{
    L4_Word_t free = received - in_use, taken = received + (meta - meta_at_limit) + heap_reserve();
    if (!limit)                         /* as much as sigma0 gives: found out when asking */
        return sigma0_dry ? free : ~(L4_Word_t)0;
    return free + (limit > taken ? (limit - taken) / MS_CHUNK_PAGES * MS_CHUNK_PAGES : 0);
}

L4_Word_t frames_free_count(void)
{
    return received - in_use;
}

L4_Word_t frames_in_use(void)
{
    return in_use;
}

L4_Word_t frames_meta(void)
{
    return meta;
}

/* ---- the heap ---- */

/* malloc's source of memory (lib_heap_source): at least want more bytes of
 * sigma0 memory at the heap's top, in whole chunks; NULL when the window,
 * the frame limit or sigma0 says no.  memsvr is paged by sigma0, so the
 * library's default (vm_allocate at memsvr) is not for it. */
static void *heap_more(size_t want, size_t *got)
{
    L4_Word_t start = heap_top;
    while (heap_top - start < want) {
        if (heap_top + CHUNK_SIZE > heap_end || (limit && received + (meta - meta_at_limit) + MS_CHUNK_PAGES > limit) ||
            !sigma0_chunk(heap_top))
            break;
        heap_top += CHUNK_SIZE;
        meta += MS_CHUNK_PAGES;
    }
    *got = heap_top - start;
    return heap_top == start ? NULL : (void *)start;
}

void *ms_alloc(size_t size)
{
    void *p = malloc(size);
    if (!p)
        printf("memsvr: out of memory for %zu bytes of tables\n", size);
    return p;
}

void *ms_zalloc(size_t size)
{
    void *p = ms_alloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *ms_realloc(void *p, size_t size)
{
    return realloc(p, size);
}

void ms_free(void *p)
{
    free(p);
}
