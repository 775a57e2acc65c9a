/* spin: loops forever without an exit, for timeout tests. */
    .text
    .globl main
main:
    jmp .
