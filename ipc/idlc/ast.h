/* chacm-idl: the syntax tree of an IDL specification.  Every node lives in
 * the arena of the compilation (ctx.h), so a failed parse frees it all at once. */
#ifndef IDLC_AST_H
#define IDLC_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

typedef struct idl_loc {
    const char *file;
    int line, col;
} idl_loc_t;

typedef enum {
    TY_VOID,
    TY_INT,       /* integer types, char, octet, enums use TY_ENUM */
    TY_BOOL,
    TY_FLOAT,
    TY_WORD,      /* one L4 word: word, threadid, L4_Fpage_t, interface refs */
    TY_FPAGE,     /* a map or grant item (L4_MapItem_t) */
    TY_STRING,    /* NUL-terminated char string, count = bound (0: unbounded) */
    TY_SEQUENCE,  /* sequence<elem, count> */
    TY_STRUCT,
    TY_ENUM,
    TY_ARRAY,     /* elem[count] */
    TY_TYPEDEF,   /* a named alias of elem */
} ty_kind_t;

struct idl_decl;

typedef struct idl_type {
    ty_kind_t kind;
    const char *cname;        /* C spelling of the type, for named types */
    int size[2], align[2];    /* bytes for a 32-bit [0] and a 64-bit [1] word */
    bool is_signed;
    struct idl_type *elem;    /* array, sequence, typedef target */
    int64_t count;            /* array length; sequence/string bound (0 = none) */
    struct idl_decl *decl;    /* declaration of a named type */
} idl_type_t;

typedef enum {
    D_BUILTIN, D_MODULE, D_INTERFACE, D_CONST, D_TYPEDEF, D_STRUCT, D_ENUM,
    D_ENUMERATOR, D_EXCEPTION, D_METHOD,
} decl_kind_t;

typedef struct idl_scope {
    struct idl_scope *parent;
    GHashTable *names;          /* name -> idl_decl_t */
    struct idl_decl *owner;     /* module or interface; NULL at file scope */
} idl_scope_t;

typedef enum { DIR_NONE = 0, DIR_IN = 1, DIR_OUT = 2, DIR_INOUT = 3 } idl_dir_t;

typedef struct idl_attr {
    const char *name;
    idl_loc_t loc;
    bool has_arg;
    const char *ident;          /* identifier argument (length_is(p), kernelmsg(k)) */
    idl_loc_t arg_loc;
    int64_t value;              /* constant argument (uuid(n), max_is(n)) */
    bool arg_is_ident;
} idl_attr_t;

typedef struct idl_member {     /* struct member */
    const char *name;
    idl_loc_t loc;
    idl_type_t *type;
} idl_member_t;

typedef enum {
    P_VALUE,     /* fixed-size value in message registers */
    P_ARRAY,     /* length_is / max_is array: string item */
    P_STRING,    /* NUL-terminated string: string item */
    P_SEQUENCE,  /* sequence typedef: string item */
    P_FPAGE,     /* map/grant item */
    P_BLOB,      /* fixed-size value too large for the MRs: string item of its bytes */
} param_kind_t;

typedef struct idl_param {
    const char *name;
    idl_loc_t loc;
    idl_loc_t type_loc;
    idl_dir_t dir;
    bool corba_dir;             /* direction written as keyword (in/out/inout) */
    idl_type_t *type;           /* type as written, before pointers */
    int ptr;                    /* number of '*' in the declarator */
    GPtrArray *attrs;           /* idl_attr_t */
    /* filled by the checker */
    param_kind_t kind;
    bool is_string_attr, prealloc;
    bool byref;                 /* a value passed through a pointer */
    bool from_label;            /* a page fault's access rights: the label's low bits */
    bool has_max;               /* [max_value(n)]: an integer that never exceeds max_value */
    int64_t max_value;
    bool indirect;              /* variable-length out data through T ** */
    struct idl_param *length;   /* length_is parameter, or NULL */
    int64_t length_const;       /* length_is(constant), -1 if none */
    int64_t bound;              /* element bound of variable-length data */
    idl_type_t *elem;           /* element type of variable-length data */
} idl_param_t;

typedef struct idl_method {
    idl_type_t *ret;
    idl_loc_t ret_loc;
    GPtrArray *params;          /* idl_param_t */
    GPtrArray *raises;          /* idl_decl_t (exceptions) */
    GPtrArray *raise_locs;      /* idl_loc_t * */
    GPtrArray *attrs;
    bool oneway;
    bool string_result;         /* returns a string: carried by the [out] parameter _result */
    bool has_uuid;
    int64_t uuid;               /* method number (checker assigns defaults) */
    idl_loc_t uuid_loc;
    bool kernelmsg;             /* declares a kernel message (kernelmsg(idl4::...)) */
    int kmsg;                   /* its IDL4 number: IDL_KMSG_* (check.h) */
    struct idl_decl *iface;
    /* filled by the checker: wire label and message sizes ([0] 32-bit, [1] 64-bit words) */
    int64_t label;
    int req_u[2], req_t, rep_u[2], rep_t;
} idl_method_t;

typedef struct idl_base_ref {
    struct idl_decl *decl;
    idl_loc_t loc;
} idl_base_ref_t;

typedef struct idl_iface {
    bool defined;               /* not just forward-declared */
    bool has_uuid;
    int64_t uuid;
    idl_loc_t uuid_loc;
    GPtrArray *bases;           /* idl_base_ref_t */
    GPtrArray *methods;         /* idl_decl_t (D_METHOD) */
    GPtrArray *exceptions;      /* idl_decl_t (D_EXCEPTION) */
    idl_scope_t *scope;
    int mark;                   /* cycle detection */
    bool numbered;              /* its methods have numbers (check.c) */
} idl_iface_t;

typedef struct idl_decl {
    decl_kind_t kind;
    const char *name;
    const char *cname;          /* C name: scope prefixes joined by '_' */
    const char *doc;            /* documentation comment before it, or NULL */
    idl_loc_t loc;
    bool from_main;             /* declared in the file being compiled */
    bool imported;              /* declared in an imported C header: never generated */
    idl_scope_t *parent;
    idl_type_t *type;           /* const/typedef/struct/enum type */
    int64_t value;              /* const, enumerator, exception code */
    const char *strval;         /* string constant */
    const char *import;         /* (D_MODULE unused) */
    GPtrArray *members;         /* struct: idl_member_t; enum: idl_decl_t */
    idl_scope_t *scope;         /* module scope */
    idl_iface_t *iface;
    idl_method_t *method;
} idl_decl_t;

typedef struct idl_spec {
    GPtrArray *decls;           /* top-level and nested decls in source order */
    GPtrArray *imports;         /* const char * (header names from the main file) */
    GPtrArray *interfaces;      /* all idl_decl_t D_INTERFACE, source order */
    idl_scope_t *root;
    const char *main_file;
} idl_spec_t;

#endif /* IDLC_AST_H */
