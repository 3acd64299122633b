/* The program that area_image.c and the system scenarios load from bytes:
 * it asks its creator for its command line (it has no boot record), prints
 * its arguments and a global's count, and ends with 42 + that count, which
 * servers/lib reports to its creator (task::exit).  With the first
 * argument "fault" it writes where it has no memory (memsvr stops it);
 * with "sleep" it sleeps for good (to be killed). */
#include <stdio.h>
#include <string.h>
#include <chacm/l4util.h>
#include <l4/ipc.h>

static int runs;

int main(int argc, char **argv)
{
    runs++;
    printf("image_probe: %d words, last '%s', runs %d\n", argc, argv[argc - 1], runs);
    if (argc > 1 && !strcmp(argv[1], "fault"))
        *(volatile int *)(lib_usable_base() + 0x100000) = 1;
    if (argc > 1 && !strcmp(argv[1], "sleep"))
        L4_Sleep(L4_Never);
    return 42 + runs;
}
