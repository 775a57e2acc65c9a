/*
 * smp: starts the application processors with INIT and SIPI through the xAPIC at 0xFEE00000. Each AP runs a
 * real-mode trampoline copied to 0x8000, enters 32-bit protected mode with the kernel's GDT and increments a
 * counter; the BSP passes once the count (BSP included) equals the CPU count read from fw_cfg.
 */
#include "common.h"
#define APIC_SVR       0xFEE000F0
#define APIC_ICR_LOW   0xFEE00300
#define ICR_INIT_ALL   0x000C4500     /* all excluding self, assert, INIT */
#define ICR_SIPI_ALL   0x000C4600     /* all excluding self, start-up; vector = page number */
#define ICR_BUSY       (1 << 12)
#define TRAMPOLINE     0x8000
#define WAIT_ROUNDS    2000000

    .text
    .code32
    .globl main
main:
    mov $FW_CFG_NB_CPUS, %ax
    call fw_cfg_read16
    mov %eax, %edi                   /* expected count */
    mov $label, %esi
    call puts
    call put_dec
    mov $'\n', %al
    call putc

    /* copy the trampoline below 1 MiB */
    mov $trampoline_start, %esi
    mov $TRAMPOLINE, %edx
    mov %edx, %ebx
    mov $(trampoline_end - trampoline_start), %ecx
    push %edi
    mov %ebx, %edi
    rep movsb
    pop %edi

    movl $0x1FF, APIC_SVR            /* software-enable the local APIC, spurious vector 0xFF */
    movl $ICR_INIT_ALL, APIC_ICR_LOW
    call wait_icr
    movl $(ICR_SIPI_ALL | (TRAMPOLINE >> 12)), APIC_ICR_LOW
    call wait_icr
    movl $(ICR_SIPI_ALL | (TRAMPOLINE >> 12)), APIC_ICR_LOW
    call wait_icr

    mov $WAIT_ROUNDS, %ecx
1:  mov started, %eax
    inc %eax                          /* the BSP */
    cmp %edi, %eax
    je pass
    pause
    loop 1b
    mov $fail_message, %esi
    call puts
    call put_dec
    mov $'\n', %al
    call putc
    mov $EXIT_FAIL, %al
    jmp exit
pass:
    mov $pass_message, %esi
    call puts
    call put_dec
    mov $'\n', %al
    call putc
    mov $EXIT_PASS, %al
    jmp exit

wait_icr:
    testl $ICR_BUSY, APIC_ICR_LOW
    jz 1f
    pause
    jmp wait_icr
1:  ret

/* Runs on each AP in 32-bit protected mode, flat segments. */
ap_entry32:
    mov $DATA_SELECTOR, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    lock incl started
1:  cli
    hlt
    jmp 1b

/* Copied to TRAMPOLINE; starts in real mode at TRAMPOLINE >> 4 : 0. */
    .code16
trampoline_start:
    cli
    mov %cs, %ax
    mov %ax, %ds
    lgdtl trampoline_gdtr - trampoline_start
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $CODE32_SELECTOR, $ap_entry32
trampoline_gdtr:
    .word 31
    .long gdt
trampoline_end:
    .code32

    .section .rodata
label:        .asciz "smp: fw_cfg cpus="
pass_message: .asciz "PASS: smp cpus="
fail_message: .asciz "FAIL: smp: CPUs started (BSP included)="

    .data
    .align 4
started: .long 0
