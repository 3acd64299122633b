/* The system-call fuzzer's shared state and its parts: the call
 * generators (fuzz_calls.c) and the pool of threads it creates, starts and
 * deletes (fuzz_pool.c). */
#ifndef CHACM_FUZZ_H
#define CHACM_FUZZ_H

#include <stdbool.h>
#include <l4/types.h>

#define FZ_PARTNERS     3               /* partner tasks */
#define FZ_PARTNER_BASE 0x3000          /* their thread numbers */
#define FZ_POOL         12              /* threads the fuzzer creates */
#define FZ_POOL_BASE    0x3100          /* their thread numbers */
/* The label of the answers partners and pool threads send.  They never
 * answer an answer, nor a kernel protocol message (fz_answers): two of
 * them that each took the other's answer for a request would trade
 * messages for ever, and a thread whose pager answers its page faults
 * without a mapping faults for ever, each at IPC speed (as X.2 says). */
#define FZ_ANSWER       0xa45


typedef struct {
    L4_Word_t seed, rng, call;
    bool failed;
    L4_ThreadId_t me, sigma0, partner[FZ_PARTNERS];
    L4_ThreadId_t pool[FZ_POOL];        /* nil: not created */
    L4_Word_t last_clock;
    L4_Word_t trace_from;               /* calls from this one on are printed */
} fz_state_t;

extern fz_state_t fz;

L4_Word_t fz_rand(void);
L4_Word_t fz_below(L4_Word_t n);
bool fz_bad(const char *what, L4_Word_t a, L4_Word_t b);
bool fz_check_error(const char *what);

void fz_pool_init(void);
L4_ThreadId_t fz_pool_id(unsigned k);           /* the id pool slot k uses */
void *fz_pool_utcb(unsigned k);
L4_Word_t fz_pool_stack(unsigned k);            /* a good stack top for slot k */
void fz_pool_worker(void);                      /* what pool threads run */
bool fz_protected(L4_ThreadId_t t);             /* main, sigma0, partners */
bool fz_answers(L4_MsgTag_t tag);               /* do partners and pool threads answer it */

L4_ThreadId_t fz_any_thread(void);              /* a target for calls */
L4_Word_t fz_any_address(void);                 /* boundary and hostile addresses */
L4_Word_t fz_start_address(bool ip);                 /* SP/IP that must fault */
L4_Word_t fz_any_fpage(void);
L4_Word_t fz_timeout(void);                     /* a finite 16-bit timeout */

void fz_one_call(void);

#endif /* CHACM_FUZZ_H */
