/* The end-of-run check of the mapping database (--end-check): walks every
 * frame's derivation tree and counts what a clean run must not have.
 *  - orphaned mappings: a node whose space is no live space (a released
 *    task's page left behind), whose parent link does not lead back to the
 *    node it hangs under, or that holds rights its parent lacks;
 *  - frames sigma0 gave more than once: a frame whose tree has two nodes
 *    directly under sigma0 in spaces other than sigma0's clients' shared
 *    device memory (a double allocation).
 * It also reports what memsvr's own books can be compared with: the
 * frames memsvr holds from sigma0 (docs/debugging.md, "Fault campaigns"). */
#include <stdlib.h>
#include <string.h>

#include "kern_mem.h"
#include "mdb_layout.h"

static int by_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(kern_space_t *const *)a, y = (uintptr_t)*(kern_space_t *const *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    kern_space_t **live;
    size_t nlive;
    uint64_t nodes, orphaned, dead_held, twice, memsvr_frames, given;
} check_t;

static bool is_live(const check_t *c, kern_space_t *s)
{
    return s && bsearch(&s, c->live, c->nlive, sizeof *c->live, by_ptr) != NULL;
}

/* Does every thread of the live space s stand dead? */
static bool all_dead(const kern_space_t *s)
{
    for (const kern_thread_t *t = s->threads; t; t = t->space_next)
        if (t->state != TS_DEAD)
            return false;
    return true;
}

static void walk(check_t *c, const mdb_node_t *parent, unsigned depth)
{
    for (const mdb_node_t *n = parent->child; n; n = n->next) {
        c->nodes++;
        if (n->parent != parent || !is_live(c, n->space) || (n->rights & ~parent->rights))
            c->orphaned++;
        else if (all_dead(n->space))
            c->dead_held++;
        if (depth == 0 && n->space && !strcmp(n->space->name, "memsvr"))
            c->memsvr_frames++;
        if (depth < 64 && is_live(c, n->space))
            walk(c, n, depth + 1);
    }
}

void kern_mdb_check(FILE *f)
{
    check_t c = { 0 };
    size_t cap = 0;
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next)
        if (t->space)
            cap++;
    c.live = calloc(cap ? cap : 1, sizeof *c.live);
    if (!c.live)
        return;
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next)
        if (t->space)
            c.live[c.nlive++] = t->space;
    qsort(c.live, c.nlive, sizeof *c.live, by_ptr);
    for (L4_Word_t fr = 0; fr < kern_phys.nframes; fr++) {
        const mdb_node_t *root = &kern_mdb_roots[fr];
        unsigned first = 0;
        for (const mdb_node_t *n = root->child; n; n = n->next)
            if (n->space && strcmp(n->space->name, "console"))     /* the VGA frames are shared */
                first++;
        c.given += root->child != NULL;
        c.twice += first > 1;
        walk(&c, root, 0);
    }
    fprintf(f, "chacmsim: end check: %llu mappings of %llu frames sigma0 gave; %llu orphaned mappings; "
               "%llu frames given twice; %llu mappings held by tasks whose threads are all dead\n",
            (unsigned long long)c.nodes, (unsigned long long)c.given, (unsigned long long)c.orphaned,
            (unsigned long long)c.twice, (unsigned long long)c.dead_held);
    fprintf(f, "chacmsim: end check: memsvr holds %llu frames from sigma0\n", (unsigned long long)c.memsvr_frames);
    free(c.live);
}
