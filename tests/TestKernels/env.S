/*
 * env: the command line must carry expect=<KEY=VALUE>; the first multiboot module (the environment, KEY=VALUE
 * lines) must contain that text as a whole line. Prints what it found and exits 0, else 1.
 */
#include "common.h"
    .text
    .globl main
main:
    mov $expect_name, %esi
    call cmdline_value
    test %esi, %esi
    jnz 1f
    mov $no_expect, %esi
    jmp fail
1:  mov %esi, %edx            /* wanted line, %ecx bytes */
    mov mb_info, %ebx
    testl $8, (%ebx)          /* flags bit 3: mods */
    jz 2f
    cmpl $0, 20(%ebx)         /* mods_count */
    jne 3f
2:  mov $no_module, %esi
    jmp fail
3:  mov 24(%ebx), %ebx        /* mods_addr -> first module */
    mov (%ebx), %edi          /* mod_start */
    mov 4(%ebx), %ebp         /* mod_end */
    /* for each line start %edi: compare %ecx bytes with %edx, then require '\n' or the end */
4:  cmp %ebp, %edi
    jae 8f
    mov %edi, %eax
    add %ecx, %eax
    cmp %ebp, %eax
    ja 8f
    push %ecx
    push %edi
    mov %edx, %esi
    repe cmpsb
    pop %edi
    pop %ecx
    jne 6f
    cmp %ebp, %eax            /* matched: at the end, or followed by a newline? */
    je 7f
    cmpb $'\n', (%eax)
    je 7f
6:  /* next line */
    cmp %ebp, %edi
    jae 8f
    mov (%edi), %al
    inc %edi
    cmp $'\n', %al
    jne 6b
    jmp 4b
7:  mov $found, %esi
    call puts
    mov %edx, %esi
5:  lodsb
    call putc
    loop 5b
    mov $'\n', %al
    call putc
    mov $pass_message, %esi
    call puts
    mov $EXIT_PASS, %al
    jmp exit
8:  mov $not_found, %esi
fail:
    call puts
    mov $EXIT_FAIL, %al
    jmp exit

    .section .rodata
expect_name:  .asciz "expect"
found:        .asciz "env: found "
pass_message: .asciz "PASS: env\n"
no_expect:    .asciz "FAIL: env: no expect=KEY=VALUE on the command line\n"
no_module:    .asciz "FAIL: env: no multiboot module\n"
not_found:    .asciz "FAIL: env: the expected line is not in the environment module\n"
