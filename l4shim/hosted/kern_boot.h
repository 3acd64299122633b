/* What the simulator (sim/) uses of the hosted kernel: configuration,
 * start-up of the initial tasks, running, and the result of a run. */
#ifndef CHACM_KERN_BOOT_H
#define CHACM_KERN_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <l4/hosted/types.h>

#define KERN_BOOT_KIP_OFFSET    0x1000UL     /* KIP area: second page of the window */
#define KERN_BOOT_UTCB_OFFSET   0x100000UL   /* UTCB area: 1 MiB in */
#define KERN_BOOT_UTCB_LOG2     20           /* 1 MiB: 1024 UTCBs */
#define KERN_BOOT_USER_OFFSET   0x200000UL   /* first address the KIP offers a task */

typedef struct kern_thread kern_thread_t;

kern_thread_t *kern_boot_task(L4_Word_t no, const char *name, L4_Word_t ip, L4_Word_t pager, bool privileged);
void kern_set_root(kern_thread_t *t);
void kern_set_sigma0(kern_thread_t *t);
void kern_set_boot_info(L4_Word_t addr);
L4_Word_t kern_thread_gid(const kern_thread_t *t);
/* A loaded segment [base, base+size) of program image `image` (1, 2, ...:
 * one per module instance); see image.c.  False when the kernel's table of
 * segments is full (nothing added). */
bool kern_image_add(unsigned image, L4_Word_t base, L4_Word_t size, bool writable);
/* Removes every segment of image (an instance that could not be registered
 * whole, unloaded again). */
void kern_image_forget(unsigned image);
/* The program name of image (a task that starts in it is named after it). */
void kern_image_set_name(unsigned image, const char *name);
/* The simulator's loader of program images handed over by LoadImage
 * (loadimage.c): loads image[0..len) as a fresh instance named name,
 * registers its segments and returns its entry point, or 0 with the reason
 * in why[0..whylen) and *no_mem true when the simulator lacked the
 * resources (room for segments, memory files, memory) rather than the image
 * being bad. */
typedef L4_Word_t (*kern_image_loader_fn)(const char *name, const void *image, size_t len, char *why,
                                          size_t whylen, bool *no_mem);
void kern_set_image_loader(kern_image_loader_fn fn);

#endif /* CHACM_KERN_BOOT_H */
