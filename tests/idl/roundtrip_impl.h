/* Round-trip test: the server implementation and the client checks, shared
 * by the host-side IPC model and the in-simulator module. */
#ifndef ROUNDTRIP_IMPL_H
#define ROUNDTRIP_IMPL_H

#include "roundtrip_server.h"

extern const roundtrip_ops_t rt_ops;

/* Sends the reply of a deferred 'later' call; false if none is pending. */
bool rt_finish_later(void);

/* Runs every client check against server; fail(name) reports a failed one.
 * landing, if not NULL, is a page-aligned 4 KiB page of the caller where the
 * server's page is mapped (and then checked).  Returns the number of failures. */
int rt_run_checks(L4_ThreadId_t server, void *landing, void (*fail)(const char *what));

/* The page the map method hands out (default: a static page). */
extern volatile char *rt_map_page;

#endif /* ROUNDTRIP_IMPL_H */
