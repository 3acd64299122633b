/* Includes every generated header together, so a clash between the guarded
 * declarations of several IDL files fails the build. */
#include "roundtrip_server.h"
#include "memsvr_server.h"
#include "namesvr_server.h"
#include "filesvr_server.h"
#include "booter_server.h"
#include "kmsg_server.h"
#include "dialect_server.h"

int idl_generated_check(void);

int idl_generated_check(void)
{
    return memsvr_server.n_ifaces + namesvr_server.n_ifaces + filesvr_server.n_ifaces +
           (int)km_pager_server.n_ifaces + (int)dialect_multi_if_D_server.n_ifaces;
}
