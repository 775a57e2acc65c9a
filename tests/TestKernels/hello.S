/* hello: prints "PASS: hello" and exits 0. */
#include "common.h"
    .text
    .globl main
main:
    mov $message, %esi
    call puts
    mov $EXIT_PASS, %al
    jmp exit

    .section .rodata
message: .asciz "PASS: hello\n"
