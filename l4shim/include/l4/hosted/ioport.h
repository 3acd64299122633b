/* Hosted arch: x86 port I/O.  The simulator checks the task's permission
 * and forwards the access to its device models. */
#ifndef __L4__HOSTED__IOPORT_H__
#define __L4__HOSTED__IOPORT_H__

extern void __L4_hosted_out(L4_Word_t port, L4_Word_t value, L4_Word_t width);
extern L4_Word_t __L4_hosted_in(L4_Word_t port, L4_Word_t width);

static inline void outb(L4_Word16_t port, L4_Word8_t v) { __L4_hosted_out(port, v, 1); }
static inline void outw(L4_Word16_t port, L4_Word16_t v) { __L4_hosted_out(port, v, 2); }
static inline void outl(L4_Word16_t port, L4_Word32_t v) { __L4_hosted_out(port, v, 4); }
static inline L4_Word8_t inb(L4_Word16_t port) { return (L4_Word8_t)__L4_hosted_in(port, 1); }
static inline L4_Word16_t inw(L4_Word16_t port) { return (L4_Word16_t)__L4_hosted_in(port, 2); }
static inline L4_Word32_t inl(L4_Word16_t port) { return (L4_Word32_t)__L4_hosted_in(port, 4); }

#endif /* !__L4__HOSTED__IOPORT_H__ */
