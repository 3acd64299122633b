/* Selects the architecture directory of the L4 API headers.  The build
 * defines L4_ARCH (hosted or ia32); portable headers include their arch part
 * through __L4_ARCH_INC(file), so no shared source names an architecture. */
#ifndef __L4__ARCH_H__
#define __L4__ARCH_H__

#ifndef L4_ARCH
#error "L4_ARCH must name the architecture directory (the build defines it)"
#endif

#define __L4_STR(x) #x
#define __L4_XSTR(x) __L4_STR(x)
#define __L4_ARCH_INC(file) __L4_XSTR(l4/L4_ARCH/file)

#endif /* !__L4__ARCH_H__ */
