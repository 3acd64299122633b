/* Fault injection: the kernel's side of a fault plan (kern_inject.h,
 * docs/debugging.md "Fault plans").
 *
 * While a plan is loaded, the bit of KT_INJECT in the trace mask is set,
 * so the IPC system call's one test of that mask sends every IPC here
 * instead of the fast path.  Here the IPC's send phase is matched against
 * the rules (sender, receiver, label, block range) and may be lost,
 * delayed, sent twice, answered for the server, or marked so that its
 * transfer (kern_inject_delivered) or its reply's transfer is corrupted.
 * Kill rules are checked at the same kernel entries.
 *
 * Invariants:
 *  1. At most one rule acts on one IPC (the first that fires, in plan order).
 *  2. A rule's generator advances once per event the rule matches, and
 *     only the holder of the CPU evaluates rules, in the kernel's
 *     deterministic order: a run depends on seed and plan alone.
 *  3. A thread's mark (t->inject) is only set for a transfer that follows
 *     in the same system call, and is cleared by that transfer or when the
 *     system call returns. */
#include <stdlib.h>
#include <string.h>

#include "kern_ipc.h"
#include "kern_iso.h"
#include "kern_mem.h"
#include "kern_inject.h"
#include "kern_trace.h"

#define MAX_RULES 64

typedef struct {
    kern_inject_rule_t r;
    uint64_t rng;
    uint64_t seen, fired;
} rule_t;

static rule_t rules[MAX_RULES];
static unsigned nrules;
static uint64_t ipc_calls, injected;
bool kern_inject_on;

bool kern_inject_add(const kern_inject_rule_t *r)
{
    if (nrules == MAX_RULES)
        return false;
    rules[nrules++].r = *r;
    return true;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

bool kern_inject_start(void)
{
    if (!CHACM_TRACE_HOOKS && nrules)
        return false;       /* no hook would call us */
    /* each rule's stream starts at a point mixed from seed and rule
     * number (states one step apart would give shifted copies of one
     * stream, and rules that fire together) */
    for (unsigned i = 0; i < nrules; i++) {
        uint64_t s = kern.seed ^ ((uint64_t)(i + 1) * 0xD1B54A32D192ED03ULL);
        rules[i].rng = splitmix(&s);
        rules[i].rng ^= splitmix(&s) << 1;
        rules[i].seen = rules[i].fired = 0;
    }
    kern_inject_on = nrules > 0;
    kern_trace_update_mask();
    return true;
}

uint64_t kern_inject_count(void)
{
    return injected;
}

static const char *const what_names[KI_NWHAT] = {
    [KI_LOSE] = "lose", [KI_DELAY] = "delay", [KI_DUP] = "duplicate", [KI_CORRUPT] = "corrupt",
    [KI_FAIL] = "fail", [KI_REFUSE] = "refuse", [KI_CORRUPT_DATA] = "corrupt data",
    [KI_CORRUPT_REPLY] = "corrupt reply data", [KI_KILL] = "kill", [KI_DISK_FAIL] = "disk fail",
    [KI_DISK_CORRUPT] = "disk corrupt",
};

const char *kern_inject_what_name(unsigned what)
{
    return what < KI_NWHAT && what_names[what] ? what_names[what] : "?";
}

void kern_inject_report(FILE *f)
{
    if (!nrules)
        return;
    fprintf(f, "chacmsim: fault plan: %llu faults injected\n", (unsigned long long)injected);
    for (unsigned i = 0; i < nrules; i++)
        fprintf(f, "chacmsim:   rule %u (%s): %llu of %llu matching events\n", i + 1,
                rules[i].r.text ? rules[i].r.text : kern_inject_what_name(rules[i].r.what),
                (unsigned long long)rules[i].fired, (unsigned long long)rules[i].seen);
}

/* ---- matching ---- */

static bool names(const kern_thread_t *t, const char *spec)
{
    if (!spec[0])
        return true;
    if (!t)
        return false;
    return !strcmp(t->name, spec) || (t->space && !strcmp(t->space->name, spec));
}

/* Does rule i fire for an event it matches?  Counts the event. */
static bool fires(rule_t *x)
{
    x->seen++;
    if (kern_time() < x->r.from_ns || (x->r.max && x->fired >= x->r.max))
        return false;
    bool yes;
    if (x->r.nth)
        yes = x->seen == x->r.nth;
    else
        yes = (double)(splitmix(&x->rng) >> 11) * 0x1.0p-53 < x->r.rate;
    if (yes) {
        x->fired++;
        injected++;
    }
    return yes;
}

static void note(unsigned what, kern_thread_t *a, kern_thread_t *b, L4_Word_t w1, L4_Word_t w2, unsigned rule)
{
    KTRACE(KT_INJECT, a, b, 0, what, w1, w2, rule + 1);
}

/* ---- kills ---- */

static void kill_matching(rule_t *x, unsigned rule)
{
    kern_thread_t *self = kern_self;
    bool self_too = false;
    for (kern_thread_t *t = kern.all_threads, *next; t; t = next) {
        next = t->all_next;
        if (t->is_irq || t->state == TS_FREE || t->state == TS_DEAD || t->state == TS_LOCKED ||
            !names(t, x->r.from))
            continue;
        note(KI_KILL, t, NULL, 0, 0, rule);
        if (t == self)
            self_too = true;
        else
            kern_thread_kill(t, "killed by the fault plan");
    }
    if (self_too)
        kern_thread_exit_current("killed by the fault plan");
}

/* Kills by time or count fire once; by rate, each IPC system call is an
 * event (at most max kills, 1 unless the rule says). */
static void check_kills(void)
{
    for (unsigned i = 0; i < nrules; i++) {
        rule_t *x = &rules[i];
        if (x->r.what != KI_KILL || kern_time() < x->r.from_ns)
            continue;
        bool due;
        if (x->r.at_ns || x->r.after) {
            due = !x->fired && ((x->r.at_ns && kern_time() >= x->r.at_ns) || (x->r.after && ipc_calls >= x->r.after));
            if (due) {
                x->seen++;
                x->fired++;
                injected++;
            }
        } else {
            due = fires(x);
        }
        if (due)
            kill_matching(x, i);
    }
}

/* ---- IPC ---- */

static bool matches(const rule_t *x, kern_thread_t *self, kern_thread_t *dst)
{
    const kern_inject_rule_t *r = &x->r;
    if (r->what == KI_KILL || r->what == KI_DISK_FAIL || r->what == KI_DISK_CORRUPT)
        return false;
    if (!names(self, r->from) || !names(dst, r->to))
        return false;
    L4_Word_t tag = self->utcb[0], label = kw_tag_label(tag) & 0xffff;
    bool in = r->nlabels == 0;
    for (unsigned i = 0; i < r->nlabels && !in; i++)
        in = label >= r->label_lo[i] && label <= r->label_hi[i];
    if (!in)
        return false;
    if (r->has_sector) {
        if (kw_tag_u(tag) < 3)
            return false;
        L4_Word_t first = self->utcb[2], count = self->utcb[3];
        if (r->sector < first || r->sector - first >= count)
            return false;
    }
    return true;
}

/* The receiver's view of a reply that dst gives self for it. */
static kern_pair_t answer(kern_thread_t *self, kern_thread_t *dst, L4_Word_t tag)
{
    ipc_set_result(self, tag, ipc_shown_id(self, dst, NULL));
    return ipc_pair(self->ret_tag, self->ret_from);
}

/* self waits delay_ns of virtual time (no IPC state changes). */
static void wait_for(kern_thread_t *self, uint64_t delay_ns)
{
    self->state = TS_WAITING;
    kern_tq_add(self, kern_time() + delay_ns);
    kern_block();
}

/* Is the IPC a call whose reply would come from dst? */
static bool is_call(kern_thread_t *self, kern_thread_t *dst, L4_Word_t to, L4_Word_t from)
{
    if (from == KW_NILTHREAD)
        return false;
    if (from == to)
        return true;
    kern_thread_t *f = ipc_lookup_partner(from, self);
    return f == dst;
}

kern_pair_t kern_inject_ipc(kern_thread_t *self, L4_Word_t to, L4_Word_t from, L4_Word_t timeouts)
{
    kern_iso_kernel();
    ipc_calls++;
    check_kills();
    kern_thread_t *dst = to != KW_NILTHREAD ? ipc_lookup_partner(to, self) : NULL;
    rule_t *x = NULL;
    unsigned rule = 0;
    if (dst && !dst->is_irq)
        for (unsigned i = 0; i < nrules && !x; i++)
            if (matches(&rules[i], self, dst) && fires(&rules[i])) {
                x = &rules[i];
                rule = i;
            }
    if (!x)
        return kern_ipc_slow(self, to, from, timeouts);
    L4_Word_t tag = self->utcb[0], label = kw_tag_label(tag) & 0xffff;
    bool call = is_call(self, dst, to, from);
    unsigned what = x->r.what;
    if ((what == KI_FAIL || what == KI_REFUSE || what == KI_CORRUPT_REPLY) && !call)
        what = what == KI_CORRUPT_REPLY ? KI_CORRUPT : KI_LOSE;    /* no reply to act on */
    switch (what) {
    case KI_LOSE:
        note(what, self, dst, label, 0, rule);
        if (from == KW_NILTHREAD)
            return ipc_pair(tag, KW_NILTHREAD);         /* "sent" */
        return kern_ipc_slow(self, KW_NILTHREAD, from, timeouts);  /* only the receive phase */
    case KI_DELAY:
        note(what, self, dst, label, x->r.delay_ns / 1000, rule);
        wait_for(self, x->r.delay_ns);
        return kern_ipc_slow(self, to, from, timeouts);
    case KI_DUP: {
        note(what, self, dst, label, 0, rule);
        L4_Word_t err = self->utcb[__L4_TCR_ERROR_CODE];
        kern_ipc_slow(self, to, KW_NILTHREAD, timeouts);
        self->utcb[0] = tag;
        self->utcb[__L4_TCR_ERROR_CODE] = err;
        return kern_ipc_slow(self, to, from, timeouts);
    }
    case KI_FAIL:
        note(what, self, dst, label, x->r.err, rule);
        return answer(self, dst, kw_tag(x->r.err, 0, 0, 0));
    case KI_REFUSE:
        note(what, self, dst, label, 0, rule);
        self->utcb[1] = 0x8;            /* a map item ... */
        self->utcb[2] = 0;              /* ... of the nil fpage */
        return answer(self, dst, kw_tag(0, 0, 2, 0));
    case KI_CORRUPT:
        self->inject.send_rule = rule + 1;
        break;
    case KI_CORRUPT_DATA:
    case KI_CORRUPT_REPLY:
        /* the byte: in the block of the sector, or anywhere in the string */
        self->inject.offset = ~0UL;
        if (x->r.has_sector && x->r.sector_size)
            self->inject.offset = (x->r.sector - self->utcb[2]) * x->r.sector_size +
                                  splitmix(&x->rng) % x->r.sector_size;
        if (what == KI_CORRUPT_DATA) {
            self->inject.send_rule = rule + 1;
        } else {
            self->inject.reply_rule = rule + 1;
            self->inject.reply_from = dst->id;
        }
        break;
    }
    kern_pair_t p = kern_ipc_slow(self, to, from, timeouts);
    if (self->inject.send_rule || self->inject.reply_rule)
        note(what, self, dst, label, ~0UL, rule);       /* the transfer it waited for did not come: nothing to corrupt */
    self->inject = (kern_inject_mark_t){ 0 };
    return p;
}

/* ---- message transfer ---- */

/* Flips a byte at addr in t's memory; false if the kernel cannot reach it. */
static bool flip_byte(kern_thread_t *t, L4_Word_t addr, uint8_t mask)
{
    bool fault;
    uint8_t b;
    if (!kern_guest_reach(t->space, addr, 1, KERN_RIGHTS_W, &fault) || kern_host_read(&b, (void *)addr, 1) != 1)
        return false;
    b ^= mask;
    return kern_host_write((void *)addr, &b, 1) == 1;
}

/* The first receive buffer of dst (BR1, BR2) and the bytes the message's
 * first string put there. */
static bool first_string(kern_thread_t *dst, L4_Word_t *at, L4_Word_t *len)
{
    L4_Word_t tag = dst->utcb[0], u = kw_tag_u(tag), t = kw_tag_t(tag);
    L4_Word_t br1 = dst->utcb[__L4_TCR_BR_OFFSET - 1];
    for (L4_Word_t i = u + 1; i + 1 <= u + t; i += 2)
        if (kw_item_is_string(dst->utcb[i])) {
            L4_Word_t n = kw_string_length(dst->utcb[i]), room = kw_string_length(br1);
            *at = dst->utcb[__L4_TCR_BR_OFFSET - 2];
            *len = n < room ? n : room;
            return *len > 0;
        }
    return false;
}

static void corrupt_words(rule_t *x, unsigned rule, kern_thread_t *src, kern_thread_t *dst)
{
    L4_Word_t tag = dst->utcb[0], u = kw_tag_u(tag);
    L4_Word_t label = kw_tag_label(tag) & 0xffff;
    L4_Word_t i = splitmix(&x->rng) % (u + 1), bit = splitmix(&x->rng) % (i ? 64 : 16);
    if (i == 0) {
        dst->utcb[0] ^= (L4_Word_t)1 << (16 + bit);
        dst->ret_tag = dst->utcb[0];
    } else {
        dst->utcb[i] ^= (L4_Word_t)1 << bit;
    }
    note(KI_CORRUPT, src, dst, label, i << 8 | bit, rule);
}

/* Changes the byte at offset (~0: one at random) of the string dst just got. */
static void corrupt_string(rule_t *x, unsigned rule, unsigned what, kern_thread_t *src, kern_thread_t *dst,
                           L4_Word_t offset)
{
    L4_Word_t at, len, label = kw_tag_label(dst->utcb[0]) & 0xffff;
    if (!first_string(dst, &at, &len)) {
        note(what, src, dst, label, ~0UL, rule);        /* nothing to corrupt */
        return;
    }
    if (offset == ~0UL)
        offset = splitmix(&x->rng) % len;
    if (offset >= len)
        offset = len - 1;
    uint8_t mask = (uint8_t)(1u << (splitmix(&x->rng) % 8));
    flip_byte(dst, at + offset, mask);
    note(what, src, dst, label, offset, rule);
}

void kern_inject_delivered(kern_thread_t *src, kern_thread_t *dst)
{
    if (src->inject.send_rule) {
        unsigned rule = src->inject.send_rule - 1;
        rule_t *x = &rules[rule];
        src->inject.send_rule = 0;
        if (x->r.what == KI_CORRUPT_DATA)
            corrupt_string(x, rule, KI_CORRUPT_DATA, src, dst, src->inject.offset);
        else
            corrupt_words(x, rule, src, dst);
    }
    if (dst->inject.reply_rule && dst->inject.reply_from == src->id) {
        unsigned rule = dst->inject.reply_rule - 1;
        dst->inject.reply_rule = 0;
        corrupt_string(&rules[rule], rule, KI_CORRUPT_REPLY, src, dst, dst->inject.offset);
    }
}

/* ---- devices ---- */

bool kern_inject_disk(unsigned dev, bool write, uint64_t lba, unsigned n, uint8_t *buf, unsigned sector_size)
{
    if (!kern_inject_on)
        return false;
    for (unsigned i = 0; i < nrules; i++) {
        rule_t *x = &rules[i];
        const kern_inject_rule_t *r = &x->r;
        if ((r->what != KI_DISK_FAIL && r->what != KI_DISK_CORRUPT) || r->dev != dev ||
            (r->disk_op >= 0 && r->disk_op != (int)write))
            continue;
        if (r->has_sector && (r->sector < lba || r->sector - lba >= n))
            continue;
        if (!fires(x))
            continue;
        uint64_t sector = r->has_sector ? r->sector : lba + splitmix(&x->rng) % n;
        if (r->what == KI_DISK_FAIL) {
            note(KI_DISK_FAIL, kern_self, NULL, sector, write, i);
            return true;
        }
        unsigned off = (unsigned)(splitmix(&x->rng) % sector_size);
        buf[(sector - lba) * sector_size + off] ^= (uint8_t)(1u << (splitmix(&x->rng) % 8));
        note(KI_DISK_CORRUPT, kern_self, NULL, sector, (L4_Word_t)write << 16 | off, i);
        return false;
    }
    return false;
}

/* ---- trace records: w0 what, w1 label or sector, w2 detail, w3 1 + rule ---- */

void kern_inject_format(const kern_trace_rec_t *r, const char *a, const char *b, char *buf, size_t size)
{
    const L4_Word_t *w = r->w;
    const char *what = kern_inject_what_name((unsigned)w[0]);
    switch (w[0]) {
    case KI_KILL:
        snprintf(buf, size, "kill %s (rule %lu)", a, w[3]);
        break;
    case KI_DISK_FAIL:
        snprintf(buf, size, "disk fail: %s of sector %lu (rule %lu)", w[2] ? "write" : "read", w[1], w[3]);
        break;
    case KI_DISK_CORRUPT:
        snprintf(buf, size, "disk corrupt: %s of sector %lu, byte %lu (rule %lu)", (w[2] >> 16) ? "write" : "read",
                 w[1], w[2] & 0xffff, w[3]);
        break;
    default:
        if (w[2] == ~0UL)
            snprintf(buf, size, "%s %s -> %s label %#lx: nothing to corrupt (rule %lu)", what, a, b, w[1], w[3]);
        else if (w[0] == KI_DELAY)
            snprintf(buf, size, "%s %s -> %s label %#lx by %lu us (rule %lu)", what, a, b, w[1], w[2], w[3]);
        else if (w[0] == KI_CORRUPT)
            snprintf(buf, size, "%s %s -> %s label %#lx: MR%lu bit %lu (rule %lu)", what, a, b, w[1], w[2] >> 8,
                     w[2] & 0xff, w[3]);
        else if (w[0] == KI_FAIL)
            snprintf(buf, size, "%s %s -> %s label %#lx: error reply %lu (rule %lu)", what, a, b, w[1], w[2], w[3]);
        else if (w[0] == KI_CORRUPT_DATA || w[0] == KI_CORRUPT_REPLY)
            snprintf(buf, size, "%s %s -> %s label %#lx: byte %lu (rule %lu)", what, a, b, w[1], w[2], w[3]);
        else
            snprintf(buf, size, "%s %s -> %s label %#lx (rule %lu)", what, a, b, w[1], w[3]);
        break;
    }
}
