/* console: the text console (ipc/idl/console.idl) on the PC's screen and
 * keyboard, with four virtual consoles (vc.c; objects 1-4, object 0 is the
 * first) switched by Alt-F1..F4.  Keyboard bytes (kbd.c, IRQ 1) go to the
 * console shown; a read that finds nothing waits as a deferred reply while
 * the console serves others.  Without a keyboard controller (a headless
 * run from a pipe) the first console also prints to the kernel debugger
 * and reads its input (input.c), which stops the machine until a byte
 * comes; with `console line=NAME` it does so on the serial line /dev/NAME
 * instead once its driver is there and something is connected (line.c):
 * the serial console, where a read that finds nothing waits as a deferred
 * reply and the loop looks at the line every LINE_POLL_US.  ^C ends the foreground task of the console it is typed on.
 * With a keyboard, /dev/kbd gives its raw events (rawkbd.c).
 * There, while a foreground task runs, the console looks for a ^C
 * whenever someone writes and, for a program that neither writes nor
 * reads, when its receive times out: POLL_US after the last request,
 * doubling while none comes (up to never), so that a system where
 * everything waits still ends in the kernel's deadlock report instead of
 * waking the console for ever.  (With a keyboard, IRQ 1 brings the ^C.) */
#include <stdio.h>
#include <string.h>
#include <chacm/driver.h>
#include <chacm/lib.h>
#include <l4/ipc.h>
#include <l4/schedule.h>

#include "consvr_server.h"
#include "hw.h"
#include "input.h"
#include "kbd.h"
#include "line.h"
#include "rawkbd.h"
#include "vc.h"

#define POLL_US 20000
#define LINE_POLL_US 1000

static consvr_ops_t ops;
static consvr_buffers_t bufs;
static bool keyboard;           /* input from the keyboard (else the kernel debugger) */
static kbd_t kbd;

/* IRQ 1: every byte the controller has; the reply acknowledges. */
static void do_keyboard(chacm_srvenv_t *env)
{
    (void)env;
    int sc;
    while ((sc = hw_kbd_read()) >= 0) {
        kbd_event_t ev;
        rk_scancode((uint8_t)sc);
        kbd_scancode(&kbd, (uint8_t)sc, &ev);
        if (ev.switch_to)
            vc_switch(ev.switch_to - 1);
        if (ev.leds)
            hw_kbd_leds(kbd_leds(&kbd));
        for (int i = 0; i < ev.n; i++)
            vc_key(vc_shown(), (unsigned char)ev.bytes[i]);
    }
}

/* ---- the kernel debugger's input: the machine waits in the handler ---- */

static void kdb_interrupt(vc_t *vc)
{
    in_drop();
    vc_interrupt(vc);
}

/* Looks at what has arrived for a ^C while a foreground task runs; other
 * bytes wait in the read-ahead queue, unechoed, for the next read. */
static void watch_interrupt(vc_t *vc)
{
    int c;
    while (!L4_IsNilThread(vc->fg_svr) && in_room() && (c = in_poll()) >= 0) {
        if (c == 0x03) {
            ld_flush(&vc->ld);
            if (vc->ld.mode == LD_MODE_COOKED)
                vc_out("^C\n", 3, vc);
            kdb_interrupt(vc);
            return;
        }
        in_unget((unsigned char)c);
    }
}

/* Feeds console 1's input to its line discipline until a read of up to
 * length bytes can be answered: true with *rc (and *size bytes in data);
 * false when the serial line has nothing yet. */
static bool take_input(vc_t *vc, int length, int *size, char *data, int *rc)
{
    *size = 0;
    for (;;) {
        if (vc->ld.ready_len > 0) {
            *size = ld_take(&vc->ld, data, length);
            *rc = ESUCCESS;
            return true;
        }
        *rc = EEOF;
        if (ld_take_eof(&vc->ld))
            return true;
        int c = in_getc();
        if (c == IN_AGAIN)
            return false;
        if (c < 0)
            return true;
        if (ld_input(&vc->ld, (unsigned char)c) == LD_INTR) {
            kdb_interrupt(vc);
            *rc = EAGAIN;
            return true;
        }
    }
}

static int read_kdb(vc_t *vc, int length, int *size, char *data, chacm_srvenv_t *env)
{
    L4_Yield();     /* whoever is ready prints before the machine waits for a key */
    int rc;
    if (take_input(vc, length, size, data, &rc))
        return rc;
    /* the serial line has nothing yet: the read waits; the loop looks again every LINE_POLL_US */
    if (!vc_read(vc, env->caller, length, size, data, &rc))
        chacm_srv_defer(env);
    return rc;
}

/* Console 1's waiting read on the serial line: answered if its input has come. */
static void line_poll(vc_t *vc)
{
    static char buf[CHACM_CON_XFER_MAX];
    int size, rc;
    if (vc->reading && take_input(vc, vc->read_len, &size, buf, &rc)) {
        vc->reading = false;
        console_read_reply(vc->reader, rc, size, buf);
    }
}

/* ---- the console interface ---- */

static int do_write(int obj, int size, const char *data, chacm_srvenv_t *env)
{
    (void)env;
    vc_t *vc = vc_of(obj);
    if (!vc)
        return EINVALID;
    if (size < 0)
        return EBADPARM;
    vc_out(data, size, vc);
    if (!keyboard && vc == vc_of(1))
        watch_interrupt(vc);
    return ESUCCESS;
}

static int do_read(int obj, int length, int *size, char **data, chacm_srvenv_t *env)
{
    *size = 0;
    vc_t *vc = vc_of(obj);
    if (!vc)
        return EINVALID;
    if (length < 1)
        return EBADPARM;
    if (length > CHACM_CON_XFER_MAX)
        length = CHACM_CON_XFER_MAX;
    if (!keyboard)
        return vc == vc_of(1) ? read_kdb(vc, length, size, *data, env) : EEOF;
    int rc;
    if (!vc_read(vc, env->caller, length, size, *data, &rc))
        chacm_srv_defer(env);
    return rc;
}

static int do_set_mode(int obj, int mode, chacm_srvenv_t *env)
{
    (void)env;
    vc_t *vc = vc_of(obj);
    if (!vc)
        return EINVALID;
    if (mode != CON_COOKED && mode != CON_RAW)
        return EBADPARM;
    ld_set_mode(&vc->ld, mode == CON_RAW ? LD_MODE_RAW : LD_MODE_COOKED);
    return ESUCCESS;
}

static int do_get_mode(int obj, int *mode, chacm_srvenv_t *env)
{
    (void)env;
    vc_t *vc = vc_of(obj);
    *mode = vc && vc->ld.mode == LD_MODE_RAW ? CON_RAW : CON_COOKED;
    return vc ? ESUCCESS : EINVALID;
}

static int do_set_foreground(int obj, L4_ThreadId_t svr, int tobj, chacm_srvenv_t *env)
{
    (void)env;
    vc_t *vc = vc_of(obj);
    if (!vc)
        return EINVALID;
    vc->fg_svr = svr;
    vc->fg_obj = tobj;
    vc->ld.intr_is_byte = L4_IsNilThread(svr);
    return ESUCCESS;
}

static int do_implements(int obj, int n, const int *ids, chacm_srvenv_t *env)
{
    (void)env;
    if (!vc_of(obj) && obj != RK_OBJ)
        return EINVALID;
    int api = obj == RK_OBJ ? DEVICE_API : CONSOLE_API;
    for (int i = 0; i < n; i++)
        if (ids[i] != GENERIC_API && ids[i] != api && !(ids[i] == REGISTRANT_API && obj == 0))
            return ENO;
    return EYES;
}

/* The server loop (consvr_serve's, with the timeout above). */
static void serve(void)
{
    chacm_idl_loop_t loop = { .server = &consvr_server, .ops = &ops, .bufs = &bufs };
    L4_Word64_t period = POLL_US;
    vc_t *first = vc_of(1);
    for (;;) {
        chacm_srvenv_t env = { .user = NULL };
        chacm_idl_accept(&loop);
        bool line_wait = !keyboard && first->reading;   /* only on the serial line */
        bool poll = !keyboard && !L4_IsNilThread(first->fg_svr);
        L4_Time_t t = line_wait ? L4_TimePeriod(LINE_POLL_US) : poll ? L4_TimePeriod(period) : L4_Never;
        env.tag = L4_Wait_Timeout(t, &env.caller);
        if (L4_IpcFailed(env.tag)) {
            if (line_wait) {
                line_poll(first);
                continue;
            }
            if (period < ((L4_Word64_t)1 << 42))
                period *= 2;        /* beyond 1023 * 2^31 us: never */
            if (poll)
                watch_interrupt(first);
            continue;
        }
        period = POLL_US;
        L4_Word_t reply = chacm_idl_dispatch(&loop, &env);
        if (reply != CHACM_IDL_NO_REPLY) {
            L4_Set_MsgTag((L4_MsgTag_t){ .raw = reply });
            L4_Reply(env.caller);
        }
    }
}

/* `console [line=NAME]`: the serial line of console 1 without a keyboard. */
static const char *line_arg(void)
{
    static char cmd[96];
    const char *line = NULL;
    char *save = NULL;
    strlcpy(cmd, lib_cmdline(), sizeof cmd);
    strtok_r(cmd, " ", &save);
    for (char *a; (a = strtok_r(NULL, " ", &save));) {
        if (!strncmp(a, "line=", 5) && a[5])
            line = a + 5;
        else
            printf("console: '%s' is not an argument (console [line=NAME]); ignored\n", a);
    }
    return line;
}

int main(void)
{
    const char *line = line_arg();
    volatile uint16_t *vga = hw_vga_init();
    const char *why = "no screen";
    bool controller = vga && hw_kbd_init(&why);
    keyboard = controller && hw_kbd_irq();
    if (controller && !keyboard)
        printf("console: the root task does not give IRQ 1: the keyboard is not read\n");
    kbd_init(&kbd);
    if (!keyboard)
        line_init(line);
    vc_init(vga, !keyboard);
    ops.generic_implements = do_implements;
    ops.console_write = do_write;
    ops.console_read = do_read;
    ops.console_set_mode = do_set_mode;
    ops.console_get_mode = do_get_mode;
    ops.console_set_foreground = do_set_foreground;
    ops.device_irq_interrupt = do_keyboard;
    rk_init(keyboard);
    rk_fill(&ops);
    ops.registrant_names_back = drv_names_back;    /* /dev/kbd in a new name space */
    if (keyboard && drv_publish("kbd", RK_OBJ) != ESUCCESS)
        printf("console: cannot publish /dev/kbd\n");
    serve();
    return 0;
}
