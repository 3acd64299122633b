/* chacm-idl: the semantic checker and the wire-format constants it enforces. */
#ifndef IDLC_CHECK_H
#define IDLC_CHECK_H

#include "ctx.h"

#define IDL_MAX_IFACE_UUID   959    /* label = uuid << 6 | method stays below 0xF000 */
#define IDL_MAX_METHOD_UUID  63
#define IDL_METHOD_BITS      6
#define IDL_LABEL_PAGEFAULT  0xFFE0 /* X.2 page-fault protocol, low 4 bits = rwx */
#define IDL_DEFAULT_BOUND    4096   /* elements of unbounded variable-length data */
#define IDL_MAX_BYTES        (1 << 22) /* a string item's 22-bit length */
#define IDL_NUM_MRS          64

/* Checks the whole specification; reports the first error through ctx_error. */
void check_spec(idl_ctx_t *ctx, idl_spec_t *spec);

/* Words a fixed-size type takes in message registers; w = 0 for 32-bit, 1 for 64-bit. */
int type_words(const idl_type_t *t, int w);

/* The interfaces whose methods a server of d dispatches: d and all its bases,
 * each once, d first (depth-first, in declaration order). */
GPtrArray *iface_closure(idl_ctx_t *ctx, idl_decl_t *d);

#endif /* IDLC_CHECK_H */
