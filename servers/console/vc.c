/* console: the virtual consoles (vc.h).  The one shown writes straight
 * into text memory; a switch saves it to its shadow buffer and copies the
 * other one in, as a PC's virtual terminals do. */
#include <stdio.h>
#include <string.h>
#include <l4/kdebug.h>

#include "consvr_server.h"
#include "task_client.h"
#include "hw.h"
#include "line.h"
#include "vc.h"

static vc_t vcs[NVC];
static int shown;
static volatile uint16_t *vga;
static bool kdb_mirror;
static char reply_buf[CHACM_CON_XFER_MAX];

/* Prints n bytes to the kernel debugger: whole strings where there is no NUL. */
static void kdb_out(const char *s, int n)
{
    char chunk[257];
    while (n > 0) {
        int k = n < 256 ? n : 256;
        memcpy(chunk, s, (size_t)k);
        chunk[k] = 0;
        if ((int)strlen(chunk) == k) {
            L4_KDB_PrintString(chunk);
        } else {
            for (int i = 0; i < k; i++)
                L4_KDB_PrintChar(chunk[i]);
        }
        s += k;
        n -= k;
    }
}

static void show_cursor(void)
{
    if (vga)
        hw_vga_cursor(vt_cursor(&vcs[shown].vt));
}

void vc_out(const char *s, int n, void *arg)
{
    vc_t *vc = arg;
    vt_write(&vc->vt, s, n);
    if (vc == &vcs[shown])
        show_cursor();
    if (kdb_mirror && vc == &vcs[0]) {
        if (line_on())
            line_write(s, n);
        else
            kdb_out(s, n);
    }
}

void vc_init(volatile uint16_t *text, bool kdb)
{
    static volatile uint16_t no_screen[VT_CELLS];   /* draws nowhere when there is no text memory */
    vga = text;
    kdb_mirror = kdb;
    for (int i = 0; i < NVC; i++) {
        vc_t *vc = &vcs[i];
        vc->n = i + 1;
        if (i == 0 && vga && !vt_blank(vga))
            vt_adopt(&vc->vt, vga, hw_vga_cursor_at());     /* restarted: the screen stays */
        else
            vt_init(&vc->vt, i == 0 ? (vga ? vga : no_screen) : vc->shadow);
        ld_init(&vc->ld, vc_out, vc);
        vc->ld.intr_is_byte = true;
        vc->fg_svr = L4_nilthread;
        if (i > 0) {
            char banner[80];
            int n = snprintf(banner, sizeof banner, "\033[1;36mChacmOS\033[0m virtual console %d\n", i + 1);
            vt_write(&vc->vt, banner, n);
        }
    }
    show_cursor();
}

vc_t *vc_of(int obj)
{
    if (obj == DEFAULT_OBJECT)
        return &vcs[0];
    return obj >= 1 && obj <= NVC ? &vcs[obj - 1] : NULL;
}

vc_t *vc_shown(void)
{
    return &vcs[shown];
}

void vc_switch(int i)
{
    if (i == shown || i < 0 || i >= NVC || !vga)
        return;
    vc_t *old = &vcs[shown], *new = &vcs[i];
    for (int c = 0; c < VT_CELLS; c++)
        old->shadow[c] = vga[c];
    old->vt.cells = old->shadow;
    for (int c = 0; c < VT_CELLS; c++)
        vga[c] = new->shadow[c];
    new->vt.cells = vga;
    shown = i;
    show_cursor();
}

/* A server that does not answer within a second of virtual time is
 * reported, never waited for. */
void vc_interrupt(vc_t *vc)
{
    if (L4_IsNilThread(vc->fg_svr))
        return;
    chacm_env_t env = { .snd_timeout = L4_TimePeriod(1000000), .rcv_timeout = L4_TimePeriod(1000000) };
    int rc = task_kill(vc->fg_svr, vc->fg_obj, &env);
    if (env.error != CHACM_IDL_OK || rc != ESUCCESS)
        printf("console: cannot stop the foreground task <%lx,%d> (%s %d)\n", vc->fg_svr.raw, vc->fg_obj,
               env.error != CHACM_IDL_OK ? "call failed" : "code", env.error != CHACM_IDL_OK ? (int)env.error : rc);
    vc->fg_svr = L4_nilthread;
    vc->ld.intr_is_byte = true;
}

/* Answers vc's waiting read if the line discipline has something for it. */
static void answer_reader(vc_t *vc)
{
    if (!vc->reading)
        return;
    if (vc->ld.ready_len > 0) {
        int n = ld_take(&vc->ld, reply_buf, vc->read_len);
        vc->reading = false;
        console_read_reply(vc->reader, ESUCCESS, n, reply_buf);
    } else if (ld_take_eof(&vc->ld)) {
        vc->reading = false;
        console_read_reply(vc->reader, EEOF, 0, reply_buf);
    }
}

void vc_key(vc_t *vc, unsigned char c)
{
    if (ld_input(&vc->ld, c) == LD_INTR) {
        vc_interrupt(vc);
        if (vc->reading) {
            vc->reading = false;
            console_read_reply(vc->reader, EAGAIN, 0, reply_buf);
        }
        return;
    }
    answer_reader(vc);
}

bool vc_read(vc_t *vc, L4_ThreadId_t caller, int length, int *size, char *data, int *rc)
{
    *size = 0;
    *rc = ESUCCESS;
    if (vc->ld.ready_len > 0) {
        *size = ld_take(&vc->ld, data, length);
        return true;
    }
    if (ld_take_eof(&vc->ld)) {
        *rc = EEOF;
        return true;
    }
    /* one reader waits per console: an earlier one (gone, or confused) is told to try again */
    if (vc->reading)
        console_read_reply(vc->reader, EAGAIN, 0, reply_buf);
    vc->reading = true;
    vc->reader = caller;
    vc->read_len = length;
    return false;
}
