/* The driver library: what every ChacmOS driver does the same way.  I/O
 * ports from sigma0 (X.2 I/O fpages), interrupt lines from the booter
 * (ipc/idl/irq.idl: the root task may associate them), waiting for and
 * acknowledging interrupts, publishing devices under /dev in the name
 * space, and a queue of requests a driver answers later (deferred
 * replies, ordered by a key such as a deadline or a sector). */
#ifndef CHACM_DRIVER_H
#define CHACM_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <l4/types.h>
#include <chacm/idlrt.h>

/* Whether the kernel holds I/O ports in I/O fpages, which sigma0 hands
 * out and maps: the arch's answer (servers/lib/arch/ARCH/ports.c). */
bool drv_io_fpages(void);
/* Ports [base, base + 2^log2) for this task (base rounded down to the
 * size), from sigma0 as I/O fpages.  On a kernel without I/O fpages
 * (drv_io_fpages) there is nothing to ask for: ESUCCESS if this thread
 * may use every port anyway (lib_arch_ports_open), else EDENIED.
 * ESUCCESS, or EDENIED when sigma0 refuses (another task has them) or
 * does not answer. */
int drv_get_ports(L4_Word_t base, int log2);

/* Makes the calling thread the handler of interrupt line irq (the
 * booter's irq::attach).  ESUCCESS, ELOCKED (another task has it),
 * EBADPARM (no such line), EDENIED (not a task of the booter), EAGAIN
 * (the booter did not answer, or the kernel refused). */
int drv_irq_attach(unsigned irq);
/* The interrupt thread of line irq. */
L4_ThreadId_t drv_irq_thread(unsigned irq);
/* Waits up to us microseconds (0: for ever) for interrupt irq; ESUCCESS
 * or EAGAIN (no interrupt in time).  The interrupt stays unacknowledged
 * until drv_irq_ack. */
int drv_irq_wait(unsigned irq, L4_Word_t us);
/* Acknowledges interrupt irq: the line may interrupt again. */
void drv_irq_ack(unsigned irq);

/* Links <this thread, obj> as /dev/name, and remembers it for
 * drv_names_back.  ESUCCESS (also when the name is this thread's object
 * already: a restarted driver keeps its thread), EEXISTS (the name is
 * another's), ENOTFOUND (no /dev), or the name server's error. */
int drv_publish(const char *name, int obj);
/* registrant::names_back for a driver's ops (its composite inherits
 * registrant, its object 0 implements REGISTRANT_API): when namesvr was
 * restarted, the booter tells it the new root, and every name drv_publish
 * linked is linked again under the new /dev. */
void drv_names_back(int objID, L4_ThreadId_t rootsvr, int rootobj, chacm_srvenv_t *env);

/* A request answered later: who asked, what for, and the key the queue
 * keeps it ordered by (ties in arrival order). */
typedef struct {
    L4_ThreadId_t caller;
    uint64_t key;
    L4_Word_t arg[4];
} drv_req_t;

typedef struct {
    drv_req_t *slot;
    unsigned size, count;
} drv_queue_t;

/* A queue over the caller's array of size slots. */
void drv_queue_init(drv_queue_t *q, drv_req_t *slots, unsigned size);
/* Adds r in key order; false when the queue is full. */
bool drv_queue_put(drv_queue_t *q, const drv_req_t *r);
/* The request with the smallest key, or NULL. */
const drv_req_t *drv_queue_head(const drv_queue_t *q);
/* Takes the head off into *r; false when empty. */
bool drv_queue_take(drv_queue_t *q, drv_req_t *r);
/* Drops every request of caller (it went away); how many went. */
unsigned drv_queue_drop(drv_queue_t *q, L4_ThreadId_t caller);

#endif /* CHACM_DRIVER_H */
