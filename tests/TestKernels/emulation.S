/*
 * emulation: loads an empty IDT and executes int3. On hardware that runs the guest natively the #BP finds no gate,
 * nor do the #GP and #DF after it, and the CPU shuts down (KVM_EXIT_SHUTDOWN); where KVM's instruction emulator runs
 * CPL0 code (nested hosts such as kvm_pvm) it gives up on INT n in protected mode instead (KVM_EXIT_INTERNAL_ERROR,
 * emulation). Either way the kernel never reports: the runner must end it with the exit reason, not hang.
 */
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
