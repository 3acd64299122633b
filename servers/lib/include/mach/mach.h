/* <mach/mach.h>: everything a program needs for Mach's VM calls on
 * ChacmOS: the types, constants, page rounding and every call's prototype.
 * Code written against Mach's VM interface compiles against it unchanged. */
#ifndef CHACM_MACH_MACH_H
#define CHACM_MACH_MACH_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_traps.h>
#include <mach/memory_object.h>
#include <mach/port.h>
#include <mach/vm_inherit.h>
#include <mach/vm_map.h>
#include <mach/vm_param.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/vm_types.h>

#endif /* !CHACM_MACH_MACH_H */
