/* I/O fpages: the x86 port space as X.2 on ia32 (and Pistachio on x86)
 * maps it.  A space holds a set of ports; each port it holds remembers the
 * mapping it came from, so that Unmap revokes what was derived from it,
 * as the mapping database does for frames.  There is one record per space
 * and port, on a list per port (few spaces hold any port).  At boot sigma0
 * holds every port (the root task when no sigma0 is booted).
 *
 * An I/O fpage is {p:16 port, s:6 log2 size, 2:6, rwx:4} (`<l4/arch.h>`'s
 * L4_IoFpage); its base is rounded down to its size, and its rights are
 * ignored, as Pistachio's I/O fpages carry none that mean anything. */
#include <stdlib.h>

#include "kern.h"
#include "kern_mem.h"

#define IO_PORTS 65536

typedef struct io_rec {
    kern_space_t *space;
    struct io_rec *parent, *child, *sibling;    /* the derivation tree */
    struct io_rec *next;                        /* the port's list */
} io_rec_t;

static io_rec_t *ports[IO_PORTS];
static bool booted;

bool kern_io_is_fpage(L4_Word_t fpage)
{
    return (fpage & 0x3f0) == 0x20;
}

/* The ports [*base, *base + *n) an I/O fpage names; false for none. */
static bool io_range(L4_Word_t fpage, unsigned *base, unsigned *n)
{
    unsigned s = (unsigned)(fpage >> 10) & 0x3f;
    L4_Word_t port = (fpage >> 16) & 0xffff;
    if (s > 16 || (fpage >> 32) != 0)
        return false;
    *n = 1u << s;
    *base = (unsigned)port & ~(*n - 1);
    return true;
}

static io_rec_t *held(const kern_space_t *s, unsigned port)
{
    for (io_rec_t *r = ports[port]; r; r = r->next)
        if (r->space == s)
            return r;
    return NULL;
}

static io_rec_t *add(kern_space_t *s, unsigned port, io_rec_t *parent)
{
    io_rec_t *r = calloc(1, sizeof *r);
    if (!r)
        kern_panic("out of memory for I/O port %#x", port);
    r->space = s;
    r->parent = parent;
    if (parent) {
        r->sibling = parent->child;
        parent->child = r;
    }
    r->next = ports[port];
    ports[port] = r;
    s->io_held++;
    return r;
}

/* Takes r out of its parent's children and the port's list. */
static void unlink_rec(io_rec_t *r, unsigned port)
{
    if (r->parent) {
        io_rec_t **pp = &r->parent->child;
        while (*pp != r)
            pp = &(*pp)->sibling;
        *pp = r->sibling;
    }
    io_rec_t **pp = &ports[port];
    while (*pp != r)
        pp = &(*pp)->next;
    *pp = r->next;
    r->space->io_held--;
}

/* Removes everything derived from r, and r itself with self. */
static void revoke(io_rec_t *r, unsigned port, bool self)
{
    while (r->child)
        revoke(r->child, port, true);
    if (self) {
        unlink_rec(r, port);
        free(r);
    }
}

/* owner holds every port; only the first call counts (sigma0 before the
 * root task). */
void kern_io_boot(kern_space_t *owner)
{
    if (booted)
        return;
    booted = true;
    for (unsigned p = 0; p < IO_PORTS; p++)
        add(owner, p, NULL);
}

/* A map (or grant) item of an I/O fpage from `from` to `to`: each port of
 * the fpage that from holds and to does not becomes to's, derived from
 * from's (granted: in from's place, which goes). */
void kern_io_map(kern_space_t *from, kern_space_t *to, L4_Word_t fpage, bool grant)
{
    unsigned base, n;
    if (!from || !to || from == to || !io_range(fpage, &base, &n))
        return;
    for (unsigned p = base; p < base + n; p++) {
        io_rec_t *src = held(from, p);
        if (!src || held(to, p))
            continue;
        if (!grant) {
            add(to, p, src);
            continue;
        }
        /* to takes src's place in the tree */
        io_rec_t *r = add(to, p, src->parent);
        r->child = src->child;
        for (io_rec_t *c = r->child; c; c = c->sibling)
            c->parent = r;
        src->child = NULL;
        unlink_rec(src, p);
        free(src);
    }
}

/* Unmap of an I/O fpage by s: revokes the ports of the fpage from every
 * space that got them from s, and with flush from s too. */
void kern_io_unmap(kern_space_t *s, L4_Word_t fpage, bool flush)
{
    unsigned base, n;
    if (!s || !s->io_held || !io_range(fpage, &base, &n))
        return;
    for (unsigned p = base; p < base + n; p++) {
        io_rec_t *r = held(s, p);
        if (r)
            revoke(r, p, flush);
    }
}

/* s goes: it and what was derived from it lose their ports. */
void kern_io_space_release(kern_space_t *s)
{
    for (unsigned p = 0; s->io_held && p < IO_PORTS; p++) {
        io_rec_t *r = held(s, p);
        if (r)
            revoke(r, p, true);
    }
}

/* Does s hold every port of [port, port + width)? */
bool kern_io_holds(const kern_space_t *s, L4_Word_t port, unsigned width)
{
    if (!s || !s->io_held || port + width > IO_PORTS)
        return false;
    for (unsigned k = 0; k < width; k++)
        if (!held(s, (unsigned)port + k))
            return false;
    return true;
}
