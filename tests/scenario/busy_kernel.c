/* busy_kernel: a root task that enters the kernel for ever without handing
 * the CPU to another thread (SystemClock calls), so that only the
 * real-time limit ends the run; its report must show the clock as it is. */
#include <l4/kip.h>

int main(void);

int main(void)
{
    for (;;)
        L4_SystemClock();
}
