/* <mach/vm_statistics.h>: memory statistics in GNU Mach's layout, counts in
 * pages.  vm_statistics() fills it for the whole system (as on Mach);
 * task_vm_statistics() (a ChacmOS call) with one task's share: free_count
 * is then the pages the task may still take under its quota. */
#ifndef CHACM_MACH_VM_STATISTICS_H
#define CHACM_MACH_VM_STATISTICS_H

#include <mach/vm_types.h>

struct vm_statistics {
    integer_t pagesize;        /* page size in bytes */
    integer_t free_count;      /* pages free */
    integer_t active_count;    /* pages in use (mapped or held by objects) */
    integer_t inactive_count;  /* always 0: one clock, no inactive queue */
    integer_t wire_count;      /* pages wired down */
    integer_t zero_fill_count; /* zero-fill faults */
    integer_t reactivations;   /* pages the clock found referenced and kept */
    integer_t pageins;         /* pages read back from swap */
    integer_t pageouts;        /* pages written to swap */
    integer_t faults;          /* page faults served */
    integer_t cow_faults;      /* copy-on-write faults (a page copied) */
    integer_t lookups;         /* object lookups */
    integer_t hits;            /* object lookups that found the page */
};

typedef struct vm_statistics *vm_statistics_t;
typedef struct vm_statistics vm_statistics_data_t;

#endif /* !CHACM_MACH_VM_STATISTICS_H */
