/*
 * The C reference for the KvmPS benchmarks: the same operations written directly against /dev/kvm.
 * Built as a shared library by the benchmark program in the same run (see bench/README.md).
 *
 * All functions report failure as -errno (or -EPROTO for an unexpected exit); ref_failed_step() names the
 * call that failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_ADDRESS 0x1000
#define GUEST_PAGE_SIZE 0x1000
#define SERIAL_PORT 0x3f8
/* Where QEMU (and KvmPS) put the three-page TSS that Intel VMX needs for real mode (api.txt 4.23). */
#define TSS_ADDRESS 0xfffbd000UL

/* mov dx, 0x3f8 / l: out dx, al / jmp l: every KVM_RUN ends in one KVM_EXIT_IO. */
static const uint8_t guest_code[] = { 0xba, 0xf8, 0x03, 0xee, 0xeb, 0xfd };

/*
 * The engine comparison's guest, byte for byte what KvmPS runs: mov dx,0xe0 / mov cx,n / l: out dx,al / loop l /
 * mov dx,0xf4 / out dx,al / hlt. n OUTs to the test device's scratch port, then one to the debug-exit port.
 */
#define SCRATCH_PORT 0xe0
#define DEBUG_EXIT_PORT 0xf4
static uint8_t exit_loop_code[] = { 0xba, 0xe0, 0x00, 0xb9, 0x00, 0x00, 0xee, 0xe2, 0xfd, 0xba, 0xf4, 0x00, 0xee, 0xf4 };
static volatile uint32_t scratch;

static int kvm_fd = -1, vm_fd = -1, vcpu_fd = -1;
static void *guest_memory = MAP_FAILED;
static struct kvm_run *run = MAP_FAILED;
static size_t run_size;
static const char *failed_step = "";

const char *ref_failed_step(void) { return failed_step; }

static long fail(const char *step, int error)
{
    failed_step = step;
    return -error;
}

void ref_teardown(void)
{
    if (run != MAP_FAILED)
        munmap(run, run_size);
    if (vcpu_fd >= 0)
        close(vcpu_fd);
    if (vm_fd >= 0)
        close(vm_fd);
    if (guest_memory != MAP_FAILED)
        munmap(guest_memory, GUEST_PAGE_SIZE);
    if (kvm_fd >= 0)
        close(kvm_fd);
    run = MAP_FAILED;
    guest_memory = MAP_FAILED;
    kvm_fd = vm_fd = vcpu_fd = -1;
}

static int setup_real_mode_registers(void)
{
    struct kvm_sregs sregs;
    if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
        return fail("KVM_GET_SREGS", errno);
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    sregs.ds.base = 0;
    sregs.ds.selector = 0;
    sregs.es.base = 0;
    sregs.es.selector = 0;
    sregs.ss.base = 0;
    sregs.ss.selector = 0;
    if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
        return fail("KVM_SET_SREGS", errno);

    struct kvm_regs regs;
    memset(&regs, 0, sizeof regs);
    regs.rip = GUEST_ADDRESS;
    regs.rflags = 0x2; /* bit 1 is reserved and must be set */
    if (ioctl(vcpu_fd, KVM_SET_REGS, &regs) < 0)
        return fail("KVM_SET_REGS", errno);
    return 0;
}

static int setup(const uint8_t *code, size_t code_size)
{
    kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_fd < 0)
        return fail("open(/dev/kvm)", errno);
    int version = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
    if (version < 0)
        return fail("KVM_GET_API_VERSION", errno);
    if (version != KVM_API_VERSION)
        return fail("KVM_GET_API_VERSION", EPROTO);

    vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (vm_fd < 0)
        return fail("KVM_CREATE_VM", errno);
    int has_tss = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR);
    if (has_tss < 0)
        return fail("KVM_CHECK_EXTENSION(KVM_CAP_SET_TSS_ADDR)", errno);
    if (has_tss > 0 && ioctl(vm_fd, KVM_SET_TSS_ADDR, TSS_ADDRESS) < 0)
        return fail("KVM_SET_TSS_ADDR", errno);

    guest_memory = mmap(NULL, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (guest_memory == MAP_FAILED)
        return fail("mmap(guest memory)", errno);
    memcpy(guest_memory, code, code_size);
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = GUEST_ADDRESS,
        .memory_size = GUEST_PAGE_SIZE,
        .userspace_addr = (uintptr_t)guest_memory,
    };
    if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        return fail("KVM_SET_USER_MEMORY_REGION", errno);

    vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
    if (vcpu_fd < 0)
        return fail("KVM_CREATE_VCPU", errno);
    int mmap_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < 0)
        return fail("KVM_GET_VCPU_MMAP_SIZE", errno);
    run_size = (size_t)mmap_size;
    run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
    if (run == MAP_FAILED)
        return fail("mmap(kvm_run)", errno);
    return setup_real_mode_registers();
}

/*
 * Creates the VM, one page at 0x1000 holding the guest, one vCPU with kvm_run mapped, and the real-mode entry
 * registers. vCPU ioctls must then come from the calling thread (api.txt section 1).
 */
int ref_setup(void)
{
    ref_teardown();
    failed_step = "";
    int result = setup(guest_code, sizeof guest_code);
    if (result < 0)
        ref_teardown();
    return result;
}

/* A fresh VM whose guest makes n port exits to the scratch port, then one to the debug-exit port. */
int ref_exit_loop_setup(int n)
{
    ref_teardown();
    failed_step = "";
    exit_loop_code[4] = (uint8_t)n;
    exit_loop_code[5] = (uint8_t)(n >> 8);
    int result = setup(exit_loop_code, sizeof exit_loop_code);
    if (result < 0)
        ref_teardown();
    return result;
}

/*
 * What KvmPS's engine does with the same guest, written directly: KVM_RUN until the debug-exit write, each OUT to
 * the scratch port stored as the test device stores it. Returns the number of exits.
 */
long ref_exit_loop_run(void)
{
    for (long exits = 1;; exits++) {
        if (ioctl(vcpu_fd, KVM_RUN, 0) < 0)
            return fail("KVM_RUN", errno);
        if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT)
            return fail("KVM_RUN (exit other than the guest's OUT)", EPROTO);
        uint8_t value = *((uint8_t *)run + run->io.data_offset);
        if (run->io.port == DEBUG_EXIT_PORT)
            return exits;
        if (run->io.port != SCRATCH_PORT)
            return fail("KVM_RUN (OUT to a port the guest does not use)", EPROTO);
        scratch = (scratch & ~0xffu) | value;
    }
}

/* n KVM_RUNs, each of which must end in the guest's one-byte OUT to the serial port. */
long ref_io_exit_roundtrips(int n)
{
    for (int i = 0; i < n; i++) {
        if (ioctl(vcpu_fd, KVM_RUN, 0) < 0)
            return fail("KVM_RUN", errno);
        if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT || run->io.port != SERIAL_PORT
            || run->io.size != 1 || run->io.count != 1)
            return fail("KVM_RUN (exit other than the guest's OUT to 0x3f8)", EPROTO);
    }
    return n;
}

/* n KVM_CHECK_EXTENSION(KVM_CAP_USER_MEMORY) on /dev/kvm. */
long ref_check_extension(int n)
{
    for (int i = 0; i < n; i++) {
        int value = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
        if (value < 0)
            return fail("KVM_CHECK_EXTENSION", errno);
        if (value == 0)
            return fail("KVM_CHECK_EXTENSION (KVM_CAP_USER_MEMORY absent)", EPROTO);
    }
    return n;
}

/* n KVM_GET_REGS on the vCPU. */
long ref_get_regs(int n)
{
    struct kvm_regs regs;
    for (int i = 0; i < n; i++) {
        if (ioctl(vcpu_fd, KVM_GET_REGS, &regs) < 0)
            return fail("KVM_GET_REGS", errno);
    }
    return n;
}
