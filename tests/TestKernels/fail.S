/* fail: prints "FAIL: deliberate" and exits 1. */
#include "common.h"
    .text
    .globl main
main:
    mov $message, %esi
    call puts
    mov $EXIT_FAIL, %al
    jmp exit

    .section .rodata
message: .asciz "FAIL: deliberate\n"
