/* Threads: the thread table, host threads that carry L4 threads, creation,
 * start, death and deletion. */
#include <alloca.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <l4/hosted/vregs.h>
#include "kern.h"
#include "kern_trace.h"
#include "kern_boot.h"
#include "kern_mem.h"
#include "kern_iso.h"

__thread L4_Word_t *__L4_hosted_utcb;
__thread kern_thread_t *kern_self;
__thread uintptr_t kern_kstack;

void kern_enter_guest(L4_Word_t sp, L4_Word_t ip) __attribute__((noreturn));
void kern_thread_returned(void) __attribute__((noreturn));

#define KERN_HOST_STACK (1024 * 1024)

/* Finds the thread a raw id names, as seen from thread rel (for local
 * ids); NULL if it does not exist or the version does not match. */
kern_thread_t *kern_thread_lookup_local(L4_Word_t id, kern_thread_t *rel)
{
    if (!rel || !rel->space)
        return NULL;
    /* local ids are UTCB locations: search the space's threads */
    for (kern_thread_t *t = rel->space->threads; t; t = t->space_next)
        if (t->utcb && t->utcb_location == id)
            return t;
    return NULL;
}

/* t's global id, for code that sees threads only as opaque pointers. */
L4_Word_t kern_thread_gid(const kern_thread_t *t)
{
    return t->id;
}

kern_thread_t *kern_thread_create(L4_Word_t id, kern_space_t *space)
{
    kern_thread_t *t = aligned_alloc(64, (sizeof *t + 63) & ~(size_t)63);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->id = id;
    t->state = TS_INACTIVE;
    t->space = space;
    t->prio = 100;
    t->timeslice = kern.default_timeslice;
    t->ts_left = kern_fresh_slice(t);
    t->is_irq = kw_thread_no(id) < KERN_NIRQ;
    if (space) {
        space->nthreads++;
        t->space_next = space->threads;
        space->threads = t;
        snprintf(t->name, sizeof t->name, "%.20s.%lu", space->name, kw_thread_no(id) & 0x3ffff);
    } else {
        snprintf(t->name, sizeof t->name, "irq%lu", kw_thread_no(id));
    }
    kern.threads[kw_thread_no(id)] = t;
    t->all_next = kern.all_threads;
    if (t->all_next)
        t->all_next->all_prev = t;
    kern.all_threads = t;
    KTRACE(KT_THREAD_NEW, t, kern_self, 0, 0, 0, 0, 0);
    return t;
}

/* Gives t its UTCB block at location (already validated). */
int kern_thread_place_utcb(kern_thread_t *t, L4_Word_t location)
{
    L4_Word_t *mr0 = kern_space_utcb_map(t->space, location);
    if (!mr0)
        return -1;
    t->utcb = mr0;
    t->utcb_location = location;
    memset((char *)mr0 - __L4_HOSTED_UTCB_MR0_OFFSET, 0, KERN_UTCB_SIZE);
    mr0[__L4_TCR_MY_GLOBAL_ID] = t->id;
    return 0;
}

static void host_ended(void *stack);

/* Enters t's guest code with the kernel stack's top below `limit` (the
 * thread's TLS pages that guest code may read, with strict isolation; 0:
 * anywhere), so that no kernel frame lies on them. */
static void __attribute__((noreturn)) enter_below(uintptr_t limit, kern_thread_t *t)
{
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (limit && here + 256 > limit) {
        volatile char *gap = alloca(here + 256 - limit);
        gap[0] = 0;
    }
    kern_enter_guest(t->start_sp, t->start_ip);
}

static void *host_main(void *arg)
{
    kern_thread_t *t = arg;
    kern_self = t;
    t->clock = &kern_now;
    kern_iso_kernel();
    kern_wait_turn(t);
    int why = sigsetjmp(t->base, 0);
    t->base_valid = true;
    if (why == 1 || t->doomed) {
        void *stack = t->kstack_base;
        kern_preempt_thread_fini(t);
        kern_fault_thread_fini(t);
        if (t->state == TS_FREE)
            free(t);
        host_ended(stack);
        return NULL;
    }
    __L4_hosted_utcb = t->utcb;
    kern_fault_thread_init(t);
    kern_preempt_thread_init(t);
    t->preempted = false;       /* a redirect may have left a preemption */
    kern_fault_start_stack(t);  /* a bad start stack is its first push's exception */
    kern_iso_resume(t);
    kern_guest_pkru = t->space ? kern_iso_pkru(t->space->pkey, kern_iso_image_key(t->space->image)) : 0;
    enter_below(kern_iso_thread_init(), t);
}

/* Does sp lie on t's kernel stack (the stack of its host thread)? */
bool kern_thread_on_kstack(const kern_thread_t *t, uintptr_t sp)
{
    uintptr_t base = (uintptr_t)t->kstack_base;
    return sp >= base && sp < base + KERN_HOST_STACK;
}

/* Kernel stacks live in their own region, far (more than Valgrind's 2 MiB
 * stack-switch threshold) from any guest stack, so that tools see every
 * kernel entry as a switch of stacks. */
#define KERN_KSTACK_REGION  0x180000000000UL   /* 24 TiB, below the windows */
#define KERN_KSTACK_STRIDE  (KERN_HOST_STACK + 4 * 1024 * 1024)

/* Host threads that have ended, whose stacks may be reused once joined.
 * Ending host threads run beside the current one, so this list has a lock
 * of its own (it is not kernel state). */
typedef struct ended {
    pthread_t host;
    void *stack;
    struct ended *next;
} ended_t;
static ended_t *ended_list;
static pthread_mutex_t ended_lock = PTHREAD_MUTEX_INITIALIZER;

static void host_ended(void *stack)
{
    ended_t *e = malloc(sizeof *e);
    if (!e)
        return;             /* the stack is lost, nothing worse */
    e->host = pthread_self();
    e->stack = stack;
    pthread_mutex_lock(&ended_lock);
    e->next = ended_list;
    ended_list = e;
    pthread_mutex_unlock(&ended_lock);
}

/* The stack of a host thread that has ended completely, or NULL. */
static void *kstack_reuse(void)
{
    void *stack = NULL;
    pthread_mutex_lock(&ended_lock);
    for (ended_t **pe = &ended_list; *pe; pe = &(*pe)->next) {
        if (pthread_tryjoin_np((*pe)->host, NULL) == 0) {
            ended_t *e = *pe;
            *pe = e->next;
            stack = e->stack;
            free(e);
            break;
        }
    }
    pthread_mutex_unlock(&ended_lock);
    return stack;
}

static void *kstack_alloc(void)
{
    static L4_Word_t next = KERN_KSTACK_REGION;
    void *reused = kstack_reuse();
    if (reused)
        return reused;
    for (;;) {
        void *p = mmap((void *)next, KERN_HOST_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        L4_Word_t at = next;
        next += KERN_KSTACK_STRIDE;
        if (p != MAP_FAILED && (L4_Word_t)p == at)
            return p;
        if (p != MAP_FAILED)
            munmap(p, KERN_HOST_STACK);
        if (next >= KERN_KSTACK_REGION + (1UL << 42))
            return NULL;
    }
}

static void spawn_host(kern_thread_t *t)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    void *stack = kstack_alloc();
    if (!stack)
        kern_panic("no room for the kernel stack of %s", t->name);
    pthread_attr_setstack(&attr, stack, KERN_HOST_STACK);
    if (kern.host_cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(kern.host_cpu, &set);
        pthread_attr_setaffinity_np(&attr, sizeof set, &set);
    }
    t->kstack_base = stack;
    if (pthread_create(&t->host, &attr, host_main, t) != 0)
        kern_panic("cannot create a host thread for %s", t->name);
    pthread_attr_destroy(&attr);
    char name[16];
    memcpy(name, t->name, sizeof name - 1);
    name[sizeof name - 1] = 0;
    pthread_setname_np(t->host, name);
    t->host_started = true;
}

/* A space made by SpaceControl is named after the program its first
 * thread starts in (the booter's tasks read as memsvr.48, shell.52 in
 * kernel messages, gdb and --stats), and so is that thread. */
static void name_after_image(kern_thread_t *t)
{
    const char *name = kern_image_name(t->space->image);
    if (!name || strncmp(t->space->name, "space", 5))
        return;
    snprintf(t->space->name, sizeof t->space->name, "%.23s", name);
    snprintf(t->name, sizeof t->name, "%.20s.%lu", name, kw_thread_no(t->id) & 0x3ffff);
}

/* Starts (or restarts) t at ip with stack sp.  t becomes ready; a thread
 * that already runs guest code leaves its kernel frames when next it runs. */
void kern_thread_start(kern_thread_t *t, L4_Word_t ip, L4_Word_t sp)
{
    t->start_ip = ip;
    t->start_sp = sp;
    t->started = true;
    if (t->space && !t->space->image) {
        t->space->image = kern_image_at(ip);
        name_after_image(t);
    }
    KTRACE(KT_THREAD_START, t, NULL, 0, ip, sp, 0, 0);
    if (t->host_started)
        t->redirect = true;
    else
        spawn_host(t);
    if (t->state != TS_READY)
        kern_make_ready(t);
}

/* Removes t from every queue it may wait on. */
static void detach_ipc(kern_thread_t *t)
{
    kern_ipc_cancel(t, true, true, false);
    kern_rq_remove(t);
    kern_tq_remove(t);
}

/* t stops for good (returned from its entry, fatal fault).  It stays in the
 * thread table, so its id remains valid, but it never runs again. */
void kern_thread_kill(kern_thread_t *t, const char *why)
{
    kern_log("kernel: thread %s (%lx.%lx) stopped: %s", t->name, kw_thread_no(t->id),
             kw_version(t->id), why);
    if (t == kern.root_thread && t == kern_self)
        kern_exit_system(4, "the root task's main thread stopped: %s", why);
    detach_ipc(t);
    t->state = TS_DEAD;
    KTRACE(KT_THREAD_DEAD, t, NULL, 0, 0, 0, 0, 0);
}

/* Lets t's host thread unwind and end; t must not be current. */
static void release_host(kern_thread_t *t)
{
    if (!t->host_started)
        return;
    t->doomed = true;
    t->host_started = false;
    /* Once go is set, the host thread may end and free t at any moment:
     * wake it whether it sleeps or not, without reading t again. */
    _Atomic int *go = &t->go;
    atomic_store(go, 1);
    syscall(SYS_futex, (int *)go, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Deletes t: it vanishes from the thread table; partners blocked on it see
 * a non-existing partner.  The last thread of a space takes the space. */
void kern_thread_delete(kern_thread_t *t)
{
    kern_space_t *s = t->space;
    KTRACE(KT_THREAD_DEAD, t, NULL, 0, 1, 0, 0, 0);
    detach_ipc(t);
    kern_ipc_partner_gone(t);
    kern.threads[kw_thread_no(t->id)] = NULL;
    kern_stats_add(&kern.stats_gone, &t->stats);
    if (t->all_prev)
        t->all_prev->all_next = t->all_next;
    else
        kern.all_threads = t->all_next;
    if (t->all_next)
        t->all_next->all_prev = t->all_prev;
    t->state = TS_FREE;
    if (s) {
        kern_thread_t **pp = &s->threads;
        while (*pp != t)
            pp = &(*pp)->space_next;
        *pp = t->space_next;
        if (--s->nthreads == 0)
            kern_space_release(s);
    }
    t->space = NULL;
    if (t == kern_self)
        kern_thread_exit_current(NULL);
    if (t->host_started)
        release_host(t);
    else
        free(t);
}

/* The current thread stops for good: with why, it is killed and stays as a
 * dead thread; without, it has just deleted itself and its host thread ends
 * after handing on the CPU. */
void kern_thread_exit_current(const char *why)
{
    kern_thread_t *self = kern_self;
    if (why) {
        /* Its host thread waits like a blocked one until kern_thread_delete
         * releases it, and then frees it.  (Ending it here would race with a
         * deleter that frees the TCB while this thread still unwinds.) */
        kern_thread_kill(self, why);
        kern_block();
        kern_panic("dead thread %s was run", self->name);
    }
    self->doomed = true;
    self->host_started = false;
    kern_thread_t *next = kern_idle_pick();
    KTRACE(KT_SCHED, self, next, 0, TS_FREE, 0, 0, 0);
    kern_hand_to(next);
    siglongjmp(self->base, 1);
}

void kern_thread_returned(void)
{
    kern_entry_nocharge();
    kern_thread_exit_current("returned from its entry function");
}
