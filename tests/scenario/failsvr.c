/* failsvr: a server that cannot start (its configuration is missing) and
 * ends at once, for the boot scenario's "a server that fails to start". */
#include <stdio.h>

int main(void);

int main(void)
{
    printf("failsvr: no configuration; giving up\n");
    return 1;
}
