/* Memory helpers for protocol tests: sigma0 pages and agent tasks. */
#include <string.h>
#include <l4/ipc.h>
#include <l4/sigma0.h>
#include <l4/space.h>

#include "ptest.h"
#include "pt_mem.h"

enum { CMD_BASE = 1, CMD_READ, CMD_WRITE, CMD_EXEC, CMD_TAKE, CMD_PASS, CMD_UNMAP, CMD_SIGMA0, CMD_UNMAP_N };

L4_Word_t pm_fault_label, pm_fault_addr, pm_fault_ip;
unsigned pm_faults;
static L4_Word_t next_free, scratch;
#define SCRATCH_CODE 0x9090c30000002ab8UL

L4_Word_t pm_page_rights(int log2, L4_Word_t rights)
{
    L4_Word_t size = 1UL << log2;
    L4_Word_t lo = lib_usable_base() + (2UL << 20), hi = lib_usable_end() - (4UL << 20);
    if (next_free < lo || next_free + size > hi)
        next_free = lo;
    L4_Word_t at = (next_free + size - 1) & ~(size - 1);
    if (at + size > hi)
        at = (lo + size - 1) & ~(size - 1);
    next_free = at + size;
    L4_Fpage_t want = L4_FpageLog2(~(L4_Word_t)0, log2);
    L4_Set_Rights(&want, rights);
    L4_Fpage_t got = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, want, L4_FpageLog2(at, log2));
    return L4_IsNilFpage(got) ? 0 : at;
}

L4_Word_t pm_page(int log2)
{
    return pm_page_rights(log2, L4_FullyAccessible);
}

/* ---- the agent ---- */

static void agent(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Word_t w[8];
        L4_StoreMRs(1, 7, w);
        L4_Word_t out[3] = { 0, 0, 0 };
        unsigned nout = 1;
        L4_Word_t window = 0;
        switch (L4_Label(tag)) {
        case CMD_BASE:
            out[0] = lib_usable_base();
            break;
        case CMD_READ:
            out[0] = *(volatile L4_Word_t *)w[0];
            break;
        case CMD_WRITE:
            *(volatile L4_Word_t *)w[0] = w[1];
            break;
        case CMD_EXEC:
            out[0] = ((L4_Word_t (*)(void))w[0])();
            break;
        case CMD_TAKE:                  /* the item arrived in MR1..2; w[0] = next window */
            out[0] = w[0];
            out[1] = w[1];
            nout = 2;
            break;
        case CMD_PASS: {                /* w: target, item0, item1, window for the target */
            L4_LoadMR(1, w[3]);
            L4_LoadMR(2, w[1]);
            L4_LoadMR(3, w[2]);
            L4_LoadMR(0, L4_MsgTagAddLabel(L4_Niltag, CMD_TAKE).raw | 1 | (2 << 6));
            L4_ThreadId_t to = { .raw = w[0] };
            L4_Call(to);
            break;
        }
        case CMD_UNMAP: {
            L4_Fpage_t f = { .raw = w[0] };
            out[0] = (w[1] ? L4_Flush(f) : L4_UnmapFpage(f)).raw;
            break;
        }
        case CMD_UNMAP_N: {             /* w: fpage, flush, how many copies in one Unmap */
            L4_Word_t n = w[2] < 1 ? 1 : w[2] > 64 ? 64 : w[2];
            for (L4_Word_t i = 0; i < n; i++)
                L4_LoadMR((int)i, w[0]);
            L4_Unmap((n - 1) | (w[1] ? 0x40 : 0));
            L4_StoreMR(0, &out[0]);
            break;
        }
        case CMD_SIGMA0: {
            L4_Fpage_t f = { .raw = w[0] }, win = { .raw = w[1] };
            out[0] = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, f, win).raw;
            break;
        }
        default:
            break;
        }
        /* a window for the next message, if a BASE request named one (MR3) */
        if (L4_Label(tag) == CMD_BASE && L4_UntypedWords(tag) >= 3)
            window = w[2];
        L4_LoadMRs(1, (int)nout, out);
        L4_LoadMR(0, nout);
        L4_Accept(window ? L4_MapGrantItems((L4_Fpage_t){ .raw = window }) : L4_UntypedWordsAcceptor);
        tag = L4_ReplyWait(from, &from);
    }
}

L4_ThreadId_t pm_agent(void)
{
    if (!scratch) {
        scratch = pm_page(12);
        for (L4_Word_t i = 0; i < 512; i++)
            ((L4_Word_t *)scratch)[i] = PM_SCRATCH;
        /* word 0 is code, so that an execute fault served with it returns:
         * mov $42, %eax; ret; nop; nop */
        ((L4_Word_t *)scratch)[0] = SCRATCH_CODE;
    }
    return pt_task(agent);
}

/* Calls agent a; serves its page faults with the scratch page. */
static L4_MsgTag_t call(L4_ThreadId_t a, L4_Word_t label, unsigned u, const L4_Word_t *w, unsigned t,
                        bool *faulted)
{
    L4_LoadMRs(1, (int)(u + t), w);
    L4_LoadMR(0, (label << 16) | (t << 6) | u);
    L4_MsgTag_t tag = L4_Call(a);
    *faulted = false;
    while (!L4_IpcFailed(tag) && (L4_Label(tag) & ~0xfUL) == lib_proto_label(-2)) {
        *faulted = true;
        pm_faults++;
        pm_fault_label = L4_Label(tag);
        L4_StoreMR(1, &pm_fault_addr);
        L4_StoreMR(2, &pm_fault_ip);
        if (pm_fault_label & L4_eXecutable)
            ((L4_Word_t *)scratch)[0] = SCRATCH_CODE;
        L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(scratch, 12), L4_FullyAccessible),
                                    pm_fault_addr);
        L4_LoadMRs(1, 2, m.raw);
        L4_LoadMR(0, 2 << 6);
        tag = L4_Call(a);
    }
    return tag;
}

L4_Word_t pm_base(L4_ThreadId_t a)
{
    bool f;
    call(a, CMD_BASE, 0, NULL, 0, &f);
    L4_Word_t v;
    L4_StoreMR(1, &v);
    return v;
}

static void set_window(L4_ThreadId_t a, L4_Fpage_t window)
{
    bool f;
    L4_Word_t w[3] = { 0, 0, window.raw };
    call(a, CMD_BASE, 3, w, 0, &f);
}

bool pm_read(L4_ThreadId_t a, L4_Word_t addr, L4_Word_t *val)
{
    bool f;
    call(a, CMD_READ, 1, &addr, 0, &f);
    L4_StoreMR(1, val);
    return !f;
}

bool pm_write(L4_ThreadId_t a, L4_Word_t addr, L4_Word_t val)
{
    bool f;
    L4_Word_t w[2] = { addr, val };
    call(a, CMD_WRITE, 2, w, 0, &f);
    return !f;
}

bool pm_exec(L4_ThreadId_t a, L4_Word_t addr, L4_Word_t *result)
{
    bool f;
    call(a, CMD_EXEC, 1, &addr, 0, &f);
    L4_StoreMR(1, result);
    return !f;
}

L4_MapItem_t pm_give(L4_ThreadId_t a, L4_Word_t item0, L4_Word_t item1, L4_Fpage_t window)
{
    bool f;
    set_window(a, window);
    L4_Word_t w[2] = { item0, item1 };
    call(a, CMD_TAKE, 0, w, 2, &f);
    L4_MapItem_t m;
    L4_StoreMRs(1, 2, m.raw);
    return m;
}

L4_MapItem_t pm_map(L4_ThreadId_t a, L4_Fpage_t f, L4_Word_t snd_base, L4_Fpage_t window)
{
    L4_MapItem_t m = L4_MapItem(f, snd_base);
    return pm_give(a, m.raw[0], m.raw[1], window);
}

L4_MapItem_t pm_grant(L4_ThreadId_t a, L4_Fpage_t f, L4_Word_t snd_base, L4_Fpage_t window)
{
    L4_GrantItem_t g = L4_GrantItem(f, snd_base);
    return pm_give(a, g.raw[0], g.raw[1], window);
}

void pm_pass(L4_ThreadId_t a, L4_ThreadId_t b, L4_Fpage_t f, L4_Word_t snd_base, L4_Fpage_t window, bool grant)
{
    bool flt;
    set_window(b, window);
    L4_Word_t i0 = grant ? L4_GrantItem(f, snd_base).raw[0] : L4_MapItem(f, snd_base).raw[0];
    L4_Word_t w[4] = { b.raw, i0, f.raw, 0 };
    call(a, CMD_PASS, 4, w, 0, &flt);
}

L4_Fpage_t pm_unmap(L4_ThreadId_t a, L4_Fpage_t f, bool flush)
{
    bool flt;
    L4_Word_t w[2] = { f.raw, flush };
    call(a, CMD_UNMAP, 2, w, 0, &flt);
    L4_Fpage_t r;
    L4_StoreMR(1, &r.raw);
    return r;
}

L4_Fpage_t pm_unmap_n(L4_ThreadId_t a, L4_Fpage_t f, unsigned n, bool flush)
{
    bool flt;
    L4_Word_t w[3] = { f.raw, flush, n };
    call(a, CMD_UNMAP_N, 3, w, 0, &flt);
    L4_Fpage_t r;
    L4_StoreMR(1, &r.raw);
    return r;
}

L4_Fpage_t pm_sigma0(L4_ThreadId_t a, L4_Fpage_t f, L4_Fpage_t window)
{
    bool flt;
    L4_Word_t w[2] = { f.raw, window.raw };
    call(a, CMD_SIGMA0, 2, w, 0, &flt);
    L4_Fpage_t r;
    L4_StoreMR(1, &r.raw);
    return r;
}
