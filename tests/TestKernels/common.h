/* Ports and constants every test kernel uses (standard PC ports only). */
#define COM1            0x3f8
#define COM1_LSR        0x3fd
#define LSR_THR_EMPTY   0x20
#define DEBUG_EXIT      0xf4
#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA     0x511
#define FW_CFG_NB_CPUS  0x05

/* What a kernel writes to the debug-exit port; the VMM reports (v << 1) | 1. */
#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_SKIP 38

#define MULTIBOOT_MAGIC      0x1BADB002
#define MULTIBOOT_FLAGS      0x00000003   /* page-align modules, want memory info */
#define MULTIBOOT_BOOTLOADER 0x2BADB002

#define CODE32_SELECTOR 0x08
#define DATA_SELECTOR   0x10
#define CODE64_SELECTOR 0x18
