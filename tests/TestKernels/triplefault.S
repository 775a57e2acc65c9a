/* triplefault: loads an empty IDT and raises #BP; with no handler the CPU shuts down (KVM_EXIT_SHUTDOWN). */
    .text
    .globl main
main:
    lidt empty_idt
    int3
    ud2

    .section .rodata
empty_idt:
    .word 0
    .long 0
