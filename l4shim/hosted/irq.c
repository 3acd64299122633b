/* Interrupt delivery: a raised interrupt is an IPC from its interrupt
 * thread to the associated handler (label -1<<4, no words); further raises
 * wait until the handler acknowledges by sending to the interrupt thread.
 *
 * Invariant: an interrupt thread sits in its handler's send queue iff an
 * interrupt is pending and not yet delivered. */
#include "kern_ipc.h"
#include "kern_trace.h"

/* Sends an interrupt acknowledgement from self to the interrupt thread;
 * false if self is not its handler. */
bool kern_irq_ack(kern_thread_t *self, kern_thread_t *irq)
{
    if (irq->irq_handler != self->id)
        return false;
    irq->irq_in_service = false;
    KTRACE(KT_IRQ, irq, self, 0, kw_thread_no(irq->id), 2, 0, 0);
    if (irq->irq_pending && !irq->sq_owner)
        kern_sq_add(self, irq);
    return true;
}

/* Delivers irq's pending interrupt to its handler r. */
void kern_irq_deliver(kern_thread_t *irq, kern_thread_t *r)
{
    kern_sq_remove(irq);
    irq->irq_pending = false;
    irq->irq_in_service = true;
    ipc_set_result(r, kw_tag(KW_LABEL_INTERRUPT, 0, 0, 0), irq->id);
    KTRACE(KT_IRQ, irq, r, 0, kw_thread_no(irq->id), 1, 0, 0);
}

/* Raises interrupt n (from a device model, at a kernel entry or idle). */
void kern_irq_raise(unsigned n)
{
    if (n >= KERN_NIRQ)
        return;
    kern_thread_t *irq = kern.threads[n];
    if (!irq || !irq->irq_handler)
        return;
    kern_thread_t *h = kern_thread_lookup(irq->irq_handler, NULL);
    if (!h)
        return;
    if (irq->irq_pending)
        return;
    irq->irq_pending = true;
    KTRACE(KT_IRQ, irq, h, 0, n, 0, 0, 0);
    if (irq->irq_in_service)
        return;
    if (h->state == TS_RECEIVING && ipc_accepts(h, irq, NULL)) {
        kern_irq_deliver(irq, h);
        kern_wakeup(h);
    } else {
        kern_sq_add(h, irq);
    }
}

/* irq gets another handler or none: it leaves the old handler's send queue,
 * and a raise that is pending or in service there is dropped (Pistachio
 * dequeues the interrupt thread and re-arms it). */
void kern_irq_detach(kern_thread_t *irq)
{
    kern_sq_remove(irq);
    irq->irq_pending = irq->irq_in_service = false;
}
