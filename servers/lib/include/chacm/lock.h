/* Locks for tasks with several threads, built only on L4 primitives that
 * behave the same on a real L4 kernel: an atomic compare-and-swap on a
 * word that holds the owner's thread id, and ThreadSwitch to the owner
 * while it is taken (the waiter donates its time slice to the holder, so
 * the holder runs and releases it, on one CPU as on several). */
#ifndef CHACM_LOCK_H
#define CHACM_LOCK_H

#include <stdbool.h>
#include <l4/types.h>

typedef struct lib_mutex {
    volatile L4_Word_t owner;           /* global id of the holder, 0 when free */
    unsigned depth;                     /* nested acquisitions by the holder */
} lib_mutex_t;

#define LIB_MUTEX_INIT { 0, 0 }

/* Takes m, waiting while another thread holds it; a thread may take a lock
 * it holds again (each lock needs its unlock). */
void lib_mutex_lock(lib_mutex_t *m);
/* Takes m if it is free (or held by the caller); false otherwise. */
bool lib_mutex_trylock(lib_mutex_t *m);
void lib_mutex_unlock(lib_mutex_t *m);

#endif /* !CHACM_LOCK_H */
