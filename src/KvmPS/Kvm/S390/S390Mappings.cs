using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.S390;

/// <summary>
/// The per-vCPU address spaces of user-controlled VMs: KVM_S390_UCAS_MAP / UNMAP (api.txt 4.65-4.66) and
/// KVM_S390_VCPU_FAULT (4.67). Addresses and lengths are whole 1 MiB segments, checked before the ioctl; mappings
/// are tracked per vCPU so that only a mapped range can be unmapped.
/// </summary>
public static class S390Mappings
{
    /// <summary>The s390 segment size: "All parameters need to be aligned by 1 megabyte."</summary>
    public const ulong SegmentSize = 1UL << 20;

    public static IReadOnlyList<S390Mapping> Get(KvmVcpu vcpu)
    {
        List<S390Mapping> list = vcpu.Architecture.Get<S390VcpuState>().Mappings;
        lock (list)
        {
            return list.Where(m => !m.IsRemoved).ToArray();
        }
    }

    /// <summary>
    /// Maps <paramref name="length"/> bytes at <paramref name="vcpuAddress"/> of the vCPU's address space to host memory:
    /// <paramref name="userAddress"/> when given, otherwise fresh segment-aligned memory that the mapping owns.
    /// </summary>
    public static S390Mapping Add(KvmVcpu vcpu, ulong vcpuAddress, ulong length, ulong? userAddress = null)
    {
        KvmVm vm = RequireUserControlled(vcpu);
        CheckSegments(vcpuAddress, length, userAddress);
        List<S390Mapping> list = vcpu.Architecture.Get<S390VcpuState>().Mappings;
        lock (list)
        {
            if (list.FirstOrDefault(m => !m.IsRemoved && m.Overlaps(vcpuAddress, length)) is { } existing)
            {
                throw new KvmPSException("S390MappingOverlaps", ErrorKind.ResourceExists,
                    $"vCPU range 0x{vcpuAddress:X}+0x{length:X} overlaps the existing mapping {existing}.");
            }
            MemoryMapping? backing = userAddress is null ? MemoryMapping.Anonymous(vm.Kernel.Syscalls, length + SegmentSize) : null;
            ulong host = userAddress ?? Alignment.RoundUp((ulong)backing!.Address, SegmentSize);
            var request = new KvmS390UcasMapping { UserAddr = host, VcpuAddr = vcpuAddress, Length = length };
            try
            {
                vcpu.OnVcpuThread(handle => handle.Ioctl(S390Ioctls.UcasMap, ref request, errno => Hint(errno, vcpu, vcpuAddress, length)));
            }
            catch
            {
                backing?.Dispose();
                throw;
            }
            var mapping = new S390Mapping(vcpu, host, vcpuAddress, length, backing);
            if (backing is not null)
            {
                vm.AddDependent(mapping);
            }
            list.Add(mapping);
            return mapping;
        }
    }

    /// <summary>KVM_S390_UCAS_UNMAP of a mapping this module made; its owned memory is released afterwards.</summary>
    public static void Remove(S390Mapping mapping) => Remove(mapping.Vcpu, mapping.VcpuAddress, mapping.Length);

    /// <summary>Unmaps exactly one tracked mapping, named by its vCPU range.</summary>
    public static void Remove(KvmVcpu vcpu, ulong vcpuAddress, ulong length)
    {
        RequireUserControlled(vcpu);
        CheckSegments(vcpuAddress, length, userAddress: null);
        List<S390Mapping> list = vcpu.Architecture.Get<S390VcpuState>().Mappings;
        lock (list)
        {
            S390Mapping mapping = list.FirstOrDefault(m => !m.IsRemoved && m.VcpuAddress == vcpuAddress && m.Length == length)
                ?? throw KvmPSException.InvalidArgument("S390MappingNotFound",
                    $"vCPU {vcpu.Id} of VM {vcpu.VmId} has no mapping at 0x{vcpuAddress:X}+0x{length:X}. Its mappings: " +
                    (list.Any(m => !m.IsRemoved) ? string.Join(", ", list.Where(m => !m.IsRemoved).Select(m => $"0x{m.VcpuAddress:X}+0x{m.Length:X}")) : "none") + ".");
            // api.txt 4.66: user_addr is ignored by UNMAP.
            var request = new KvmS390UcasMapping { UserAddr = mapping.UserAddress, VcpuAddr = vcpuAddress, Length = length };
            vcpu.OnVcpuThread(handle => handle.Ioctl(S390Ioctls.UcasUnmap, ref request, errno => Hint(errno, vcpu, vcpuAddress, length)));
            list.Remove(mapping);
            mapping.Dispose();
        }
    }

    /// <summary>
    /// KVM_S390_VCPU_FAULT: builds the page-table entry for a guest absolute address (a user-controlled vCPU's own
    /// space, or the VM's), e.g. for the lowcore before KVM_RUN. On a user-controlled VM the address must be mapped.
    /// </summary>
    public static void Fault(KvmVcpu vcpu, ulong guestAddress)
    {
        vcpu.Vm.RequireCapability(KvmCapability.S390Gmap, "KVM_S390_VCPU_FAULT (s390 guest address spaces)");
        if (S390UserControlledVm.IsUserControlled(vcpu.Vm) && !Get(vcpu).Any(m => m.Contains(guestAddress)))
        {
            throw KvmPSException.InvalidArgument("S390GuestAddressNotMapped",
                $"0x{guestAddress:X} is not inside a mapping of vCPU {vcpu.Id} of VM {vcpu.VmId}; map it first (KVM_S390_UCAS_MAP).");
        }
        vcpu.OnVcpuThread(handle => handle.Ioctl(S390Ioctls.VcpuFault, unchecked((nint)guestAddress), errno => errno switch
        {
            Errno.EFAULT => $"The kernel could not resolve 0x{guestAddress:X}: the host memory behind it is not mapped or not accessible (touch it from the host first).",
            Errno.ENOMEM => "The kernel could not allocate the page table.",
            _ => null,
        }));
    }

    private static KvmVm RequireUserControlled(KvmVcpu vcpu)
    {
        KvmVm vm = vcpu.Vm;
        vm.RequireCapability(KvmCapability.S390Ucontrol, "user-controlled VM address spaces (KVM_S390_UCAS_MAP)");
        if (!S390UserControlledVm.IsUserControlled(vm))
        {
            throw KvmPSException.InvalidOperation("S390VmNotUserControlled",
                $"VM {vm.Id} is not user-controlled: KVM_S390_UCAS_MAP/UNMAP work only on vCPUs of a VM created as KVM_VM_S390_UCONTROL.");
        }
        return vm;
    }

    private static void CheckSegments(ulong vcpuAddress, ulong length, ulong? userAddress)
    {
        if (length == 0)
        {
            throw KvmPSException.InvalidArgument("S390MappingEmpty", "The mapping length must be at least one 1 MiB segment.");
        }
        foreach ((string name, ulong value) in new[] { ("vCPU address", vcpuAddress), ("length", length), ("user address", userAddress ?? 0) })
        {
            if (value % SegmentSize != 0)
            {
                throw KvmPSException.InvalidArgument("S390MappingNotSegmentAligned",
                    $"The {name} 0x{value:X} must be a multiple of 1 MiB, the s390 segment size (api.txt 4.65).");
            }
        }
        if (userAddress == 0)
        {
            throw KvmPSException.InvalidArgument("S390UserAddressZero", "The user address must be the non-zero address of host memory in this process.");
        }
        new AddressRange(vcpuAddress, length).ThrowIfWraps("S390MappingWraps", "The vCPU range");
        if (userAddress is ulong user)
        {
            new AddressRange(user, length).ThrowIfWraps("S390MappingWraps", "The user range");
        }
    }

    private static string? Hint(int errno, KvmVcpu vcpu, ulong vcpuAddress, ulong length) => errno switch
    {
        Errno.EINVAL => $"The kernel rejected 0x{vcpuAddress:X}+0x{length:X} on vCPU {vcpu.Id}: the VM must be user-controlled, and both ranges must be 1 MiB aligned and inside the process's and the vCPU's address-space limits.",
        Errno.ENOMEM => "The kernel could not allocate the segment tables.",
        _ => null,
    };
}
