/* chacm-idl: the generators — client header, server header and dispatch
 * source, Markdown reference — and the helpers they share. */
#ifndef IDLC_GEN_H
#define IDLC_GEN_H

#include <stdio.h>
#include "check.h"
#include "parse.h"

typedef struct gen {
    idl_ctx_t *ctx;
    idl_spec_t *spec;
    const char *base;        /* output base name, e.g. "file" for file.idl */
    const char *guard;       /* identifier made from base */
    FILE *out;
} gen_t;

void gen_client_header(gen_t *g);
void gen_server_header(gen_t *g);
void gen_server_source(gen_t *g);
void gen_doc(gen_t *g);

/* gen_common.c */
void gen_banner(gen_t *g, const char *what);
const char *gen_ctype(gen_t *g, const idl_type_t *t);
const char *gen_param_decl(gen_t *g, const idl_param_t *a, bool server);
const char *gen_elem_ctype(gen_t *g, const idl_param_t *a);
void gen_types(gen_t *g);
bool gen_value_is_scalar(const idl_type_t *t);
const char *gen_to_word(gen_t *g, const idl_type_t *t, const char *expr);
const char *gen_from_word(gen_t *g, const idl_type_t *t, const char *word);
void gen_proto_params(gen_t *g, const idl_method_t *m, bool server);
void gen_ops_type(gen_t *g, idl_decl_t *iface);

#endif /* IDLC_GEN_H */
