/* x86 port I/O for drivers (inb/outb and friends); the arch decides how. */
#ifndef __L4__IOPORT_H__
#define __L4__IOPORT_H__

#include <l4/types.h>
#include __L4_ARCH_INC(ioport.h)

#endif /* !__L4__IOPORT_H__ */
