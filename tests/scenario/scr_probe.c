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
 * and then waits for one line of input before it ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/l4util.h>
#include <chacm/task.h>

#include "console_client.h"

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
    printf("keys: type; q ends\n");
    con_set_mode(CON_RAW);
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
    } else if (argc >= 2 && !strcmp(argv[1], "cursor")) {
        char line[80];
        printf("\033[?25lhidden; Enter shows it\n");
        con_read(line, sizeof line);
        printf("\033[?25h\033[10;40Hhere");
    } else {
        printf("usage: scr_probe colours | scroll N | keys | cursor\n");
        return 2;
    }
    con_flush();
    char line[80];
    int n = con_read(line, sizeof line);
    printf("scr_probe: done (%d)\n", n);
    return 0;
}
