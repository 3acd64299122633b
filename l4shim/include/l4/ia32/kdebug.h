/* ia32 arch: the kernel debugger's traps.  Each call is int3 followed by
 * an instruction the debugger decodes but the CPU never runs as meant:
 * "cmpb $op, %al" names the operation (argument and result in EAX), and
 * for KDB_Enter a short jump over "mov $string, %eax" hands the debugger
 * the message.  Numbers as Pistachio's ia32 kernel debugger reads them. */
#ifndef __L4__IA32__KDEBUG_H__
#define __L4__IA32__KDEBUG_H__

#define __L4_KDB_OP_PRINTCHAR           0x00
#define __L4_KDB_OP_PRINTSTRING         0x01
#define __L4_KDB_OP_READCHAR            0x08
#define __L4_KDB_OP_READCHAR_BLOCKED    0x0d

/* The message must be a constant string (its address is an immediate). */
#define L4_KDB_Enter(s)                                                     \
    __asm__ __volatile__("int $3\n\t"                                       \
                         "jmp 1f\n\t"                                       \
                         ".byte 0xb8\n\t"   /* mov $imm32, %%eax */         \
                         ".long %c0\n"                                      \
                         "1:"                                               \
                         : : "i"(s) : "memory")

static inline void L4_KDB_PrintChar(char c)
{
    __asm__ __volatile__("int $3\n\tcmpb %1, %%al"
                         : : "a"((L4_Word_t)(unsigned char)c), "i"(__L4_KDB_OP_PRINTCHAR) : "memory");
}

/* Pistachio's debugger prints a string only if all of it is mapped (else
 * "[string not completely mapped]"), and does not fault pages in: reading
 * the string first does. */
static inline void L4_KDB_PrintString(const char *s)
{
    for (const volatile char *p = s; *p; p++) {
    }
    __asm__ __volatile__("int $3\n\tcmpb %1, %%al"
                         : : "a"(s), "i"(__L4_KDB_OP_PRINTSTRING) : "memory");
}

static inline char L4_KDB_ReadChar(void)
{
    L4_Word_t c;
    __asm__ __volatile__("int $3\n\tcmpb %1, %%al"
                         : "=a"(c) : "i"(__L4_KDB_OP_READCHAR) : "memory");
    return (char)c;
}

static inline char L4_KDB_ReadChar_Blocked(void)
{
    L4_Word_t c;
    __asm__ __volatile__("int $3\n\tcmpb %1, %%al"
                         : "=a"(c) : "i"(__L4_KDB_OP_READCHAR_BLOCKED) : "memory");
    return (char)c;
}

#endif /* !__L4__IA32__KDEBUG_H__ */
