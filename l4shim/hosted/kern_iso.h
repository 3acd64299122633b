/* Isolation of tasks by x86 memory protection keys (isolation.c). */
#ifndef CHACM_KERN_ISO_H
#define CHACM_KERN_ISO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { KERN_ISO_OFF, KERN_ISO_ON, KERN_ISO_AUTO, KERN_ISO_STRICT };
/* kern_iso_pub.level, read by the entry stubs (entry.S) */
enum { KERN_ISO_LEVEL_OFF, KERN_ISO_LEVEL_ON, KERN_ISO_LEVEL_STRICT };

/* A page of its own, on the public key: guest code may read it, so the
 * entry stubs can look at the level before they switch PKRU. */
typedef union {
    uint8_t level;                  /* KERN_ISO_LEVEL_* */
    char page[4096];
} kern_iso_public_t;
extern kern_iso_public_t kern_iso_pub;
/* The same level on key 0, for C code: signal handlers start with the
 * host's default PKRU, which allows key 0 only. */
extern uint8_t kern_iso_level;
/* The PKRU that this host thread's guest code runs with (entry.S). */
extern __thread uint32_t kern_guest_pkru;
/* Set (non-zero) whenever this host thread's PKRU may differ from
 * kern_guest_pkru when it leaves the kernel: kern_iso_kernel, a strict
 * IPC entry, a change of kern_guest_pkru (kern_iso_resume_slow calls
 * kern_iso_kernel first).  The IPC stubs' exit writes PKRU only if it is
 * set, and clears it; every other way into guest code writes PKRU anyway. */
extern __thread uint8_t kern_pkru_stale;

/* Sets the mode; false (with *why) if isolation was asked for (on or
 * strict) and this host cannot give it. */
bool kern_iso_init(int mode, const char **why);
struct kern_space;
struct kern_thread;
/* A key for a new space (image 0) or image (space NULL), and a space's
 * back.  Beyond the task keys a new one is parked on a key that no guest
 * PKRU allows, and gets one when a thread of it runs. */
int kern_iso_key_take(struct kern_space *space, unsigned image);
void kern_iso_key_put(int key, struct kern_space *space);
/* Set once more spaces and images than task keys have lived: then every
 * resume checks that the thread's space and image have keys, moving one
 * from the space or image that ran least recently, and signal handlers
 * hand the guest its PKRU in the frame. */
extern uint8_t kern_iso_moving;
void kern_iso_resume_slow(struct kern_thread *t);
static inline void kern_iso_resume(struct kern_thread *t)
{
    if (kern_iso_moving)
        kern_iso_resume_slow(t);
}
/* Before a signal handler returns to guest code: the frame's PKRU becomes
 * the thread's guest PKRU, which may have changed while it waited. */
struct ucontext_t;
void kern_iso_frame(struct ucontext_t *uc);
/* Tags [addr, addr+len) with key at protection prot (a no-op when off). */
void kern_iso_tag(int key, uintptr_t addr, size_t len, int prot);
/* Tags the mappings that exist in [lo, hi) with key, keeping their
 * protection (a module instance's segments). */
void kern_iso_tag_existing(int key, uintptr_t lo, uintptr_t hi);
/* The key of program image `image` (taken at its first segment). */
int kern_iso_image_key(unsigned image);
/* Guest PKRU allowing the keys of a space and of its image. */
uint32_t kern_iso_pkru(int space_key, int image_key);
/* Memory that every task may read and none may write (the boot
 * information), and memory that every task may read and write (the boot's
 * data modules), page-granular; either is freed by kern_iso_public_free. */
void *kern_iso_public_alloc(size_t size);
void *kern_iso_shared_alloc(size_t size);
void kern_iso_public_free(void *p, size_t size);
/* Run by a new host thread: with strict isolation, makes its TLS (where
 * guest code reads its UTCB pointer) readable to guest code and returns
 * the lowest address of that, below which its kernel frames must lie;
 * else 0. */
uintptr_t kern_iso_thread_init(void);
void kern_iso_print_mode(FILE *f);
void kern_iso_print_stats(FILE *f);

static inline uint32_t kern_iso_rdpkru(void)
{
    uint32_t a, d;
    __asm__ volatile("rdpkru" : "=a"(a), "=d"(d) : "c"(0u));
    return a;
}

/* Kernel code that may touch another task's memory runs with every key
 * allowed: signal handlers (which start with the host's default PKRU),
 * and, where the entry stubs did not switch (IPC with --isolation=on),
 * the long IPC path.  The stub's exit restores the guest's PKRU. */
static inline void kern_iso_kernel(void)
{
    if (kern_iso_level) {
        if (kern_iso_rdpkru() != 0)
            __asm__ volatile("wrpkru" ::"a"(0u), "c"(0u), "d"(0u) : "memory");
        kern_pkru_stale = 1;        /* after the write: strict puts TLS on the public key */
    }
}

#endif /* CHACM_KERN_ISO_H */
