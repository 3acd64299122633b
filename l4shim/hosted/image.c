/* Program images: the loaded segments of each program module instance, as
 * the simulator registers them.  Code and static data of a program live
 * there, outside the windows (docs/kernel.md, deviation 3), so a task's
 * address space for the kernel's string copies is its window plus the
 * image it runs: the instance that holds the instruction pointer its first
 * thread started at.  Reads may reach every segment of that image, writes
 * only its writable ones; nothing else outside the window is ever handed
 * to a host copy. */
#include <stdlib.h>
#include <string.h>

#include "kern.h"
#include "kern_boot.h"
#include "kern_iso.h"

#define MAX_SEGMENTS 4096

static struct {
    L4_Word_t lo, hi;           /* [lo, hi) */
    unsigned image;
    bool writable;
} segs[MAX_SEGMENTS];
static unsigned nsegs;

#define MAX_NAMED 4096
static char *names[MAX_NAMED];      /* image number -> program name */

void kern_image_set_name(unsigned image, const char *name)
{
    if (image && image < MAX_NAMED && name && !names[image])
        names[image] = strdup(name);
}

const char *kern_image_name(unsigned image)
{
    return image < MAX_NAMED ? names[image] : NULL;
}

bool kern_image_add(unsigned image, L4_Word_t base, L4_Word_t size, bool writable)
{
    if (!image || !size)
        return true;
    if (nsegs == MAX_SEGMENTS)
        return false;
    segs[nsegs].lo = base;
    segs[nsegs].hi = base + size;
    segs[nsegs].image = image;
    segs[nsegs].writable = writable;
    nsegs++;
    kern_iso_tag_existing(kern_iso_image_key(image), base, base + size);
    return true;
}

void kern_image_forget(unsigned image)
{
    unsigned kept = 0;
    for (unsigned i = 0; i < nsegs; i++)
        if (segs[i].image != image)
            segs[kept++] = segs[i];
    nsegs = kept;
}


/* Moves image's segments to protection key `key` (isolation.c). */
void kern_image_retag(unsigned image, int key)
{
    for (unsigned i = 0; i < nsegs; i++)
        if (segs[i].image == image)
            kern_iso_tag_existing(key, segs[i].lo, segs[i].hi);
}

/* The image whose segment holds addr, or 0. */
unsigned kern_image_at(L4_Word_t addr)
{
    for (unsigned i = 0; i < nsegs; i++)
        if (addr >= segs[i].lo && addr < segs[i].hi)
            return segs[i].image;
    return 0;
}

/* How many bytes from addr, n at most, lie in segments of image (writable
 * ones when write); neighbouring segments count as one range. */
L4_Word_t kern_image_reach(unsigned image, L4_Word_t addr, L4_Word_t n, bool write)
{
    L4_Word_t done = 0;
    while (image && done < n) {
        L4_Word_t a = addr + done, got = 0;
        for (unsigned i = 0; i < nsegs; i++) {
            if (segs[i].image != image || (write && !segs[i].writable) || a < segs[i].lo || a >= segs[i].hi)
                continue;
            got = segs[i].hi - a;
            break;
        }
        if (!got)
            break;
        done += got;
    }
    return done < n ? done : n;
}
