/* Hosted program start: every module's entry point.  The kernel enters
 * _start with no stack; crt0 switches to the module's own initial stack,
 * runs main through servers/lib's __chacm_main (the command line, argc and
 * argv) and hands its result to the kernel.  The CFI marks _start as the
 * outermost frame, so debuggers end a backtrace here. */
        .text
        .globl  _start
        .type   _start, @function
_start:
        .cfi_startproc
        .cfi_undefined rip
        leaq    __chacm_stack_top(%rip), %rsp
        xorl    %ebp, %ebp
        call    __chacm_main
        movq    %rax, %rdi
        call    __chacm_exit
        ud2
        .cfi_endproc
        .size   _start, . - _start

/* void __chacm_exit(int status): ends the program (the root task: the run). */
        .globl  __chacm_exit
        .hidden __chacm_exit
        .type   __chacm_exit, @function
__chacm_exit:
        movslq  %edi, %rdi
        call    __L4_hosted_exit@PLT
        ud2
        .size   __chacm_exit, . - __chacm_exit

        .bss
        .balign 16
        .globl  __chacm_stack_bottom
        .hidden __chacm_stack_bottom
__chacm_stack_bottom:
        .space  65536
__chacm_stack_top:

        .section .note.GNU-stack,"",@progbits
