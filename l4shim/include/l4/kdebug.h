/* L4 kernel debugger interface (L4_KDB_Enter, L4_KDB_PrintChar,
 * L4_KDB_PrintString, L4_KDB_ReadChar...); the calls come from the arch. */
#ifndef __L4__KDEBUG_H__
#define __L4__KDEBUG_H__

#include <l4/types.h>
#include __L4_ARCH_INC(kdebug.h)

#endif /* !__L4__KDEBUG_H__ */
