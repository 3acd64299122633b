/* The object model's helpers (chacm/object.h). */
#include <chacm/object.h>
#include "generic_client.h"

int chacm_implements(const int *list, int n, const int *have, int nhave)
{
    if (n < 0 || n > CHACM_IFACE_LIST_MAX)
        return EBADPARM;
    for (int i = 0; i < n; i++) {
        bool found = list[i] == GENERIC_API;
        for (int k = 0; k < nhave && !found; k++)
            found = list[i] == have[k];
        if (!found)
            return ENO;
    }
    return EYES;
}

int chacm_obj_slot(const chacm_objtab_t *t, int id)
{
    if (id < t->first || id - t->first >= t->size)
        return -1;
    return t->used[id - t->first] ? id - t->first : -1;
}

int chacm_obj_alloc(chacm_objtab_t *t)
{
    for (int i = 0; i < t->size; i++)
        if (!t->used[i]) {
            t->used[i] = true;
            return t->first + i;
        }
    return -1;
}

void chacm_obj_free(chacm_objtab_t *t, int id)
{
    int s = chacm_obj_slot(t, id);
    if (s >= 0)
        t->used[s] = false;
}

chacm_reader_t *chacm_reader_find(chacm_readers_t *t, int obj, L4_ThreadId_t client)
{
    for (int i = 0; i < t->size; i++)
        if (t->r[i].open && t->r[i].obj == obj && L4_IsThreadEqual(t->r[i].client, client))
            return &t->r[i];
    return NULL;
}

chacm_reader_t *chacm_reader_open(chacm_readers_t *t, int obj, L4_ThreadId_t client)
{
    chacm_reader_t *r = chacm_reader_find(t, obj, client);
    for (int i = 0; !r && i < t->size; i++)
        if (!t->r[i].open)
            r = &t->r[i];
    if (r)
        *r = (chacm_reader_t){ true, client, obj, 0 };
    return r;
}

void chacm_reader_forget(chacm_readers_t *t, int obj)
{
    for (int i = 0; i < t->size; i++)
        if (t->r[i].obj == obj)
            t->r[i].open = false;
}

int chacm_reader_close(chacm_readers_t *t, int obj, L4_ThreadId_t client)
{
    chacm_reader_t *r = chacm_reader_find(t, obj, client);
    if (!r)
        return ENOTOPEN;
    r->open = false;
    return ESUCCESS;
}

int chacm_reader_seek(chacm_readers_t *t, int obj, L4_ThreadId_t client, long pos, unsigned long size)
{
    chacm_reader_t *r = chacm_reader_find(t, obj, client);
    if (!r)
        return ENOTOPEN;
    if (pos == -1)
        pos = (long)size;
    if (pos < 0 || (unsigned long)pos > size)
        return EBADPARM;
    r->pos = (unsigned long)pos;
    return ESUCCESS;
}

int chacm_reader_tell(chacm_readers_t *t, int obj, L4_ThreadId_t client, int *pos)
{
    chacm_reader_t *r = chacm_reader_find(t, obj, client);
    if (!r)
        return ENOTOPEN;
    *pos = (int)r->pos;
    return ESUCCESS;
}
