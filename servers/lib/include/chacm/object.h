/* ChacmOS's object model: every object is a handle <server thread, object
 * id>; object 0 (DEFAULT_OBJECT) of every server is its factory.  Helpers
 * that servers share for their dispatch code: answering generic::implements
 * from the interfaces an object has, and a table of object slots. */
#ifndef CHACM_OBJECT_H
#define CHACM_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <l4/types.h>

typedef struct {
    L4_ThreadId_t svr;
    int obj;
} chacm_handle_t;

static inline chacm_handle_t chacm_handle(L4_ThreadId_t svr, int obj)
{
    chacm_handle_t h = { svr, obj };
    return h;
}

static inline bool chacm_handle_is_nil(chacm_handle_t h)
{
    return L4_IsNilThread(h.svr);
}

/* The answer to implements(list[0..n)) for an object that has the
 * interfaces have[0..nhave) (GENERIC_API is implied): EYES if it has every
 * listed one, else ENO.  A list longer than CHACM_IFACE_LIST_MAX or n < 0
 * is EBADPARM. */
int chacm_implements(const int *list, int n, const int *have, int nhave);

/* A table of object slots: ids first..first+size-1 (a server reserves the
 * ids below first, e.g. its factory 0).  used[i] says whether slot i is in
 * use; the caller owns the objects' data, indexed by slot. */
typedef struct {
    bool *used;
    int size;
    int first;
} chacm_objtab_t;

/* The slot of object id, or -1 if id is not an object in use. */
int chacm_obj_slot(const chacm_objtab_t *t, int id);
/* A free slot made used, returning its object id; -1 if the table is full. */
int chacm_obj_alloc(chacm_objtab_t *t);
/* Frees object id (nothing if it is not in use). */
void chacm_obj_free(chacm_objtab_t *t, int id);

/* Open files of a server that reads objects as files: one position per
 * (client thread, object) while it is open. */
typedef struct {
    bool open;
    L4_ThreadId_t client;
    int obj;
    unsigned long pos;
} chacm_reader_t;

typedef struct {
    chacm_reader_t *r;
    int size;
} chacm_readers_t;

/* client's open file of obj, or NULL. */
chacm_reader_t *chacm_reader_find(chacm_readers_t *t, int obj, L4_ThreadId_t client);
/* Opens (or reopens) obj for client at position 0; NULL if the table is full. */
chacm_reader_t *chacm_reader_open(chacm_readers_t *t, int obj, L4_ThreadId_t client);
/* Closes every open file of obj (the object has gone). */
void chacm_reader_forget(chacm_readers_t *t, int obj);
/* file::close, file::seek and file::tell for client's file of obj, whose
 * length is size: ESUCCESS, ENOTOPEN (not open), EBADPARM (a position
 * outside [0, size]; -1 is the end). */
int chacm_reader_close(chacm_readers_t *t, int obj, L4_ThreadId_t client);
int chacm_reader_seek(chacm_readers_t *t, int obj, L4_ThreadId_t client, long pos, unsigned long size);
int chacm_reader_tell(chacm_readers_t *t, int obj, L4_ThreadId_t client, int *pos);

#endif /* CHACM_OBJECT_H */
