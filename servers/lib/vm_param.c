/* servers/lib: Mach's vm_page_size variable, for programs that read the page
 * size at run time instead of using PAGE_SIZE (<mach/vm_param.h>). */
#include <mach/vm_param.h>

vm_size_t vm_page_size = PAGE_SIZE;
