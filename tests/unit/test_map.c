/* Unit tests of memsvr's address map (servers/memsvr/map.c, map_copy.c):
 * every rule of the VM calls on a map, with a fake server behind map_ops
 * that counts references and records flushes, and a randomized comparison
 * against a page-array model under a fixed seed. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/memsvr/map.c"
#include "../../servers/memsvr/map_copy.c"

#define PG PAGE_SIZE
#define MIN ((vm_address_t)0x10000)
#define MAX ((vm_address_t)0x10000000)
#define TOP (~(vm_address_t)0)

/* ---- the fake server ---- */

typedef struct obj {
    int refs;
    int id;
} obj_t;

static obj_t objs[512];
static int nobjs;

typedef struct flush_rec {
    map_t *m;
    vm_address_t start, end;
    vm_prot_t rights;
} flush_rec_t;

static flush_rec_t flushes[512];
static int nflush;
static int nmaterialize;
static int copy_fail_at; /* the copy hook fails on this call (1-based); 0: never */
static int ncopy;

static obj_t *obj_new(void)
{
    obj_t *o = &objs[nobjs++];

    o->refs = 1;
    o->id = nobjs;
    return o;
}

static void f_ref(map_t *m, void *o)
{
    (void)m;
    ((obj_t *)o)->refs++;
}

static void f_release(map_t *m, void *o)
{
    (void)m;
    ck_assert_int_gt(((obj_t *)o)->refs, 0);
    ((obj_t *)o)->refs--;
}

static void f_flush(map_t *m, vm_address_t s, vm_address_t e, vm_prot_t r)
{
    if (nflush < 512)
        flushes[nflush] = (flush_rec_t){m, s, e, r};
    nflush++;
}

static kern_return_t f_materialize(map_t *m, map_entry_t *e)
{
    obj_t *old = e->object;

    nmaterialize++;
    e->object = obj_new();
    if (old != NULL)
        f_release(m, old);
    e->needs_copy = false;
    return KERN_SUCCESS;
}

static kern_return_t f_copy(map_t *sm, map_entry_t *s, map_t *dm, map_entry_t *d)
{
    if (++ncopy == copy_fail_at)
        return KERN_RESOURCE_SHORTAGE;
    return map_copy_cow(sm, s, dm, d);
}

static const map_ops_t ops = {f_ref, f_release, f_flush, f_materialize, NULL};
static const map_ops_t ops_hook = {f_ref, f_release, f_flush, f_materialize, f_copy};
static const map_ops_t ops_bare = {f_ref, f_release, f_flush, NULL, NULL};

static map_entry_t storage[2048];
static map_pool_t P;
static map_t M, M2;

static void setup(void)
{
    nobjs = nflush = nmaterialize = ncopy = copy_fail_at = 0;
    map_pool_init(&P);
    map_pool_add(&P, storage, sizeof storage);
    map_init(&M, MIN, MAX, &ops, &P, NULL);
    map_init(&M2, MIN, MAX, &ops, &P, NULL);
}

static void teardown(void)
{
    ck_assert_int_eq(map_check_invariants(&M), 0);
    ck_assert_int_eq(map_check_invariants(&M2), 0);
}

static vm_address_t fixed(vm_address_t a, vm_size_t s)
{
    vm_address_t at = a;

    ck_assert_int_eq(map_allocate(&M, &at, s, false), KERN_SUCCESS);
    return at;
}

static kern_return_t alloc_kr(vm_address_t a, vm_size_t s, bool anywhere, vm_address_t *out)
{
    vm_address_t at = a;
    kern_return_t kr = map_allocate(&M, &at, s, anywhere);

    if (out != NULL)
        *out = at;
    return kr;
}

/* An entry of M with its own object, [a, a+s). */
static map_entry_t *with_object(vm_address_t a, vm_size_t s, obj_t **o)
{
    vm_address_t at = a;
    map_entry_t *e;

    *o = obj_new();
    ck_assert_int_eq(map_enter(&M, &at, s, 0, false, *o, 0, false, VM_PROT_DEFAULT, VM_PROT_ALL,
                               VM_INHERIT_COPY, &e),
                     KERN_SUCCESS);
    return e;
}

/* ---- vm_allocate ---- */

START_TEST(alloc_size_zero)
{
    vm_address_t a = 0x123456;

    ck_assert_int_eq(map_allocate(&M, &a, 0, true), KERN_SUCCESS);
    ck_assert_uint_eq(a, 0);
    a = MIN;
    ck_assert_int_eq(map_allocate(&M, &a, 0, false), KERN_SUCCESS);
    ck_assert_uint_eq(a, 0);
    ck_assert_uint_eq(M.nentries, 0);
}
END_TEST

START_TEST(alloc_first_fit_from_bottom)
{
    vm_address_t a, b, c;

    ck_assert_int_eq(alloc_kr(0x5000000, PG, true, &a), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN); /* the given address is ignored */
    ck_assert_int_eq(alloc_kr(0, 3 * PG, true, &b), KERN_SUCCESS);
    ck_assert_uint_eq(b, MIN + PG);
    ck_assert_int_eq(map_deallocate(&M, a, PG), KERN_SUCCESS);
    ck_assert_int_eq(alloc_kr(0, 2 * PG, true, &c), KERN_SUCCESS);
    ck_assert_uint_eq(c, MIN + 4 * PG); /* the one-page hole is too small */
    ck_assert_int_eq(alloc_kr(0, PG, true, &c), KERN_SUCCESS);
    ck_assert_uint_eq(c, MIN); /* and this fits the hole */
}
END_TEST

START_TEST(alloc_rounding)
{
    vm_address_t a;
    map_entry_t *e;

    ck_assert_int_eq(alloc_kr(MIN + 0x1234, 0x10, false, &a), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + PG);
    e = map_lookup(&M, a);
    ck_assert_uint_eq(e->end - e->start, PG);
    /* size rounded on its own, from the truncated address (Mach's rule) */
    ck_assert_int_eq(alloc_kr(MIN + 0x10ff0, PG, false, &a), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 0x10000);
    ck_assert_uint_eq(map_lookup(&M, a)->end, MIN + 0x11000);
    ck_assert_int_eq(alloc_kr(0, PG + 1, true, &a), KERN_SUCCESS);
    ck_assert_uint_eq(map_lookup(&M, a)->end - a, 2 * PG);
    ck_assert_int_eq(alloc_kr(0, 1, true, &a), KERN_SUCCESS);
    ck_assert_uint_eq(map_lookup(&M, a)->end - a, PG);
}
END_TEST

START_TEST(alloc_fixed_outside)
{
    vm_address_t a = 7;

    ck_assert_int_eq(alloc_kr(0, PG, false, &a), KERN_INVALID_ADDRESS);
    ck_assert_uint_eq(a, 0); /* unchanged on failure */
    ck_assert_int_eq(alloc_kr(MIN - PG, PG, false, NULL), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(alloc_kr(MIN - PG, 2 * PG, false, NULL), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(alloc_kr(MAX, PG, false, NULL), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(alloc_kr(MAX - PG, 2 * PG, false, NULL), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(alloc_kr(MAX - PG, PG, false, NULL), KERN_SUCCESS);
    ck_assert_uint_eq(M.nentries, 1);
}
END_TEST

START_TEST(alloc_fixed_overlap)
{
    vm_address_t b = MIN + 8 * PG;

    fixed(b, 4 * PG);
    ck_assert_int_eq(alloc_kr(b, PG, false, NULL), KERN_NO_SPACE);          /* at start */
    ck_assert_int_eq(alloc_kr(b + PG, PG, false, NULL), KERN_NO_SPACE);     /* inside */
    ck_assert_int_eq(alloc_kr(b - PG, 2 * PG, false, NULL), KERN_NO_SPACE); /* over start */
    ck_assert_int_eq(alloc_kr(b + 3 * PG, 2 * PG, false, NULL), KERN_NO_SPACE); /* over end */
    ck_assert_int_eq(alloc_kr(b - PG, 6 * PG, false, NULL), KERN_NO_SPACE); /* covering */
    ck_assert_int_eq(alloc_kr(b - PG, PG, false, NULL), KERN_SUCCESS);     /* adjacent below */
    ck_assert_int_eq(alloc_kr(b + 4 * PG, PG, false, NULL), KERN_SUCCESS); /* adjacent above */
    ck_assert_uint_eq(M.nentries, 3);
}
END_TEST

START_TEST(alloc_wrap_and_huge)
{
    ck_assert_int_eq(alloc_kr(0, TOP, true, NULL), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(alloc_kr(0, TOP - PG + 2, true, NULL), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(alloc_kr(MIN, TOP, false, NULL), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(alloc_kr(TOP - PG + 1, 2 * PG, false, NULL), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(alloc_kr(0, MAX - MIN + PG, true, NULL), KERN_NO_SPACE);
    ck_assert_int_eq(alloc_kr(0, TOP - 2 * PG, true, NULL), KERN_NO_SPACE);
    ck_assert_uint_eq(M.nentries, 0);
}
END_TEST

START_TEST(alloc_no_space)
{
    vm_address_t a;

    fixed(MIN, 10 * PG);
    fixed(MIN + 11 * PG, MAX - MIN - 11 * PG);
    ck_assert_int_eq(alloc_kr(0, 2 * PG, true, NULL), KERN_NO_SPACE);
    ck_assert_int_eq(alloc_kr(0, PG, true, &a), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 10 * PG);
    ck_assert_int_eq(alloc_kr(0, PG, true, NULL), KERN_NO_SPACE);
    ck_assert_uint_eq(M.size, MAX - MIN);
}
END_TEST

START_TEST(alloc_defaults)
{
    map_entry_t *e = map_lookup(&M, fixed(MIN, PG));

    ck_assert_int_eq(e->cur, VM_PROT_DEFAULT);
    ck_assert_int_eq(e->max, VM_PROT_ALL);
    ck_assert_uint_eq(e->inherit, VM_INHERIT_COPY);
    ck_assert_ptr_null(e->object);
    ck_assert_uint_eq(e->wired, 0);
    ck_assert(!e->needs_copy);
}
END_TEST

/* ---- vm_map placement ---- */

static kern_return_t enter_kr(vm_address_t *a, vm_size_t s, vm_address_t mask, bool anywhere,
                              vm_prot_t cur, vm_prot_t max, vm_inherit_t inh, vm_offset_t off)
{
    return map_enter(&M, a, s, mask, anywhere, NULL, off, false, cur, max, inh, NULL);
}

START_TEST(enter_masks)
{
    vm_address_t a = 0;

    fixed(MIN, PG);
    ck_assert_int_eq(enter_kr(&a, PG, 0xffff, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, 0x20000);
    a = 0;
    ck_assert_int_eq(enter_kr(&a, PG, 0xfffff, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, 0x100000);
    a = 0;
    ck_assert_int_eq(enter_kr(&a, PG, 0x7ffffff, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, 0x8000000);
    a = 0;
    ck_assert_int_eq(enter_kr(&a, PG, 0xfffffff, true, 3, 7, 1, 0), KERN_NO_SPACE);
    a = 0;
    ck_assert_int_eq(enter_kr(&a, PG, TOP, true, 3, 7, 1, 0), KERN_NO_SPACE);
    a = 0x31000;
    ck_assert_int_eq(enter_kr(&a, PG, 0xffff, false, 3, 7, 1, 0), KERN_NO_SPACE);
    a = 0x30000;
    ck_assert_int_eq(enter_kr(&a, PG, 0xffff, false, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, 0x30000);
    /* mask bits below the page size are implied */
    a = 0;
    ck_assert_int_eq(enter_kr(&a, PG, 0x1, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + PG);
}
END_TEST

START_TEST(enter_bad_arguments)
{
    vm_address_t a = 0;

    ck_assert_int_eq(enter_kr(&a, 0, 0, true, 3, 7, 1, 0), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 8, 7, 1, 0), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 3, 0xf, 1, 0), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, -1, 7, 1, 0), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 7, 3, 1, 0), KERN_INVALID_ARGUMENT); /* cur > max */
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 3, 7, 3, 0), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 3, 7, 1, 0x800), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(enter_kr(&a, TOP, 0, true, 3, 7, 1, 0), KERN_INVALID_ARGUMENT);
    ck_assert_uint_eq(a, 0);
    ck_assert_uint_eq(M.nentries, 0);
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 0, 0, 2, 0), KERN_SUCCESS); /* NONE/NONE is fine */
}
END_TEST

START_TEST(enter_anywhere_at_or_above)
{
    vm_address_t a = MIN + 0x100123;

    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 0x100000);
    a = MIN + 0x100000;
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 0x101000);
    a = 0;
    ck_assert_int_eq(enter_kr(&a, PG, 0, true, 3, 7, 1, 0), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN);
}
END_TEST

START_TEST(enter_takes_callers_reference)
{
    obj_t *o;
    map_entry_t *e = with_object(MIN, 2 * PG, &o);

    ck_assert_ptr_eq(e->object, o);
    ck_assert_int_eq(o->refs, 1);
    ck_assert_int_eq(map_deallocate(&M, MIN, 2 * PG), KERN_SUCCESS);
    ck_assert_int_eq(o->refs, 0);
}
END_TEST

/* ---- vm_deallocate ---- */

START_TEST(dealloc_rules)
{
    fixed(MIN, 4 * PG);
    ck_assert_int_eq(map_deallocate(&M, MIN, 0), KERN_SUCCESS);
    ck_assert_uint_eq(M.size, 4 * PG);
    /* start truncated, end rounded: pages 1 and 2 go */
    ck_assert_int_eq(map_deallocate(&M, MIN + 0x1800, 0x1000), KERN_SUCCESS);
    ck_assert_ptr_nonnull(map_lookup(&M, MIN));
    ck_assert_ptr_null(map_lookup(&M, MIN + PG));
    ck_assert_ptr_null(map_lookup(&M, MIN + 2 * PG));
    ck_assert_ptr_nonnull(map_lookup(&M, MIN + 3 * PG));
    ck_assert_uint_eq(M.nentries, 2);
    ck_assert_int_eq(map_deallocate(&M, MIN + 0x1800, 0x1000), KERN_SUCCESS); /* twice */
    ck_assert_int_eq(map_deallocate(&M, 0, MIN + 2 * PG), KERN_SUCCESS); /* below the map */
    ck_assert_ptr_null(map_lookup(&M, MIN));
    ck_assert_int_eq(map_deallocate(&M, MAX, 16 * PG), KERN_SUCCESS); /* above the map */
    ck_assert_int_eq(map_deallocate(&M, MIN, TOP), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_deallocate(&M, TOP - PG + 2, PG), KERN_INVALID_ARGUMENT);
    ck_assert_uint_eq(M.size, PG);
}
END_TEST

START_TEST(dealloc_across_holes)
{
    fixed(MIN, PG);
    fixed(MIN + 2 * PG, 2 * PG);
    fixed(MIN + 6 * PG, PG);
    ck_assert_int_eq(map_deallocate(&M, MIN + PG, 6 * PG), KERN_SUCCESS);
    ck_assert_uint_eq(M.nentries, 1);
    ck_assert_uint_eq(M.size, PG);
    ck_assert_int_eq(nflush, 2);
    ck_assert_int_eq(flushes[0].rights, VM_PROT_ALL);
}
END_TEST

START_TEST(dealloc_releases_split_objects)
{
    obj_t *o;

    with_object(MIN, 5 * PG, &o);
    ck_assert_int_eq(map_deallocate(&M, MIN + PG, 2 * PG), KERN_SUCCESS);
    ck_assert_int_eq(o->refs, 2); /* two pieces remain */
    ck_assert_uint_eq(map_lookup(&M, MIN + 3 * PG)->offset, 3 * PG);
    ck_assert_int_eq(nflush, 1);
    ck_assert_uint_eq(flushes[0].start, MIN + PG);
    ck_assert_uint_eq(flushes[0].end, MIN + 3 * PG);
    map_destroy(&M);
    ck_assert_int_eq(o->refs, 0);
    ck_assert_uint_eq(M.nentries, 0);
    ck_assert_uint_eq(P.nfree, P.ntotal);
}
END_TEST

/* ---- clip ---- */

START_TEST(clip_both_ends)
{
    obj_t *o;
    map_entry_t *e;

    with_object(MIN, 8 * PG, &o);
    ck_assert_int_eq(map_clip(&M, MIN + 2 * PG, MIN + 5 * PG), KERN_SUCCESS);
    ck_assert_uint_eq(M.nentries, 3);
    ck_assert_int_eq(o->refs, 3);
    e = map_lookup(&M, MIN + 3 * PG);
    ck_assert_uint_eq(e->start, MIN + 2 * PG);
    ck_assert_uint_eq(e->end, MIN + 5 * PG);
    ck_assert_uint_eq(e->offset, 2 * PG);
    ck_assert_uint_eq(map_lookup(&M, MIN + 7 * PG)->offset, 5 * PG);
    ck_assert_int_eq(map_clip(&M, MIN + 2 * PG, MIN + 5 * PG), KERN_SUCCESS); /* boundaries */
    ck_assert_uint_eq(M.nentries, 3);
    ck_assert_int_eq(map_clip(&M, MIN + 20 * PG, MIN + 30 * PG), KERN_SUCCESS); /* a hole */
    ck_assert_int_eq(map_clip(&M, MIN + 1, MIN + PG), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_clip(&M, MIN + 2 * PG, MIN + PG), KERN_INVALID_ARGUMENT);
    ck_assert_uint_eq(M.size, 8 * PG);
}
END_TEST

START_TEST(clip_one_entry_twice_inside)
{
    fixed(MIN, 3 * PG);
    ck_assert_int_eq(map_clip(&M, MIN + PG, MIN + 2 * PG), KERN_SUCCESS);
    ck_assert_uint_eq(M.nentries, 3);
    ck_assert_uint_eq(map_lookup(&M, MIN + PG)->end, MIN + 2 * PG);
}
END_TEST

/* ---- vm_protect ---- */

START_TEST(protect_unknown_bits)
{
    fixed(MIN, PG);
    ck_assert_int_eq(map_protect(&M, MIN, PG, false, 0x8), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_protect(&M, MIN, PG, false, 0x10 | 1), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_protect(&M, MIN, PG, true, -1), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_protect(&M, MIN, 0, false, 0x8), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_lookup(&M, MIN)->cur, VM_PROT_DEFAULT);
}
END_TEST

START_TEST(protect_against_max)
{
    map_entry_t *e = map_lookup(&M, fixed(MIN, 2 * PG));

    ck_assert_int_eq(map_protect(&M, MIN, 2 * PG, false, VM_PROT_ALL), KERN_SUCCESS);
    ck_assert_int_eq(e->cur, VM_PROT_ALL);
    ck_assert_int_eq(map_protect(&M, MIN, 2 * PG, true, VM_PROT_READ), KERN_SUCCESS);
    ck_assert_int_eq(e->max, VM_PROT_READ);
    ck_assert_int_eq(e->cur, VM_PROT_READ); /* lowered to fit */
    ck_assert_int_eq(map_protect(&M, MIN, PG, false, VM_PROT_DEFAULT), KERN_PROTECTION_FAILURE);
    ck_assert_int_eq(map_protect(&M, MIN, PG, true, VM_PROT_DEFAULT), KERN_PROTECTION_FAILURE);
    ck_assert_uint_eq(M.nentries, 1); /* failures clip nothing */
    ck_assert_int_eq(map_protect(&M, MIN, PG, false, VM_PROT_NONE), KERN_SUCCESS);
    ck_assert_int_eq(map_protect(&M, MIN, PG, false, VM_PROT_READ), KERN_SUCCESS);
    ck_assert_int_eq(map_protect(&M, MIN, 0, false, VM_PROT_ALL), KERN_SUCCESS); /* size 0 */
}
END_TEST

START_TEST(protect_holes_xnu_rule)
{
    fixed(MIN, PG);
    fixed(MIN + 2 * PG, PG);
    ck_assert_int_eq(map_protect(&M, MIN, 3 * PG, false, VM_PROT_READ), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_lookup(&M, MIN)->cur, VM_PROT_DEFAULT); /* nothing changed */
    ck_assert_int_eq(map_protect(&M, MIN + PG, PG, false, VM_PROT_READ), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_protect(&M, MIN + 2 * PG, 2 * PG, false, VM_PROT_READ),
                     KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_protect(&M, MAX, PG, false, VM_PROT_READ), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_protect(&M, MIN, TOP, false, VM_PROT_READ), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(nflush, 0);
}
END_TEST

START_TEST(protect_failure_changes_nothing)
{
    fixed(MIN, 2 * PG);
    fixed(MIN + 2 * PG, 2 * PG);
    ck_assert_int_eq(map_protect(&M, MIN + 2 * PG, 2 * PG, true, VM_PROT_READ), KERN_SUCCESS);
    ck_assert_int_eq(map_protect(&M, MIN + PG, 2 * PG, false, VM_PROT_DEFAULT),
                     KERN_PROTECTION_FAILURE);
    ck_assert_uint_eq(M.nentries, 2);
    ck_assert_int_eq(map_lookup(&M, MIN)->cur, VM_PROT_DEFAULT);
}
END_TEST

START_TEST(protect_rounding_and_flush)
{
    map_entry_t *e;

    fixed(MIN, 3 * PG);
    nflush = 0;
    ck_assert_int_eq(map_protect(&M, MIN + 0x1800, 0x10, false, VM_PROT_READ), KERN_SUCCESS);
    ck_assert_uint_eq(M.nentries, 3);
    e = map_lookup(&M, MIN + PG);
    ck_assert_uint_eq(e->start, MIN + PG);
    ck_assert_uint_eq(e->end, MIN + 2 * PG);
    ck_assert_int_eq(e->cur, VM_PROT_READ);
    ck_assert_int_eq(nflush, 1);
    ck_assert_int_eq(flushes[0].rights, VM_PROT_WRITE);
    ck_assert_uint_eq(flushes[0].start, MIN + PG);
    ck_assert_int_eq(map_protect(&M, MIN, 3 * PG, false, VM_PROT_ALL), KERN_SUCCESS);
    ck_assert_int_eq(nflush, 1); /* raising takes nothing away */
    ck_assert_int_eq(map_protect(&M, MIN, PG, true, VM_PROT_NONE), KERN_SUCCESS);
    ck_assert_int_eq(nflush, 2);
    ck_assert_int_eq(flushes[1].rights, VM_PROT_ALL);
}
END_TEST

/* ---- vm_inherit ---- */

START_TEST(inherit_values_and_holes)
{
    fixed(MIN, PG);
    fixed(MIN + 2 * PG, 3 * PG);
    ck_assert_int_eq(map_inherit(&M, MIN, PG, 3), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_inherit(&M, MIN, PG, 0xffffffffu), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_inherit(&M, MIN, 0, 3), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_inherit(&M, MIN, 0, VM_INHERIT_NONE), KERN_SUCCESS);
    ck_assert_int_eq(map_inherit(&M, MIN, 4 * PG, VM_INHERIT_SHARE), KERN_SUCCESS);
    ck_assert_uint_eq(map_lookup(&M, MIN)->inherit, VM_INHERIT_SHARE);
    ck_assert_uint_eq(map_lookup(&M, MIN + 3 * PG)->inherit, VM_INHERIT_SHARE);
    ck_assert_uint_eq(map_lookup(&M, MIN + 4 * PG)->inherit, VM_INHERIT_COPY);
    ck_assert_uint_eq(M.nentries, 3);
    ck_assert_int_eq(map_inherit(&M, MIN + 3 * PG, 1, VM_INHERIT_NONE), KERN_SUCCESS);
    ck_assert_uint_eq(map_lookup(&M, MIN + 3 * PG)->inherit, VM_INHERIT_NONE);
    ck_assert_uint_eq(map_lookup(&M, MIN + 2 * PG)->inherit, VM_INHERIT_SHARE);
    ck_assert_int_eq(map_inherit(&M, MIN, TOP, VM_INHERIT_NONE), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_inherit(&M, MIN + 50 * PG, PG, VM_INHERIT_NONE), KERN_SUCCESS);
}
END_TEST

/* ---- vm_region and lookup ---- */

START_TEST(region_at_or_above)
{
    vm_address_t a = 0;
    map_entry_t *e;

    ck_assert_int_eq(map_region(&M, &a, &e), KERN_NO_SPACE);
    fixed(MIN + 4 * PG, 2 * PG);
    fixed(MIN + 10 * PG, PG);
    a = 0;
    ck_assert_int_eq(map_region(&M, &a, &e), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 4 * PG);
    a = MIN + 5 * PG + 7;
    ck_assert_int_eq(map_region(&M, &a, &e), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 4 * PG); /* the containing entry, below the address */
    a = MIN + 6 * PG;
    ck_assert_int_eq(map_region(&M, &a, &e), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 10 * PG);
    ck_assert_uint_eq(e->end, MIN + 11 * PG);
    a = MIN + 11 * PG;
    ck_assert_int_eq(map_region(&M, &a, &e), KERN_NO_SPACE);
    ck_assert_uint_eq(a, MIN + 11 * PG);
}
END_TEST

START_TEST(lookup_and_walk)
{
    map_entry_t *e;
    int n = 0;

    fixed(MIN + 2 * PG, PG);
    fixed(MIN, PG);
    fixed(MIN + 4 * PG, PG);
    ck_assert_ptr_null(map_lookup(&M, MIN + PG));
    ck_assert_ptr_null(map_lookup(&M, MIN + 3 * PG - 1 + 1));
    ck_assert_uint_eq(map_lookup(&M, MIN + 3 * PG - 1)->start, MIN + 2 * PG);
    ck_assert_uint_eq(map_lookup(&M, MIN + 4 * PG)->start, MIN + 4 * PG);
    ck_assert_uint_eq(map_lookup(&M, MIN)->start, MIN); /* below the hint */
    ck_assert_ptr_null(map_lookup(&M, 0));
    ck_assert_ptr_null(map_lookup(&M, TOP));
    ck_assert_uint_eq(map_lookup_at_or_above(&M, MIN + PG)->start, MIN + 2 * PG);
    ck_assert_ptr_null(map_lookup_at_or_above(&M, MIN + 5 * PG));
    for (e = map_first(&M); e != NULL; e = map_next(&M, e))
        ck_assert_uint_eq(e->start, MIN + 2 * PG * n++);
    ck_assert_int_eq(n, 3);
    (void)map_lookup(&M, MIN + 4 * PG);
    ck_assert_int_eq(map_deallocate(&M, MIN + 4 * PG, PG), KERN_SUCCESS); /* the hint */
    ck_assert_uint_eq(map_lookup(&M, MIN + 2 * PG)->start, MIN + 2 * PG);
    ck_assert_ptr_null(map_lookup(&M, MIN + 4 * PG));
}
END_TEST

/* ---- vm_read / vm_write / vm_copy range checks ---- */

START_TEST(check_range_rules)
{
    map_entry_t *f;

    fixed(MIN, 2 * PG);
    fixed(MIN + 2 * PG, 2 * PG);
    fixed(MIN + 6 * PG, PG);
    ck_assert_int_eq(map_protect(&M, MIN + 2 * PG, PG, false, VM_PROT_READ), KERN_SUCCESS);
    ck_assert_int_eq(map_check_range(&M, MIN, 0, VM_PROT_READ, &f), KERN_SUCCESS);
    ck_assert_ptr_null(f);
    ck_assert_int_eq(map_check_range(&M, MIN + 10, 4 * PG - 20, VM_PROT_READ, &f), KERN_SUCCESS);
    ck_assert_uint_eq(f->start, MIN);
    ck_assert_int_eq(map_check_range(&M, MIN, 4 * PG, VM_PROT_WRITE, NULL),
                     KERN_PROTECTION_FAILURE);
    ck_assert_int_eq(map_check_range(&M, MIN, 2 * PG, VM_PROT_WRITE, NULL), KERN_SUCCESS);
    ck_assert_int_eq(map_check_range(&M, MIN, 5 * PG, VM_PROT_READ, NULL), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_check_range(&M, MIN + 4 * PG, PG, VM_PROT_READ, NULL),
                     KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_check_range(&M, MIN + 3 * PG, 4 * PG, VM_PROT_READ, NULL),
                     KERN_INVALID_ADDRESS);
    /* in address order: the protection failure comes before the hole */
    ck_assert_int_eq(map_check_range(&M, MIN, 7 * PG, VM_PROT_WRITE, NULL),
                     KERN_PROTECTION_FAILURE);
    ck_assert_int_eq(map_check_range(&M, MIN + 3 * PG, 4 * PG, VM_PROT_WRITE, NULL),
                     KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_check_range(&M, MIN, TOP, VM_PROT_READ, NULL), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_check_range(&M, MIN, PG, 0x8, NULL), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_check_range(&M, MIN, PG, VM_PROT_NONE, NULL), KERN_SUCCESS);
}
END_TEST

/* ---- wiring ---- */

START_TEST(wire_counts)
{
    fixed(MIN, 4 * PG);
    ck_assert_int_eq(map_wire(&M, MIN + PG, PG, -1), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_wire(&M, MIN + PG, PG, 2), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_wire(&M, MIN + PG, PG, 1), KERN_SUCCESS);
    ck_assert_int_eq(map_wire(&M, MIN + PG, PG, 1), KERN_SUCCESS);
    ck_assert_uint_eq(map_lookup(&M, MIN + PG)->wired, 2);
    ck_assert_uint_eq(map_lookup(&M, MIN)->wired, 0);
    ck_assert_int_eq(map_wire(&M, MIN + 3 * PG, 2 * PG, 1), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_wire(&M, MIN, 2 * PG, -1), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(map_wire(&M, MIN + PG, PG, -1), KERN_SUCCESS);
    ck_assert_uint_eq(map_lookup(&M, MIN + PG)->wired, 1);
    ck_assert_int_eq(map_wire(&M, MIN, 0, 1), KERN_SUCCESS);
}
END_TEST

/* ---- the entry pool ---- */

START_TEST(pool_exhaustion)
{
    static map_entry_t few[3];
    map_pool_t p;
    map_t m;
    vm_address_t a;

    map_pool_init(&p);
    ck_assert_uint_eq(map_pool_add(&p, few, sizeof few), 3);
    ck_assert_uint_eq(map_pool_add(&p, NULL, 100), 0);
    map_init(&m, MIN, MAX, &ops, &p, NULL);
    for (int i = 0; i < 3; i++) {
        a = MIN + 4 * PG * (vm_address_t)i;
        ck_assert_int_eq(map_allocate(&m, &a, 2 * PG, false), KERN_SUCCESS);
    }
    ck_assert_int_eq(map_allocate(&m, &a, PG, true), KERN_RESOURCE_SHORTAGE);
    ck_assert_int_eq(map_protect(&m, MIN, PG, false, VM_PROT_READ), KERN_RESOURCE_SHORTAGE);
    ck_assert_int_eq(map_inherit(&m, MIN, PG, VM_INHERIT_NONE), KERN_RESOURCE_SHORTAGE);
    ck_assert_int_eq(map_lookup(&m, MIN)->cur, VM_PROT_DEFAULT);
    ck_assert_int_eq(map_deallocate(&m, MIN + PG, PG), KERN_RESOURCE_SHORTAGE);
    ck_assert_uint_eq(m.nentries, 3);
    ck_assert_int_eq(map_deallocate(&m, MIN, 2 * PG), KERN_SUCCESS); /* whole entries */
    ck_assert_uint_eq(p.nfree, 1);
    ck_assert_int_eq(map_check_invariants(&m), 0);
    map_destroy(&m);
    ck_assert_uint_eq(p.nfree, 3);
}
END_TEST

/* ---- vm_remap ---- */

static kern_return_t remap_kr(vm_address_t *a, vm_size_t size, vm_address_t mask, bool anywhere,
                              map_t *src, vm_address_t sa, bool copy, vm_prot_t *c, vm_prot_t *x)
{
    return map_remap(&M2, a, size, mask, anywhere, src, sa, copy, VM_INHERIT_SHARE, c, x);
}

START_TEST(remap_share)
{
    obj_t *o;
    vm_address_t a = 0;
    vm_prot_t c, x;
    map_entry_t *e;

    with_object(MIN, 2 * PG, &o);
    fixed(MIN + 2 * PG, 2 * PG); /* no object yet */
    ck_assert_int_eq(map_protect(&M, MIN + 2 * PG, PG, true, VM_PROT_READ), KERN_SUCCESS);
    ck_assert_int_eq(remap_kr(&a, 4 * PG - 1, 0, true, &M, MIN + 1, false, &c, &x), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN);
    ck_assert_int_eq(c, VM_PROT_READ);
    ck_assert_int_eq(x, VM_PROT_READ);
    ck_assert_uint_eq(M2.nentries, 3);
    ck_assert_int_eq(o->refs, 2);
    ck_assert_int_eq(nmaterialize, 2); /* both object-less pieces got one */
    e = map_lookup(&M2, MIN + 2 * PG);
    ck_assert_ptr_eq(e->object, map_lookup(&M, MIN + 2 * PG)->object);
    ck_assert_int_eq(((obj_t *)e->object)->refs, 2);
    ck_assert_int_eq(e->max, VM_PROT_READ);
    ck_assert_int_eq(map_lookup(&M2, MIN)->cur, VM_PROT_DEFAULT); /* each keeps its own */
    ck_assert_uint_eq(e->inherit, VM_INHERIT_SHARE);
    map_destroy(&M2);
    map_destroy(&M);
    for (int i = 0; i < nobjs; i++)
        ck_assert_int_eq(objs[i].refs, 0);
}
END_TEST

START_TEST(remap_copy_cow)
{
    obj_t *o;
    vm_address_t a = MIN + 64 * PG;
    vm_prot_t c, x;
    map_entry_t *e;

    e = with_object(MIN, 2 * PG, &o);
    fixed(MIN + 2 * PG, PG);
    nflush = 0;
    ck_assert_int_eq(remap_kr(&a, 3 * PG, 0, false, &M, MIN, true, &c, &x), KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 64 * PG);
    ck_assert_int_eq(c, VM_PROT_DEFAULT);
    ck_assert_int_eq(x, VM_PROT_ALL);
    ck_assert(e->needs_copy);
    ck_assert(map_lookup(&M2, a)->needs_copy);
    ck_assert_ptr_eq(map_lookup(&M2, a)->object, o);
    ck_assert_int_eq(o->refs, 2);
    ck_assert_int_eq(nflush, 1);
    ck_assert_ptr_eq(flushes[0].m, &M);
    ck_assert_int_eq(flushes[0].rights, VM_PROT_WRITE);
    ck_assert_ptr_null(map_lookup(&M2, a + 2 * PG)->object); /* zero-fill stays zero-fill */
    ck_assert_int_eq(nmaterialize, 0);
    /* a second copy of an entry already copy-on-write flushes nothing */
    a = 0;
    ck_assert_int_eq(remap_kr(&a, 2 * PG, 0, true, &M, MIN, true, &c, &x), KERN_SUCCESS);
    ck_assert_int_eq(nflush, 1);
    ck_assert_int_eq(o->refs, 3);
}
END_TEST

START_TEST(remap_errors)
{
    vm_address_t a = 0;
    vm_prot_t c = 99, x = 99;

    fixed(MIN, PG);
    fixed(MIN + 2 * PG, PG);
    ck_assert_int_eq(remap_kr(&a, 0, 0, true, &M, MIN, false, &c, &x), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(remap_kr(&a, TOP, 0, true, &M, MIN, false, &c, &x), KERN_INVALID_ARGUMENT);
    ck_assert_int_eq(remap_kr(&a, 3 * PG, 0, true, &M, MIN, false, &c, &x), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(remap_kr(&a, PG, 0, true, &M, MIN + PG, true, &c, &x), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(remap_kr(&a, PG, 0, true, &M, MAX, true, &c, &x), KERN_INVALID_ADDRESS);
    ck_assert_int_eq(map_remap(&M2, &a, PG, 0, true, &M, MIN, true, 5, &c, &x),
                     KERN_INVALID_ARGUMENT);
    a = MIN; /* taken */
    ck_assert_int_eq(map_remap(&M, &a, PG, 0, false, &M, MIN + 2 * PG, true, 1, &c, &x),
                     KERN_NO_SPACE);
    a = MAX;
    ck_assert_int_eq(remap_kr(&a, PG, 0, false, &M, MIN, true, &c, &x), KERN_INVALID_ADDRESS);
    a = TOP - PG + 1; /* the end would wrap */
    ck_assert_int_eq(remap_kr(&a, PG, 0, false, &M, MIN, true, &c, &x), KERN_INVALID_ARGUMENT);
    a = MIN + 0x1000;
    ck_assert_int_eq(remap_kr(&a, PG, 0xffff, false, &M, MIN, true, &c, &x), KERN_NO_SPACE);
    ck_assert_int_eq(c, 99);
    ck_assert_uint_eq(M2.nentries, 0);
    ck_assert_uint_eq(M.nentries, 2);
}
END_TEST

START_TEST(remap_same_map_partial)
{
    obj_t *o;
    vm_address_t a = 0;
    vm_prot_t c, x;

    with_object(MIN, 4 * PG, &o);
    ck_assert_int_eq(map_remap(&M, &a, 2 * PG, 0, true, &M, MIN + PG, true, VM_INHERIT_COPY, &c,
                               &x),
                     KERN_SUCCESS);
    ck_assert_uint_eq(a, MIN + 4 * PG);
    ck_assert_uint_eq(M.nentries, 4); /* source clipped into three, plus the copy */
    ck_assert_uint_eq(map_lookup(&M, a)->offset, PG);
    ck_assert(map_lookup(&M, MIN + PG)->needs_copy);
    ck_assert(!map_lookup(&M, MIN)->needs_copy);
    ck_assert_int_eq(o->refs, 4);
}
END_TEST

START_TEST(remap_share_without_materialize)
{
    vm_address_t a = 0;
    vm_prot_t c, x;
    map_t m;

    map_init(&m, MIN, MAX, &ops_bare, &P, NULL);
    a = MIN;
    ck_assert_int_eq(map_allocate(&m, &a, PG, false), KERN_SUCCESS);
    a = 0;
    ck_assert_int_eq(map_remap(&M2, &a, PG, 0, true, &m, MIN, false, 0, &c, &x), KERN_FAILURE);
    ck_assert_int_eq(map_remap(&M2, &a, PG, 0, true, &m, MIN, true, 0, &c, &x), KERN_SUCCESS);
    map_destroy(&m);
}
END_TEST

START_TEST(remap_copy_hook_failure_undoes)
{
    obj_t *o1, *o2;
    vm_address_t a = 0;
    vm_prot_t c, x;

    M.ops = &ops_hook;
    with_object(MIN, PG, &o1);
    with_object(MIN + PG, PG, &o2);
    copy_fail_at = 2;
    ck_assert_int_eq(remap_kr(&a, 2 * PG, 0, true, &M, MIN, true, &c, &x),
                     KERN_RESOURCE_SHORTAGE);
    ck_assert_uint_eq(M2.nentries, 0);
    ck_assert_int_eq(o1->refs, 1);
    ck_assert_int_eq(o2->refs, 1);
}
END_TEST

/* ---- task creation by inheritance ---- */

START_TEST(fork_by_inheritance)
{
    obj_t *oc, *os;
    map_entry_t *pe;

    with_object(MIN, PG, &oc);                          /* copy */
    pe = with_object(MIN + PG, PG, &os);                /* share */
    fixed(MIN + 2 * PG, PG);                            /* none */
    fixed(MIN + 3 * PG, PG);                            /* share, no object yet */
    ck_assert_int_eq(map_inherit(&M, MIN + PG, PG, VM_INHERIT_SHARE), KERN_SUCCESS);
    ck_assert_int_eq(map_inherit(&M, MIN + 2 * PG, PG, VM_INHERIT_NONE), KERN_SUCCESS);
    ck_assert_int_eq(map_inherit(&M, MIN + 3 * PG, PG, VM_INHERIT_SHARE), KERN_SUCCESS);
    ck_assert_int_eq(map_protect(&M, MIN, PG, true, VM_PROT_READ), KERN_SUCCESS);
    nflush = 0;
    ck_assert_int_eq(map_fork(&M, &M2), KERN_SUCCESS);
    ck_assert_uint_eq(M2.nentries, 3);
    ck_assert_ptr_null(map_lookup(&M2, MIN + 2 * PG));
    ck_assert_ptr_eq(map_lookup(&M2, MIN)->object, oc);
    ck_assert(map_lookup(&M2, MIN)->needs_copy);
    ck_assert(map_lookup(&M, MIN)->needs_copy);
    ck_assert_int_eq(map_lookup(&M2, MIN)->max, VM_PROT_READ);
    ck_assert_int_eq(oc->refs, 2);
    ck_assert_ptr_eq(map_lookup(&M2, MIN + PG)->object, os);
    ck_assert(!map_lookup(&M2, MIN + PG)->needs_copy);
    ck_assert_int_eq(os->refs, 2);
    ck_assert_ptr_eq(pe->object, os);
    ck_assert_ptr_nonnull(map_lookup(&M2, MIN + 3 * PG)->object);
    ck_assert_ptr_eq(map_lookup(&M2, MIN + 3 * PG)->object, map_lookup(&M, MIN + 3 * PG)->object);
    ck_assert_int_eq(nmaterialize, 1);
    ck_assert_int_eq(nflush, 1); /* the copied entry lost write access in the parent */
    ck_assert_int_eq(map_fork(&M, &M2), KERN_INVALID_ARGUMENT); /* child not empty */
    ck_assert_int_eq(map_fork(&M, &M), KERN_INVALID_ARGUMENT);
    map_destroy(&M2);
    map_destroy(&M);
    for (int i = 0; i < nobjs; i++)
        ck_assert_int_eq(objs[i].refs, 0);
}
END_TEST

START_TEST(fork_shared_copy_on_write_entry_gets_shadow)
{
    obj_t *o;
    map_entry_t *e = with_object(MIN, PG, &o);

    e->needs_copy = true;
    e->inherit = VM_INHERIT_SHARE;
    ck_assert_int_eq(map_fork(&M, &M2), KERN_SUCCESS);
    ck_assert_ptr_ne(e->object, o); /* a shadow of its own, then shared */
    ck_assert(!e->needs_copy);
    ck_assert_ptr_eq(map_lookup(&M2, MIN)->object, e->object);
    ck_assert_int_eq(o->refs, 0);
}
END_TEST

/* ---- randomized comparison with a page-array model ---- */

#define NPAGES 48
typedef struct page {
    bool used;
    vm_prot_t cur, max;
    vm_inherit_t inh;
} page_t;

static page_t model[NPAGES];

/* Plain comparisons: a ck_assert per page would cost more than the map. */
static void model_check(int step)
{
    if (map_check_invariants(&M) != 0)
        ck_abort_msg("step %d: invariant %d broken", step, map_check_invariants(&M));
    for (int i = 0; i < NPAGES; i++) {
        map_entry_t *e = map_lookup(&M, MIN + (vm_address_t)i * PG);
        bool same = (e != NULL) == model[i].used;

        if (same && e != NULL)
            same = e->cur == model[i].cur && e->max == model[i].max &&
                   e->inherit == model[i].inh;
        if (!same)
            ck_abort_msg("step %d: page %d differs from the model", step, i);
    }
}

static kern_return_t model_protect(int s, int n, bool set_max, vm_prot_t p)
{
    for (int i = s; i < s + n; i++) {
        if (i >= NPAGES || !model[i].used)
            return KERN_INVALID_ADDRESS;
        if (p & ~model[i].max)
            return KERN_PROTECTION_FAILURE;
    }
    for (int i = s; i < s + n; i++) {
        if (set_max)
            model[i].max = p, model[i].cur &= p;
        else
            model[i].cur = p;
    }
    return KERN_SUCCESS;
}

static kern_return_t model_allocate(int s, int n, bool anywhere, int *at)
{
    for (int b = anywhere ? 0 : s; b + n <= NPAGES; b++) {
        bool free = true;

        for (int i = b; i < b + n; i++)
            free = free && !model[i].used;
        if (free) {
            for (int i = b; i < b + n; i++)
                model[i] = (page_t){true, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY};
            *at = b;
            return KERN_SUCCESS;
        }
        if (!anywhere)
            return KERN_NO_SPACE;
    }
    return anywhere ? KERN_NO_SPACE : KERN_INVALID_ADDRESS;
}

START_TEST(random_against_model)
{
    unsigned seed = 20261201;

    map_init(&M, MIN, MIN + NPAGES * PG, &ops, &P, NULL);
    memset(model, 0, sizeof model);
    for (int step = 0; step < 20000; step++) {
        int op = rand_r(&seed) % 5, s = rand_r(&seed) % NPAGES, n = 1 + rand_r(&seed) % 6;
        vm_address_t a = MIN + (vm_address_t)s * PG;
        kern_return_t want, got;
        int at = 0;

        if (op == 0 || op == 1) {
            bool anywhere = op == 1;
            want = model_allocate(s, n, anywhere, &at);
            got = map_allocate(&M, &a, (vm_size_t)n * PG - (anywhere ? 5 : 0), anywhere);
            if (got != want || (got == KERN_SUCCESS && a != MIN + (vm_address_t)at * PG))
                ck_abort_msg("step %d: allocate gave %d at %lx", step, got, a);
        } else if (op == 2) {
            for (int i = s; i < s + n && i < NPAGES; i++)
                model[i].used = false;
            if (map_deallocate(&M, a + 3, (vm_size_t)n * PG - 6) != KERN_SUCCESS)
                ck_abort_msg("step %d: deallocate failed", step);
        } else if (op == 3) {
            vm_prot_t p = rand_r(&seed) % 8;
            bool set_max = rand_r(&seed) % 4 == 0;
            want = model_protect(s, n, set_max, p);
            if (map_protect(&M, a, (vm_size_t)n * PG, set_max, p) != want)
                ck_abort_msg("step %d: protect did not give %d", step, want);
        } else {
            vm_inherit_t v = rand_r(&seed) % 3;
            for (int i = s; i < s + n && i < NPAGES; i++)
                model[i].inh = v;
            if (map_inherit(&M, a, (vm_size_t)n * PG, v) != KERN_SUCCESS)
                ck_abort_msg("step %d: inherit failed", step);
        }
        model_check(step);
    }
    map_destroy(&M);
    ck_assert_uint_eq(P.nfree, P.ntotal);
}
END_TEST

static Suite *map_suite(void)
{
    Suite *s = suite_create("map");
    TCase *calls = tcase_create("calls");
    TCase *copies = tcase_create("copies");

    tcase_add_checked_fixture(calls, setup, teardown);
    tcase_add_checked_fixture(copies, setup, teardown);
    tcase_add_test(calls, alloc_size_zero);
    tcase_add_test(calls, alloc_first_fit_from_bottom);
    tcase_add_test(calls, alloc_rounding);
    tcase_add_test(calls, alloc_fixed_outside);
    tcase_add_test(calls, alloc_fixed_overlap);
    tcase_add_test(calls, alloc_wrap_and_huge);
    tcase_add_test(calls, alloc_no_space);
    tcase_add_test(calls, alloc_defaults);
    tcase_add_test(calls, enter_masks);
    tcase_add_test(calls, enter_bad_arguments);
    tcase_add_test(calls, enter_anywhere_at_or_above);
    tcase_add_test(calls, enter_takes_callers_reference);
    tcase_add_test(calls, dealloc_rules);
    tcase_add_test(calls, dealloc_across_holes);
    tcase_add_test(calls, dealloc_releases_split_objects);
    tcase_add_test(calls, clip_both_ends);
    tcase_add_test(calls, clip_one_entry_twice_inside);
    tcase_add_test(calls, protect_unknown_bits);
    tcase_add_test(calls, protect_against_max);
    tcase_add_test(calls, protect_holes_xnu_rule);
    tcase_add_test(calls, protect_failure_changes_nothing);
    tcase_add_test(calls, protect_rounding_and_flush);
    tcase_add_test(calls, inherit_values_and_holes);
    tcase_add_test(calls, region_at_or_above);
    tcase_add_test(calls, lookup_and_walk);
    tcase_add_test(calls, check_range_rules);
    tcase_add_test(calls, wire_counts);
    tcase_add_test(calls, pool_exhaustion);
    tcase_add_test(calls, random_against_model);
    tcase_add_test(copies, remap_share);
    tcase_add_test(copies, remap_copy_cow);
    tcase_add_test(copies, remap_errors);
    tcase_add_test(copies, remap_same_map_partial);
    tcase_add_test(copies, remap_share_without_materialize);
    tcase_add_test(copies, remap_copy_hook_failure_undoes);
    tcase_add_test(copies, fork_by_inheritance);
    tcase_add_test(copies, fork_shared_copy_on_write_entry_gets_shadow);
    suite_add_tcase(s, calls);
    suite_add_tcase(s, copies);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(map_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
