/* sigma0's private interface: the physical memory map read from the KIP
 * (memmap.c) and who owns which page (alloc.c). */
#ifndef SIGMA0_H
#define SIGMA0_H

#include <stdbool.h>
#include <l4/types.h>

#define S0_PAGE_BITS    12
#define S0_MAX_PAGES    (1UL << 20)         /* 4 GiB of physical memory */

typedef enum {
    S0_NONE = 0,        /* no memory there */
    S0_CONVENTIONAL,    /* RAM: pages, any pages, page faults */
    S0_RESERVED,        /* the kernel's: never handed out */
    S0_DEDICATED,       /* devices: only by a request for that page */
    S0_SHARED,          /* devices anyone may map, any number of times */
    S0_BOOT,            /* filled by the boot loader (the initial servers'
                         * images, boot modules, the boot information):
                         * identity-mapped to anyone who faults on it or
                         * asks for it, owned by no one */
} s0_kind_t;

/* memmap.c */
void s0_memmap_init(void *kip);
s0_kind_t s0_kind(L4_Word_t page);          /* page number */
L4_Word_t s0_npages(void);                  /* pages up to the highest one described */

/* alloc.c: every function returns the fpage to map (rights included), or
 * L4_Nilpage when the request is refused. */
L4_Fpage_t s0_alloc_at(L4_ThreadId_t who, L4_Word_t addr, unsigned log2size, L4_Word_t rights,
                       bool conventional_only);
L4_Fpage_t s0_alloc_any(L4_ThreadId_t who, unsigned log2size, L4_Word_t rights);

/* io.c: the I/O fpage want names (rounded to its size) if who may have
 * all its ports, else L4_Nilpage. */
L4_Fpage_t s0_io_alloc(L4_ThreadId_t who, L4_Fpage_t want);

#endif /* SIGMA0_H */
