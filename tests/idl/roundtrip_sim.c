/* IDL0xxx: generated stubs against a generated server inside the simulator
 * — every type and attribute of roundtrip.idl, errors, a deferred reply and
 * an fpage that really maps a page. */
#include <stdio.h>

#include "ptest.h"
#include "roundtrip_impl.h"

static roundtrip_buffers_t bufs;
static char landing[4096] __attribute__((aligned(4096)));

/* Serves until a deferred call stops the loop, replies to it, serves on. */
static void server(void)
{
    for (;;) {
        roundtrip_serve(&rt_ops, &bufs, NULL);
        rt_finish_later();
    }
}

static void fail(const char *what)
{
    printf("idl_roundtrip: FAIL %s\n", what);
}

DEFINE_TEST(IDL0001, "every stub of roundtrip.idl against its generated server")
{
    L4_ThreadId_t srv = pt_thread(server);
    PT_ASSERT(!L4_IsNilThread(srv));
    /* The hosted kernel passes map items but installs no frames yet
     * (docs/kernel.md, "Unmap ... map and grant items ... arrive with the
     * memory model"); the item itself is checked, its effect once it lands. */
    rt_expect_mapping = false;
    PT_EQ(rt_run_checks(srv, landing, fail), 0);
}
