using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Ppc;

/// <summary>powerpc VM ioctls, run at both host page sizes POWER uses (see the two classes at the end).</summary>
public abstract class PpcVmTests : IDisposable
{
    private readonly PpcDouble _ppc;
    private readonly KvmVm _vm;

    protected PpcVmTests(int hostPageSize)
    {
        _ppc = new PpcDouble(pageSize: hostPageSize);
        _vm = _ppc.Session.CreateVm();
    }

    public void Dispose() => _ppc.Dispose();

    [Fact]
    public void PvInfo_returns_the_hypercall_instructions_and_idle_flag()
    {
        PpcPvInfo info = PpcVm.GetPvInfo(_vm);

        Assert.Equal(PpcDouble.PvInfoHcalls, info.HypercallInstructions);
        Assert.True(info.IdleHypercall);
        Assert.Equal("0x44000022", info.HypercallInstructionsHex[1]);
    }

    [Fact]
    public void SmmuInfo_is_decoded_up_to_the_first_empty_page_size()
    {
        PpcSmmuInfo info = PpcVm.GetSmmuInfo(_vm);

        Assert.Equal(PpcSmmuFlags.PageSizesReal | PpcSmmuFlags.OneTerabyteSegments, info.Flags);
        Assert.Equal((32u, (ushort)31, (ushort)30), (info.SlbSize, info.DataKeys, info.InstructionKeys));
        Assert.Equal([12, 16, 24], info.SegmentPageSizes.Select(s => s.PageShift));
        Assert.Equal(0x110u, info.SegmentPageSizes[1].SlbEncoding);
        Assert.Equal([(12, 0x0u), (16, 0x7u), (24, 0x38u)], info.SegmentPageSizes[0].PageSizes.Select(p => (p.PageShift, p.PteEncoding)));
        Assert.Equal(65536UL, info.SegmentPageSizes[1].PageSizes[0].Size);
    }

    [Fact]
    public void Hash_table_order_is_passed_to_the_kernel()
    {
        PpcHashTable table = PpcVm.AllocateHashTable(_vm, 24);

        Assert.Equal([24u], _ppc.Vms.Single().HtabOrders);
        Assert.Equal(16UL << 20, table.Size);
        Assert.Equal((16UL << 20) / 16, table.EntryCount);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(47)]
    public void Hash_table_order_outside_18_to_46_is_rejected_before_the_ioctl(int order)
    {
        var e = Assert.Throws<KvmPSException>(() => PpcVm.AllocateHashTable(_vm, order));

        Assert.Equal("InvalidHashTableOrder", e.ErrorId);
        Assert.Empty(_ppc.Vms.Single().HtabOrders);
    }

    [Fact]
    public void Hash_table_while_vcpus_run_is_EBUSY_with_a_hint()
    {
        _ppc.Vms.Single().HtabBusy = true;

        var e = Assert.Throws<KvmIoctlException>(() => PpcVm.AllocateHashTable(_vm, 20));

        Assert.Equal("KVM_PPC_ALLOCATE_HTAB.EBUSY", e.ErrorId);
        Assert.Contains("KVM_RUN", e.Message);
    }

    [Fact]
    public void Rma_is_mapped_for_its_size_and_released_with_the_vm()
    {
        int descriptors = _ppc.Kernel.OpenDescriptors;
        int mappings = _ppc.Kernel.LiveMappings;

        PpcRealModeArea rma = PpcRealModeArea.Allocate(_vm);

        Assert.Equal(1UL << 20, rma.Size);
        Assert.NotEqual(0UL, rma.HostAddress);
        Assert.False(rma.IsRequiredByHost);
        Assert.Equal(descriptors + 1, _ppc.Kernel.OpenDescriptors);
        _ppc.Session.RemoveVm(_vm);
        Assert.True(rma.IsRemoved);
        Assert.Equal(mappings, _ppc.Kernel.LiveMappings);
        Assert.Equal(descriptors - 1, _ppc.Kernel.OpenDescriptors);
    }

    [Fact]
    public void Rma_backs_a_memory_slot_that_goes_before_the_rma_is_unmapped()
    {
        PpcRealModeArea rma = PpcRealModeArea.Allocate(_vm);
        int mappings = _ppc.Kernel.LiveMappings;

        GuestMemoryRegion region = rma.AddAsMemoryRegion();

        Assert.Equal(mappings, _ppc.Kernel.LiveMappings);   // no new memory: the slot uses the RMA's mapping
        Assert.Equal(0UL, region.GuestAddress);
        Assert.Equal(rma.Size, region.Size);
        Assert.Equal(rma.HostAddress, region.HostAddress);
        var slot = _ppc.Kvm.Vms.Single().Slots[(uint)region.Slot];
        Assert.Equal((0UL, rma.Size, rma.HostAddress), (slot.Gpa, slot.Size, (ulong)slot.Host));
        _vm.WriteGuestMemory(0x100, [0xAB]);
        unsafe { Assert.Equal(0xAB, *(byte*)(rma.HostAddress + 0x100)); }
        Assert.Equal("RmaAlreadyMapped", Assert.Throws<KvmPSException>(() => rma.AddAsMemoryRegion(0x10000000)).ErrorId);

        rma.Dispose();

        Assert.True(region.IsRemoved);
        Assert.Empty(_ppc.Kvm.Vms.Single().Slots);
        Assert.Empty(_vm.MemoryRegions);
        Assert.Equal(mappings - 1, _ppc.Kernel.LiveMappings);
    }

    [Fact]
    public void Removing_a_vm_with_an_rma_slot_unmaps_the_rma_once()
    {
        int mappings = _ppc.Kernel.LiveMappings;
        PpcRealModeArea rma = PpcRealModeArea.Allocate(_vm);
        GuestMemoryRegion region = rma.AddAsMemoryRegion();

        _ppc.Session.RemoveVm(_vm);

        Assert.True(rma.IsRemoved);
        Assert.True(region.IsRemoved);
        Assert.Equal(0UL, region.HostAddress);
        Assert.Equal(mappings, _ppc.Kernel.LiveMappings);
    }

    [Theory]
    [InlineData(KvmCapability.PpcGetPvinfo, "KVM_CAP_PPC_GET_PVINFO")]
    [InlineData(KvmCapability.PpcGetSmmuInfo, "KVM_CAP_PPC_GET_SMMU_INFO")]
    [InlineData(KvmCapability.PpcAllocHtab, "KVM_CAP_PPC_ALLOC_HTAB")]
    [InlineData(KvmCapability.PpcRma, "KVM_CAP_PPC_RMA")]
    public void Each_needs_its_capability(KvmCapability capability, string kernelName)
    {
        _ppc.Kvm.Capabilities.Remove(capability);
        Action call = capability switch
        {
            KvmCapability.PpcGetPvinfo => () => PpcVm.GetPvInfo(_vm),
            KvmCapability.PpcGetSmmuInfo => () => PpcVm.GetSmmuInfo(_vm),
            KvmCapability.PpcAllocHtab => () => PpcVm.AllocateHashTable(_vm, 24),
            _ => () => PpcRealModeArea.Allocate(_vm),
        };

        Assert.Equal($"{kernelName}.NotSupported", Assert.Throws<KvmPSException>(call).ErrorId);
    }
}

public sealed class PpcVmTestsOn4KHost() : PpcVmTests(0x1000);

public sealed class PpcVmTestsOn64KHost() : PpcVmTests(0x1_0000);
