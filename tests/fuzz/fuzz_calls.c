/* The fuzzer's calls: each makes one random or boundary system call and
 * checks that the kernel answered with an X.2 result (an error code the
 * reference defines, a state Schedule can report, an fpage back from
 * Unmap, a clock that does not run backwards). */
#include <stdio.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/misc.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <chacm/l4util.h>

#include "fuzz.h"

static char sbuf[2][8192];


/* A string item's address and length: mostly in our buffers (never past
 * their end: the kernel may write there, and what follows is the
 * fuzzer's own state), sometimes anywhere with any length. */
static L4_Word_t string_address(L4_Word_t *len)
{
    if (fz_below(3)) {
        *len = fz_below(4096);
        return (L4_Word_t)sbuf[fz_below(2)] + fz_below(4096);
    }
    *len = fz_below(4) ? fz_below(8192) : fz_below(1UL << 22);
    return fz_any_address();
}

/* Loads a random message: a tag with random counts, label and flags,
 * random words, and typed items (map, grant, string) in their places. */
static void load_message(void)
{
    L4_Word_t u = fz_below(4) ? fz_below(8) : fz_below(64), t = fz_below(3) ? 0 : fz_below(12);
    if (u + t > 63)
        t = 63 - u;
    L4_Word_t tag = fz_below(8) ? (fz_rand() & ~0xffffUL & ((1UL << 48) - 1)) : fz_rand();
    tag = (tag & ~0xfffUL) | (fz_below(16) << 12 & 0x3000) | t << 6 | u;
    if (fz_below(8) == 0)
        tag = fz_rand();
    /* never the error flag: a send-only IPC returns the tag as sent (as
     * Pistachio does), so an error flag there would not be the kernel's */
    L4_LoadMR(0, tag & ~0x8000UL);
    for (L4_Word_t i = 1; i <= u; i++)
        L4_LoadMR((int)i, fz_below(4) ? fz_below(1000) : fz_rand());
    for (L4_Word_t i = u + 1; i + 1 <= u + t; i += 2) {
        L4_Word_t w0, w1;
        switch (fz_below(4)) {
        case 0: w0 = L4_MapItem((L4_Fpage_t){ .raw = fz_any_fpage() }, fz_any_address()).raw[0];
                w1 = fz_any_fpage(); w0 = (w0 & ~0xfUL) | 8; break;
        case 1: w0 = (fz_any_address() & ~0x3ffUL) | 0xa; w1 = fz_any_fpage(); break;    /* grant */
        case 2: w1 = string_address(&w0);                                                /* string */
                w0 = (w0 << 10) | (fz_below(2) << 4) | (fz_below(4) << 1); break;
        default: w0 = fz_rand(); w1 = fz_rand(); break;
        }
        L4_LoadMR((int)i, w0);
        L4_LoadMR((int)i + 1, w1);
    }
}

/* Buffer registers: an acceptor (strings, a receive window) and string
 * buffers, some of them aimed outside the window or at nothing. */
static void load_buffers(void)
{
    L4_Word_t acc = fz_below(2) | (fz_below(3) ? fz_any_fpage() & ~0xfUL : 0);
    L4_LoadBR(0, fz_below(10) ? acc : fz_rand());
    L4_Word_t n = 1 + fz_below(6);
    for (L4_Word_t i = 1; i < n && i < 32; i += 2) {
        L4_Word_t len, at = string_address(&len);
        L4_LoadBR((int)i, (len << 10) | (i + 2 < n ? 1 << 4 : 0) | (fz_below(4) == 0 ? 1 << 1 : 0));
        L4_LoadBR((int)i + 1, at);
    }
}

static bool check_ipc(L4_MsgTag_t tag, bool had_send, bool had_receive)
{
    if (!had_send && !had_receive)
        return true;                    /* nothing happens; MR0 stays as loaded */
    if (L4_IpcFailed(tag)) {
        L4_Word_t ec = L4_ErrorCode(), code = (ec >> 1) & 7;
        if (code == 0)
            return fz_bad("ipc error code", ec, tag.raw);
        if ((ec & 1) ? !had_receive : !had_send)
            return fz_bad(had_send ? "ipc error phase (send)" : "ipc error phase (no send)", ec, tag.raw);
        return true;
    }
    if (had_receive && L4_UntypedWords(tag) + L4_TypedWords(tag) > 63)
        return fz_bad("ipc received tag", tag.raw, 0);
    return true;
}

static bool do_ipc(void)
{
    L4_ThreadId_t to = fz_below(4) ? fz_any_thread() : L4_nilthread;
    L4_ThreadId_t from = fz_below(3) ? fz_any_thread() : L4_nilthread;
    if (from.raw == L4_nilthread.raw && to.raw == L4_nilthread.raw && fz_below(2))
        from = L4_anythread;
    load_message();
    load_buffers();
    L4_Set_XferTimeouts(fz_timeout() << 16 | fz_timeout());
    L4_Word_t timeouts = fz_timeout() << 16 | fz_timeout();
    L4_ThreadId_t got;
    bool lipc = fz_below(8) == 0;
    L4_MsgTag_t tag = lipc ? L4_Lipc(to, from, timeouts, &got) : L4_Ipc(to, from, timeouts, &got);
    if (!check_ipc(tag, to.raw != 0, from.raw != 0)) {
        printf("fuzz: the call: %s to 0x%lx from 0x%lx timeouts 0x%lx\n", lipc ? "Lipc" : "Ipc", to.raw, from.raw,
               timeouts);
        return false;
    }
    return true;
}

static bool do_thread_control(void)
{
    unsigned k = (unsigned)fz_below(FZ_POOL);
    L4_ThreadId_t dest = fz_below(4) ? fz_pool_id(k) : fz_any_thread();
    if (fz_protected(dest))
        return true;
    L4_ThreadId_t space = L4_nilthread, sched = fz.me, pager = fz.me;
    void *utcb = (void *)-1;
    switch (fz_below(5)) {
    case 0: space = L4_nilthread; break;                          /* delete */
    case 1: space = fz.me; utcb = fz_pool_utcb(k); break;          /* in our task */
    case 2: space = dest; utcb = (void *)(lib_usable_base() + (1UL << 20) + (fz_below(8) << 10)); break;
    case 3: space = fz.partner[fz_below(FZ_PARTNERS)]; utcb = (void *)fz_any_address(); break;
    default: space = fz_any_thread(); utcb = (void *)fz_any_address(); pager = fz_any_thread();
             sched = fz_any_thread(); break;
    }
    if (fz_below(6) == 0)
        utcb = (void *)fz_any_address();
    L4_Word_t r = L4_ThreadControl(dest, space, sched, pager, utcb);
    if (r > 1)
        return fz_bad("ThreadControl result", r, 0);
    return r ? true : fz_check_error("ThreadControl error");
}

static bool do_space_control(void)
{
    L4_ThreadId_t dest = fz_below(2) ? fz_pool_id((unsigned)fz_below(FZ_POOL)) : fz_any_thread();
    if (fz_protected(dest))
        return true;
    L4_Fpage_t kip = { .raw = fz_below(3) ? L4_FpageLog2(lib_usable_base() - 0x1ff000 + (fz_below(4) << 12), 12).raw
                                          : fz_any_fpage() };
    L4_Fpage_t utcb = { .raw = fz_below(3) ? L4_FpageLog2(lib_usable_base() - (1UL << 20), 20).raw
                                           : fz_any_fpage() };
    L4_Word_t old;
    L4_Word_t r = L4_SpaceControl(dest, fz_below(4) ? 0 : fz_rand(), kip, utcb, fz_any_thread(), &old);
    return (r & 1) ? true : fz_check_error("SpaceControl error");
}

/* ExchangeRegisters, mostly to start or restart a pool thread, with a
 * good stack or a bad one (all ones, unmapped, outside the window). */
static bool do_exchange_registers(void)
{
    unsigned k = (unsigned)fz_below(FZ_POOL);
    L4_ThreadId_t dest = fz_below(5) ? fz_pool_id(k) : fz_any_thread();
    if (fz_protected(dest))
        return true;
    /* mostly: set SP and IP and resume (or halt); else any control bits */
    L4_Word_t control = fz_below(3) ? (L4_ExReg_sp_ip | L4_ExRegCtrl_h | (fz_below(4) ? 0 : L4_ExRegCtrl_H))
                                    : fz_below(0x400);
    L4_Word_t sp = fz_below(2) ? fz_pool_stack(k) : fz_start_address(false);
    L4_Word_t ip = fz_below(5) ? (L4_Word_t)fz_pool_worker : fz_start_address(true);
    L4_Word_t oc, osp, oip, of, oh;
    L4_ThreadId_t op;
    L4_ThreadId_t r = L4_ExchangeRegisters(dest, control, sp, ip, fz_rand(), fz_rand(),
                                           fz_below(2) ? fz.me : fz_any_thread(), &oc, &osp, &oip, &of, &oh, &op);
    return r.raw ? true : fz_check_error("ExchangeRegisters error");
}

/* The start message (MR1 IP, MR2 SP) to a pool thread, which waits for
 * it if it was made in a task of its own with us as its pager: a good
 * stack or a bad one. */
static bool do_start(void)
{
    unsigned k = (unsigned)fz_below(FZ_POOL);
    L4_LoadMR(0, 2);
    L4_LoadMR(1, fz_below(5) ? (L4_Word_t)fz_pool_worker : fz_start_address(true));
    L4_LoadMR(2, fz_below(2) ? fz_pool_stack(k) : fz_start_address(false));
    L4_MsgTag_t tag = L4_Send_Timeout(fz_pool_id(k), (L4_Time_t){ .raw = (L4_Word16_t)fz_timeout() });
    return check_ipc(tag, true, false);
}

static bool do_schedule(void)
{
    L4_ThreadId_t dest = fz_below(6) ? fz_any_thread() : fz.me;
    L4_Word_t prio = fz_below(3) ? ~0UL : fz_below(2) ? 50 + fz_below(100) : fz_rand();
    if (dest.raw == fz.me.raw || dest.raw == fz.sigma0.raw)
        prio = ~0UL;                    /* no self-harm: the oracle needs these two */
    L4_Word_t old;
    L4_Word_t r = L4_Schedule(dest, fz_below(2) ? ~0UL : fz_rand(), fz_below(2) ? ~0UL : fz_rand(), prio,
                              fz_below(2) ? ~0UL : fz_rand(), &old);
    if ((r & 0xff) > 7)
        return fz_bad("Schedule state", r, 0);
    return (r & 0xff) ? true : fz_check_error("Schedule error");
}

static bool do_unmap(void)
{
    L4_Word_t n = fz_below(4) ? fz_below(4) : fz_below(64), in[64];
    for (L4_Word_t i = 0; i <= n; i++) {
        in[i] = fz_any_fpage();
        L4_LoadMR((int)i, in[i]);
    }
    L4_Unmap(n | (fz_below(4) == 0 ? 0x40 : 0));
    for (L4_Word_t i = 0; i <= n; i++) {
        L4_Word_t out;
        L4_StoreMR((int)i, &out);
        if ((out & ~7UL) != (in[i] & ~7UL))
            return fz_bad("Unmap fpage", in[i], out);
    }
    return true;
}

/* A sigma0 request with finite timeouts (and random fpages, attributes
 * and receive windows). */
static bool do_sigma0(void)
{
    L4_LoadMR(0, (lib_proto_label(-6) << 16) | 2);
    L4_LoadMR(1, fz_below(2) ? L4_FpageLog2(~0UL, 12 + (int)fz_below(4)).raw : fz_any_fpage());
    L4_LoadMR(2, fz_below(4) ? 0 : fz_rand());
    L4_Accept(L4_MapGrantItems((L4_Fpage_t){ .raw = fz_below(4) ? L4_CompleteAddressSpace.raw : fz_any_fpage() }));
    L4_ThreadId_t got;
    L4_MsgTag_t tag = L4_Ipc(fz.sigma0, fz.sigma0, L4_Timeouts(L4_TimePeriod(100000), L4_TimePeriod(100000)), &got);
    return check_ipc(tag, true, true);
}

static bool do_misc(void)
{
    switch (fz_below(5)) {
    case 0: {
        L4_Word_t c = L4_SystemClock().raw;
        if (c < fz.last_clock)
            return fz_bad("SystemClock ran backwards", fz.last_clock, c);
        fz.last_clock = c;
        return true;
    }
    case 1:
        L4_ThreadSwitch(fz_any_thread());
        return true;
    case 2: {
        L4_Word_t *kip = (L4_Word_t *)L4_GetKernelInterface();
        return (kip[0] & 0xffffffffUL) == 0x4be6344cUL ? true : fz_bad("KernelInterface magic", kip[0], 0);
    }
    case 3: {
        L4_Word_t attr[4] = { fz_rand(), fz_rand(), fz_rand(), fz_rand() };
        L4_MemoryControl(fz_below(2) ? fz_below(64) : fz_rand(), attr);
        return true;
    }
    default:
        L4_ProcessorControl(fz_below(3), fz_rand(), fz_rand(), fz_rand());
        return true;
    }
}

void fz_one_call(void)
{
    static const struct {
        bool (*fn)(void);
        const char *name;
    } ops[] = {
        { do_ipc, "ipc" }, { do_ipc, "ipc" }, { do_ipc, "ipc" }, { do_ipc, "ipc" },
        { do_thread_control, "ThreadControl" }, { do_thread_control, "ThreadControl" },
        { do_space_control, "SpaceControl" }, { do_exchange_registers, "ExchangeRegisters" },
        { do_exchange_registers, "ExchangeRegisters" }, { do_schedule, "Schedule" }, { do_unmap, "Unmap" },
        { do_unmap, "Unmap" }, { do_sigma0, "sigma0" }, { do_misc, "misc" }, { do_start, "start message" },
    };
    unsigned op = (unsigned)fz_below(sizeof ops / sizeof ops[0]);
    if (fz.call >= fz.trace_from)
        printf("fuzz: call %lu: %s\n", fz.call, ops[op].name);
    ops[op].fn();
}
