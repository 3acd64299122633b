/* Server side of the round-trip test: implementations of roundtrip.idl's
 * methods (and its base rt_base), freestanding so the same file serves in
 * the simulator module and in the host-side IPC model. */
#include "roundtrip_impl.h"

static int notifications;
static L4_ThreadId_t later_caller;
static int later_value;
static bool later_pending;
static char rt_page[4096] __attribute__((aligned(4096)));

static L4_Word_t do_add3(L4_Word_t a, L4_Word_t b, L4_Word_t c, chacm_srvenv_t *env)
{
    (void)env;
    return a + b + c;
}

static int do_check(bool flag, chacm_srvenv_t *env)
{
    if (flag)
        chacm_srv_raise(env, rt_base_denied);
    return 7;
}

static int do_scalars(char c, uint8_t o, short s, unsigned short us, long l, unsigned long ul, long long ll,
                      unsigned long long ull, bool b, long long *sum, chacm_srvenv_t *env)
{
    (void)env;
    *sum = c + o + s + us + l + (long long)ul + ll + (long long)ull + b;
    return b ? 1 : 0;
}

static void do_inout(int *a, rt_point *p, L4_ThreadId_t *t, rt_color *c, chacm_srvenv_t *env)
{
    (void)env;
    *a = -*a;
    int x = p->x;
    p->x = p->y;
    p->y = x;
    p->name[0] = 'Z';
    t->raw = ~t->raw;
    *c = *c == red ? blue : red;
}

static rt_point do_structs(rt_point a, const rt_vec v, rt_vec *w, chacm_srvenv_t *env)
{
    (void)env;
    for (int i = 0; i < 4; i++)
        (*w)[i] = v[3 - i];
    a.tag = (short)(a.tag + 1);
    return a;
}

static int do_reverse(const char *s, char **r, chacm_srvenv_t *env)
{
    (void)env;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        (*r)[i] = s[n - 1 - i];
    (*r)[n] = 0;
    return (int)n;
}

static void do_upper(char *s, chacm_srvenv_t *env)
{
    (void)env;
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

static int do_sums(int n, const int *v, int *m, int **p, chacm_srvenv_t *env)
{
    (void)env;
    int total = 0;
    for (int i = 0; i < n; i++)
        (*p)[i] = total += v[i];
    *m = n;
    return total;
}

static void do_fill(int *len, char **buf, chacm_srvenv_t *env)
{
    (void)env;
    memset(*buf, 'x', (size_t)*len);
}

static int do_seq(const rt_words *in, rt_words *out, chacm_srvenv_t *env)
{
    (void)env;
    out->_length = in->_length;
    for (L4_Word_t i = 0; i < in->_length; i++)
        out->_buffer[i] = in->_buffer[i] * 2;
    return (int)in->_length;
}

volatile char *rt_map_page;

static int do_map(L4_Word_t addr, L4_MapItem_t *page, chacm_srvenv_t *env)
{
    (void)env;
    volatile char *p = rt_map_page ? rt_map_page : rt_page;
    p[0] = 'M';
    *page = L4_MapItem(L4_FpageAddRights(L4_Fpage((L4_Word_t)p, 4096), L4_ReadWriteOnly), addr);
    return 1;
}

static void do_notify(int n, chacm_srvenv_t *env)
{
    (void)env;
    notifications += n;
}

static int do_notified(chacm_srvenv_t *env)
{
    (void)env;
    return notifications;
}

static int do_later(int x, chacm_srvenv_t *env)
{
    later_caller = env->caller;
    later_value = x;
    later_pending = true;
    chacm_srv_defer(env);
    chacm_srv_stop(env);    /* the server loop returns; its thread replies (rt_finish_later) */
    return 0;
}

static long do_corba(long a, long *b, long *c, chacm_srvenv_t *env)
{
    (void)env;
    *b = a * 2;
    *c = *c + 1;
    return a + 1;
}

static int do_numbered(int x, chacm_srvenv_t *env)
{
    (void)env;
    return x * 10;
}

static void do_pagefault(L4_Word_t addr, L4_Word_t ip, L4_MapItem_t *page, chacm_srvenv_t *env)
{
    L4_Word_t rwx = L4_Label(env->tag) & 0xf;
    *page = L4_MapItem(L4_FpageAddRights(L4_Fpage((L4_Word_t)rt_page, sizeof rt_page), rwx),
                       (addr & ~(L4_Word_t)0xfff) + (ip & 1));
}

static int do_len_is(const char *s, int n, chacm_srvenv_t *env)
{
    (void)env;
    (void)n;
    return (int)strlen(s);
}

static void do_name(char **s, int *n, chacm_srvenv_t *env)
{
    (void)env;
    memcpy(*s, "chacm", 6);
    *n = 5;
}

static int do_bounded(int x, chacm_srvenv_t *env)
{
    (void)env;
    return x;
}

static void do_shorts(short **buf, long *size, chacm_srvenv_t *env)
{
    (void)env;
    for (short i = 0; i < 6; i++)
        (*buf)[i] = (short)(i + 1);
    *size = 6;
}

static long do_twice(rt_words *w, chacm_srvenv_t *env)
{
    (void)env;
    for (L4_Word_t i = 0; i < w->_length; i++)
        w->_buffer[i] *= 2;
    return (long)w->_length;
}

static rt_pair do_swap_pair(rt_pair p, chacm_srvenv_t *env)
{
    (void)env;
    rt_pair r = { p.b, (short)p.a };
    return r;
}

static void do_greet(int x, char *result, chacm_srvenv_t *env)
{
    (void)env;
    memcpy(result, "hello", 6);
    for (int i = 0; i < x && i < 11; i++)
        result[5 + i] = '*';
    result[5 + (x < 11 ? (x > 0 ? x : 0) : 11)] = 0;
}

static long do_huge(rt_huge x, rt_huge *y, rt_huge *z, chacm_srvenv_t *env)
{
    (void)env;
    long sum = 0;
    for (int i = 0; i < 100; i++) {
        sum += x.a[i];
        y->a[i] += x.a[i];
        z->a[i] = i;
    }
    return sum;
}

const roundtrip_ops_t rt_ops = {
    .pager_pagefault = do_pagefault,
    .rt_base_add3 = do_add3, .rt_base_check = do_check, .roundtrip_scalars = do_scalars,
    .roundtrip_inout = do_inout, .roundtrip_structs = do_structs, .roundtrip_reverse = do_reverse,
    .roundtrip_upper = do_upper, .roundtrip_sums = do_sums, .roundtrip_fill = do_fill,
    .roundtrip_seq = do_seq, .roundtrip_map = do_map, .roundtrip_notify = do_notify,
    .roundtrip_notified = do_notified, .roundtrip_later = do_later, .roundtrip_corba = do_corba,
    .roundtrip_numbered = do_numbered,
    .rt_more_len_is = do_len_is, .rt_more_name = do_name, .rt_more_bounded = do_bounded,
    .rt_more_shorts = do_shorts, .rt_more_twice = do_twice, .rt_more_swap_pair = do_swap_pair,
    .rt_more_greet = do_greet, .rt_more_huge = do_huge,
};

bool rt_finish_later(void)
{
    if (!later_pending)
        return false;
    later_pending = false;
    return roundtrip_later_reply(later_caller, later_value + 1) == CHACM_IDL_OK;
}
