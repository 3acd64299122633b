/* Program images (a chacmsim extension, not part of X.2): the arch part
 * says how a privileged task turns a program file into code a new task
 * can run.  Hosted: the kernel's LoadImage system call (l4/hosted/image.h,
 * docs/kernel.md, "Loading program images"); ia32: nothing, since a real
 * L4 kernel runs ELF32 code placed in a task's memory by its creator.
 * Only servers/lib's program loader includes this. */
#ifndef __L4__IMAGE_H__
#define __L4__IMAGE_H__

#include <l4/arch.h>
#include <l4/types.h>
#include __L4_ARCH_INC(image.h)

#endif /* !__L4__IMAGE_H__ */
