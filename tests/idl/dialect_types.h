/* C types that dialect.idl imports: the IDL compiler reads their
 * declarations, the generated client header includes this file. */
#ifndef DIALECT_TYPES_H
#define DIALECT_TYPES_H

typedef int dt_count_t;

struct dt_entry {
    char kind;
    int size;
    short flags;
};

typedef struct {
    short a;
    int b, c, d;
} dt_block_t;

enum dt_mode { DT_READ = 1, DT_WRITE = 2 };
typedef enum dt_mode dt_mode_t;

/* What the IDL cannot express is left out; using it would be an error. */
typedef char *dt_name_t;
int dt_lookup(const char *name);
static inline int dt_twice(int x) { if (x > 0) { return 2 * x; } return 0; }

#endif /* DIALECT_TYPES_H */
