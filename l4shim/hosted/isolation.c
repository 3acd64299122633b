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
 * The host has 15 keys: the public key, the shared key, the parking key
 * and 12 task keys.  Up to 12 live spaces and images each keep a task key;
 * beyond, a new one is parked (its pages on the parking key, which no
 * guest allows), and whenever a thread gets the CPU its space and image
 * get task keys, taken from the space or image that ran least recently,
 * which is parked (kern_iso_resume).  So no two spaces or images ever
 * share a key (docs/kernel.md, "Isolation with protection keys"). */
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
#define IMAGE_PARKED 0xff

kern_iso_public_t kern_iso_pub __attribute__((aligned(4096)));
uint8_t kern_iso_level;
uint8_t kern_iso_moving;
__thread uint32_t kern_guest_pkru;
__thread uint8_t kern_pkru_stale;

static struct {
    const char *off_reason;          /* why isolation is off */
    int public_key;                  /* readable by every guest (keys[0]) */
    int shared_key;                  /* readable and writable by every guest (keys[1]) */
    int keys[MAX_KEYS];              /* host keys allocated */
    unsigned nkeys;
    int park_key;                    /* of spaces and images without a key of their own (keys[2]) */
    struct {                         /* the owner of each task key: a space or an image */
        kern_space_t *space;
        unsigned image;
        uint64_t used;               /* when a thread of it last resumed */
    } own[MAX_KEYS];
    uint64_t clock;                  /* counts resumes while keys move */
    unsigned live, peak_live;        /* spaces and images alive, most at once */
    unsigned parked;                 /* of them without a key now */
    unsigned taken, moves;           /* keys handed out; keys taken from one for another */
    unsigned pkru_offset;            /* of PKRU in a signal frame's XSAVE area */
    uint8_t image_key[MAX_IMAGES];   /* key index + 1, IMAGE_PARKED, or 0 while unset */
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
        iso.off_reason = "--isolation=off or CHACM_ISOLATION=off";
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
    if (!iso.off_reason && iso.nkeys < 6)
        iso.off_reason = "the host kernel gives fewer than 6 protection keys";
    if (!iso.off_reason && mode == KERN_ISO_STRICT && !signals_survive_denied_key0())
        iso.off_reason = "the host kernel cannot deliver a signal while key 0 is denied (Linux 6.12 can, once a thread has left rseq)";
    if (iso.off_reason && mode != KERN_ISO_AUTO) {
        *why = iso.off_reason;
        return false;
    }
    if (iso.off_reason)
        return true;
    /* keys[0] is the public key, keys[1] the shared one, keys[2] the
     * parking key; the rest go to spaces and images */
    iso.public_key = iso.keys[0];
    iso.shared_key = iso.keys[1];
    iso.park_key = iso.keys[2];
    iso.nkeys -= 3;
    memmove(iso.keys, iso.keys + 3, iso.nkeys * sizeof iso.keys[0]);
    unsigned a = 0xd, b, c = 9, d;
    __asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    iso.pkru_offset = b;
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

int kern_iso_key_take(kern_space_t *space, unsigned image)
{
    if (!kern_iso_level)
        return 0;
    iso.taken++;
    if (++iso.live > iso.peak_live)
        iso.peak_live = iso.live;
    for (unsigned i = 0; i < iso.nkeys; i++)
        if (!iso.own[i].space && !iso.own[i].image) {
            iso.own[i].space = space;
            iso.own[i].image = image;
            iso.own[i].used = iso.clock;
            return iso.keys[i];
        }
    /* no key free: parked until a thread of it runs (kern_iso_resume) */
    iso.parked++;
    kern_iso_moving = 1;
    return iso.park_key;
}

void kern_iso_key_put(int key, kern_space_t *space)
{
    if (!kern_iso_level)
        return;
    iso.live--;
    if (key == iso.park_key) {
        iso.parked--;
        return;
    }
    for (unsigned i = 0; i < iso.nkeys; i++)
        if (iso.own[i].space == space)
            iso.own[i].space = NULL;
}

static unsigned key_index(int key)
{
    for (unsigned i = 0; i < iso.nkeys; i++)
        if (iso.keys[i] == key)
            return i;
    return iso.nkeys;
}

/* The key index for a parked space or image of thread t's task: a free
 * one, else the one whose owner ran least recently and is neither t's
 * space nor t's image; that owner is parked. */
static unsigned free_a_key(kern_space_t *space, unsigned image)
{
    unsigned best = iso.nkeys;
    for (unsigned i = 0; i < iso.nkeys; i++) {
        if (!iso.own[i].space && !iso.own[i].image)
            return i;
        if (iso.own[i].space == space || (iso.own[i].image && iso.own[i].image == image))
            continue;
        if (best == iso.nkeys || iso.own[i].used < iso.own[best].used)
            best = i;
    }
    if (best == iso.nkeys)
        kern_panic("no protection key to move");
    if (iso.own[best].space)
        kern_space_retag(iso.own[best].space, iso.park_key);
    else {
        kern_image_retag(iso.own[best].image, iso.park_key);
        iso.image_key[iso.own[best].image] = IMAGE_PARKED;
    }
    iso.own[best].space = NULL;
    iso.own[best].image = 0;
    iso.parked++;
    iso.moves++;
    return best;
}

/* Gives the space or image (one of the two) the key index i. */
static void unpark(unsigned i, kern_space_t *space, unsigned image)
{
    iso.own[i].space = space;
    iso.own[i].image = space ? 0 : image;
    iso.own[i].used = iso.clock;
    iso.parked--;
    if (space)
        kern_space_retag(space, iso.keys[i]);
    else {
        iso.image_key[image] = (uint8_t)(i + 1);
        kern_image_retag(image, iso.keys[i]);
    }
}

void kern_iso_resume_slow(kern_thread_t *t)
{
    kern_space_t *s = t->space;
    if (!s)
        return;
    kern_iso_kernel();              /* keys may move; the stub's exit restores the guest's PKRU */
    unsigned image = s->image;
    iso.clock++;
    unsigned si = key_index(s->pkey);
    if (si == iso.nkeys)
        unpark(free_a_key(s, image), s, 0);
    else
        iso.own[si].used = iso.clock;
    if (image && image < MAX_IMAGES && iso.image_key[image]) {
        if (iso.image_key[image] == IMAGE_PARKED)
            unpark(free_a_key(s, image), NULL, image);
        else
            iso.own[iso.image_key[image] - 1].used = iso.clock;
    }
    kern_guest_pkru = kern_iso_pkru(s->pkey, kern_iso_image_key(image));
}

/* The standard XSAVE layout of a signal frame: the software-reserved
 * words at 464 (magic first), XSTATE_BV at 512. */
#define XSAVE_SW_MAGIC1 0x46505853u
#define XSAVE_PKRU_BIT (1ULL << 9)

void kern_iso_frame(ucontext_t *uc)
{
    char *x = (char *)uc->uc_mcontext.fpregs;
    if (!kern_iso_moving || !x || !iso.pkru_offset)
        return;
    uint32_t magic;
    memcpy(&magic, x + 464, sizeof magic);
    if (magic != XSAVE_SW_MAGIC1)
        kern_panic("a signal frame without XSAVE state: cannot give the guest its PKRU");
    uint64_t bv;
    memcpy(&bv, x + 512, sizeof bv);
    bv |= XSAVE_PKRU_BIT;
    memcpy(x + 512, &bv, sizeof bv);
    memcpy(x + iso.pkru_offset, &kern_guest_pkru, sizeof kern_guest_pkru);
}

void kern_iso_tag(int key, uintptr_t addr, size_t len, int prot)
{
    if (kern_iso_level && key && pkey_mprotect((void *)addr, len, prot, key) != 0)
        kern_panic("cannot give key %d to %#lx+%#zx", key, (unsigned long)addr, len);
}

/* Reads the protection of every mapping in [lo, hi) from /proc/self/maps
 * and tags it with key at that protection.  The file lists mappings in
 * address order, so the read stops at the first one above the range (a
 * new image lies below the older ones, and thousands of them made every
 * load read them all). */
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
        if (sscanf(line, "%lx-%lx %7s", &s, &e, perm) != 3 || e <= lo)
            continue;
        if (s >= hi)
            break;
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
    if (!kern_iso_level || image >= MAX_IMAGES || !image)
        return 0;
    if (!iso.image_key[image]) {
        int k = kern_iso_key_take(NULL, image);
        iso.image_key[image] = k == iso.park_key ? IMAGE_PARKED : (uint8_t)(key_index(k) + 1);
    }
    return iso.image_key[image] == IMAGE_PARKED ? iso.park_key : iso.keys[iso.image_key[image] - 1];
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
    if (space_key && space_key != iso.park_key)
        pkru &= ~(3u << (2 * space_key));
    if (image_key && image_key != iso.park_key)
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
    fprintf(f, "chacmsim: isolation: %u keys handed out to spaces and images, at most %u of them alive at once; "
               "%u times a key moved to the task that ran from the one that ran least recently\n",
            iso.taken, iso.peak_live, iso.moves);
}
