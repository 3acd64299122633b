/* args_root: prints its argument vector and its command line, to show
 * that crt0 passes the boot list's (or --root's) command line to main. */
#include <stdio.h>
#include <chacm/lib.h>

int main(int argc, char **argv);

int main(int argc, char **argv)
{
    printf("args_root: argc %d:", argc);
    for (int i = 0; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("; cmdline '%s'%s\n", lib_cmdline(), argv[argc] ? " (argv not NULL-terminated)" : "");
    return 0;
}
