/* sh_prog: a program the shell scenarios run from the file system.
 *   sh_prog [WORDS...]   prints its arguments, exits with status 0
 *   sh_prog exit N       exits with status N
 *   sh_prog spam         prints numbered lines until it is killed (^C)
 *   sh_prog read         reads one line from the console and prints it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/task.h>

#include "console_client.h"

int main(int argc, char **argv)
{
    chacm_handle_t con;
    if (chacm_resolve("dev/console", &con) == ESUCCESS)
        con_attach(con.svr, con.obj);
    int status = 0;
    if (argc == 3 && strcmp(argv[1], "exit") == 0) {
        status = atoi(argv[2]);
    } else if (argc == 2 && strcmp(argv[1], "spam") == 0) {
        for (unsigned long i = 0;; i++)
            printf("sh_prog: line %lu\n", i);
    } else if (argc == 2 && strcmp(argv[1], "read") == 0) {
        char line[256];
        int n = con_read(line, sizeof line - 1);
        if (n > 0) {
            line[n] = 0;
            if (line[n - 1] == '\n')
                line[n - 1] = 0;
            printf("sh_prog: read '%s'\n", line);
        } else {
            printf("sh_prog: read returned %d\n", n);
        }
    } else {
        printf("sh_prog: %d argument(s):", argc - 1);
        for (int i = 1; i < argc; i++)
            printf(" [%s]", argv[i]);
        printf("\n");
    }
    con_flush();
    return status;
}
