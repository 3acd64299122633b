/* In-simulator protocol tests: registration (DEFINE_TEST with an ID such as
 * IPC0001), checks, and helpers to start threads and tasks.  Each area is
 * one program module run as the root task; it prints one line per test and
 * a closing "N passed, M failed" line, and exits with the failure count. */
#ifndef CHACM_PTEST_H
#define CHACM_PTEST_H

#include <stdbool.h>
#include <l4/types.h>
#include <l4/ipc.h>
#include <l4/thread.h>
#include <chacm/l4util.h>

typedef struct {
    const char *id;
    const char *desc;
    void (*fn)(void);
} ptest_t;

#define DEFINE_TEST(ID, DESC)                                                                  \
    static void ID##_run(void);                                                               \
    static const ptest_t ID##_case __attribute__((used, section("ptests"), aligned(8))) = { \
        #ID, DESC, ID##_run };                                                                \
    static void ID##_run(void)

void pt_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool pt_failed(void);

/* Checks: on failure, record and leave the test function. */
#define PT_ASSERT(cond)                                                 \
    do {                                                                \
        if (!(cond)) {                                                  \
            pt_fail(__FILE__, __LINE__, "%s", #cond);                   \
            return;                                                     \
        }                                                               \
    } while (0)
#define PT_EQ(a, b)                                                                    \
    do {                                                                               \
        L4_Word_t _a = (L4_Word_t)(a), _b = (L4_Word_t)(b);                            \
        if (_a != _b) {                                                                \
            pt_fail(__FILE__, __LINE__, "%s == %s: 0x%lx != 0x%lx", #a, #b, _a, _b);   \
            return;                                                                    \
        }                                                                              \
    } while (0)
/* The IPC succeeded / failed with X.2 error code `code` in phase (0 send, 1 receive). */
#define PT_IPC_OK(tag) PT_ASSERT(!L4_IpcFailed(tag))
#define PT_IPC_ERR(tag, code, phase)                                       \
    do {                                                                   \
        PT_ASSERT(L4_IpcFailed(tag));                                      \
        PT_EQ(L4_ErrorCode() & 0xf, ((code) << 1) | (phase));              \
    } while (0)

/* Threads and tasks for a test; all are deleted when the test ends. */
typedef void (*pt_fn_t)(void);
L4_ThreadId_t pt_thread(pt_fn_t fn);             /* in this task, started */
L4_ThreadId_t pt_thread_prio(pt_fn_t fn, L4_Word_t prio);
L4_ThreadId_t pt_thread_inactive(void);          /* in this task, not started */
L4_ThreadId_t pt_task(pt_fn_t fn);               /* in a new task, started */
L4_ThreadId_t pt_new_id(void);                   /* an unused global id */
void *pt_utcb_slot(void);                        /* an unused UTCB location of this task */
void *pt_stack_top(void);                        /* a fresh stack for a thread */
void pt_kill(L4_ThreadId_t t);
void pt_track(L4_ThreadId_t t);                /* delete t when the test ends */
void pt_sleep_us(L4_Word_t us);
void pt_park(void) __attribute__((noreturn));    /* sleeps for good; also a thread function */
L4_Word_t pt_sched_state(L4_ThreadId_t t);       /* Schedule's result, changing nothing */
/* The exception message (label -5<<4, 21 words: Pistachio's x86-64
 * frame and the address) of t, within timeout_us: w[0] IP (MR1), w[1] SP
 * (MR17), w[2] exception number (MR19), w[3] error code (MR20), w[4] the
 * address of a page fault outside the window (MR21, else 0).  False if
 * none came. */
bool pt_receive_exception(L4_ThreadId_t t, L4_Word_t timeout_us, L4_Word_t w[5]);
/* Replies to the exception last received: t resumes at ip with stack sp,
 * its other registers as they were. */
void pt_resume_exception(L4_ThreadId_t t, L4_Word_t ip, L4_Word_t sp);
L4_Fpage_t pt_kip_area(void);
L4_Fpage_t pt_utcb_area(void);
L4_Word_t pt_utcb_area_base(void);

/* The usable address range and kernel protocol labels: lib_usable_base,
 * lib_usable_end, lib_proto_label from <chacm/l4util.h>. */

/* Words a test and its helper threads share. */
extern volatile L4_Word_t pt_shared[16];
extern volatile L4_ThreadId_t pt_main_id;

#endif /* CHACM_PTEST_H */
