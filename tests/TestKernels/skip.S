/* skip: prints "SKIP: deliberate" and exits 38 (status 77). */
#include "common.h"
    .text
    .globl main
main:
    mov $message, %esi
    call puts
    mov $EXIT_SKIP, %al
    jmp exit

    .section .rodata
message: .asciz "SKIP: deliberate\n"
