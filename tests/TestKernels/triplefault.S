/*
 * triplefault: loads an empty IDT and divides by zero; #DE finds no gate, #GP neither, and the CPU shuts down
 * (KVM_EXIT_SHUTDOWN). Divide, not int3: KVM's instruction emulator, which runs CPL0 code on nested hosts, raises
 * #DE (and #UD) itself but gives up on INT n in protected mode (see emulation.S).
 */
    .text
    .globl main
main:
    lidt empty_idt
    xor %ecx, %ecx
    xor %edx, %edx
    mov $1, %eax
    div %ecx
    ud2

    .section .rodata
empty_idt:
    .word 0
    .long 0
