/* Isolation between tasks with x86 memory protection keys (PKU).
 *
 * Every task's window and every program image (module instance) carries a
 * protection key; the guest code of a thread runs with a PKRU that allows
 * only its space's key, its image's key and key 0 (the kernel's and the
 * simulator's memory, which the host's signal delivery needs writable).  Kernel code runs with every key
 * allowed: the entry stubs switch PKRU at entry and exit (entry.S), signal
 * handlers at their start (kern_iso_kernel).  A load or store into another
 * task's memory is then a protection-key fault, which fault.c turns into
 * the exception a real kernel gives for an address outside the space.
 *
 * The host has 15 keys.  Spaces and images take the key that the fewest
 * live spaces and images hold (the lowest on a tie), so beyond 15 of them
 * keys are shared: two spaces or images on one key are not protected from
 * each other (docs/kernel.md, deviation 3).  --stats shows the grouping. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <valgrind/valgrind.h>

#include "kern.h"
#include "kern_iso.h"

#define MAX_KEYS 16
#define MAX_IMAGES 4096

uint8_t kern_iso_active;
__thread uint32_t kern_guest_pkru;

static struct {
    const char *off_reason;          /* why isolation is off */
    int keys[MAX_KEYS];              /* host keys allocated */
    unsigned nkeys;
    unsigned users[MAX_KEYS];        /* live spaces and images per key index */
    unsigned peak_users;             /* most holders of any one key at once */
    unsigned taken;                  /* keys handed out in all */
    uint8_t image_key[MAX_IMAGES];   /* key index + 1, 0 while unset */
} iso;

static bool host_has_pku(void)
{
    unsigned a = 7, b, c = 0, d;
    __asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    const unsigned pku = 1u << 3, ospke = 1u << 4;
    return (c & (pku | ospke)) == (pku | ospke);
}

bool kern_iso_init(int mode, const char **why)
{
    const char *env = getenv("CHACM_NO_PKU");
    bool pretend_none = env && *env && strcmp(env, "0") != 0;
    if (mode == KERN_ISO_OFF) {
        iso.off_reason = "--isolation=off";
        return true;
    }
    if (RUNNING_ON_VALGRIND)
        iso.off_reason = "under Valgrind, which does not model protection keys";
    else if (pretend_none || !host_has_pku())
        iso.off_reason = "this host has no memory protection keys (PKU)";
    for (unsigned i = 0; !iso.off_reason && i < MAX_KEYS - 1; i++) {
        int k = pkey_alloc(0, 0);
        if (k < 0)
            break;
        iso.keys[iso.nkeys++] = k;
    }
    if (!iso.off_reason && iso.nkeys == 0)
        iso.off_reason = "the host kernel gives no protection keys";
    if (iso.off_reason && mode == KERN_ISO_ON) {
        *why = iso.off_reason;
        return false;
    }
    kern_iso_active = iso.off_reason == NULL;
    kern_iso_kernel();
    return true;
}

int kern_iso_key_take(void)
{
    if (!kern_iso_active)
        return 0;
    unsigned best = 0;
    for (unsigned i = 1; i < iso.nkeys; i++)
        if (iso.users[i] < iso.users[best])
            best = i;
    iso.users[best]++;
    iso.taken++;
    if (iso.users[best] > iso.peak_users)
        iso.peak_users = iso.users[best];
    return iso.keys[best];
}

void kern_iso_key_put(int key)
{
    for (unsigned i = 0; key && i < iso.nkeys; i++)
        if (iso.keys[i] == key && iso.users[i])
            iso.users[i]--;
}

void kern_iso_tag(int key, uintptr_t addr, size_t len, int prot)
{
    if (kern_iso_active && key && pkey_mprotect((void *)addr, len, prot, key) != 0)
        kern_panic("cannot give key %d to %#lx+%#zx", key, (unsigned long)addr, len);
}

/* Reads the protection of every mapping in [lo, hi) from /proc/self/maps
 * and tags it with key at that protection. */
void kern_iso_tag_existing(int key, uintptr_t lo, uintptr_t hi)
{
    if (!kern_iso_active || !key)
        return;
    lo &= ~(uintptr_t)(KERN_PAGE_SIZE - 1);
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        kern_panic("cannot read /proc/self/maps");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long s, e;
        char perm[8];
        if (sscanf(line, "%lx-%lx %7s", &s, &e, perm) != 3 || e <= lo || s >= hi)
            continue;
        int prot = (perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0) |
                   (perm[2] == 'x' ? PROT_EXEC : 0);
        s = s < lo ? lo : s;
        e = e > hi ? (hi + KERN_PAGE_SIZE - 1) & ~(uintptr_t)(KERN_PAGE_SIZE - 1) : e;
        kern_iso_tag(key, s, e - s, prot);
    }
    fclose(f);
}

int kern_iso_image_key(unsigned image)
{
    if (!kern_iso_active || image >= MAX_IMAGES)
        return 0;
    if (!iso.image_key[image]) {
        int k = kern_iso_key_take();
        for (unsigned i = 0; i < iso.nkeys; i++)
            if (iso.keys[i] == k)
                iso.image_key[image] = (uint8_t)(i + 1);
    }
    return iso.keys[iso.image_key[image] - 1];
}

uint32_t kern_iso_pkru(int space_key, int image_key)
{
    if (!kern_iso_active)
        return 0;
    /* Key 0 stays open: the host writes a signal frame onto the signal
     * stack (key 0) with the guest's PKRU in force, and runs the handler
     * with its default PKRU, which allows key 0 only. */
    uint32_t pkru = 0xfffffffcu;
    if (space_key)
        pkru &= ~(3u << (2 * space_key));
    if (image_key)
        pkru &= ~(3u << (2 * image_key));
    return pkru;
}

void kern_iso_print_mode(FILE *f)
{
    if (kern_iso_active)
        fprintf(f, "chacmsim: isolation: on, %u protection keys for the tasks' windows and program images; "
                   "kernel memory (key 0) stays reachable\n", iso.nkeys);
    else
        fprintf(f, "chacmsim: isolation: off (%s): a task's loads and stores may reach other tasks' "
                   "memory\n", iso.off_reason ? iso.off_reason : "not set up");
}

void kern_iso_print_stats(FILE *f)
{
    if (!kern_iso_active)
        return;
    fprintf(f, "chacmsim: isolation: %u keys handed out to spaces and images; at most %u held one key at once%s\n",
            iso.taken, iso.peak_users,
            iso.peak_users > 1 ? " (those sharing a key are not protected from each other)" : "");
}
