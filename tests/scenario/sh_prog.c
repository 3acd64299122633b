/* sh_prog: a program the shell scenarios run from the file system.
 *   sh_prog [WORDS...]   prints its arguments, exits with status 0
 *   sh_prog exit N       exits with status N
 *   sh_prog spam         prints numbered lines until it is killed (^C)
 *   sh_prog read         reads one line from the console and prints it
 *   sh_prog null         writes to address 0 (outside its window: the kernel
 *                        halts the thread, no one handles the exception)
 *   sh_prog divide       divides by zero (halted by the kernel as well)
 *   sh_prog wild         writes where memsvr gave it nothing (memsvr stops it)
 *   sh_prog orphan       the same with no exception handler (memsvr ends the
 *                        task; its thread waits for ever for the fault's reply)
 *   sh_prog busy         computes for ever, entering the kernel (L4_Yield)
 *                        but neither printing nor reading, until killed
 *   sh_prog hang         waits for a message that never comes
 *   sh_prog regions N    makes N one-page regions (every other read-only, so
 *                        that they stay apart) and touches each: memsvr's
 *                        tables outgrow its first heap chunk */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <chacm/console.h>
#include <chacm/l4util.h>
#include <chacm/mach_server.h>
#include <chacm/task.h>
#include <mach/mach.h>
#include <l4/ipc.h>
#include <l4/schedule.h>

#include "console_client.h"

/* volatile, so that the compiler cannot see the faults coming */
static volatile unsigned long zero;
static volatile int zero_int;

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
    } else if (argc == 2 && strcmp(argv[1], "null") == 0) {
        printf("sh_prog: writing to address 0\n");
        con_flush();
        *(volatile int *)zero = 1;
    } else if (argc == 2 && strcmp(argv[1], "divide") == 0) {
        printf("sh_prog: dividing by zero\n");
        con_flush();
        status = (zero_int + 7) / zero_int;
    } else if (argc == 2 && strcmp(argv[1], "wild") == 0) {
        printf("sh_prog: writing where nothing is mapped\n");
        con_flush();
        *(volatile int *)(lib_usable_end() - 4096) = 1;
    } else if (argc == 2 && strcmp(argv[1], "orphan") == 0) {
        printf("sh_prog: writing where nothing is mapped, with no exception handler\n");
        con_flush();
        if (mach_task_set_exception_port(mach_task_self(), L4_nilthread) != KERN_SUCCESS)
            printf("sh_prog: cannot drop the exception handler\n");
        *(volatile int *)(lib_usable_end() - 4096) = 1;
    } else if (argc == 2 && strcmp(argv[1], "busy") == 0) {
        for (;;)            /* no output: only the console's own look finds a ^C */
            L4_Yield();
    } else if (argc == 2 && strcmp(argv[1], "hang") == 0) {
        printf("sh_prog: waiting for a message from the booter\n");
        con_flush();
        L4_Receive(chacm_booter());
    } else if (argc == 3 && strcmp(argv[1], "regions") == 0) {
        int n = atoi(argv[2]), i;
        task_t self = mach_task_self();
        for (i = 0; i < n; i++) {
            vm_address_t a = 0;
            if (vm_allocate(self, &a, vm_page_size, TRUE) != KERN_SUCCESS) break;
            *(volatile char *)a = 1;
            if (i % 2) vm_protect(self, a, vm_page_size, FALSE, VM_PROT_READ);
        }
        printf("sh_prog: %d regions\n", i);
    } else {
        printf("sh_prog: %d argument(s):", argc - 1);
        for (int i = 1; i < argc; i++)
            printf(" [%s]", argv[i]);
        printf("\n");
    }
    con_flush();
    return status;
}
