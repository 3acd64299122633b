/* scr_probe: the program of the screen scenarios (screen/NAME.script, booted
 * by screen.lst as the foreground program).  It prints through the
 * console and reads from it:
 *   scr_probe colours   the 16 foreground colours on each of 8 backgrounds,
 *                       bold, blink and reverse, then cursor moves and
 *                       erasures (the screen dump shows the attributes)
 *   scr_probe scroll N  N numbered lines (the screen scrolls)
 *   scr_probe keys      reads in raw mode and prints each read's bytes in
 *                       hex, until a read ends with 'q'
 *   scr_probe cursor    hides the cursor; after a line of input shows it at
 *                       row 10, column 44
 *   scr_probe kbd       opens /dev/kbd (and tries what it refuses), prints
 *                       the raw key events of each read in hex until q's
 *                       break code, then its statuses and the errors after
 *                       the close
 * and then waits for one line of input before it ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/l4util.h>
#include <chacm/task.h>

#include "console_client.h"
#include "device_client.h"

static void colours(void)
{
    printf("\033[2J\033[Hcolours:\n");
    for (int bg = 0; bg < 8; bg++) {
        for (int fg = 0; fg < 8; fg++)
            printf("\033[%d;%dm%d%d\033[1m%d%d\033[0m", 30 + fg, 40 + bg, fg, bg, fg + 8, bg);
        printf("\n");
    }
    printf("\033[1mbold\033[22m \033[5mblink\033[25m \033[7mreverse\033[27m \033[93;44mbright\033[39;49m default\n");
    printf("12345678901234567890\033[5D\033[K<cut\n");
    printf("\033[15;30Hat 15,30\033[1A^\033[2B_\033[24;1H\n");
}

static void keys(void)
{
    char buf[64];
    con_set_mode(CON_RAW);         /* before the prompt: a script types once it shows */
    printf("keys: type; q ends\n");
    for (;;) {
        int n = con_read(buf, sizeof buf);
        if (n <= 0) {
            printf("read: %d\n", n);
            break;
        }
        printf("read");
        for (int i = 0; i < n; i++)
            printf(" %02x", (unsigned char)buf[i]);
        printf("\n");
        if (buf[n - 1] == 'q')
            break;
    }
    con_set_mode(CON_COOKED);
}

static void kbd(chacm_handle_t con)
{
    chacm_env_t e = { 0 };
    chacm_handle_t h;
    int dev = -1, bad = -1, size = 0, n = 0, st[8], *sp = st;
    char buf[64], *p = buf;
    printf("kbd: resolve %d\n", chacm_resolve("dev/kbd", &h));
    int r1 = device_open(con.svr, 0, D_READ | D_WRITE, "kbd", &bad, &e);
    int r2 = device_open(con.svr, 0, D_READ, "nothing", &bad, &e);
    int r3 = device_open(con.svr, 2, D_READ, "kbd", &bad, &e);
    printf("kbd: open for writing %d, open nothing %d, open on console 2 %d\n", r1, r2, r3);
    printf("kbd: read before open %d\n", device_read(h.svr, h.obj, 0, 0, 16, &size, &p, &e));
    int rc = device_open(con.svr, 0, D_READ, "kbd", &dev, &e);
    printf("kbd: open %d, object %d, same as /dev/kbd %d\n", rc, dev, dev == h.obj && L4_IsThreadEqual(h.svr, con.svr));
    r1 = device_read(con.svr, dev, D_NOWAIT, 0, 16, &size, &p, &e);
    r2 = device_read(con.svr, 1, 0, 0, 16, &size, &p, &e);
    r3 = device_read(con.svr, dev, 0, 0, 0, &size, &p, &e);
    int r4 = device_write(con.svr, dev, 0, 0, 1, "x", &n, &e);
    printf("kbd: nowait %d, on console 1 %d, length 0 %d, write %d\n", r1, r2, r3, r4);
    printf("kbd: type; q ends\n");
    for (bool q = false; !q;) {
        p = buf;
        rc = device_read(con.svr, dev, 0, 0, sizeof buf, &size, &p, &e);
        if (rc != ESUCCESS || e.error != CHACM_IDL_OK) {
            printf("kbd: read %d (%lu)\n", rc, e.error);
            return;
        }
        printf("events");
        for (int i = 0; i < size; i++) {
            printf(" %02x", (unsigned char)p[i]);
            q = q || (unsigned char)p[i] == 0x90;       /* q's break code */
        }
        printf("\n");
    }
    rc = device_get_status(con.svr, dev, DEV_KBD, &n, &sp, &e);
    printf("kbd: status %d: %d words, %d waiting, %d lost\n", rc, n, sp[0], sp[1]);
    rc = device_get_status(con.svr, dev, DEV_GET_INFO, &n, &sp, &e);
    printf("kbd: info %d: kind %d\n", rc, sp[0]);
    r1 = device_close(con.svr, dev, &e);
    r2 = device_read(con.svr, dev, 0, 0, 16, &size, &p, &e);
    r3 = device_close(con.svr, dev, &e);
    printf("kbd: close %d, read after it %d, close again %d\n", r1, r2, r3);
}

int main(int argc, char **argv)
{
    chacm_handle_t con;
    if (chacm_resolve("dev/console", &con) != ESUCCESS) {
        printf("scr_probe: no /dev/console\n");
        return 1;
    }
    con_attach(con.svr, con.obj);
    if (argc >= 2 && !strcmp(argv[1], "colours")) {
        colours();
    } else if (argc == 3 && !strcmp(argv[1], "scroll")) {
        int n = atoi(argv[2]);
        for (int i = 1; i <= n; i++)
            printf("line %d of %d\n", i, n);
    } else if (argc >= 2 && !strcmp(argv[1], "keys")) {
        keys();
    } else if (argc >= 2 && !strcmp(argv[1], "kbd")) {
        kbd(con);
    } else if (argc >= 2 && !strcmp(argv[1], "cursor")) {
        char line[80];
        printf("\033[?25lhidden; Enter shows it\n");
        con_read(line, sizeof line);
        printf("\033[?25h\033[10;40Hhere");
    } else {
        printf("usage: scr_probe colours | scroll N | keys | cursor | kbd\n");
        return 2;
    }
    con_flush();
    char line[80];
    int n = con_read(line, sizeof line);
    printf("scr_probe: done (%d)\n", n);
    return 0;
}
