/*
 * longmode: identity-maps the first 1 GiB with 2 MiB pages (4-level tables), sets CR4.PAE, EFER.LME
 * (WRMSR 0xC0000080) and CR0.PG in one step from 32-bit protected mode, far-jumps to 64-bit code and prints
 * from there. KVM refuses EFER.LME unless the vCPU's CPUID advertises long mode.
 */
#include "common.h"
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define CR4_PAE  (1 << 5)
#define CR0_PG   (1 << 31)
#define PRESENT_WRITABLE 0x03
#define LARGE_PAGE       0x80

    .text
    .code32
    .globl main
main:
    /* PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] = i * 2 MiB, large */
    mov $pdpt, %eax
    or $PRESENT_WRITABLE, %eax
    mov %eax, pml4
    mov $pd, %eax
    or $PRESENT_WRITABLE, %eax
    mov %eax, pdpt
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $(PRESENT_WRITABLE | LARGE_PAGE), %eax
    mov %eax, pd(, %ecx, 8)
    movl $0, pd + 4(, %ecx, 8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    mov $pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    mov %cr0, %eax
    or $CR0_PG, %eax
    mov %eax, %cr0
    ljmp $CODE64_SELECTOR, $long64

    .code64
long64:
    lea message(%rip), %rsi
1:  lodsb
    test %al, %al
    jz 3f
    mov %al, %bl
    mov $COM1_LSR, %dx
2:  in %dx, %al
    test $LSR_THR_EMPTY, %al
    jz 2b
    mov %bl, %al
    mov $COM1, %dx
    out %al, %dx
    jmp 1b
3:  mov $EXIT_PASS, %al
    out %al, $DEBUG_EXIT
4:  cli
    hlt
    jmp 4b

    .section .rodata
message: .asciz "PASS: long mode\n"

    .bss
    .align 4096
pml4: .space 4096
pdpt: .space 4096
pd:   .space 4096
