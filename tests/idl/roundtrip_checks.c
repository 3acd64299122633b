/* Client side of the round-trip test: calls every stub of roundtrip.idl
 * against a server and checks results, error reporting and bounds. */
#include "roundtrip_impl.h"

static int failures;
static void (*report)(const char *);

static void expect(bool ok, const char *what)
{
    if (!ok) {
        failures++;
        report(what);
    }
}

static void check_scalars(L4_ThreadId_t s, chacm_env_t *env)
{
    expect(rt_base_add3(s, 1, 2, 3, env) == 6 && env->error == CHACM_IDL_OK, "add3 (inherited method)");
    expect(rt_base_check(s, false, env) == 7 && env->error == CHACM_IDL_OK, "check without exception");
    rt_base_check(s, true, env);
    expect(env->error == CHACM_IDL_EEXCEPTION && env->exception == rt_base_denied, "check raises denied");
    long long sum = 0;
    int r = roundtrip_scalars(s, -1, 255, -300, 65535, -100000, 4000000000UL, -5000000000LL,
                              18000000000000000000ULL, true, &sum, env);
    long long want = -1 + 255 - 300 + 65535 - 100000 + 4000000000LL - 5000000000LL +
                     (long long)18000000000000000000ULL + 1;
    expect(r == 1 && sum == want, "scalars of every width");
    int a = 5;
    rt_point p = { 1, 2, 3, "abc" };
    L4_ThreadId_t t = { .raw = 0x1234 };
    rt_color c = red;
    roundtrip_inout(s, &a, &p, &t, &c, env);
    expect(a == -5 && p.x == 2 && p.y == 1 && p.name[0] == 'Z' && t.raw == ~(L4_Word_t)0x1234 && c == blue,
           "in-out parameters");
    rt_vec v = { 1, 2, 3, 4 }, w = { 0 };
    rt_point q = roundtrip_structs(s, p, v, &w, env);
    expect(q.tag == 4 && q.x == 2 && w[0] == 4 && w[3] == 1, "structs and array typedefs");
    long b = 0, cc = 10;
    expect(roundtrip_corba(s, 20, &b, &cc, env) == 21 && b == 40 && cc == 11, "CORBA-style directions");
    expect(roundtrip_numbered(s, 3, env) == 30, "explicit method uuid");
}

static void check_strings(L4_ThreadId_t s, chacm_env_t *env)
{
    char in[RT_MAX + 2], outb[RT_MAX + 1], *out = outb;
    for (int i = 0; i < RT_MAX; i++)
        in[i] = (char)('a' + i % 26);
    in[RT_MAX] = 0;
    expect(roundtrip_reverse(s, in, &out, env) == RT_MAX && out[0] == in[RT_MAX - 1] && out[RT_MAX] == 0,
           "string at its maximum length");
    expect(roundtrip_reverse(s, "", &out, env) == 0 && out[0] == 0, "empty string");
    in[RT_MAX] = 'q';
    in[RT_MAX + 1] = 0;
    roundtrip_reverse(s, in, &out, env);
    expect(env->error == CHACM_IDL_EOVERFLOW, "string beyond its bound is refused");
    char up[] = "hello";
    roundtrip_upper(s, up, env);
    expect(env->error == CHACM_IDL_OK && up[0] == 'H' && up[4] == 'O', "in-out string");
}

static void check_arrays(L4_ThreadId_t s, chacm_env_t *env)
{
    int v[32], pb[32], *p = pb, m = 0;
    for (int i = 0; i < 32; i++)
        v[i] = i;
    expect(roundtrip_sums(s, 32, v, &m, &p, env) == 496 && m == 32 && pb[31] == 496, "array at its bound");
    expect(roundtrip_sums(s, 0, v, &m, &p, env) == 0 && m == 0 && env->error == CHACM_IDL_OK, "empty array");
    roundtrip_sums(s, 33, v, &m, &p, env);
    expect(env->error == CHACM_IDL_EOVERFLOW, "array beyond its bound is refused");
    char buf[16], *bp = buf;
    int len = 10;
    memset(buf, 0, sizeof buf);
    roundtrip_fill(s, &len, &bp, env);
    expect(env->error == CHACM_IDL_OK && len == 10 && buf[9] == 'x' && buf[10] == 0, "[prealloc] buffer");
    L4_Word_t wi[16], wo[16];
    for (int i = 0; i < 16; i++)
        wi[i] = (L4_Word_t)i + 1;
    rt_words sin = { 16, 16, wi }, sout = { 16, 0, wo };
    expect(roundtrip_seq(s, &sin, &sout, env) == 16 && sout._length == 16 && wo[15] == 32, "full sequence");
    sin._length = 0;
    expect(roundtrip_seq(s, &sin, &sout, env) == 0 && sout._length == 0 && env->error == CHACM_IDL_OK,
           "empty sequence");
}

/* IDL4's dialect: string lengths, max_value, prealloc, anonymous structs,
 * string results, and a derived interface numbered on under its base's uuid. */
static void check_dialect(L4_ThreadId_t s, chacm_env_t *env)
{
    expect(rt_more_len_is(s, "abc", 3, env) == 3 && env->error == CHACM_IDL_OK, "[string, length_is] at its length");
    expect(rt_more_len_is(s, "ab", 3, env) == 2 && env->error == CHACM_IDL_OK, "[string, length_is] below it");
    rt_more_len_is(s, "abcd", 3, env);
    expect(env->error == CHACM_IDL_EOVERFLOW, "[string, length_is] beyond it is refused");
    char nb[4097], *np = nb;
    int n = 0;
    rt_more_name(s, &np, &n, env);
    expect(env->error == CHACM_IDL_OK && n == 5 && strcmp(nb, "chacm") == 0, "[out, string, length_is]");
    expect(rt_more_bounded(s, 10, env) == 10 && env->error == CHACM_IDL_OK, "max_value at its bound");
    rt_more_bounded(s, 11, env);
    expect(env->error == CHACM_IDL_EOVERFLOW, "max_value exceeded is refused");
    short sb[8] = { 0 }, *sp = sb;
    long size = 0;
    rt_more_shorts(s, &sp, &size, env);
    expect(env->error == CHACM_IDL_OK && size == 6 && sb[0] == 1 && sb[5] == 6 && sb[6] == 0,
           "[out, prealloc, length_is] with an [out] size");
    L4_Word_t wb[16] = { 1, 2, 3 };
    rt_words w = { 16, 3, wb };
    expect(rt_more_twice(s, &w, env) == 3 && w._length == 3 && wb[0] == 2 && wb[2] == 6,
           "[prealloc] in-out sequence");
    rt_pair p = { 7, 9 };
    rt_pair q = rt_more_swap_pair(s, p, env);
    expect(env->error == CHACM_IDL_OK && q.a == 9 && q.b == 7, "anonymous struct typedef");
    char gb[17];
    expect(rt_more_greet(s, 3, gb, env) == gb && strcmp(gb, "hello***") == 0, "string result");
    static rt_huge x, y, z;
    for (int i = 0; i < 100; i++) {
        x.a[i] = i;
        y.a[i] = 1;
        z.a[i] = -1;
    }
    expect(rt_more_huge(s, x, &y, &z, env) == 4950 && env->error == CHACM_IDL_OK && y.a[99] == 100 &&
           z.a[0] == 0 && z.a[99] == 99, "large fixed-size values as string items");
    expect(rt_base_add3(s, 1, 1, 1, env) == 3 && rt_more_len_is_LABEL == CHACM_IDL_LABEL(10, 2),
           "shared uuid: the derived interface numbers on from its base");
}

static void check_map(L4_ThreadId_t s, chacm_env_t *env, volatile char *landing)
{
    L4_MapItem_t page;
    L4_Word_t addr = landing ? (L4_Word_t)landing : 0x40000000UL;
    if (landing)
        env->rcv_window = L4_Fpage(addr, 4096);
    expect(roundtrip_map(s, addr, &page, env) == 1 && L4_IsMapItem(page) &&
           L4_Size(L4_MapItemSndFpage(page)) == 4096, "fpage out as a map item");
    env->rcv_window = L4_Nilpage;
    if (landing)
        expect(landing[0] == 'M', "the mapped page is visible in the receive window");
}

/* The pager's method answers the kernel's page-fault label (0xFFE0 | rwx,
 * sign-extended over the label field on 64-bit words) as well as its stub. */
static void check_pagefault(L4_ThreadId_t s, chacm_env_t *env)
{
    L4_MapItem_t page;
    pager_pagefault(s, 0x5000, 0, &page, env);
    expect(env->error == CHACM_IDL_OK && L4_MapItemSndBase(page) == 0x5000, "pagefault through its stub");
    L4_MsgTag_t tag = { .raw = (~(L4_Word_t)0x1f | 0x6) << 16 | 2 };   /* label -2 << 4 | rw, u = 2 */
    L4_LoadMR(1, 0x7123);
    L4_LoadMR(2, 0x1000);
    L4_Set_MsgTag(tag);
    L4_MsgTag_t r = L4_Call(s);
    L4_StoreMRs(1, 2, page.raw);
    expect(!L4_IpcFailed(r) && L4_UntypedWords(r) == 0 && L4_TypedWords(r) == 2 &&
           L4_IsMapItem(page) && L4_MapItemSndBase(page) == 0x7000 &&
           L4_Rights(L4_MapItemSndFpage(page)) == 6, "kernel page-fault message");
}

static void check_protocol(L4_ThreadId_t s, chacm_env_t *env)
{
    roundtrip_notify(s, 2, env);
    roundtrip_notify(s, 3, env);
    expect(env->error == CHACM_IDL_OK && roundtrip_notified(s, env) == 5, "oneway calls");
    expect(roundtrip_later(s, 41, env) == 42 && env->error == CHACM_IDL_OK, "deferred reply");
    L4_LoadMR(1, 0);
    chacm_idl_call(s, chacm_idl_tag(CHACM_IDL_LABEL(11, 50), 1, 0), env, 0, 0);
    expect(env->error == CHACM_IDL_EUNKNOWN, "unknown method gets an error reply");
    chacm_idl_call(s, chacm_idl_tag(CHACM_IDL_LABEL(500, 0), 0, 0), env, 0, 0);
    expect(env->error == CHACM_IDL_EUNKNOWN, "unknown interface gets an error reply");
    chacm_idl_call(s, chacm_idl_tag(rt_base_add3_LABEL, 2, 0), env, 1, 0);
    expect(env->error == CHACM_IDL_EMALFORMED, "wrong word count is rejected");
    L4_LoadMR(1, 4);
    chacm_idl_call(s, chacm_idl_tag(roundtrip_sums_LABEL, 1, 0), env, 0, 0);
    expect(env->error == CHACM_IDL_EMALFORMED, "missing string item is rejected");
    int v[8] = { 0 };
    L4_LoadMR(1, 4);
    chacm_idl_load_string(2, v, 8 * sizeof(int));
    chacm_idl_call(s, chacm_idl_tag(roundtrip_sums_LABEL, 1, 2), env, 0, 0);
    expect(env->error == CHACM_IDL_EMALFORMED, "string length that disagrees with length_is is rejected");
    L4_LoadMR(1, 40);
    chacm_idl_load_string(2, v, 40 * sizeof(int));
    chacm_idl_call(s, chacm_idl_tag(roundtrip_sums_LABEL, 1, 2), env, 0, 0);
    expect(env->error == CHACM_IDL_EMALFORMED || env->error == CHACM_IDL_EIPC,
           "array beyond its bound is rejected by the server");
    static rt_huge h;
    chacm_idl_load_string(1, &h, sizeof h - 1);
    chacm_idl_load_string(3, &h, sizeof h);
    chacm_idl_call(s, chacm_idl_tag(rt_more_huge_LABEL, 0, 4), env, 0, 0);
    expect(env->error == CHACM_IDL_EMALFORMED, "a large value of the wrong length is rejected");
}

int rt_run_checks(L4_ThreadId_t server, void *landing, void (*fail)(const char *what))
{
    chacm_env_t env = { 0 };
    report = fail;
    failures = 0;
    check_scalars(server, &env);
    check_strings(server, &env);
    check_arrays(server, &env);
    check_map(server, &env, landing);
    check_pagefault(server, &env);
    check_dialect(server, &env);
    check_protocol(server, &env);
    return failures;
}
