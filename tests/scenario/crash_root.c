/* crash_root: a root task that touches memory outside its window with no
 * exception handler, so its main thread is stopped and the run ends. */
#include <stdio.h>

int main(void);

/* An address the compiler cannot see through. */
static volatile unsigned long bad_address = 8;

int main(void)
{
    printf("crash_root: touching address %lu\n", bad_address);
    return *(volatile int *)bad_address;
}
