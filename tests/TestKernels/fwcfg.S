/*
 * fwcfg: reads the CPU count (fw_cfg key 0x05, u16 LE) and prints it; passes when it equals cpus=<n> on the
 * command line, or, without cpus=, when it is at least 1.
 */
#include "common.h"
    .text
    .globl main
main:
    mov $FW_CFG_NB_CPUS, %ax
    call fw_cfg_read16
    mov %eax, %edi
    mov $label, %esi
    call puts
    call put_dec
    mov $'\n', %al
    call putc
    mov $cpus_name, %esi
    call cmdline_value
    test %esi, %esi
    jz 1f
    call parse_dec
    cmp %eax, %edi
    jne fail
    jmp pass
1:  test %edi, %edi
    jz fail
pass:
    mov $pass_message, %esi
    call puts
    mov $EXIT_PASS, %al
    jmp exit
fail:
    mov $fail_message, %esi
    call puts
    mov $EXIT_FAIL, %al
    jmp exit

    .section .rodata
label:        .asciz "fw_cfg cpus="
cpus_name:    .asciz "cpus"
pass_message: .asciz "PASS: fwcfg\n"
fail_message: .asciz "FAIL: fwcfg: CPU count differs from cpus= on the command line (or is 0)\n"
