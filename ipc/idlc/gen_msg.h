/* chacm-idl: message layout helpers for the stub generators — running MR
 * indices (numeric part plus sizeof-based terms) and word counts. */
#ifndef IDLC_GEN_MSG_H
#define IDLC_GEN_MSG_H

#include "gen.h"

typedef struct mr_index {
    int n;
    GString *sym;
} mr_index_t;

void idx_init(mr_index_t *x, int n);
void idx_free(mr_index_t *x);
const char *idx_str(gen_t *g, const mr_index_t *x);
/* Adds the words of a fixed-size value of type t. */
void idx_add_value(gen_t *g, mr_index_t *x, const idl_type_t *t);
/* Untyped words of the request (in) or reply (out), as a C expression. */
const char *msg_untyped(gen_t *g, const idl_method_t *m, bool reply);
/* Size in bytes of the buffer variable-length parameter a needs. */
const char *var_bytes(gen_t *g, const idl_param_t *a);
bool param_has(const idl_param_t *a, idl_dir_t d);
/* Address of a value parameter's storage (for memcpy). */
const char *value_addr(gen_t *g, const idl_param_t *a, const char *name);

#endif /* IDLC_GEN_MSG_H */
