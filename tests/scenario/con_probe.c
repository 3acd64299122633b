/* con_probe: the root task of the console scenario (console.lst).  Starts
 * the console server from its boot module, prints through it and reads
 * lines in cooked mode, reporting each; lines starting with '!' are
 * commands: !fg (a thread of this task, a fake task server, becomes the
 * foreground task: ^C calls its task::kill), !nofg, !raw N (N bytes in raw
 * mode, shown in hex), !spam N (N lines of output, during which a ^C is
 * looked for).  Two ends of input in a row end the probe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/thread.h>
#include <l4/bootinfo.h>
#include <l4/kdebug.h>
#include <l4/kip.h>
#include <l4/thread.h>

#include "console_client.h"
#include "task_server.h"

static task_ops_t fake_ops;
static task_buffers_t fake_bufs;
static L4_Word_t fake_stack[2048];

static L4_Word_t module_ip(const char *name)
{
    L4_KernelInterfacePage_t *kip = L4_GetKernelInterface();
    L4_BootInfo_t *bi = (L4_BootInfo_t *)kip->BootInfo;
    size_t n = strlen(name);
    if (!bi || !L4_BootInfo_Valid(bi))
        return 0;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry(bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(bi); i++, r = L4_BootRec_Next(r)) {
        const char *cmd = L4_SimpleExec_Cmdline(r);
        if (L4_BootRec_Type(r) == L4_BootInfo_SimpleExec && strncmp(cmd, name, n) == 0 &&
            (cmd[n] == 0 || cmd[n] == ' '))
            return L4_SimpleExec_InitialIP(r);
    }
    return 0;
}

/* The fake task server prints through the kernel debugger: the console
 * is busy in the very call that reaches it. */
static int fake_kill(int obj, chacm_srvenv_t *env)
{
    char msg[64];
    (void)env;
    snprintf(msg, sizeof msg, "probe: task::kill(%d) from the console\n", obj);
    L4_KDB_PrintString(msg);
    return ESUCCESS;
}

static void fake_server(void)
{
    fake_ops.task_kill = fake_kill;
    task_serve(&fake_ops, &fake_bufs, NULL);
}

static void show(const char *what, const char *s, int n)
{
    printf("probe: %s '", what);
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            printf("\\n");
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            printf("%c", c);
    }
    printf("'\n");
}

static void raw_bytes(int n)
{
    char buf[64];
    con_set_mode(CON_RAW);
    while (n > 0) {
        int got = con_read(buf, n < (int)sizeof buf ? n : (int)sizeof buf);
        if (got <= 0) {
            printf("probe: raw read: %d\n", got);
            break;
        }
        show("raw", buf, got);
        n -= got;
    }
    con_set_mode(CON_COOKED);
}

static void command(const char *line, L4_ThreadId_t fake)
{
    if (strncmp(line, "!fg", 3) == 0) {
        printf("probe: set_foreground %d\n", con_set_foreground(fake, 7));
    } else if (strncmp(line, "!nofg", 5) == 0) {
        printf("probe: set_foreground %d\n", con_set_foreground(L4_nilthread, 0));
    } else if (strncmp(line, "!raw ", 5) == 0) {
        raw_bytes(atoi(line + 5));
    } else if (strncmp(line, "!spam ", 6) == 0) {
        int n = atoi(line + 6);
        for (int i = 0; i < n; i++)
            printf("probe: spam %d\n", i);
    }
}

/* Checks the console's answers to bad requests. */
static void bad_requests(L4_ThreadId_t con)
{
    chacm_env_t env = { 0 };
    int size = 0, mode = -1;
    char buf[8], *p = buf;
    printf("probe: read length 0 -> %d\n", console_read(con, 0, 0, &size, &p, &env));
    printf("probe: set_mode 5 -> %d\n", console_set_mode(con, 0, 5, &env));
    printf("probe: write to object 5 -> %d\n", console_write(con, 5, 2, "xx", &env));
    printf("probe: get_mode -> %d", console_get_mode(con, 0, &mode, &env));
    printf(" mode %d\n", mode);
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_ThreadId_t con = L4_GlobalId(L4_ThreadIdUserBase(kip) + 8, 1);
    L4_ThreadId_t fake = L4_GlobalId(L4_ThreadIdUserBase(kip) + 9, 1);
    L4_Word_t ip = module_ip("console");
    if (!ip || lib_task_create(con, L4_Myself()) != 0 || lib_task_start(con, ip, 0) != 0 ||
        !L4_ThreadControl(con, con, L4_nilthread, sigma0, (void *)-1UL)) {
        printf("probe: cannot start the console (module %s)\n", ip ? "found" : "missing");
        return 1;
    }
    if (lib_thread_create(fake, lib_utcb_slot(1), sigma0, fake_server, fake_stack + 2048) != 0) {
        printf("probe: cannot start the fake task server\n");
        return 1;
    }
    con_attach(con, 0);
    printf("probe: attached\n");
    bad_requests(con);
    char line[CHACM_CON_XFER_MAX + 1];
    int eofs = 0;
    while (eofs < 2) {
        int n = con_read(line, CHACM_CON_XFER_MAX);
        if (n == EEOF) {
            printf("probe: EEOF\n");
            eofs++;
            continue;
        }
        eofs = 0;
        if (n == EAGAIN) {
            printf("probe: EAGAIN (interrupted)\n");
            continue;
        }
        if (n < 0) {
            printf("probe: read failed: %d\n", n);
            return 1;
        }
        line[n] = 0;
        show("line", line, n);
        if (line[0] == '!')
            command(line, fake);
    }
    printf("probe: end of input\n");
    con_detach();
    return 0;
}
