/* Isolation between tasks with x86 memory protection keys (PKU).
 *
 * Every task's window and every program image (module instance) carries a
 * protection key; the guest code of a thread runs with a PKRU that allows
 * its space's key and its image's key, the public key for reading (what
 * every program may read: the boot information and its data modules, the
 * page with the isolation level, with --isolation=strict the thread's own
 * TLS, where guest code finds its UTCB pointer), and denies every other
 * task key.  Two levels:
 *
 *   on      key 0 (the simulator's heap, globals, stacks) stays open to
 *           guest code; the IPC entry stubs switch no PKRU, since the fast
 *           path touches only kernel memory and the caller's own UTCB:
 *           everything that may touch another task's memory (the long IPC
 *           path, the other system calls, signal handlers) allows every
 *           key first (kern_iso_kernel), and the stub's exit restores the
 *           guest's PKRU where it changed;
 *   strict  key 0 is denied as well; every entry stub allows every key
 *           before it touches the kernel stack.  This needs a host kernel
 *           that writes signal frames with every key allowed (Linux 6.12
 *           and later), which kern_iso_init tries in a child process; the
 *           handlers start with the host's default PKRU (key 0 only), on
 *           the signal stack (key 0), and allow every key first.
 *
 * A load or store into memory of a denied key is a protection-key fault,
 * which fault.c turns into the exception a real kernel gives for an
 * address outside the space.
 *
 * The host has 15 keys.  One is the public key, one the shared key;
 * spaces and images take from the rest the key that the fewest live spaces and images hold (the
 * lowest on a tie), so beyond 13 of them keys are shared: two spaces or
 * images on one key are not protected from each other (docs/kernel.md,
 * deviation 3).  --stats shows the grouping. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "kern.h"
#include "kern_iso.h"

#define MAX_KEYS 16
#define MAX_IMAGES 4096
#define MAX_HOLDERS 8192
#define HOLDER_NAME 24

kern_iso_public_t kern_iso_pub __attribute__((aligned(4096)));
uint8_t kern_iso_level;
__thread uint32_t kern_guest_pkru;

static struct {
    const char *off_reason;          /* why isolation is off */
    int public_key;                  /* readable by every guest (keys[0]) */
    int shared_key;                  /* readable and writable by every guest (keys[1]) */
    int keys[MAX_KEYS];              /* host keys allocated */
    unsigned nkeys;
    unsigned users[MAX_KEYS];        /* live spaces and images per key index */
    unsigned peak_users;             /* most holders of any one key at once */
    unsigned taken;                  /* keys handed out in all */
    uint8_t image_key[MAX_IMAGES];   /* key index + 1, 0 while unset */
    struct {                         /* who holds which key, for --stats */
        int key;                     /* 0: a free record */
        const char *name;            /* the holder's own name, as it is now */
    } holders[MAX_HOLDERS];
    char image_names[MAX_IMAGES][HOLDER_NAME];
    char peak_group[256];            /* the holders of a key when peak_users was reached */
} iso;

static bool host_has_pku(void)
{
    unsigned a = 7, b, c = 0, d;
    __asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    const unsigned pku = 1u << 3, ospke = 1u << 4;
    return (c & (pku | ospke)) == (pku | ospke);
}

/* The host kernel writes a thread's rseq area (in its TCB, on key 0) at
 * signal delivery and on returns to user space, with the thread's PKRU:
 * with key 0 denied it cannot, and kills the process.  Host threads that
 * run guest code under strict isolation therefore leave rseq (glibc then
 * finds no CPU number there and asks the host instead).  False if the
 * host refuses. */
static bool leave_rseq(void)
{
    if (__rseq_size == 0)
        return true;
    uintptr_t tp;
    __asm__("movq %%fs:0, %0" : "=r"(tp));
    struct rseq *area = (struct rseq *)((char *)tp + __rseq_offset);
    if ((int32_t)area->cpu_id < 0)
        return true;        /* not registered (any more) */
    unsigned lens[] = { 32, __rseq_size };
    for (unsigned i = 0; i < 2; i++)
        if (syscall(SYS_rseq, area, lens[i], RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0)
            return true;
    return false;
}

/* The child of kern_iso_init's probe: with every key denied, an
 * invalid opcode must reach its handler on the signal stack (key 0), and
 * the handler's return must bring back the PKRU of the interrupted code. */
static void probe_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    __asm__ volatile("wrpkru" ::"a"(0u), "c"(0u), "d"(0u) : "memory");
    ((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RIP] += 2;      /* over the ud2 */
}

static void probe_child(void)
{
    static char altstack[16384] __attribute__((aligned(16)));
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    struct sigaction sa = { .sa_sigaction = probe_handler, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    sigemptyset(&sa.sa_mask);
    if (!leave_rseq() || sigaltstack(&ss, NULL) != 0 || sigaction(SIGILL, &sa, NULL) != 0)
        _exit(1);
    uint32_t after;
    __asm__ volatile("wrpkru\n\tud2\n\t"
                     "xorl %%ecx, %%ecx\n\trdpkru\n\tmovl %%eax, %%esi\n\t"
                     "xorl %%eax, %%eax\n\txorl %%edx, %%edx\n\twrpkru"
                     : "=S"(after)
                     : "a"(0xffffffffu), "c"(0u), "d"(0u)
                     : "memory");
    _exit(after == 0xffffffffu ? 42 : 43);
}

/* Does the host kernel deliver a signal to a thread whose PKRU denies key
 * 0 (Linux 6.12 allows every key while it writes the frame), once the
 * thread has left rseq?  Tried in a child process, which the host kills
 * where it does not. */
static bool signals_survive_denied_key0(void)
{
    pid_t pid = fork();
    if (pid == 0)
        probe_child();
    int status;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42;
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
    if (!iso.off_reason && iso.nkeys < 4)
        iso.off_reason = "the host kernel gives fewer than 4 protection keys";
    if (!iso.off_reason && mode == KERN_ISO_STRICT && !signals_survive_denied_key0())
        iso.off_reason = "the host kernel cannot deliver a signal while key 0 is denied (Linux 6.12 can, once a thread has left rseq)";
    if (iso.off_reason && mode != KERN_ISO_AUTO) {
        *why = iso.off_reason;
        return false;
    }
    if (iso.off_reason)
        return true;
    /* keys[0] is the public key, keys[1] the shared one; the rest go to
     * spaces and images */
    iso.public_key = iso.keys[0];
    iso.shared_key = iso.keys[1];
    iso.nkeys -= 2;
    memmove(iso.keys, iso.keys + 2, iso.nkeys * sizeof iso.keys[0]);
    kern_iso_level = mode == KERN_ISO_STRICT ? KERN_ISO_LEVEL_STRICT : KERN_ISO_LEVEL_ON;
    kern_iso_pub.level = kern_iso_level;
    kern_iso_kernel();
    kern_iso_tag(iso.public_key, (uintptr_t)&kern_iso_pub, sizeof kern_iso_pub, PROT_READ | PROT_WRITE);
    return true;
}

static void *alloc_tagged(size_t size, int key)
{
    size = (size + KERN_PAGE_SIZE - 1) & ~(size_t)(KERN_PAGE_SIZE - 1);
    size = size ? size : KERN_PAGE_SIZE;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        kern_panic("no memory for %zu bytes of memory every task may reach", size);
    kern_iso_tag(key, (uintptr_t)p, size, PROT_READ | PROT_WRITE);
    return p;
}

void *kern_iso_public_alloc(size_t size)
{
    return alloc_tagged(size, iso.public_key);
}

void *kern_iso_shared_alloc(size_t size)
{
    return alloc_tagged(size, iso.shared_key);
}

void kern_iso_public_free(void *p, size_t size)
{
    if (p)
        munmap(p, size ? size : 1);
}

extern __thread L4_Word_t *__L4_hosted_utcb;

uintptr_t kern_iso_thread_init(void)
{
    if (kern_iso_level != KERN_ISO_LEVEL_STRICT)
        return 0;
    if (!leave_rseq())
        kern_panic("strict isolation: the host does not let a thread leave rseq");
    uintptr_t tp;
    __asm__("movq %%fs:0, %0" : "=r"(tp));
    uintptr_t lo = (uintptr_t)&__L4_hosted_utcb & ~(uintptr_t)(KERN_PAGE_SIZE - 1);
    uintptr_t hi = (tp + 0x80 + KERN_PAGE_SIZE - 1) & ~(uintptr_t)(KERN_PAGE_SIZE - 1);
    kern_iso_tag(iso.public_key, lo, hi - lo, PROT_READ | PROT_WRITE);
    return lo;
}

/* Records that `who` (a name that lives as long as its holder) holds key
 * (or, with put, no longer). */
static void note_holder(int key, const char *who, bool put)
{
    for (unsigned i = 0; i < MAX_HOLDERS; i++) {
        if (put ? iso.holders[i].key == key && iso.holders[i].name == who : !iso.holders[i].key) {
            iso.holders[i].key = put ? 0 : key;
            iso.holders[i].name = who;
            return;
        }
    }
}

/* The holders of key, as a list of names into buf. */
static void group_of(int key, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "key %d:", key);
    for (unsigned i = 0; i < MAX_HOLDERS && at < len; i++)
        if (iso.holders[i].key == key)
            at += (size_t)snprintf(buf + at, len - at, " %s", iso.holders[i].name);
}

int kern_iso_key_take(const char *who)
{
    if (!kern_iso_level)
        return 0;
    unsigned best = 0;
    for (unsigned i = 1; i < iso.nkeys; i++)
        if (iso.users[i] < iso.users[best])
            best = i;
    iso.users[best]++;
    iso.taken++;
    note_holder(iso.keys[best], who, false);
    if (iso.users[best] > iso.peak_users) {
        iso.peak_users = iso.users[best];
        group_of(iso.keys[best], iso.peak_group, sizeof iso.peak_group);
    }
    return iso.keys[best];
}

void kern_iso_key_put(int key, const char *who)
{
    for (unsigned i = 0; key && i < iso.nkeys; i++)
        if (iso.keys[i] == key && iso.users[i]) {
            iso.users[i]--;
            note_holder(key, who, true);
        }
}

void kern_iso_tag(int key, uintptr_t addr, size_t len, int prot)
{
    if (kern_iso_level && key && pkey_mprotect((void *)addr, len, prot, key) != 0)
        kern_panic("cannot give key %d to %#lx+%#zx", key, (unsigned long)addr, len);
}

/* Reads the protection of every mapping in [lo, hi) from /proc/self/maps
 * and tags it with key at that protection. */
void kern_iso_tag_existing(int key, uintptr_t lo, uintptr_t hi)
{
    if (!kern_iso_level || !key)
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
    if (!kern_iso_level || image >= MAX_IMAGES)
        return 0;
    if (!iso.image_key[image]) {
        char *who = iso.image_names[image];
        snprintf(who, HOLDER_NAME, "image%u", image);
        int k = kern_iso_key_take(who);
        for (unsigned i = 0; i < iso.nkeys; i++)
            if (iso.keys[i] == k)
                iso.image_key[image] = (uint8_t)(i + 1);
    }
    return iso.keys[iso.image_key[image] - 1];
}

uint32_t kern_iso_pkru(int space_key, int image_key)
{
    if (!kern_iso_level)
        return 0;
    /* every key denied (access and write disable), then what is allowed */
    uint32_t pkru = 0xffffffffu;
    if (kern_iso_level == KERN_ISO_LEVEL_ON)
        pkru &= ~3u;                                    /* key 0 open */
    pkru &= ~(1u << (2 * iso.public_key));              /* public: read, not write */
    pkru &= ~(3u << (2 * iso.shared_key));              /* shared: read and write */
    if (space_key)
        pkru &= ~(3u << (2 * space_key));
    if (image_key)
        pkru &= ~(3u << (2 * image_key));
    return pkru;
}

void kern_iso_print_mode(FILE *f)
{
    if (kern_iso_level == KERN_ISO_LEVEL_STRICT)
        fprintf(f, "chacmsim: isolation: strict, %u protection keys for the tasks' windows and program images; "
                   "the simulator's memory (key 0) is out of guest code's reach\n", iso.nkeys);
    else if (kern_iso_level)
        fprintf(f, "chacmsim: isolation: on, %u protection keys for the tasks' windows and program images; "
                   "the simulator's memory (key 0) stays reachable\n", iso.nkeys);
    else
        fprintf(f, "chacmsim: isolation: off (%s): a task's loads and stores may reach other tasks' "
                   "memory\n", iso.off_reason ? iso.off_reason : "not set up");
}

void kern_iso_print_stats(FILE *f)
{
    if (!kern_iso_level)
        return;
    fprintf(f, "chacmsim: isolation: %u keys handed out to spaces and images; at most %u held one key at once%s\n",
            iso.taken, iso.peak_users,
            iso.peak_users > 1 ? " (those sharing a key are not protected from each other)" : "");
    if (iso.peak_users > 1)
        fprintf(f, "chacmsim: isolation: the first group that large, %s\n", iso.peak_group);
    for (unsigned i = 0; i < iso.nkeys; i++) {
        if (iso.users[i] < 2)
            continue;
        char buf[256];
        group_of(iso.keys[i], buf, sizeof buf);
        fprintf(f, "chacmsim: isolation: sharing at the end, %s\n", buf);
    }
}
