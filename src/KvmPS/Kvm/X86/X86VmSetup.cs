using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.X86;

/// <summary>x86 VM ioctls that configure the VM once, before its vCPUs exist.</summary>
public static class X86VmSetup
{
    private const ulong FourGiB = 1ul << 32;

    /// <summary>
    /// KVM_SET_IDENTITY_MAP_ADDR (api.txt 4.40): where Intel VMX puts the one-page identity page table it needs for
    /// real-mode guests without unrestricted guest support. The page must lie below 4 GiB and clash with no memory
    /// slot or MMIO; the ioctl fails once a vCPU exists.
    /// </summary>
    public static void SetIdentityMapAddress(KvmVm vm, ulong address)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.SetIdentityMapAddr, "choosing the identity map address (KVM_SET_IDENTITY_MAP_ADDR)");
        ulong page = (ulong)vm.Kernel.PageSize;
        if (address % page != 0 || address > FourGiB - page)
        {
            throw KvmPSException.InvalidArgument("InvalidIdentityMapAddress",
                $"The identity map is one page below 4 GiB: 0x{address:X} is not a page-aligned address below 0x{FourGiB - page:X}.");
        }
        if (address + 4 * page > KvmVm.X86TssAddress && address < KvmVm.X86TssAddress + 3 * page)
        {
            throw KvmPSException.InvalidArgument("InvalidIdentityMapAddress",
                $"0x{address:X} overlaps the three-page TSS at 0x{KvmVm.X86TssAddress:X} (KVM_SET_TSS_ADDR) that the VM was created with.");
        }
        RequireNoVcpus(vm, "IdentityMapAfterVcpus", "the identity map address");
        vm.Descriptor.Ioctl(KvmVmIoctls.SetIdentityMapAddr, ref address,
            errno => errno == Errno.EINVAL ? "The VM already has vCPUs; the identity map address is chosen before any." : null);
    }

    /// <summary>
    /// KVM_SET_BOOT_CPU_ID (api.txt 4.41): which vCPU id is the bootstrap processor (0 unless set); that vCPU's
    /// IA32_APIC_BASE has the BSP bit. The ioctl fails with EBUSY once a vCPU exists.
    /// </summary>
    public static void SetBootCpuId(KvmVm vm, int vcpuId)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.SetBootCpuId, "choosing the boot vCPU (KVM_SET_BOOT_CPU_ID)");
        if (vcpuId < 0)
        {
            throw KvmPSException.InvalidArgument("InvalidBootCpuId", $"{vcpuId} is not a vCPU id; ids are 0 or more.");
        }
        RequireNoVcpus(vm, "BootCpuAfterVcpus", "the boot vCPU");
        vm.Descriptor.Ioctl(KvmVmIoctls.SetBootCpuId, vcpuId, errno => errno switch
        {
            Errno.EBUSY => "The VM already has vCPUs; the boot vCPU is chosen before any.",
            Errno.EINVAL => $"vCPU id {vcpuId} is above the host's largest vCPU id (KVM_CAP_MAX_VCPU_ID).",
            _ => null,
        });
    }

    /// <summary>
    /// KVM_XEN_HVM_CONFIG (api.txt 4.28) with flags 0: when the guest writes <paramref name="msr"/>, KVM copies one
    /// page of the 32- or 64-bit hypercall blob (by the vCPU's mode) from this process's memory into the guest
    /// page the written value names. The blobs are host virtual addresses of <paramref name="blobPages32"/> and
    /// <paramref name="blobPages64"/> pages; 0 and 0 pages for none.
    /// </summary>
    public static void SetXenHvmConfig(KvmVm vm, uint msr, ulong blobAddress32, byte blobPages32, ulong blobAddress64, byte blobPages64)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.XenHvm, "Xen HVM guest support (KVM_XEN_HVM_CONFIG)");
        var config = new KvmXenHvmConfig
        {
            Msr = msr,
            BlobAddr32 = blobAddress32,
            BlobSize32 = blobPages32,
            BlobAddr64 = blobAddress64,
            BlobSize64 = blobPages64,
        };
        vm.Descriptor.Ioctl(KvmVmIoctls.XenHvmConfig, ref config, errno => errno == Errno.EINVAL
            ? $"KVM refuses MSR 0x{msr:X} (KVM's own MSRs, such as the kvmclock ones, cannot be the hypercall MSR)." : null);
    }

    private static void RequireNoVcpus(KvmVm vm, string errorId, string what)
    {
        if (vm.Vcpus.Count > 0)
        {
            throw new KvmPSException(errorId, ErrorKind.InvalidOperation,
                $"VM {vm.Id} already has {vm.Vcpus.Count} vCPU(s); {what} must be set before any vCPU is created.",
                recommendedAction: $"Create a new VM and set {what} before its vCPUs.");
        }
    }
}
