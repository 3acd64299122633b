/* The wait-for graph of blocked IPCs: every thread blocked in a send phase
 * waits for its partner, every thread in a closed receive for the thread it
 * names.  Each thread waits for at most one other, so a deadlock among them
 * is a cycle that following those edges finds.  Printed after a deadlock or
 * a real-time limit (when some thread waits for another), and by the
 * monitor's `waits`. */
#include <stdlib.h>

#include "kern.h"

/* The thread t waits for, or NULL (ready, open receive, not blocked). */
static kern_thread_t *waits_for(const kern_thread_t *t, const char **how)
{
    if (t->state == TS_SENDING) {
        *how = "sends to";
        return kern_thread_lookup(t->snd_to, NULL);
    }
    if (t->state == TS_RECEIVING && t->rcv_from != KW_ANYTHREAD && t->rcv_from != KW_ANYLOCALTHREAD) {
        *how = "receives from";
        return kern_thread_lookup(t->rcv_from, NULL);
    }
    return NULL;
}

static const char *why_stuck(const kern_thread_t *w)
{
    if (w->state == TS_DEAD)
        return " (stopped for good)";
    if (w->halted)
        return " (halted)";
    if (w->state == TS_INACTIVE || w->awaiting_start)
        return " (not started)";
    return "";
}

void kern_dump_waits(FILE *f, bool always)
{
    unsigned edges = 0;
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next) {
        const char *how = NULL;
        if (!t->is_irq && (waits_for(t, &how), how))
            edges++;
    }
    if (!edges && !always)
        return;
    fprintf(f, "wait-for graph of blocked IPCs:\n");
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next) {
        const char *how = NULL;
        if (t->is_irq)
            continue;
        kern_thread_t *w = waits_for(t, &how);
        if (!how)
            continue;
        if (w)
            fprintf(f, "  %s %s %s%s\n", t->name, how, w->name, why_stuck(w));
        else
            fprintf(f, "  %s %s a thread that does not exist\n", t->name, how);
    }
    if (!edges)
        fprintf(f, "  (no thread waits for a particular thread)\n");
    /* cycles: walk the edges from each thread; mark 1 = on this walk, 2 = done */
    unsigned n = 0;
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next)
        n++;
    kern_thread_t **list = calloc(n ? n : 1, sizeof *list);
    unsigned char *mark = calloc(KERN_MAX_THREADS, 1);
    if (!list || !mark) {
        free(list);
        free(mark);
        return;
    }
    for (kern_thread_t *t = kern.all_threads; t; t = t->all_next) {
        unsigned len = 0;
        kern_thread_t *x = t;
        const char *how;
        while (x && !mark[kw_thread_no(x->id)] && len < n) {
            mark[kw_thread_no(x->id)] = 1;
            list[len++] = x;
            x = waits_for(x, &how);
        }
        if (x && mark[kw_thread_no(x->id)] == 1) {
            fprintf(f, "  deadlock cycle:");
            unsigned i = 0;
            while (list[i] != x)
                i++;
            for (unsigned k = i; k < len; k++)
                fprintf(f, " %s ->", list[k]->name);
            fprintf(f, " %s\n", x->name);
        }
        for (unsigned i = 0; i < len; i++)
            mark[kw_thread_no(list[i]->id)] = 2;
    }
    free(list);
    free(mark);
}
