/* Hosted arch: x86 port I/O.  The simulator checks the task's permission
 * and forwards the access to its device models. */
#ifndef __L4__HOSTED__IOPORT_H__
#define __L4__HOSTED__IOPORT_H__

extern void __L4_hosted_out(L4_Word_t port, L4_Word_t value, L4_Word_t width);
extern L4_Word_t __L4_hosted_in(L4_Word_t port, L4_Word_t width);
extern void __L4_hosted_ins(L4_Word_t port, void *buf, L4_Word_t count, L4_Word_t width);
extern void __L4_hosted_outs(L4_Word_t port, const void *buf, L4_Word_t count, L4_Word_t width);

static inline void outb(L4_Word16_t port, L4_Word8_t v) { __L4_hosted_out(port, v, 1); }
static inline void outw(L4_Word16_t port, L4_Word16_t v) { __L4_hosted_out(port, v, 2); }
static inline void outl(L4_Word16_t port, L4_Word32_t v) { __L4_hosted_out(port, v, 4); }
static inline L4_Word8_t inb(L4_Word16_t port) { return (L4_Word8_t)__L4_hosted_in(port, 1); }
static inline L4_Word16_t inw(L4_Word16_t port) { return (L4_Word16_t)__L4_hosted_in(port, 2); }
static inline L4_Word32_t inl(L4_Word16_t port) { return (L4_Word32_t)__L4_hosted_in(port, 4); }

/* String I/O (rep ins/outs): count accesses of the port and the buffer,
 * in one kernel entry.  The buffer's pages are touched first, in guest
 * code, so that they fault in as the instruction's accesses would on
 * hardware (the kernel's copy takes no page faults). */
static inline void __L4_hosted_touch(volatile L4_Word8_t *p, L4_Word_t n, int write)
{
    if (n == 0)
        return;
    for (L4_Word_t off = 0;; off = (off | 4095) + 1) {
        if (off >= n)
            off = n - 1;
        if (write)
            p[off] = p[off];
        else
            (void)p[off];
        if (off == n - 1)
            break;
    }
}

static inline void insb(L4_Word16_t port, void *buf, L4_Word_t n)
{
    __L4_hosted_touch((volatile L4_Word8_t *)buf, n, 1);
    __L4_hosted_ins(port, buf, n, 1);
}
static inline void insw(L4_Word16_t port, void *buf, L4_Word_t n)
{
    __L4_hosted_touch((volatile L4_Word8_t *)buf, 2 * n, 1);
    __L4_hosted_ins(port, buf, n, 2);
}
static inline void insl(L4_Word16_t port, void *buf, L4_Word_t n)
{
    __L4_hosted_touch((volatile L4_Word8_t *)buf, 4 * n, 1);
    __L4_hosted_ins(port, buf, n, 4);
}
static inline void outsb(L4_Word16_t port, const void *buf, L4_Word_t n)
{
    __L4_hosted_touch((volatile L4_Word8_t *)buf, n, 0);
    __L4_hosted_outs(port, buf, n, 1);
}
static inline void outsw(L4_Word16_t port, const void *buf, L4_Word_t n)
{
    __L4_hosted_touch((volatile L4_Word8_t *)buf, 2 * n, 0);
    __L4_hosted_outs(port, buf, n, 2);
}
static inline void outsl(L4_Word16_t port, const void *buf, L4_Word_t n)
{
    __L4_hosted_touch((volatile L4_Word8_t *)buf, 4 * n, 0);
    __L4_hosted_outs(port, buf, n, 4);
}

#endif /* !__L4__HOSTED__IOPORT_H__ */
