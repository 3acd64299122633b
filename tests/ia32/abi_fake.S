/* The fake kernel's system-call entries: each stores every register in
 * abi_in, notes which entry ran in abi_called, loads every register but
 * ESP from abi_out and returns, as a kernel entry in the KIP returns. */
        .macro  ENTRY name, idx
        .text
        .globl  abi_fake_\name
        .type   abi_fake_\name, @function
abi_fake_\name:
        movl    %eax, abi_in + 0
        movl    %ebx, abi_in + 4
        movl    %ecx, abi_in + 8
        movl    %edx, abi_in + 12
        movl    %esi, abi_in + 16
        movl    %edi, abi_in + 20
        movl    %ebp, abi_in + 24
        movl    %esp, abi_in + 28
        movl    $(\idx + 1), abi_called
        movl    abi_out + 0, %eax
        movl    abi_out + 4, %ebx
        movl    abi_out + 8, %ecx
        movl    abi_out + 12, %edx
        movl    abi_out + 16, %esi
        movl    abi_out + 20, %edi
        movl    abi_out + 24, %ebp
        ret
        .size   abi_fake_\name, . - abi_fake_\name
        .endm

        ENTRY   SpaceControl, 0
        ENTRY   ThreadControl, 1
        ENTRY   ProcessorControl, 2
        ENTRY   MemoryControl, 3
        ENTRY   Ipc, 4
        ENTRY   Lipc, 5
        ENTRY   Unmap, 6
        ENTRY   ExchangeRegisters, 7
        ENTRY   SystemClock, 8
        ENTRY   ThreadSwitch, 9
        ENTRY   Schedule, 10

        .section .note.GNU-stack,"",@progbits
