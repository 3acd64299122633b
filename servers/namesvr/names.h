/* namesvr's directories (dir.c) and their file view (listing.c). */
#ifndef NAMESVR_NAMES_H
#define NAMESVR_NAMES_H

#include <stdbool.h>
#include <chacm/object.h>

#include "namesvr_server.h"

#define NS_MAX_DIRS    64       /* directory objects 1..63; 0 is the factory */
#define NS_MAX_ENTRIES 1024     /* entries over all directories */

typedef struct ns_entry {
    char *name;
    chacm_handle_t target;
    int dir;                    /* the directory holding it */
    struct ns_entry *next;      /* the directory's entries, in link order */
} ns_entry_t;

typedef struct {
    bool used;
    int nentries;
    ns_entry_t *first, *last;
} ns_dir_t;

extern ns_dir_t ns_dirs[NS_MAX_DIRS];

/* dir.c */
void dir_fill(namesvr_ops_t *ops);
/* Directory objID's index, or -1. */
int ns_dir(int objID);

/* listing.c: reading a directory as a file (its names, NUL-terminated) */
void listing_fill(namesvr_ops_t *ops);
/* The directory has gone: forget its readers. */
void listing_forget(int dir);

#endif /* NAMESVR_NAMES_H */
