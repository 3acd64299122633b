/* chacm-idl: shared between the checker's files. */
#ifndef IDLC_CHECK_INT_H
#define IDLC_CHECK_INT_H

#include "check.h"
#include "parse.h"

void check_params(idl_ctx_t *ctx, idl_method_t *m);

#endif /* IDLC_CHECK_INT_H */
