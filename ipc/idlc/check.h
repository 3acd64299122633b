/* chacm-idl: the semantic checker and the wire-format constants it enforces. */
#ifndef IDLC_CHECK_H
#define IDLC_CHECK_H

#include "ctx.h"

#define IDL_MAX_IFACE_UUID   959    /* label = uuid << 6 | method stays below 0xF000 */
#define IDL_MAX_METHOD_UUID  63
#define IDL_METHOD_BITS      6
#define IDL_LABEL_PAGEFAULT  0xFFE0 /* X.2 page-fault protocol, low 4 bits = rwx */

/* Kernel messages, numbered as IDL4 does (its built-in module idl4): the
 * label of message n is -n << 4 (16 bits). */
enum { IDL_KMSG_STARTUP, IDL_KMSG_INTERRUPT, IDL_KMSG_PAGEFAULT, IDL_KMSG_PREEMPTION, IDL_KMSG_SYSEXC,
       IDL_KMSG_ARCHEXC, IDL_KMSG_SIGMA0RPC, IDL_KMSG_IOPAGEFAULT = 8, IDL_KMSG_COUNT };
/* Name of kernel message n (as in idl4::name), or NULL if there is none. */
const char *idl_kmsg_name(int n);
/* Its number from its name, or -1. */
int idl_kmsg_by_name(const char *name);
#define IDL_KMSG_LABEL(n) ((-(int64_t)(n) * 16) & 0xFFFF)
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

/* Methods of d that have method numbers (all but kernel messages). */
guint iface_numbered(const idl_decl_t *d);

#endif /* IDLC_CHECK_H */
