/* Recursive mutexes over compare-and-swap and ThreadSwitch (chacm/lock.h). */
#include <chacm/lock.h>
#include <l4/schedule.h>
#include <l4/thread.h>

bool lib_mutex_trylock(lib_mutex_t *m)
{
    L4_Word_t me = L4_MyGlobalId().raw, free = 0;
    if (m->owner == me) {
        m->depth++;
        return true;
    }
    if (!__atomic_compare_exchange_n(&m->owner, &free, me, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return false;
    m->depth = 1;
    return true;
}

void lib_mutex_lock(lib_mutex_t *m)
{
    while (!lib_mutex_trylock(m)) {
        L4_ThreadId_t holder = { .raw = __atomic_load_n(&m->owner, __ATOMIC_RELAXED) };
        L4_ThreadSwitch(holder.raw ? holder : L4_nilthread);
    }
}

void lib_mutex_unlock(lib_mutex_t *m)
{
    if (--m->depth == 0)
        __atomic_store_n(&m->owner, 0, __ATOMIC_RELEASE);
}
