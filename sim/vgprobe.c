/* Under Valgrind, chacmsim needs --px-default=allregs-at-mem-access: the
 * kernel resolves page faults from the registers of the faulting access,
 * which Valgrind otherwise leaves stale.  This probe finds out which
 * setting is in force by faulting once on purpose with a fresh value in a
 * register and looking at what the signal context holds. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#include "vgprobe.h"

#define PROBE_MAGIC 0x5a5a5a5aUL

static volatile unsigned long probe_seen;
static sigjmp_buf probe_jmp;

static void probe_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    probe_seen = (unsigned long)((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RBX];
    siglongjmp(probe_jmp, 1);
}

/* Does a fault show every register as of the faulting access? */
static int precise_faults(void)
{
    void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return 1;
    VALGRIND_DISABLE_ADDR_ERROR_REPORTING_IN_RANGE(page, 4096);
    struct sigaction sa = { .sa_sigaction = probe_handler, .sa_flags = SA_SIGINFO }, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old);
    probe_seen = 0;
    if (!sigsetjmp(probe_jmp, 1))
        /* The second write to rbx makes the first one dead unless Valgrind
         * must keep every register exact at each memory access. */
        __asm__ volatile("movq %1, %%rbx\n\tmovq (%0), %%rax\n\tmovq $0, %%rbx"
                         : : "r"(page), "i"(PROBE_MAGIC) : "rbx", "rax", "memory");
    sigaction(SIGSEGV, &old, NULL);
    VALGRIND_ENABLE_ADDR_ERROR_REPORTING_IN_RANGE(page, 4096);
    munmap(page, 4096);
    return probe_seen == PROBE_MAGIC;
}

void sim_valgrind_hint(void)
{
    if (RUNNING_ON_VALGRIND && !precise_faults())
        fprintf(stderr, "chacmsim: running under Valgrind without --px-default=allregs-at-mem-access: page "
                        "faults will go wrong; run scripts/valgrind, which adds it\n");
}
