/* booter: the root task of ChacmOS.  Starts the boot list's programs
 * (boot.c), then serves the task and creator interfaces (tasks.c, serve.c)
 * until the foreground program ends or someone halts the system, and
 * has the file systems written back; its result is the run's exit status. */
#include <stdio.h>

#include "booter.h"

int main(void)
{
    printf("booter: ChacmOS booting\n");
    bt_serve_init();
    if (bt_boot())
        bt_serve();
    bt_sync_filesystems();
    return bt_halt_status;
}
