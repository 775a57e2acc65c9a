using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;

namespace KvmPS.Tests.S390;

public class S390MappingTests
{
    private const ulong MiB = 1UL << 20;

    [Fact]
    public void Maps_an_explicit_user_address_segment_by_segment()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        S390Mapping mapping = S390Mappings.Add(vcpu, 0, 2 * MiB, userAddress: 0x7f00_0000_0000);

        Assert.Equal(new Dictionary<ulong, ulong> { [0] = 0x7f00_0000_0000, [MiB] = 0x7f00_0010_0000 }, kernel.Segments);
        Assert.False(mapping.OwnsMemory);
        Assert.Equal((vcpu.VmId, vcpu.Id, 0ul, 2 * MiB), (mapping.VmId, mapping.VcpuId, mapping.VcpuAddress, mapping.Length));
        Assert.Same(mapping, Assert.Single(S390Mappings.Get(vcpu)));
    }

    [Fact]
    public void Without_a_user_address_it_maps_aligned_memory_it_owns_and_releases()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        int mappings = t.S390.Kernel.LiveMappings;

        S390Mapping mapping = S390Mappings.Add(vcpu, 4 * MiB, MiB);
        Assert.True(mapping.OwnsMemory);
        Assert.Equal(0ul, mapping.UserAddress % MiB);
        Assert.Equal(mapping.UserAddress, kernel.Segments[4 * MiB]);
        Assert.Equal(mappings + 1, t.S390.Kernel.LiveMappings);

        S390Mappings.Remove(mapping);
        Assert.Empty(kernel.Segments);
        Assert.True(mapping.IsRemoved);
        Assert.Equal(mappings, t.S390.Kernel.LiveMappings);
        Assert.Empty(S390Mappings.Get(vcpu));
    }

    [Theory]
    [InlineData(0x1000ul, MiB, null, "S390MappingNotSegmentAligned")]
    [InlineData(0ul, MiB + 0x1000, null, "S390MappingNotSegmentAligned")]
    [InlineData(0ul, MiB, 0x7f00_0000_1000ul, "S390MappingNotSegmentAligned")]
    [InlineData(0ul, 0ul, null, "S390MappingEmpty")]
    [InlineData(0ul, MiB, 0ul, "S390UserAddressZero")]
    [InlineData(0xFFFF_FFFF_FFF0_0000ul, 2 * MiB, null, "S390MappingWraps")]
    public void Segment_rules_are_checked_before_the_ioctl(ulong vcpuAddress, ulong length, ulong? userAddress, string errorId)
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        var error = Assert.Throws<KvmPSException>(() => S390Mappings.Add(vcpu, vcpuAddress, length, userAddress));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(0, kernel.Calls);
    }

    [Fact]
    public void Only_vcpus_of_a_user_controlled_vm_map()
    {
        using var t = new S390TestVm(userControlled: false);
        var (vcpu, kernel) = t.NewVcpu();
        Assert.Equal("S390VmNotUserControlled", Assert.Throws<KvmPSException>(() => S390Mappings.Add(vcpu, 0, MiB)).ErrorId);
        Assert.Equal(0, kernel.Calls);
    }

    [Fact]
    public void Overlapping_mappings_are_refused()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        S390Mappings.Add(vcpu, 0, 2 * MiB);
        var error = Assert.Throws<KvmPSException>(() => S390Mappings.Add(vcpu, MiB, 2 * MiB));
        Assert.Equal("S390MappingOverlaps", error.ErrorId);
        Assert.Equal(1, kernel.Calls);
        S390Mappings.Add(vcpu, 2 * MiB, MiB);
        Assert.Equal(2, S390Mappings.Get(vcpu).Count);
    }

    [Fact]
    public void Mappings_are_per_vcpu()
    {
        using var t = new S390TestVm();
        var (first, firstKernel) = t.NewVcpu();
        var (second, secondKernel) = t.NewVcpu();
        S390Mappings.Add(first, 0, MiB);
        S390Mappings.Add(second, 0, MiB);
        Assert.Single(firstKernel.Segments);
        Assert.Single(secondKernel.Segments);
        Assert.Equal("S390MappingNotFound", Assert.Throws<KvmPSException>(() => S390Mappings.Remove(second, MiB, MiB)).ErrorId);
    }

    [Fact]
    public void Remove_needs_a_mapped_range()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        S390Mappings.Add(vcpu, 0, 2 * MiB, 0x7f00_0000_0000);
        var partial = Assert.Throws<KvmPSException>(() => S390Mappings.Remove(vcpu, 0, MiB));
        Assert.Equal("S390MappingNotFound", partial.ErrorId);
        Assert.Contains("0x0+0x200000", partial.Message, StringComparison.Ordinal);
        Assert.Equal(1, kernel.Calls);

        S390Mappings.Remove(vcpu, 0, 2 * MiB);
        Assert.Empty(kernel.Segments);
        Assert.Equal("S390MappingNotFound", Assert.Throws<KvmPSException>(() => S390Mappings.Remove(vcpu, 0, 2 * MiB)).ErrorId);
    }

    [Fact]
    public void A_kernel_failure_releases_the_memory_it_allocated()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        kernel.MapError = Errno.ENOMEM;
        int mappings = t.S390.Kernel.LiveMappings;
        var error = Assert.Throws<KvmIoctlException>(() => S390Mappings.Add(vcpu, 0, MiB));
        Assert.Equal("KVM_S390_UCAS_MAP.ENOMEM", error.ErrorId);
        Assert.Equal(mappings, t.S390.Kernel.LiveMappings);
        Assert.Empty(S390Mappings.Get(vcpu));

        kernel.MapError = Errno.EINVAL;
        Assert.Contains("1 MiB aligned", Assert.Throws<KvmIoctlException>(() => S390Mappings.Add(vcpu, 0, MiB, 0x7f00_0000_0000)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_and_unmap_run_on_the_vcpu_thread()
    {
        using var t = new S390TestVm();
        var (vcpu, _) = t.NewVcpu();
        S390Mappings.Remove(S390Mappings.Add(vcpu, 0, MiB));
        uint[] requests = [KvmPS.Interop.Ioctls.S390Ioctls.UcasMap.RequestOn(CpuArchitecture.S390x), KvmPS.Interop.Ioctls.S390Ioctls.UcasUnmap.RequestOn(CpuArchitecture.S390x)];
        var calls = t.S390.Kernel.IoctlLog.Where(c => requests.Contains(c.Request)).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.All(calls, c => Assert.Equal(vcpu.ThreadId, c.ThreadId));
    }

    [Fact]
    public void Removing_the_vm_releases_owned_memory_and_descriptors()
    {
        var t = new S390TestVm();
        var (vcpu, _) = t.NewVcpu();
        S390Mapping owned = S390Mappings.Add(vcpu, 0, 2 * MiB);
        S390Mappings.Add(vcpu, 2 * MiB, MiB, 0x7f00_0000_0000);
        t.Session.RemoveVm(t.Vm);
        Assert.True(owned.IsRemoved);
        Assert.Equal(0, t.S390.Kernel.LiveMappings);
        Assert.Equal(1, t.S390.Kernel.OpenDescriptors);   // /dev/kvm, held by the session
        Assert.Equal("VmRemoved", Assert.Throws<KvmPSException>(() => S390Mappings.Add(vcpu, 4 * MiB, MiB)).ErrorId);
        t.Dispose();
        Assert.Equal(0, t.S390.Kernel.OpenDescriptors);
    }

    [Fact]
    public void The_vcpu_fault_reaches_the_kernel_with_the_address_as_argument()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        S390Mappings.Add(vcpu, 0, MiB);
        S390Mappings.Fault(vcpu, 0x1000);
        Assert.Equal([0x1000ul], kernel.Faulted);
    }

    [Fact]
    public void On_a_user_controlled_vm_the_fault_address_must_be_mapped()
    {
        using var t = new S390TestVm();
        var (vcpu, kernel) = t.NewVcpu();
        Assert.Equal("S390GuestAddressNotMapped", Assert.Throws<KvmPSException>(() => S390Mappings.Fault(vcpu, 0x1000)).ErrorId);
        Assert.Equal(0, kernel.Calls);

        S390Mappings.Add(vcpu, 0, MiB);
        kernel.Segments.Clear();   // gone from the kernel's side
        var error = Assert.Throws<KvmIoctlException>(() => S390Mappings.Fault(vcpu, 0x1000));
        Assert.Equal("KVM_S390_VCPU_FAULT.EFAULT", error.ErrorId);
    }

    [Fact]
    public void A_regular_vm_faults_without_mappings()
    {
        using var t = new S390TestVm(userControlled: false);
        var (vcpu, kernel) = t.NewVcpu();
        S390Mappings.Fault(vcpu, 0x2000);
        Assert.Equal([0x2000ul], kernel.Faulted);
    }

    [Fact]
    public void The_vcpu_fault_needs_the_gmap_capability()
    {
        using var t = new S390TestVm(configure: s390 => s390.Kvm.Capabilities.Remove(KvmCapability.S390Gmap));
        var (vcpu, kernel) = t.NewVcpu();
        Assert.Equal("KVM_CAP_S390_GMAP.NotSupported", Assert.Throws<KvmPSException>(() => S390Mappings.Fault(vcpu, 0)).ErrorId);
        Assert.Equal(0, kernel.Calls);
    }
}
