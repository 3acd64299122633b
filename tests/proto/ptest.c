/* The protocol test runner and its thread helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/kip.h>
#include <l4/bootinfo.h>
#include <l4/schedule.h>

#include <chacm/lib.h>
#include <chacm/thread.h>

#include "ptest.h"

#define PT_STACK_SIZE   (16 * 1024)
#define PT_MAX_THREADS  64

extern const ptest_t __start_ptests[] __attribute__((visibility("hidden")));
extern const ptest_t __stop_ptests[] __attribute__((visibility("hidden")));
extern void _start(void);
int main(void);

volatile L4_Word_t pt_shared[16];
volatile L4_ThreadId_t pt_main_id;

static char stacks[PT_MAX_THREADS][PT_STACK_SIZE] __attribute__((aligned(16)));
static unsigned next_stack;
static L4_ThreadId_t made[PT_MAX_THREADS];
static unsigned nmade;
static unsigned next_no;
static unsigned next_utcb;
static pt_fn_t entry_fn[1 << 12];
static bool failed_now;
static char fail_msg[256];

/* The first failure of a case is the one reported (a task's check that
 * failed comes before the main thread's that notices it). */
void pt_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (failed_now)
        return;
    int n = snprintf(fail_msg, sizeof fail_msg, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vsnprintf(fail_msg + n, sizeof fail_msg - n, fmt, ap);
    va_end(ap);
    failed_now = true;
}

bool pt_failed(void)
{
    return failed_now;
}

static void *kip(void)
{
    return L4_GetKernelInterface();
}

L4_ThreadId_t pt_new_id(void)
{
    return L4_GlobalId(L4_ThreadNo(L4_MyGlobalId()) + 100 + next_no++, 1);
}

L4_Word_t pt_utcb_area_base(void)
{
    return (L4_Word_t)lib_utcb_slot(0);
}

void *pt_utcb_slot(void)
{
    /* slot 0 is the main thread's; the slots of deleted threads are reused */
    return lib_utcb_slot(1 + (next_utcb++ % 1000));
}

void *pt_stack_top(void)
{
    char *s = stacks[next_stack++ % PT_MAX_THREADS];
    return s + PT_STACK_SIZE;
}

L4_Fpage_t pt_kip_area(void)
{
    return L4_FpageLog2((L4_Word_t)kip(), L4_KipAreaSizeLog2(kip()));
}

L4_Fpage_t pt_utcb_area(void)
{
    return L4_FpageLog2(pt_utcb_area_base(), LIB_UTCB_AREA_LOG2);
}

static void remember(L4_ThreadId_t t)
{
    if (nmade < PT_MAX_THREADS)
        made[nmade++] = t;
}

L4_ThreadId_t pt_thread_inactive(void)
{
    L4_ThreadId_t t = pt_new_id();
    if (!L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), pt_utcb_slot())) {
        printf("ptest: cannot create a thread: error %lu\n", L4_ErrorCode());
        return L4_nilthread;
    }
    remember(t);
    return t;
}

/* Every helper thread starts here, runs its function and then waits
 * forever, so that finishing is not an error. */
static void entry(void)
{
    entry_fn[L4_ThreadNo(L4_MyGlobalId()) % (1 << 12)]();
    for (;;)
        L4_Sleep(L4_Never);
}

static L4_Word_t entry_for(L4_ThreadId_t t, pt_fn_t fn)
{
    entry_fn[L4_ThreadNo(t) % (1 << 12)] = fn;
    return (L4_Word_t)entry;
}

L4_ThreadId_t pt_thread(pt_fn_t fn)
{
    L4_ThreadId_t t = pt_thread_inactive();
    if (!L4_IsNilThread(t))
        L4_Start_SpIp(t, (L4_Word_t)pt_stack_top(), entry_for(t, fn));
    return t;
}

L4_ThreadId_t pt_thread_prio(pt_fn_t fn, L4_Word_t prio)
{
    L4_ThreadId_t t = pt_thread_inactive();
    if (L4_IsNilThread(t))
        return t;
    L4_Set_Priority(t, prio);
    L4_Start_SpIp(t, (L4_Word_t)pt_stack_top(), entry_for(t, fn));
    return t;
}

L4_ThreadId_t pt_task(pt_fn_t fn)
{
    L4_ThreadId_t t = pt_new_id();
    L4_Word_t err = lib_task_create(t, L4_Myself());
    if (!err)
        err = lib_task_start(t, entry_for(t, fn), (L4_Word_t)pt_stack_top());
    if (err) {
        printf("ptest: cannot create a task: error %lu\n", err);
        pt_kill(t);
        return L4_nilthread;
    }
    remember(t);
    return t;
}

/* A thread the test made itself (with ThreadControl) is deleted with the
 * helpers when the test ends; deleting one that is already gone is harmless. */
void pt_track(L4_ThreadId_t t)
{
    remember(t);
}

void pt_kill(L4_ThreadId_t t)
{
    L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1UL);
}

void pt_sleep_us(L4_Word_t us)
{
    L4_Sleep(L4_TimePeriod(us));
}

void pt_park(void)
{
    for (;;)
        L4_Sleep(L4_Never);
}

L4_Word_t pt_sched_state(L4_ThreadId_t t)
{
    L4_Word_t old;
    return L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old);
}

/* The frame of the exception pt_receive_exception took last. */
static L4_Word_t exc_frame[22];

bool pt_receive_exception(L4_ThreadId_t t, L4_Word_t timeout_us, L4_Word_t w[5])
{
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(timeout_us));
    L4_Word_t u = L4_UntypedWords(tag);
    if (L4_IpcFailed(tag) || L4_Label(tag) != lib_proto_label(-5) || u != 21 || L4_TypedWords(tag))
        return false;
    L4_StoreMRs(1, 21, &exc_frame[1]);
    w[0] = exc_frame[1];
    w[1] = exc_frame[17];
    w[2] = exc_frame[19];
    w[3] = exc_frame[20];
    w[4] = exc_frame[21];
    return true;
}

void pt_resume_exception(L4_ThreadId_t t, L4_Word_t ip, L4_Word_t sp)
{
    exc_frame[1] = ip;
    exc_frame[17] = sp;
    L4_LoadMRs(1, 17, &exc_frame[1]);
    L4_LoadMR(0, 17);
    L4_Send(t);
}

static void cleanup(void)
{
    while (nmade > 0)
        pt_kill(made[--nmade]);
    L4_Set_Priority(L4_Myself(), 100);
}

/* Is id named on the command line (or is the command line without ids)? */
static bool selected(const char *cmdline, const char *id)
{
    const char *args = strchr(cmdline, ' ');
    if (!args)
        return true;
    size_t n = strlen(id);
    for (const char *p = args; (p = strstr(p, id)); p += n)
        if ((p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return true;
    while (*args == ' ')
        args++;
    return *args == 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(const ptest_t *const *)a)->id, (*(const ptest_t *const *)b)->id);
}

/* Is every ID named on the command line one of the n tests?  Prints
 * those that are not. */
static bool known_ids(const char *cmdline, const ptest_t *const *tests, unsigned n)
{
    bool ok = true;
    const char *p = strchr(cmdline, ' ');
    while (p && *p) {
        while (*p == ' ')
            p++;
        size_t len = 0;
        while (p[len] && p[len] != ' ')
            len++;
        bool found = false;
        for (unsigned i = 0; i < n && !found && len; i++)
            found = strlen(tests[i]->id) == len && !strncmp(tests[i]->id, p, len);
        if (len && !found) {
            printf("%.*s: no test %.*s here (the IDs are listed by running it without arguments)\n",
                   (int)(strchr(cmdline, ' ') - cmdline), cmdline, (int)len, p);
            ok = false;
        }
        p += len;
    }
    return ok;
}

int main(void)
{
    const char *cmdline = lib_cmdline();
    unsigned passed = 0, failed = 0;
    static const ptest_t *order[1024];
    unsigned n = 0;
    for (const ptest_t *t = __start_ptests; t < __stop_ptests && n < 1024; t++)
        order[n++] = t;
    qsort(order, n, sizeof order[0], by_id);
    if (!known_ids(cmdline, order, n))
        return 64;
    pt_main_id = L4_Myself();
    for (unsigned i = 0; i < n; i++) {
        const ptest_t *t = order[i];
        if (!selected(cmdline, t->id))
            continue;
        failed_now = false;
        memset((void *)pt_shared, 0, sizeof pt_shared);
        t->fn();
        cleanup();
        if (failed_now) {
            printf("not ok %s - %s: %s\n", t->id, t->desc, fail_msg);
            failed++;
        } else {
            printf("ok %s - %s\n", t->id, t->desc);
            passed++;
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    return (int)failed;
}
