/* ia32 arch: x86 port I/O with the in/out instructions.  The task needs the
 * I/O fpage for the port (mapped by sigma0 as X.2 specifies); without it
 * the access faults to the pager as an IO fault. */
#ifndef __L4__IA32__IOPORT_H__
#define __L4__IA32__IOPORT_H__

static inline void outb(L4_Word16_t port, L4_Word8_t v)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outw(L4_Word16_t port, L4_Word16_t v)
{
    __asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outl(L4_Word16_t port, L4_Word32_t v)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline L4_Word8_t inb(L4_Word16_t port)
{
    L4_Word8_t v;
    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline L4_Word16_t inw(L4_Word16_t port)
{
    L4_Word16_t v;
    __asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline L4_Word32_t inl(L4_Word16_t port)
{
    L4_Word32_t v;
    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

/* String I/O: rep ins/outs, count accesses between the port and buf. */
#define __L4_IA32_INS(name, sfx)                                                              \
    static inline void name(L4_Word16_t port, void *buf, L4_Word_t n)                         \
    {                                                                                         \
        __asm__ __volatile__("rep ins" sfx : "+D"(buf), "+c"(n) : "d"(port) : "memory");      \
    }
#define __L4_IA32_OUTS(name, sfx)                                                             \
    static inline void name(L4_Word16_t port, const void *buf, L4_Word_t n)                   \
    {                                                                                         \
        __asm__ __volatile__("rep outs" sfx : "+S"(buf), "+c"(n) : "d"(port) : "memory");     \
    }
__L4_IA32_INS(insb, "b")
__L4_IA32_INS(insw, "w")
__L4_IA32_INS(insl, "l")
__L4_IA32_OUTS(outsb, "b")
__L4_IA32_OUTS(outsw, "w")
__L4_IA32_OUTS(outsl, "l")

#endif /* !__L4__IA32__IOPORT_H__ */
