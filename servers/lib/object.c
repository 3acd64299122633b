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
