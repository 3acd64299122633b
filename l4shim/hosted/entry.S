/* Kernel entry and exit for the hosted kernel (x86-64).
 *
 * A guest thread runs on the stack its creator gave it.  Every system call
 * enters through a stub here that switches to the thread's kernel stack
 * (kern_kstack, a TLS word set when the thread first entered guest code)
 * before any kernel C code runs, and switches back on return.  Arguments
 * stay in registers, results come back in rax:rdx.  The CFI tells debuggers
 * how to unwind from kernel code back into the guest's frames.  With
 * isolation (isolation.c) the stubs switch PKRU: every key allowed in
 * the kernel, the thread's own keys (kern_guest_pkru) in guest code.  The
 * IPC stubs switch at entry only with strict isolation (with isolation on
 * the fast path needs no other key; the long path switches in C) and at
 * exit only where PKRU may not be the guest's (kern_pkru_stale).  The level sits on a
 * page that guest code may read (kern_iso_pub). */

ISO_OFF = 0
ISO_STRICT = 2

/* PKRU 0, every key allowed; keeps arguments 3 and 4 (rdx, rcx) */
.macro PKRU_KERNEL
        movq    %rdx, %r10
        movq    %rcx, %r11
        xorl    %eax, %eax
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        wrpkru
        movq    %r10, %rdx
        movq    %r11, %rcx
.endm

/* PKRU = kern_guest_pkru; keeps the results (rax, rdx).  With check, only
 * if kern_pkru_stale says that it may have changed since the guest left
 * it (a test of a thread-local byte: cheaper than RDPKRU). */
.macro PKRU_GUEST check
        .if \check
        cmpb    $0, %fs:kern_pkru_stale@tpoff
        je      3f
        .endif
        movb    $0, %fs:kern_pkru_stale@tpoff
        movq    %rax, %r10
        movq    %rdx, %r11
        movl    %fs:kern_guest_pkru@tpoff, %eax
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        wrpkru
        movq    %r10, %rax
        movq    %r11, %rdx
3:
.endm

        .text

/* SYSCALL name, kernel function, fast (IPC: switch at entry only when
 * strict, at exit only where needed) */
.macro SYSCALL name, fn, fast=0
        .globl \name
        .type \name, @function
\name:
        .cfi_startproc
        .if \fast
        cmpb    $ISO_STRICT, kern_iso_pub(%rip)
        jne     1f
        .else
        cmpb    $ISO_OFF, kern_iso_pub(%rip)
        je      1f
        .endif
        PKRU_KERNEL
        .if \fast
        movb    $1, %fs:kern_pkru_stale@tpoff   /* strict: the exit restores the guest's */
        .endif
1:      movq    %rsp, %rax
        movq    %fs:kern_kstack@tpoff, %rsp
        pushq   %rax
        /* CFA = saved guest rsp + 8 (the guest's return address sits at it) */
        .cfi_escape 0x0f, 0x05, 0x77, 0x00, 0x06, 0x23, 0x08
        subq    $8, %rsp
        .cfi_escape 0x0f, 0x05, 0x77, 0x08, 0x06, 0x23, 0x08
        call    \fn
        addq    $8, %rsp
        .cfi_escape 0x0f, 0x05, 0x77, 0x00, 0x06, 0x23, 0x08
        movq    (%rsp), %r9         /* the guest's stack pointer, read while the kernel stack is open */
        cmpb    $ISO_OFF, kern_iso_pub(%rip)
        je      2f
        PKRU_GUEST \fast
2:      movq    %r9, %rsp
        .cfi_def_cfa %rsp, 8
        ret
        .cfi_endproc
        .size \name, . - \name
.endm

        SYSCALL __L4_hosted_KernelInterface,    kern_sys_kernel_interface
        SYSCALL __L4_hosted_Ipc,                kern_sys_ipc, 1
        SYSCALL __L4_hosted_Lipc,               kern_sys_lipc, 1
        SYSCALL __L4_hosted_ExchangeRegisters,  kern_sys_exchange_registers
        SYSCALL __L4_hosted_ThreadControl,      kern_sys_thread_control
        SYSCALL __L4_hosted_SystemClock,        kern_sys_system_clock
        SYSCALL __L4_hosted_ThreadSwitch,       kern_sys_thread_switch
        SYSCALL __L4_hosted_Schedule,           kern_sys_schedule
        SYSCALL __L4_hosted_Unmap,              kern_sys_unmap
        SYSCALL __L4_hosted_SpaceControl,       kern_sys_space_control
        SYSCALL __L4_hosted_ProcessorControl,   kern_sys_processor_control
        SYSCALL __L4_hosted_MemoryControl,      kern_sys_memory_control
        SYSCALL __L4_hosted_KDB_Enter,          kern_sys_kdb_enter
        SYSCALL __L4_hosted_KDB_PrintChar,      kern_sys_kdb_print_char
        SYSCALL __L4_hosted_KDB_PrintString,    kern_sys_kdb_print_string
        SYSCALL __L4_hosted_KDB_ReadChar,       kern_sys_kdb_read_char
        SYSCALL __L4_hosted_exit,               kern_sys_exit
        SYSCALL __L4_hosted_out,                kern_sys_out
        SYSCALL __L4_hosted_in,                 kern_sys_in
        SYSCALL __L4_hosted_ins,                kern_sys_ins
        SYSCALL __L4_hosted_outs,               kern_sys_outs
        SYSCALL __L4_hosted_LoadImage,          kern_sys_load_image

/* void kern_enter_guest(L4_Word_t sp, L4_Word_t ip)
 * Leaves the kernel for good on this stack level: records the kernel stack
 * top just below the caller's frame and jumps to ip on the guest stack sp.
 * With sp != 0 the guest finds kern_guest_returned as its return address;
 * sp == 0 is for entry points that set up their own stack (crt0).
 * The kernel never stores to the guest stack: the return address is pushed
 * after the switch to it, as the thread's first instruction, so a bad or
 * unmapped stack is the thread's own page fault (kern_guest_first_push,
 * which fault.c treats as guest code whatever the stack pointer). */
        .globl kern_enter_guest
        .type kern_enter_guest, @function
kern_enter_guest:
        .cfi_startproc
        leaq    -64(%rsp), %rax
        andq    $-16, %rax
        movq    %rax, %fs:kern_kstack@tpoff
        xorl    %ebp, %ebp
        cmpb    $ISO_OFF, kern_iso_pub(%rip)
        je      2f
        movb    $0, %fs:kern_pkru_stale@tpoff
        movl    %fs:kern_guest_pkru@tpoff, %eax   /* the guest's keys from here on */
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        wrpkru
2:      testq   %rdi, %rdi
        jz      1f
        andq    $-16, %rdi
        leaq    kern_guest_returned(%rip), %rax
        movq    %rdi, %rsp
        .cfi_undefined rip
        .globl kern_guest_first_push
kern_guest_first_push:
        pushq   %rax
        jmp     *%rsi
1:      xorl    %esp, %esp          /* 0 for an entry point with its own stack */
        jmp     *%rsi
        /* [kern_guest_first_push, here): the thread's own first steps; a
         * jump to a non-canonical IP faults on the jmp itself */
        .globl kern_guest_entry_end
kern_guest_entry_end:
        .cfi_endproc
        .size kern_enter_guest, . - kern_enter_guest

/* A thread's entry function returned: report it on the kernel stack. */
        .type kern_guest_returned, @function
kern_guest_returned:
        .cfi_startproc
        .cfi_undefined rip
        cmpb    $ISO_OFF, kern_iso_pub(%rip)
        je      1f
        xorl    %eax, %eax
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        wrpkru
1:      movq    %fs:kern_kstack@tpoff, %rsp
        call    kern_thread_returned
        ud2
        .cfi_endproc
        .size kern_guest_returned, . - kern_guest_returned

        .section .note.GNU-stack,"",@progbits
