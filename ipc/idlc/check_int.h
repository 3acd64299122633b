/* chacm-idl: shared between the checker's files. */
#ifndef IDLC_CHECK_INT_H
#define IDLC_CHECK_INT_H

#include "check.h"
#include "parse.h"

void check_params(idl_ctx_t *ctx, idl_method_t *m);
void check_kernelmsg(idl_ctx_t *ctx, idl_decl_t *md);

#endif /* IDLC_CHECK_INT_H */
