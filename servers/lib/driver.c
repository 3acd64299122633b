/* The driver library (<chacm/driver.h>): ports from sigma0, interrupt
 * lines from the booter, interrupt waits, /dev publication, request
 * queues. */
#include <string.h>
#include <chacm/driver.h>
#include <chacm/task.h>
#include <l4/ioport.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/sigma0.h>

#include "arch.h"
#include "directory_client.h"
#include "irq_client.h"

#define DRV_TIMEOUT_US 1000000

int drv_get_ports(L4_Word_t base, int log2)
{
    /* Without I/O fpages there are no port rights to map: whether the
     * ports can be used at all is the arch's answer. */
    if (!drv_io_fpages())
        return lib_arch_ports_open() ? ESUCCESS : EDENIED;
    L4_Fpage_t f = L4_Sigma0_GetPage(L4_nilthread, L4_IoFpageLog2(base, log2));
    return L4_IsIoFpage(f) ? ESUCCESS : EDENIED;
}

L4_ThreadId_t drv_irq_thread(unsigned irq)
{
    return L4_GlobalId(irq, 1);
}

int drv_irq_attach(unsigned irq)
{
    chacm_env_t env = { .snd_timeout = L4_TimePeriod(DRV_TIMEOUT_US), .rcv_timeout = L4_TimePeriod(DRV_TIMEOUT_US) };
    int rc = irq_attach(chacm_booter(), DEFAULT_OBJECT, (int)irq, &env);
    return env.error == CHACM_IDL_OK ? rc : EAGAIN;
}

int drv_irq_wait(unsigned irq, L4_Word_t us)
{
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Receive_Timeout(drv_irq_thread(irq), us ? L4_TimePeriod(us) : L4_Never);
    return L4_IpcFailed(tag) ? EAGAIN : ESUCCESS;
}

void drv_irq_ack(unsigned irq)
{
    L4_LoadMR(0, 0);
    L4_Send_Timeout(drv_irq_thread(irq), L4_ZeroTime);
}

#define DRV_NAMES 8

static struct {
    char name[32];
    int obj;
} published[DRV_NAMES];
static int npublished;

/* Links name to <this thread, obj> in directory dev. */
static int link_in(chacm_handle_t dev, const char *name, int obj)
{
    chacm_env_t env = { .snd_timeout = L4_TimePeriod(DRV_TIMEOUT_US),
                        .rcv_timeout = L4_TimePeriod(DRV_TIMEOUT_US) };
    int rc = directory_link(dev.svr, dev.obj, name, L4_Myself(), obj, &env);
    if (env.error != CHACM_IDL_OK)
        return EAGAIN;
    if (rc == EEXISTS) {
        L4_ThreadId_t svr;
        int o = -1, used = 0;
        if (directory_resolve(dev.svr, dev.obj, name, &svr, &o, &used, &env) == ESUCCESS &&
            env.error == CHACM_IDL_OK && L4_IsThreadEqual(svr, L4_Myself()) && o == obj)
            return ESUCCESS;        /* ours already */
    }
    return rc;
}

int drv_publish(const char *name, int obj)
{
    chacm_handle_t dev;
    if (chacm_resolve("/dev", &dev) != ESUCCESS)
        return ENOTFOUND;
    int rc = link_in(dev, name, obj);
    if (rc != ESUCCESS)
        return rc;
    for (int i = 0; i < npublished; i++)
        if (!strcmp(published[i].name, name) && published[i].obj == obj)
            return ESUCCESS;
    if (npublished < DRV_NAMES && strlen(name) < sizeof published[0].name) {
        strcpy(published[npublished].name, name);
        published[npublished++].obj = obj;
    }
    return ESUCCESS;
}

void drv_names_back(int objID, L4_ThreadId_t rootsvr, int rootobj, chacm_srvenv_t *env)
{
    if (objID != 0 || !L4_IsThreadEqual(env->caller, chacm_booter()))
        return;                     /* only the booter rebuilds the name space */
    chacm_env_t e = { .snd_timeout = L4_TimePeriod(DRV_TIMEOUT_US), .rcv_timeout = L4_TimePeriod(DRV_TIMEOUT_US) };
    chacm_handle_t dev;
    int used = 0;
    if (directory_resolve(rootsvr, rootobj, "dev", &dev.svr, &dev.obj, &used, &e) != ESUCCESS ||
        e.error != CHACM_IDL_OK)
        return;
    for (int i = 0; i < npublished; i++)
        link_in(dev, published[i].name, published[i].obj);
}

void drv_queue_init(drv_queue_t *q, drv_req_t *slots, unsigned size)
{
    q->slot = slots;
    q->size = size;
    q->count = 0;
}

bool drv_queue_put(drv_queue_t *q, const drv_req_t *r)
{
    if (q->count == q->size)
        return false;
    unsigned i = q->count;
    while (i > 0 && q->slot[i - 1].key > r->key) {
        q->slot[i] = q->slot[i - 1];
        i--;
    }
    q->slot[i] = *r;
    q->count++;
    return true;
}

const drv_req_t *drv_queue_head(const drv_queue_t *q)
{
    return q->count ? &q->slot[0] : NULL;
}

bool drv_queue_take(drv_queue_t *q, drv_req_t *r)
{
    if (!q->count)
        return false;
    *r = q->slot[0];
    memmove(q->slot, q->slot + 1, (q->count - 1) * sizeof *q->slot);
    q->count--;
    return true;
}

unsigned drv_queue_drop(drv_queue_t *q, L4_ThreadId_t caller)
{
    unsigned kept = 0, dropped = 0;
    for (unsigned i = 0; i < q->count; i++) {
        if (q->slot[i].caller.raw == caller.raw)
            dropped++;
        else
            q->slot[kept++] = q->slot[i];
    }
    q->count = kept;
    return dropped;
}
