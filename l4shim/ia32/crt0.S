/* ia32 program start: every program's entry point.  The kernel (or the
 * loader) starts _start with no usable stack; crt0 switches to the
 * program's own stack, fills the system-call entry table from the KIP,
 * runs main through servers/lib's __chacm_main (the command line, argc and
 * argv) and hands its result to __chacm_exit.  The CFI marks _start as the
 * outermost frame, so debuggers end a backtrace here. */
        .text
        .globl  _start
        .type   _start, @function
_start:
        .cfi_startproc
        .cfi_undefined eip
        movl    $__chacm_stack_top, %esp
        xorl    %ebp, %ebp
        call    __L4_ia32_init_syscalls
        call    __chacm_main
        pushl   %eax
        call    __chacm_exit
        ud2
        .cfi_endproc
        .size   _start, . - _start

        .bss
        .balign 16
        .globl  __chacm_stack_bottom
        .hidden __chacm_stack_bottom
__chacm_stack_bottom:
        .space  65536
__chacm_stack_top:

        .section .note.GNU-stack,"",@progbits
