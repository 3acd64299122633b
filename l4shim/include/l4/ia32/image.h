/* ia32 arch: program images need no kernel help on a real L4 kernel; the
 * creator copies an ELF32 executable's segments into the task's memory
 * (servers/lib/arch/ia32/image.c).  Nothing is declared here. */
#ifndef __L4__IA32__IMAGE_H__
#define __L4__IA32__IMAGE_H__
#endif /* !__L4__IA32__IMAGE_H__ */
