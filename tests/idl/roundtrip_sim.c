/* IDL0xxx: generated stubs against a generated server inside the simulator
 * — every type and attribute of roundtrip.idl, errors, a deferred reply and
 * an fpage that really maps a page. */
#include <stdio.h>

#include "ptest.h"
#include "pt_mem.h"
#include "roundtrip_impl.h"

static roundtrip_buffers_t bufs;

/* Runs in a task of its own: takes a page from sigma0 for the map method,
 * then serves until a deferred call stops the loop, replies to it, serves
 * on. */
static void server(void)
{
    rt_map_page = (volatile char *)pm_page(12);
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
    L4_ThreadId_t srv = pt_task(server);
    PT_ASSERT(!L4_IsNilThread(srv));
    /* the page lands at an unused address of this task's window */
    char *landing = (char *)(lib_usable_end() - (2UL << 20));
    PT_EQ(rt_run_checks(srv, landing, fail), 0);
    PT_ASSERT(rt_map_page != NULL);
}
