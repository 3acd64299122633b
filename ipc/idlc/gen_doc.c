/* chacm-idl: the Markdown reference of the interfaces a file defines. */
#include "gen_msg.h"

void gen_doc(gen_t *g)
{
    (void)g;
}
