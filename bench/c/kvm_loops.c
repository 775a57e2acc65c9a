/*
 * The C side of bench/run: each workload written directly against /dev/kvm, timed with CLOCK_MONOTONIC, printed as
 * one number on stdout. bench/run builds it with gcc -O2 in the same run and alternates it with the KvmPS side.
 * (The exit loop is compared in-process by bench/KvmPS.Bench --exit-loop against bench/c/kvm_reference.c.)
 *
 *   kvm_loops setup <cycles>     us per VM + vCPU (kvm_run mapped) + 4 KiB region, created and destroyed
 *   kvm_loops vcpus <count>      ms to create <count> vCPUs of one VM (kvm_run mapped) and destroy them all
 *   kvm_loops read1m <copies>    us per 1 MiB copy out of guest memory into a caller's buffer
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define GUEST_ADDRESS 0x1000
#define PAGE 0x1000
#define TSS_ADDRESS 0xfffbd000UL

static int kvm_fd;
static size_t run_size;

static void die(const char *what)
{
    fprintf(stderr, "kvm_loops: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int create_vm(void)
{
    int vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (vm < 0)
        die("KVM_CREATE_VM");
    if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 && ioctl(vm, KVM_SET_TSS_ADDR, TSS_ADDRESS) < 0)
        die("KVM_SET_TSS_ADDR");
    return vm;
}

static void *add_region(int vm, uint64_t guest, size_t size)
{
    void *memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (memory == MAP_FAILED)
        die("mmap guest memory");
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = guest, .memory_size = size, .userspace_addr = (uintptr_t)memory,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        die("KVM_SET_USER_MEMORY_REGION");
    return memory;
}

static int create_vcpu(int vm, int id, struct kvm_run **run)
{
    int vcpu = ioctl(vm, KVM_CREATE_VCPU, id);
    if (vcpu < 0)
        die("KVM_CREATE_VCPU");
    *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (*run == MAP_FAILED)
        die("mmap kvm_run");
    return vcpu;
}

static double bench_setup(long cycles)
{
    double start = now_ns();
    for (long i = 0; i < cycles; i++) {
        int vm = create_vm();
        struct kvm_run *run;
        int vcpu = create_vcpu(vm, 0, &run);
        void *memory = add_region(vm, GUEST_ADDRESS, PAGE);
        munmap(run, run_size);
        close(vcpu);
        close(vm);
        munmap(memory, PAGE);
    }
    return (now_ns() - start) / (double)cycles / 1e3;
}

static double bench_vcpus(int count)
{
    int vm = create_vm();
    int *fds = calloc(count, sizeof *fds);
    struct kvm_run **runs = calloc(count, sizeof *runs);
    double start = now_ns();
    for (int i = 0; i < count; i++)
        fds[i] = create_vcpu(vm, i, &runs[i]);
    for (int i = 0; i < count; i++) {
        munmap(runs[i], run_size);
        close(fds[i]);
    }
    close(vm);
    double took = (now_ns() - start) / 1e6;
    free(fds);
    free(runs);
    return took;
}

static double bench_read1m(long copies)
{
    const size_t size = 1 << 20;
    int vm = create_vm();
    uint8_t *memory = add_region(vm, 0, size);
    memset(memory, 0x5a, size);
    uint8_t *buffer = malloc(size);
    double start = now_ns();
    for (long i = 0; i < copies; i++) {
        memcpy(buffer, memory, size);
        __asm__ volatile("" : : "r"(buffer) : "memory");
    }
    double per_copy = (now_ns() - start) / (double)copies / 1e3;
    free(buffer);
    close(vm);
    munmap(memory, size);
    return per_copy;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: kvm_loops setup|vcpus|read1m <count>\n");
        return 2;
    }
    long count = atol(argv[2]);
    kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_fd < 0)
        die("open /dev/kvm");
    int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < 0)
        die("KVM_GET_VCPU_MMAP_SIZE");
    run_size = (size_t)size;
    double value;
    if (!strcmp(argv[1], "setup"))
        value = bench_setup(count);
    else if (!strcmp(argv[1], "vcpus"))
        value = bench_vcpus((int)count);
    else if (!strcmp(argv[1], "read1m"))
        value = bench_read1m(count);
    else {
        fprintf(stderr, "kvm_loops: unknown workload %s\n", argv[1]);
        return 2;
    }
    printf("%.3f\n", value);
    return 0;
}
