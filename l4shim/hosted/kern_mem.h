/* Private interface of the hosted kernel's memory model: physical memory
 * (phys.c), the mapping database (mdb.c), page faults (fault.c) and the
 * Valgrind client requests (valgrind.c).  See docs/kernel.md, "Memory". */
#ifndef CHACM_KERN_MEM_H
#define CHACM_KERN_MEM_H

#include "kern.h"

#define KERN_PAGE_BITS      12
#define KERN_RIGHTS_R       4
#define KERN_RIGHTS_W       2
#define KERN_RIGHTS_X       1

/* ---- phys.c: physical memory, one memfd ---- */

/* The physical map the KIP describes (in this order; later entries win). */
#define KERN_PHYS_RESERVED_END  0x200000UL  /* [0, 2 MiB): legacy area and "kernel image" */
#define KERN_PHYS_VGA           0xB8000UL   /* VGA text buffer, 32 KiB, dedicated */
#define KERN_PHYS_VGA_SIZE      0x8000UL

typedef struct {
    int fd;                     /* the memfd */
    L4_Word_t size;             /* bytes, a multiple of the page size */
    L4_Word_t nframes;
    uint8_t *view;              /* the kernel's own view of all of it (devices) */
} kern_phys_t;
extern kern_phys_t kern_phys;

void kern_phys_init(L4_Word_t size);
/* Writes the physical memory descriptors (two words each) to md; returns
 * how many (at most max). */
unsigned kern_phys_memdesc(L4_Word_t *md, unsigned max);
/* The kernel's pointer to physical address pa (devices), or NULL. */
void *kern_phys_ptr(L4_Word_t pa);

/* ---- mdb.c: the mapping database ---- */

typedef struct mdb_node mdb_node_t;

void kern_mdb_init(void);
void kern_mdb_space_init(kern_space_t *s);
void kern_mdb_space_release(kern_space_t *s);
void kern_mdb_set_sigma0(kern_space_t *s);
bool kern_mdb_is_sigma0(const kern_space_t *s);
kern_space_t *kern_mdb_space_at(L4_Word_t addr);     /* whose window holds addr */

/* Maps (or grants) [sbase, sbase+size) of src's space to dbase in dst's
 * space with at most `rights`.  Addresses are absolute (for sigma0's space:
 * physical).  hint/hint_access: a page dst faults on, installed at once.
 * Returns the rights actually given to the first page (0: nothing). */
unsigned kern_mdb_map(kern_space_t *src, L4_Word_t sbase, kern_space_t *dst, L4_Word_t dbase,
                      L4_Word_t size, unsigned rights, bool grant, L4_Word_t hint, unsigned hint_access);
/* Revokes `rights` from everything derived from s's pages in [base, base+size),
 * and from s's own pages when flush.  Returns the access bits seen there
 * since the last query (R referenced, W written, X executed), and resets them. */
unsigned kern_mdb_unmap(kern_space_t *s, L4_Word_t base, L4_Word_t size, unsigned rights, bool flush);
/* A thread of s accessed addr (rights bit of the access) and faulted: if s
 * holds the page with those rights, installs it on the host and returns
 * true (a "soft" fault, no IPC). */
/* Gives every installed page of s protection key `key` (isolation.c). */
void kern_mdb_space_retag(kern_space_t *s, int key);
/* Is the page at addr installed in the host (mapped with some access)? */
bool kern_mdb_installed(kern_space_t *s, L4_Word_t addr);
bool kern_mdb_touch(kern_space_t *s, L4_Word_t addr, unsigned access);
/* Prepares [addr, addr+n) for a kernel copy (access R or W): installs the
 * pages s holds; returns how many bytes from addr may be accessed. */
L4_Word_t kern_mdb_prepare(L4_Word_t addr, L4_Word_t n, unsigned access);
/* The mapping database's work so far: nodes, slots and bitmap words its
 * walks looked at (Unmap, map items, deleted spaces). */
uint64_t kern_mdb_work(void);
uint64_t kern_mdb_soft_faults(void);

/* What the monitor sees of one mapping-database node. */
typedef struct {
    const kern_space_t *space;  /* NULL: the root (sigma0, all of physical memory) */
    L4_Word_t vaddr;            /* page address in space (root: physical) */
    L4_Word_t frame;
    unsigned rights, access, depth;
    bool installed;
    const kern_space_t *parent_space;
    L4_Word_t parent_vaddr;
} kern_mdb_view_t;
typedef void (*kern_mdb_visit_t)(void *arg, const kern_mdb_view_t *v);
/* Every page s holds, lowest address first. */
void kern_mdb_each_mapping(kern_space_t *s, kern_mdb_visit_t fn, void *arg);
/* The derivation tree of frame, pre-order (depth 0 is the root); false if
 * there is no such frame. */
bool kern_mdb_frame_tree(L4_Word_t frame, kern_mdb_visit_t fn, void *arg);
/* The frame and rights through which s holds va; false if it holds none. */
bool kern_mdb_lookup(kern_space_t *s, L4_Word_t va, L4_Word_t *frame, unsigned *rights);

/* ---- ioport.c: I/O fpages ---- */

bool kern_io_is_fpage(L4_Word_t fpage);
void kern_io_boot(kern_space_t *owner);         /* the first owner holds every port */
void kern_io_map(kern_space_t *from, kern_space_t *to, L4_Word_t fpage, bool grant);
void kern_io_unmap(kern_space_t *s, L4_Word_t fpage, bool flush);
void kern_io_space_release(kern_space_t *s);
bool kern_io_holds(const kern_space_t *s, L4_Word_t port, unsigned width);

/* ---- fault.c ---- */

void kern_fault_init(void);
void kern_fault_thread_init(kern_thread_t *t);
void kern_fault_thread_fini(kern_thread_t *t);
bool kern_fault_on_altstack(const kern_thread_t *t, uintptr_t sp);
/* The access (rights bit) of the page fault t waits on, and its address in
 * *addr; 0 if t is not in a page fault. */
unsigned kern_fault_hint(const kern_thread_t *t, L4_Word_t *addr);
bool kern_fault_regs(const kern_thread_t *t, L4_Word_t *sp, L4_Word_t *ip);
struct ucontext_t;
L4_Word_t kern_fault_guest_ip(const struct ucontext_t *uc);
/* The I/O-fault IPC of t (in a port access at ip) to its pager, for the
 * ports [port, port + width); false if there is no pager or the IPC
 * failed. */
bool kern_fault_io(kern_thread_t *t, L4_Word_t port, unsigned width, L4_Word_t ip);
/* Before t (the current thread) enters guest code at its start SP and IP:
 * while the first push would store outside t's address space, the
 * exception IPC of that push (or t halts); returns with a start SP whose
 * push stays in the own space, or 0. */
void kern_fault_start_stack(kern_thread_t *t);
/* Halts the current thread after an unhandled fault at ip with stack sp,
 * with a report (the root task's main thread ends the run). */
void kern_fault_halt(const char *why, L4_Word_t sp, L4_Word_t ip);

/* ---- valgrind.c ---- */

void kern_vg_window(L4_Word_t base, L4_Word_t size);
void kern_vg_window_gone(L4_Word_t base, L4_Word_t size);
void kern_vg_mapped(L4_Word_t addr, L4_Word_t size);

/* mdb_check.c: the end-of-run check of the mapping database (--end-check). */
void kern_mdb_check(FILE *f);

#endif /* CHACM_KERN_MEM_H */
