/*
 * Shared start-up and helpers of the test kernels (32-bit protected mode, no paging).
 * _start: multiboot header, own flat GDT, segments reloaded, a stack, then main() with the multiboot
 * magic and info pointer saved in mb_magic / mb_info. Helpers keep every register but the documented ones.
 */
#include "common.h"

    .section .multiboot, "a"
    .align 4
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

    .text
    .code32
    .globl _start
_start:
    cli
    mov %eax, mb_magic
    mov %ebx, mb_info
    lgdt gdt_descriptor
    ljmp $CODE32_SELECTOR, $1f
1:  mov $DATA_SELECTOR, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov %ax, %ss
    mov $stack_top, %esp
    cmpl $MULTIBOOT_BOOTLOADER, mb_magic
    je 2f
    mov $bad_magic, %esi
    call puts
    mov $EXIT_FAIL, %al
    jmp exit
2:  call main
    mov $EXIT_FAIL, %al      /* main never returns; if it does, that is a failure */
    jmp exit

/* putc: writes %al to COM1 once the transmitter holding register is empty. */
    .globl putc
putc:
    push %edx
    push %eax
    mov $COM1_LSR, %dx
1:  in %dx, %al
    test $LSR_THR_EMPTY, %al
    jz 1b
    pop %eax
    mov $COM1, %dx
    out %al, %dx
    pop %edx
    ret

/* puts: writes the NUL-terminated string at %esi. */
    .globl puts
puts:
    push %esi
    push %eax
1:  lodsb
    test %al, %al
    jz 2f
    call putc
    jmp 1b
2:  pop %eax
    pop %esi
    ret

/* put_dec: writes %eax in decimal. */
    .globl put_dec
put_dec:
    pusha
    mov $10, %ecx
    xor %ebx, %ebx
1:  xor %edx, %edx
    div %ecx
    push %edx
    inc %ebx
    test %eax, %eax
    jnz 1b
2:  pop %eax
    add $'0', %al
    call putc
    dec %ebx
    jnz 2b
    popa
    ret

/* exit: writes %al to the debug-exit port, then halts for good. */
    .globl exit
exit:
    out %al, $DEBUG_EXIT
1:  cli
    hlt
    jmp 1b

/* fw_cfg_read16: selects key %ax and returns its first two bytes, little endian, in %eax. */
    .globl fw_cfg_read16
fw_cfg_read16:
    push %edx
    push %ecx
    mov $FW_CFG_SELECTOR, %dx
    out %ax, %dx
    mov $FW_CFG_DATA, %dx
    in %dx, %al
    movzbl %al, %ecx
    in %dx, %al
    movzbl %al, %eax
    shl $8, %eax
    or %ecx, %eax
    pop %ecx
    pop %edx
    ret

/*
 * cmdline_value: finds "<name>=" at the start of a word of the multiboot command line; %esi = name
 * (NUL-terminated). Returns the value's address in %esi and its length in %ecx, or %esi = 0.
 */
    .globl cmdline_value
cmdline_value:
    push %edi
    push %ebx
    push %eax
    push %edx
    mov %esi, %edx            /* name */
    mov mb_info, %ebx
    testl $4, (%ebx)          /* flags bit 2: cmdline */
    jz 9f
    mov 16(%ebx), %edi        /* cmdline */
1:  mov %edx, %esi            /* compare name at %edi */
    mov %edi, %ebx
2:  mov (%esi), %al
    test %al, %al
    jz 4f
    cmp (%ebx), %al
    jne 5f
    inc %esi
    inc %ebx
    jmp 2b
4:  cmpb $'=', (%ebx)
    jne 5f
    inc %ebx                  /* value starts after '=' */
    mov %ebx, %esi
    xor %ecx, %ecx
6:  mov (%ebx, %ecx), %al
    test %al, %al
    jz 8f
    cmp $' ', %al
    je 8f
    inc %ecx
    jmp 6b
5:  /* skip to the next word */
    mov (%edi), %al
    test %al, %al
    jz 9f
    inc %edi
    cmp $' ', %al
    jne 5b
    jmp 1b
9:  xor %esi, %esi
    xor %ecx, %ecx
8:  pop %edx
    pop %eax
    pop %ebx
    pop %edi
    ret

/* parse_dec: the decimal number of %ecx bytes at %esi, in %eax. */
    .globl parse_dec
parse_dec:
    push %ebx
    push %ecx
    push %esi
    xor %eax, %eax
1:  test %ecx, %ecx
    jz 2f
    imul $10, %eax
    movzbl (%esi), %ebx
    sub $'0', %ebx
    add %ebx, %eax
    inc %esi
    dec %ecx
    jmp 1b
2:  pop %esi
    pop %ecx
    pop %ebx
    ret

    .section .rodata
bad_magic: .asciz "FAIL: EAX is not the multiboot boot-loader magic\n"

    .data
    .align 8
    .globl gdt
gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF     /* 0x08: flat 32-bit code */
    .quad 0x00CF92000000FFFF     /* 0x10: flat data */
    .quad 0x00AF9A000000FFFF     /* 0x18: 64-bit code */
gdt_end:
    .globl gdt_descriptor
gdt_descriptor:
    .word gdt_end - gdt - 1
    .long gdt
    .globl mb_magic, mb_info
mb_magic: .long 0
mb_info:  .long 0

    .bss
    .align 16
    .space 8192
stack_top:
