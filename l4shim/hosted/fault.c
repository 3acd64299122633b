/* Page faults: a guest access to a page of its window that its space does
 * not hold (or not with the rights the access needs) raises SIGSEGV on the
 * faulting thread's host thread.  The handler runs on that thread's
 * alternate signal stack, a kernel stack of its own:
 *
 *   1. the space holds the page (not yet installed, or installed with less
 *      host protection for access-bit tracking): install it, resume;
 *   2. the address lies in the thread's own window and it has a pager: the
 *      X.2 page-fault IPC (label -2<<4 | rwx, MR1 address, MR2 IP) goes to
 *      the pager, whose reply's map item mdb.c applies; the access restarts
 *      (and faults again if the reply did not cover it);
 *      A page-fault IPC that fails otherwise (cancelled or aborted by
 *      ExchangeRegisters) also restarts the access, which faults again,
 *      as on Pistachio;
 *   3. otherwise (outside the window, no pager, a pager that does not
 *      exist): an exception IPC (label -5<<4) to the exception handler,
 *      whose reply may give a new IP and SP; without one the thread is
 *      reported and stopped.
 * Every register such an IPC can write (all MRs, BR0, ErrorCode and the
 * ActualSender TCR) is saved and restored, so the faulting thread sees its
 * own registers unchanged, however long the reply.  A
 * pager that faults itself is just another faulting thread: it blocks in
 * its own handler until its own pager answers.
 *
 * A fault in kernel code (on a kernel stack or the signal stack), or on a
 * host thread that carries no L4 thread, is a simulator bug: the handler
 * restores the default action and lets it crash with a core dump. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <l4/hosted/vregs.h>
#include "kern_mem.h"
#include "kern_trace.h"
#include "kern_iso.h"

#define ALTSTACK_SIZE   (64 * 1024)
#define EXC_PAGEFAULT   14              /* x86 #PF */
#define EXC_DIVIDE      0               /* #DE */
#define EXC_INVALID_OP  6               /* #UD */
#define EXC_SIMD        19              /* #XM */
#define EXC_STACK       12              /* #SS: a non-canonical stack address (SIGBUS) */
#define PF_ERR_WRITE    0x2
#define PF_ERR_FETCH    0x10

struct kern_fault {
    void *altstack;
    L4_Word_t pf_addr;
    L4_Word_t pf_ip, pf_sp;             /* the faulting instruction and stack */
    unsigned pf_access;                 /* rights bit while the page-fault IPC runs */
    bool halted;                        /* halted by an unhandled fault at pf_ip, pf_sp */
    bool at_start;                      /* in the exception of a bad start stack (pf_ip, pf_sp) */
};

kern_pair_t kern_sys_ipc(L4_Word_t to, L4_Word_t from, L4_Word_t timeouts);
extern const char kern_guest_first_push[];     /* entry.S: a new thread's first store */
extern const char kern_guest_entry_end[];      /* entry.S: and the jump to its entry point */

/* Is the signal's IP one of a new thread's first instructions (entry.S):
 * the push on its own stack, or the jump to its entry point (which faults
 * on the jmp itself for a non-canonical IP)?  Guest code whatever the
 * stack pointer. */
static bool first_push(L4_Word_t ip)
{
    return ip >= (L4_Word_t)kern_guest_first_push && ip < (L4_Word_t)kern_guest_entry_end;
}

/* The IP a signal interrupted, as the guest sees it.  In a new thread's
 * first steps that is its entry point (in RSI, jumped to next): the push
 * and the jump are the kernel's, and their addresses must never become a
 * thread's IP (a thread resumed at the push with a new SP would push for
 * ever, down through every stack below it; one resumed at the jump would
 * jump to itself for ever). */
L4_Word_t kern_fault_guest_ip(const ucontext_t *uc)
{
    L4_Word_t ip = (L4_Word_t)uc->uc_mcontext.gregs[REG_RIP];
    return first_push(ip) ? (L4_Word_t)uc->uc_mcontext.gregs[REG_RSI] : ip;
}

/* The guest SP and IP of t while it waits in a page-fault IPC; false when
 * it is not in one. */
bool kern_fault_regs(const kern_thread_t *t, L4_Word_t *sp, L4_Word_t *ip)
{
    if (!t->fault || (!t->fault->pf_access && !t->fault->halted && !t->fault->at_start))
        return false;
    *sp = t->fault->pf_sp;
    *ip = t->fault->pf_ip;
    return true;
}

unsigned kern_fault_hint(const kern_thread_t *t, L4_Word_t *addr)
{
    if (!t->fault || !t->fault->pf_access)
        return 0;
    *addr = t->fault->pf_addr;
    return t->fault->pf_access;
}

/* ---- registers the kernel borrows for a fault IPC ---- */

/* A reply may fill every MR (several map items, as a pager that maps
 * ahead sends), a propagated one writes ActualSender, and any IPC writes
 * ErrorCode; the kernel itself writes BR0. */
typedef struct {
    L4_Word_t mr[__L4_NUM_MRS], br0, error, sender;
} saved_t;

static void save_regs(kern_thread_t *t, saved_t *s)
{
    memcpy(s->mr, t->utcb, sizeof s->mr);
    s->br0 = t->utcb[__L4_TCR_BR_OFFSET];
    s->error = t->utcb[__L4_TCR_ERROR_CODE];
    s->sender = t->utcb[__L4_TCR_ACTUAL_SENDER];
}

static void restore_regs(kern_thread_t *t, const saved_t *s)
{
    memcpy(t->utcb, s->mr, sizeof s->mr);
    t->utcb[__L4_TCR_BR_OFFSET] = s->br0;
    t->utcb[__L4_TCR_ERROR_CODE] = s->error;
    t->utcb[__L4_TCR_ACTUAL_SENDER] = s->sender;
}

/* ---- the handler ---- */

static void crash(const char *what, L4_Word_t addr, L4_Word_t ip)
{
    signal(SIGSEGV, SIG_DFL);
    fflush(kern.out);
    fprintf(stderr, "chacmsim: %s at address %#lx, ip %#lx%s%s\n", what, addr, ip,
            kern_self ? " in thread " : "", kern_self ? kern_self->name : "");
    /* returning re-executes the access, which now ends the process */
}

/* The access that faulted, as X.2 rights (R 4, W 2, X 1), from the x86
 * page-fault error code (Valgrind passes it on too); a fault at the IP
 * itself is a fetch even where the fetch bit is missing. */
static unsigned access_of(const ucontext_t *uc, L4_Word_t addr, L4_Word_t ip)
{
    L4_Word_t err = (L4_Word_t)uc->uc_mcontext.gregs[REG_ERR];
    if ((err & PF_ERR_FETCH) || addr == ip)
        return KERN_RIGHTS_X;
    return (err & PF_ERR_WRITE) ? KERN_RIGHTS_W : KERN_RIGHTS_R;
}

/* Sends the page-fault IPC to t's pager and waits for the reply.  True
 * when the access is to restart: the reply came, or the IPC was cancelled
 * or aborted (Pistachio returns to the faulting instruction then); false
 * if there is no pager or it does not exist (any more). */
static bool page_fault_ipc(kern_thread_t *t, L4_Word_t addr, L4_Word_t ip, L4_Word_t sp, unsigned access)
{
    L4_Word_t pager = kern_thread_pager(t);
    if (pager == KW_NILTHREAD)
        return false;
    saved_t s;
    save_regs(t, &s);
    t->utcb[0] = kw_tag(KW_LABEL_PAGEFAULT | access, 2, 0, 0);
    t->utcb[1] = addr;
    t->utcb[2] = ip;
    t->utcb[__L4_TCR_BR_OFFSET] = kw_fpage(0, 1, 0);      /* the complete address space */
    t->fault->pf_addr = addr;
    t->fault->pf_ip = ip;
    t->fault->pf_sp = sp;
    t->fault->pf_access = access;
    KTRACE(KT_PF, t, kern_thread_lookup(pager, t), 0, addr, ip, access, 0);
    kern_pair_t r = kern_sys_ipc(pager, pager, 0);
    t->fault->pf_access = 0;
    L4_Word_t err = t->utcb[__L4_TCR_ERROR_CODE];
    KTRACE(KT_PF_DONE, t, NULL, (r.w0 & KW_TAG_E) != 0, addr, 0, 0, 0);
    restore_regs(t, &s);
    return !(r.w0 & KW_TAG_E) || ((err >> 1) & 7) != KW_ERR_NOPARTNER;
}

/* Sends t's I/O-fault IPC (label -8<<4 | rw, MR1 the I/O fpage of the
 * ports, MR2 the IP), as Pistachio's kernel does on x86, and waits for
 * the pager's reply, which maps the ports (an I/O fpage is always
 * accepted). */
bool kern_fault_io(kern_thread_t *t, L4_Word_t port, unsigned width, L4_Word_t ip)
{
    L4_Word_t pager = kern_thread_pager(t);
    if (pager == KW_NILTHREAD)
        return false;
    unsigned log2 = width >= 4 ? 2 : width == 2 ? 1 : 0;
    saved_t s;
    save_regs(t, &s);
    t->utcb[0] = kw_tag(kw_proto_label(-8) | KERN_RIGHTS_R | KERN_RIGHTS_W, 2, 0, 0);
    t->utcb[1] = (port & 0xffff & ~((1UL << log2) - 1)) << 16 | (L4_Word_t)log2 << 10 | 0x20;
    t->utcb[2] = ip;
    t->utcb[__L4_TCR_BR_OFFSET] = kw_fpage(0, 1, 0);
    kern_pair_t r = kern_sys_ipc(pager, pager, 0);
    restore_regs(t, &s);
    return !(r.w0 & KW_TAG_E);
}

/* Pistachio's x86-64 exception frame: MR k (1..18) holds the register
 * exc_frame[k - 1]; MR19 the exception number, MR20 the error code; and
 * ours, MR21: the address of a page fault outside the window, else 0. */
static const int exc_frame[] = {
    REG_RIP, REG_RBX, REG_R10, REG_R12, REG_R13, REG_R14, REG_R15, REG_RAX, REG_RCX,
    REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_R8, REG_R9, REG_R11, REG_RSP, REG_EFL,
};
#define EXC_FRAME_REGS  (sizeof exc_frame / sizeof exc_frame[0])
#define EXC_MR_NUMBER   19
#define EXC_MR_ERROR    20
#define EXC_MR_ADDRESS  21
/* The flags a handler may change (CF PF AF ZF SF DF OF), as Pistachio
 * masks them. */
#define EXC_USER_FLAGS  0xdd5UL

/* Sends the exception IPC (21 words) to t's exception handler: the frame
 * above, with the address for a page fault outside the window (outside).
 * When the IPC succeeds, t resumes with its registers taken from its MRs,
 * those the reply wrote and the frame's others as they were, as in
 * Pistachio.  False if there is no handler or the IPC failed. */
static bool exception_ipc(kern_thread_t *t, ucontext_t *uc, L4_Word_t exc, L4_Word_t err, L4_Word_t addr,
                          bool outside)
{
    L4_Word_t handler = t->utcb[__L4_TCR_EXCEPTION_HANDLER];
    if (handler == KW_NILTHREAD)
        return false;
    greg_t *g = uc->uc_mcontext.gregs;
    saved_t s;
    save_regs(t, &s);
    t->utcb[0] = kw_tag(KW_LABEL_EXCEPTION, EXC_MR_ADDRESS, 0, 0);
    for (unsigned k = 0; k < EXC_FRAME_REGS; k++)
        t->utcb[1 + k] = (L4_Word_t)g[exc_frame[k]];
    L4_Word_t ip = kern_fault_guest_ip(uc);     /* never the kernel's first push */
    t->utcb[1] = ip;
    t->utcb[EXC_MR_NUMBER] = exc;
    t->utcb[EXC_MR_ERROR] = err;
    t->utcb[EXC_MR_ADDRESS] = outside ? addr : 0;
    t->utcb[__L4_TCR_BR_OFFSET] = 0;
    kern_pair_t r = kern_sys_ipc(handler, handler, 0);
    bool resume = !(r.w0 & KW_TAG_E);
    for (unsigned k = 0; resume && k < EXC_FRAME_REGS; k++) {
        L4_Word_t v = t->utcb[1 + k];
        if (exc_frame[k] == REG_EFL)
            v = ((L4_Word_t)g[REG_EFL] & ~EXC_USER_FLAGS) | (v & EXC_USER_FLAGS);
        if (exc_frame[k] == REG_RIP && v == ip)
            continue;           /* unchanged: the instruction again, as it was */
        g[exc_frame[k]] = (greg_t)v;
    }
    restore_regs(t, &s);
    return resume;
}

/* No handler took an exception: as Pistachio (whose kernel debugger entry
 * becomes this report), the thread is halted; ExchangeRegisters can resume
 * it, at a new IP and SP or at the same instruction.  The root task's main
 * thread ends the run instead. */
void kern_fault_halt(const char *why, L4_Word_t sp, L4_Word_t ip)
{
    kern_thread_t *self = kern_self;
    kern_entry_nocharge();
    if (self == kern.root_thread)
        kern_thread_exit_current(why);
    kern_log("kernel: thread %s (%lx.%lx) halted: %s", self->name, kw_thread_no(self->id),
             kw_version(self->id), why);
    /* what ExchangeRegisters reports (and keeps, given only one of them) */
    self->fault->pf_sp = sp;
    self->fault->pf_ip = ip;
    self->fault->halted = true;
    self->halted = true;
    kern_rq_remove(self);
    kern_block();
    self->fault->halted = false;
}

static const char *access_name(unsigned a)
{
    return a == KERN_RIGHTS_X ? "execute" : a == KERN_RIGHTS_W ? "write" : "read";
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    kern_iso_kernel();
    ucontext_t *uc = ctx;
    kern_thread_t *self = kern_self;
    L4_Word_t addr = (L4_Word_t)si->si_addr;
    L4_Word_t ip = (L4_Word_t)uc->uc_mcontext.gregs[REG_RIP];
    L4_Word_t sp = (L4_Word_t)uc->uc_mcontext.gregs[REG_RSP];
    if (!self || !self->fault || !self->utcb) {
        crash("segmentation fault outside any L4 thread", addr, ip);
        return;
    }
    if (!first_push(ip) &&
        (kern_fault_on_altstack(self, sp) || (sp <= kern_kstack + 4096 && sp + (1UL << 20) > kern_kstack))) {
        crash("kernel fault", addr, ip);
        return;
    }
    if (kern_stopping())
        kern_stop_here();           /* the run ends: no fault IPC any more */
    kern_space_t *ws = kern_mdb_space_at(addr);
    unsigned access = access_of(uc, addr, ip);
    ip = kern_fault_guest_ip(uc);
    /* An inaccessible page of the own window may carry key 0 (where an
     * unmap left it), which strict isolation denies: an ordinary fault.
     * An installed page carries the space's key. */
    if (ws && ws == self->space && si->si_code == SEGV_PKUERR && kern_mdb_installed(ws, addr)) {
        crash("protection-key fault in the thread's own window", addr, ip);
        return;
    }
    if (ws && ws == self->space) {
        if (kern_mdb_touch(ws, addr, access))
            return;
        if (page_fault_ipc(self, addr, ip, sp, access)) {
            kern_iso_frame(uc);
            return;
        }
    }
    L4_Word_t err = (access & KERN_RIGHTS_W ? PF_ERR_WRITE : 0) | (access & KERN_RIGHTS_X ? PF_ERR_FETCH : 0);
    if (exception_ipc(self, uc, EXC_PAGEFAULT, err, addr, !ws || ws != self->space)) {
        kern_iso_frame(uc);
        return;
    }
    char why[160];
    const char *cause = !ws || ws != self->space ? "outside its window"
                        : kern_thread_pager(self) == KW_NILTHREAD ? "and it has no pager"
                        : "and its pager does not exist";
    snprintf(why, sizeof why, "unhandled %s page fault at %#lx (ip %#lx) %s", access_name(access), addr, ip,
             cause);
    kern_fault_halt(why, sp, kern_fault_guest_ip(uc));
    kern_iso_frame(uc);         /* resumed by ExchangeRegisters */
}

/* ---- a new thread's first push ----
 *
 * A thread's first instruction (entry.S, kern_guest_first_push) pushes its
 * return address at (sp & ~15) - 8.  Into a page of the own window that
 * push is the thread's own access (a page fault if its space does not hold
 * the page); anywhere else the hardware would let it through wherever the
 * host has writable memory (the simulator's heap, globals, stacks, the
 * boot information without protection keys).  So the kernel checks it
 * first, and a word outside the thread's address space is what a real
 * kernel gives for a push outside the space: the page-fault exception of
 * the first instruction, nothing written. */

/* The word the first push of a thread started at sp would write. */
static L4_Word_t first_push_slot(L4_Word_t sp)
{
    return (sp & ~(L4_Word_t)15) - 8;
}

/* May the first push of t at sp store its word: in t's own window, or in
 * the writable segments of t's program image (a program's static stacks,
 * its globals and heap)? */
static bool start_stack_ok(const kern_thread_t *t, L4_Word_t sp)
{
    const kern_space_t *s = t->space;
    L4_Word_t slot = first_push_slot(sp);
    if (!s || (sp & ~(L4_Word_t)15) < 8)
        return false;
    if (slot >= s->base && slot - s->base < s->size)
        return true;
    return kern_image_reach(s->image, slot, sizeof(L4_Word_t), true) == sizeof(L4_Word_t);
}

void kern_fault_start_stack(kern_thread_t *t)
{
    while (t->start_sp && !start_stack_ok(t, t->start_sp)) {
        L4_Word_t sp = t->start_sp & ~(L4_Word_t)15, ip = t->start_ip, slot = first_push_slot(t->start_sp);
        /* the frame of the push: RSP as it was, RIP the entry point */
        ucontext_t uc;
        memset(&uc, 0, sizeof uc);
        uc.uc_mcontext.gregs[REG_RIP] = (greg_t)ip;
        uc.uc_mcontext.gregs[REG_RSP] = (greg_t)sp;
        uc.uc_mcontext.gregs[REG_RSI] = (greg_t)ip;
        t->fault->pf_sp = sp;
        t->fault->pf_ip = ip;
        t->fault->at_start = true;
        bool resumed = exception_ipc(t, &uc, EXC_PAGEFAULT, PF_ERR_WRITE, slot, true);
        t->fault->at_start = false;
        if (resumed) {
            t->start_ip = (L4_Word_t)uc.uc_mcontext.gregs[REG_RIP];
            t->start_sp = (L4_Word_t)uc.uc_mcontext.gregs[REG_RSP];
            continue;
        }
        char why[160];
        snprintf(why, sizeof why, "unhandled write page fault at %#lx (ip %#lx) outside its window: its start stack",
                 slot, ip);
        kern_fault_halt(why, sp, ip);      /* ExchangeRegisters may give a new SP */
    }
}

/* Does sp lie on t's signal stack (kernel code of a fault or a
 * preemption)? */
bool kern_fault_on_altstack(const kern_thread_t *t, uintptr_t sp)
{
    uintptr_t alt = t->fault ? (uintptr_t)t->fault->altstack : 0;
    return alt && sp >= alt && sp < alt + ALTSTACK_SIZE;
}

/* An invalid opcode (SIGILL), an arithmetic exception (SIGFPE) or a stack
 * access at a non-canonical address (SIGBUS, x86 #SS) in guest code: the
 * exception IPC, or the thread is reported and halted.  In kernel code it
 * is a simulator bug: the default action takes over. */
static void on_trap(int sig, siginfo_t *si, void *ctx)
{
    kern_iso_kernel();
    ucontext_t *uc = ctx;
    kern_thread_t *self = kern_self;
    L4_Word_t ip = (L4_Word_t)uc->uc_mcontext.gregs[REG_RIP];
    L4_Word_t sp = (L4_Word_t)uc->uc_mcontext.gregs[REG_RSP];
    if (!self || !self->fault || !self->utcb ||
        (!first_push(ip) && (kern_fault_on_altstack(self, sp) || kern_thread_on_kstack(self, sp)))) {
        signal(sig, SIG_DFL);
        fflush(kern.out);
        fprintf(stderr, "chacmsim: %s at ip %#lx%s%s\n",
                sig == SIGILL ? "invalid opcode" : sig == SIGBUS ? "bus error" : "arithmetic exception",
                ip, self ? " in kernel code of thread " : " outside any L4 thread", self ? self->name : "");
        return;     /* re-executes the instruction, which now ends the process */
    }
    if (kern_stopping())
        kern_stop_here();
    ip = kern_fault_guest_ip(uc);
    bool divide = sig == SIGFPE && (si->si_code == FPE_INTDIV || si->si_code == FPE_INTOVF);
    L4_Word_t exc = sig == SIGILL ? EXC_INVALID_OP : sig == SIGBUS ? EXC_STACK : divide ? EXC_DIVIDE : EXC_SIMD;
    if (exception_ipc(self, uc, exc, 0, 0, false)) {
        kern_iso_frame(uc);
        return;
    }
    char why[120];
    if (sig == SIGBUS)
        snprintf(why, sizeof why, "unhandled stack fault: stack pointer %#lx is no address (ip %#lx)", sp, ip);
    else
        snprintf(why, sizeof why, "unhandled %s (exception %lu) at ip %#lx",
                 sig == SIGILL ? "invalid opcode" : divide ? "divide error" : "floating-point exception", exc, ip);
    kern_fault_halt(why, sp, ip);
    kern_iso_frame(uc);         /* resumed by ExchangeRegisters */
}

void kern_fault_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0)
        kern_panic("cannot install the page-fault handler");
    sa.sa_sigaction = on_trap;
    if (sigaction(SIGILL, &sa, NULL) != 0 || sigaction(SIGFPE, &sa, NULL) != 0 ||
        sigaction(SIGBUS, &sa, NULL) != 0)
        kern_panic("cannot install the exception handlers");
}

/* Gives the calling host thread (carrying t) its signal stack. */
void kern_fault_thread_init(kern_thread_t *t)
{
    if (!t->fault) {
        t->fault = calloc(1, sizeof *t->fault);
        void *st = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (!t->fault || st == MAP_FAILED)
            kern_panic("no memory for the signal stack of %s", t->name);
        t->fault->altstack = st;    /* Valgrind learns of it from sigaltstack */
    }
    stack_t ss = { .ss_sp = t->fault->altstack, .ss_size = ALTSTACK_SIZE, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
}

/* The host thread of t ends (it runs no longer on the signal stack). */
void kern_fault_thread_fini(kern_thread_t *t)
{
    if (!t->fault)
        return;
    stack_t ss = { .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    munmap(t->fault->altstack, ALTSTACK_SIZE);
    free(t->fault);
    t->fault = NULL;
}
