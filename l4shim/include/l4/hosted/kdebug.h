/* Hosted arch: kernel debugger calls.  Output goes to the simulator's log;
 * KDB_Enter reports and continues (the monitor may stop there). */
#ifndef __L4__HOSTED__KDEBUG_H__
#define __L4__HOSTED__KDEBUG_H__

extern void __L4_hosted_KDB_Enter(const char *s);
extern void __L4_hosted_KDB_PrintChar(L4_Word_t c);
extern void __L4_hosted_KDB_PrintString(const char *s);
extern L4_Word_t __L4_hosted_KDB_ReadChar(L4_Word_t block);

#define L4_KDB_Enter(s) __L4_hosted_KDB_Enter(s)
static inline void L4_KDB_PrintChar(char c) { __L4_hosted_KDB_PrintChar((unsigned char)c); }
static inline void L4_KDB_PrintString(const char *s) { __L4_hosted_KDB_PrintString(s); }
static inline char L4_KDB_ReadChar(void) { return (char)__L4_hosted_KDB_ReadChar(0); }
static inline char L4_KDB_ReadChar_Blocked(void) { return (char)__L4_hosted_KDB_ReadChar(1); }

#endif /* !__L4__HOSTED__KDEBUG_H__ */
