/* Isolation of tasks by x86 memory protection keys (isolation.c). */
#ifndef CHACM_KERN_ISO_H
#define CHACM_KERN_ISO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum { KERN_ISO_OFF, KERN_ISO_ON, KERN_ISO_AUTO };

/* Nonzero while keys are in use: the entry stubs then switch PKRU. */
extern uint8_t kern_iso_active;
/* The PKRU that this host thread's guest code runs with (entry.S). */
extern __thread uint32_t kern_guest_pkru;

/* Sets the mode; false (with *why) if isolation was asked for and this
 * host cannot give it. */
bool kern_iso_init(int mode, const char **why);
int kern_iso_key_take(void);
void kern_iso_key_put(int key);
/* Tags [addr, addr+len) with key at protection prot (a no-op when off). */
void kern_iso_tag(int key, uintptr_t addr, size_t len, int prot);
/* Tags the mappings that exist in [lo, hi) with key, keeping their
 * protection (a module instance's segments). */
void kern_iso_tag_existing(int key, uintptr_t lo, uintptr_t hi);
/* The key of program image `image` (taken at its first segment). */
int kern_iso_image_key(unsigned image);
/* Guest PKRU allowing the keys of a space and of its image. */
uint32_t kern_iso_pkru(int space_key, int image_key);
void kern_iso_print_mode(FILE *f);
void kern_iso_print_stats(FILE *f);

/* Kernel code runs with every key allowed; a signal handler starts with
 * the host's default PKRU and calls this first. */
static inline void kern_iso_kernel(void)
{
    if (kern_iso_active)
        __asm__ volatile("wrpkru" ::"a"(0u), "c"(0u), "d"(0u) : "memory");
}

#endif /* CHACM_KERN_ISO_H */
